import Tensor

/// An affine map y = W x + b with W of shape (out, in), acting on the rows of its input:
/// for a batch of row vectors X (N, in) it computes X Wᵀ + b (N, out). W is stored as in
/// the lecture's W h (and PyTorch), so `W[i]` is the weights unit i listens with.
public final class Linear: Model {
    public let W: Parameter
    public let b: Parameter?
    public let inputSize: Int, outputSize: Int

    public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true, gain: Float = 1,
                names: (weight: String, bias: String) = ("W", "b"), using rng: inout SplitMix64) throws {
        guard inputSize > 0, outputSize > 0 else {
            throw TensorError("Linear: sizes must be positive, got \(inputSize) → \(outputSize)")
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        W = Parameter(names.weight, try Initializer.normal([outputSize, inputSize], fanIn: inputSize, gain: gain, using: &rng))
        b = bias ? Parameter(names.bias, try Tensor.zeros([outputSize])) : nil
    }

    public var summary: String { "Linear \(inputSize)→\(outputSize)" }
    public var ownParameters: [Parameter] { [W] + (b.map { [$0] } ?? []) }

    /// x (…, in) → (…, out).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.shape.last == inputSize else {
            throw TensorError("\(summary): input has \(x.shape.last.map(String.init) ?? "no") features per row (shape \(formatShape(x.shape))), expected \(inputSize)")
        }
        return try x.linear(weight: W.value, bias: b?.value)
    }
}
