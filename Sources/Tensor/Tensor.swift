/// An n-dimensional array of 32-bit floats, stored row-major, with value semantics.
///
/// `scalars` is a Swift array, so copies share storage until one of them is written to
/// (copy on write). A tensor may also carry an autograd node: then it remembers the op
/// that made it, and `backward()` on a scalar result fills `grad` of every leaf that
/// required gradients.
public struct Tensor {
    /// Sizes along each axis; `[]` for a scalar.
    public internal(set) var shape: [Int]
    /// The elements in row-major order (the last axis varies fastest).
    public internal(set) var scalars: [Float]
    /// The autograd node: set on leaves that require gradients and on results computed
    /// from them while gradients are enabled.
    var node: GradNode?

    /// A tensor of the given shape over row-major `scalars`.
    public init(shape: [Int], scalars: [Float]) throws {
        // The values exist already: only the sizes need checking, not the memory.
        let needed = try Shape.validateSizes(shape, op: "tensor")
        guard needed == scalars.count else {
            let count = needed == Int.max ? "more than \(Int.max)" : "\(needed)"
            throw TensorError("tensor: shape \(formatShape(shape)) needs \(count) values, got \(scalars.count)")
        }
        try Cancellation.check()
        try MemoryBudget.checkHeld(count: needed, op: "tensor")
        self.shape = shape
        self.scalars = scalars
    }

    /// Internal initialiser for results whose shape is known to match.
    init(unchecked shape: [Int], _ scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// A 0-d tensor holding one value.
    public init(_ value: Float) {
        self.init(unchecked: [], [value])
    }

    /// A 1-d tensor.
    public init(_ values: [Float]) {
        self.init(unchecked: [values.count], values)
    }

    /// A 2-d tensor from rows of equal length.
    public init(_ rows: [[Float]]) throws {
        let width = rows.first?.count ?? 0
        if let i = rows.firstIndex(where: { $0.count != width }) {
            throw TensorError("tensor: row \(i) has \(rows[i].count) values but row 0 has \(width)")
        }
        self.init(unchecked: [rows.count, width], rows.flatMap { $0 })
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }
    public var isScalar: Bool { shape.isEmpty }

    /// The single value of a tensor with one element.
    public func item() throws -> Float {
        guard scalars.count == 1 else {
            throw TensorError("item: tensor of shape \(formatShape(shape)) has \(scalars.count) values, not one")
        }
        return scalars[0]
    }

    /// The element at a full index (negative indices count from the end).
    public func scalar(at index: [Int]) throws -> Float {
        scalars[try flatIndex(index, op: "index")]
    }

    /// Writes one element. On a tensor that was computed from others this cuts it loose
    /// from the autograd graph (its value no longer matches the op that made it); a leaf
    /// keeps its gradient slot, the way a weight stays a weight when a student edits it.
    public mutating func setScalar(at index: [Int], to value: Float) throws {
        let flat = try flatIndex(index, op: "index assignment")
        scalars[flat] = value
        if node?.isLeaf == false { node = nil }
    }

    /// Replaces all values, keeping the shape (for optimisers and for editing weights).
    public mutating func assign(_ other: Tensor) throws {
        guard other.shape == shape else {
            throw TensorError.shapes("assign", shape, other.shape, "a tensor can only take values of its own shape")
        }
        scalars = other.scalars
        if node?.isLeaf == false { node = nil }
    }

    /// Runs `body` over the mutable storage; internal, for optimisers and kernels.
    mutating func withMutableScalars<R>(_ body: (inout [Float]) throws -> R) rethrows -> R {
        try body(&scalars)
    }

    func flatIndex(_ index: [Int], op: String) throws -> Int {
        guard index.count == shape.count else {
            throw TensorError("\(op): \(index.count) indices for a tensor of rank \(shape.count) with shape \(formatShape(shape))")
        }
        var flat = 0
        for (axis, raw) in index.enumerated() {
            let size = shape[axis]
            let i = raw < 0 ? raw + size : raw
            guard i >= 0, i < size else {
                throw TensorError("\(op): index \(raw) is out of range for axis \(axis) of size \(size)")
            }
            flat = flat * size + i
        }
        return flat
    }
}

extension Tensor: Equatable {
    /// Same shape and bit-for-bit equal values (NaN never equals NaN); autograd state is ignored.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension Tensor: CustomStringConvertible {
    /// A compact NumPy-like form for logs and test failures; the lesson renderer draws
    /// tensors properly.
    public var description: String {
        func format(_ v: Float) -> String {
            v == v.rounded() && Swift.abs(v) < 1e7 ? String(Int(v)) : String(v)
        }
        func nest(_ offset: Int, _ axis: Int) -> String {
            if axis == shape.count { return format(scalars[offset]) }
            let stride = shape[(axis + 1)...].reduce(1, *)
            let items = (0..<shape[axis]).map { nest(offset + $0 * stride, axis + 1) }
            return "[" + items.joined(separator: ", ") + "]"
        }
        return "tensor(\(nest(0, 0)), shape: \(formatShape(shape)))"
    }
}
