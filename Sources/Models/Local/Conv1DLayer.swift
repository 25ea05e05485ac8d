import Tensor
import Trace

/// A 1-d convolution layer: h′_p = σ(Σ_{δ∈window} W_δ h_{p+δ} + b). In the lecture's
/// picture each position hears only its window of k neighbours, and every position
/// listens with the same weights — the message-passing team is a line of people who
/// each talk only to those next to them.
///
/// Parameters `W` (O, C, k) — `W[o, c, δ]` is how much output channel o listens to input
/// channel c at offset δ of the window — and `b` (O,). Input (N, C, L), output
/// (N, O, L′) with L′ = (L + 2·padding − k) / stride + 1. Output position p reads input
/// positions p·stride − padding … p·stride − padding + k − 1; positions outside the
/// input are zeros (zero padding).
///
/// Each call emits a `conv` event with tensors `input` (N, C, L), `window` (N, C, k),
/// `W` (O, C, k), `b` (O,), `pre` (N, O, L′) and `output` (= σ(pre), N, O, L′); index
/// `layer`, `stride`, `padding`, `activation`, `p` (the output position whose window is
/// shown: `focus`, or the middle position (L′ − 1)/2 when `focus` is nil) and
/// `window_start` (the input position under δ = 0; negative inside the padding).
/// So output[:, :, p] = σ(Σ_{c,δ} W[:, c, δ]·window[:, c, δ] + b) can be read off the
/// event alone. Labels, when given, name the L input positions.
public final class Conv1DLayer: Model {
    public let W: Parameter
    public let b: Parameter
    public let inChannels: Int, outChannels: Int, kernelSize: Int
    public let stride: Int, padding: Int
    public let activation: Activation
    /// This layer's number in a stack (the event's `layer` index).
    public let layerIndex: Int
    /// The output position whose window the `conv` event shows; nil: the middle one.
    public var focus: Int?

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                activation: Activation = .relu, layerIndex: Int = 1, using rng: inout SplitMix64) throws {
        guard inChannels > 0, outChannels > 0, kernelSize > 0 else {
            throw TensorError("Conv1D: channels and kernel size must be positive, got \(inChannels) → \(outChannels) channels, kernel \(kernelSize)")
        }
        guard stride > 0, padding >= 0 else {
            throw TensorError("Conv1D: stride must be positive and padding non-negative, got stride \(stride), padding \(padding)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.layerIndex = layerIndex
        try MemoryBudget.reserve([outChannels, inChannels, kernelSize], op: "Conv1D", what: "its weights, a \(formatShape([outChannels, inChannels, kernelSize])) tensor")
        let fanIn = inChannels * kernelSize
        W = Parameter("W", try Initializer.normal([outChannels, inChannels, kernelSize], fanIn: fanIn,
                                                  gain: activation == .relu ? Float(2).squareRoot() : 1, using: &rng))
        b = Parameter("b", try Tensor.zeros([outChannels]))
    }

    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            activation: Activation = .relu, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                      padding: padding, activation: activation, using: &rng)
    }

    public var summary: String {
        "Conv1D \(inChannels)→\(outChannels), kernel \(kernelSize), stride \(stride), padding \(padding) (\(activation.rawValue))"
    }

    public var ownParameters: [Parameter] { [W, b] }

    /// L′ for an input of length L, or nil when the kernel does not fit.
    public func outputLength(for length: Int) throws -> Int? {
        try Tensor.convolutionOutputLength(input: length, kernel: kernelSize, stride: stride, padding: padding, op: summary)
    }

    /// x (N, C, L) → (N, O, L′).
    public func callAsFunction(_ x: Tensor, labels: [String]? = nil) throws -> Tensor {
        let length = try checkInput(x)
        if let labels, labels.count != length {
            throw TensorError("\(summary): \(labels.count) labels for \(length) input positions")
        }
        guard let outLength = try outputLength(for: length) else {
            throw TensorError("\(summary): the kernel of size \(kernelSize) does not fit in an input of length \(length) padded by \(padding) on each side")
        }
        let p = focus ?? (outLength - 1) / 2
        guard (0..<outLength).contains(p) else {
            throw TensorError("\(summary): focus position \(p) is outside the output, which has positions 0…\(outLength - 1)")
        }
        let pre = try x.conv1d(weight: W.value, bias: b.value, stride: stride, padding: padding)  // (N, O, L′)
        let out = activation.apply(pre)
        typealias S = ConvStep
        let index: [(IndexKey<S>, IndexValue)] = [
            (S.layer, .int(layerIndex)), (S.stride, .int(stride)), (S.padding, .int(padding)),
            (S.activation, .text(activation.rawValue)), (S.p, .int(p)), (S.windowStart, .int(p * stride - padding)),
        ]
        try Tracing.emit(S.self, Self.formula(activation), index: index, labels: labels) {
            [(S.input, x), (S.window, try window(of: x, at: p)), (S.W, W.value), (S.b, b.value), (S.pre, pre), (S.output, out)]
        }
        return out
    }

    /// The part of x (N, C, L) that output position p hears: (N, C, k), zeros where the
    /// window hangs over the padding. output[n, o, p] = σ(Σ_{c,δ} W[o, c, δ]·window[n, c, δ] + b[o]).
    public func window(of x: Tensor, at p: Int) throws -> Tensor {
        let length = try checkInput(x)
        guard let outLength = try outputLength(for: length), (0..<outLength).contains(p) else {
            throw TensorError("\(summary): position \(p) is not an output position for an input of length \(length)")
        }
        let padded = try Self.zeroPadded(x, axis: 2, by: padding)
        let start = p * stride
        return try padded.slice(axis: 2, start: start, end: start + kernelSize)
    }

    /// Checks x is (N, C, L) with this layer's channels; returns L.
    private func checkInput(_ x: Tensor) throws -> Int {
        guard x.rank == 3, x.shape[1] == inChannels else {
            throw TensorError("\(summary): input has shape \(formatShape(x.shape)), expected (N, \(inChannels), L) — a batch of N sequences with \(inChannels) channels (for one sequence use (1, \(inChannels), L))")
        }
        return x.shape[2]
    }

    static func formula(_ sigma: Activation) -> String {
        sigma == .identity ? "h′_p = Σ_δ W_δ h_{p+δ} + b" : "h′_p = \(sigma.symbol)(Σ_δ W_δ h_{p+δ} + b)"
    }

    /// x with `amount` zeros added at both ends of `axis` (differentiable: built by
    /// concatenation).
    static func zeroPadded(_ x: Tensor, axis: Int, by amount: Int) throws -> Tensor {
        guard amount > 0 else { return x }
        var padShape = x.shape
        padShape[axis] = amount
        let zeros = try Tensor.zeros(padShape)
        return try Tensor.concatenate([zeros, x, zeros], axis: axis)
    }
}
