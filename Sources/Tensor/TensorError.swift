/// Every failure a user's input can cause in the tensor engine is one of these: thrown,
/// never trapped, so an interpreter or REPL above can print it and carry on.
///
/// The message names the operation and the shapes involved, the way a student would
/// want to read it: `matmul: (3, 4) @ (5, 2) — inner sizes 4 and 5 differ`.
public struct TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func shapes(_ op: String, _ a: [Int], _ b: [Int], _ why: String) -> TensorError {
        TensorError("\(op): \(formatShape(a)) and \(formatShape(b)) — \(why)")
    }

    static func axis(_ op: String, _ axis: Int, rank: Int) -> TensorError {
        if rank == 0 {
            return TensorError("\(op): axis \(axis) is out of range for a scalar, which has no axes")
        }
        return TensorError("\(op): axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-rank)…\(rank - 1))")
    }
}

/// `(3, 4)`, `(5,)` and `()` — shapes written the way NumPy prints them.
public func formatShape(_ shape: [Int]) -> String {
    if shape.count == 1 { return "(\(shape[0]),)" }
    return "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
