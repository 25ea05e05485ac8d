/// A named array of numbers as a checkpoint file holds it: its shape (row-major, the
/// last axis fastest) and its values as 32-bit floats, whatever the file stored.
public struct StoredTensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }

    /// Elements a shape holds; nil when a size is negative or the product overflows.
    static func count(of shape: [Int]) -> Int? {
        var total = 1
        for size in shape {
            guard size >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// `(3, 4)`, as messages print shapes.
    var shapeText: String { StoredTensor.text(shape) }

    /// The bytes a shape of `size`-byte elements takes, nil when that passes Int.max (a
    /// damaged header can ask for 10¹⁸ elements; the product must not trap).
    static func bytes(of shape: [Int], size: Int) -> Int? {
        count(of: shape + [size])
    }

    /// `bytes(of:size:)` for a message: the number, or "more than 2⁶³".
    static func bytesText(_ shape: [Int], size: Int) -> String {
        bytes(of: shape, size: size).map(String.init) ?? "more than 2⁶³"
    }

    static func text(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
}

/// What is wrong with a checkpoint file, naming the file and, where it is about one,
/// the tensor: `weights.safetensors: tensor 'h.0.attn.c_attn.weight': …`.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let tensor: String?
    public let problem: String

    public init(file: String, tensor: String? = nil, _ problem: String) {
        self.file = file
        self.tensor = tensor
        self.problem = problem
    }

    public var description: String {
        file + ": " + (tensor.map { "tensor '\($0)': " } ?? "") + problem
    }
}
