import Tensor
import Trace

/// A multilayer perceptron: h⁽ˡ⁾ = σ(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾). In the lecture's picture every
/// unit of layer l hears every unit of layer l−1 — one round of messages per layer.
///
/// Parameters are `W1`, `b1`, `W2`, `b2`, … (layer l has W_l of shape (size_l, size_{l−1})).
/// Each layer emits a `layer` event with tensors `h_in` (N, in), `W` (out, in), `b` (out),
/// `pre` (= h_in Wᵀ + b) and `h_out` (= σ(pre)); index `layer` (1-based) and
/// `activation`.
public final class MLP: Model {
    public let sizes: [Int]
    public let activation: Activation
    public let outputActivation: Activation
    public let layers: [Linear]

    public init(sizes: [Int], activation: Activation = .tanh, outputActivation: Activation = .identity, seed: UInt64) throws {
        guard sizes.count >= 2 else {
            throw TensorError("MLP: needs at least an input and an output size, got \(sizes)")
        }
        guard sizes.allSatisfy({ $0 > 0 }) else {
            throw TensorError("MLP: every layer size must be positive, got \(sizes)")
        }
        self.sizes = sizes
        self.activation = activation
        self.outputActivation = outputActivation
        var rng = SplitMix64(seed: seed)
        var layers: [Linear] = []
        for l in 1..<sizes.count {
            layers.append(try Linear(sizes[l - 1], sizes[l], gain: activation == .relu ? Float(2).squareRoot() : 1,
                                     names: ("W\(l)", "b\(l)"), using: &rng))
        }
        self.layers = layers
    }

    public var summary: String {
        "MLP " + sizes.map(String.init).joined(separator: "→") + " (\(activation.rawValue))"
    }

    public var ownParameters: [Parameter] { layers.flatMap(\.ownParameters) }

    /// x (N, sizes[0]) → (N, sizes.last). `labels` name the rows in the events.
    public func callAsFunction(_ x: Tensor, labels: [String]? = nil) throws -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            let sigma = i == layers.count - 1 ? outputActivation : activation
            let pre = try layer(h)
            let out = sigma.apply(pre)
            let formula = sigma == .identity ? "h⁽ˡ⁾ = W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾" : "h⁽ˡ⁾ = \(sigma.symbol)(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾)"
            let input = h
            typealias S = LayerStep
            try Tracing.emit(S.self, formula, index: [(S.layer, .int(i + 1)), (S.activation, .text(sigma.rawValue))],
                             labels: labels) {
                [(S.hIn, input), (S.W, layer.W.value), (S.b, try layer.b?.value ?? Tensor.zeros([layer.outputSize])),
                 (S.pre, pre), (S.hOut, out)]
            }
            h = out
        }
        return h
    }
}
