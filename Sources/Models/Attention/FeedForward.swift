import Tensor
import Trace

/// Part 2 of a transformer block: after the meeting, each person thinks alone. The same
/// small MLP runs on every row separately — no messages between words here:
///
///     h_m ← h_m + MLP(h_m),   MLP(x) = W₂ σ(W₁x + b₁) + b₂
///
/// with σ = gelu by default and a hidden width of 4d (as in the original transformer
/// and GPT-2). Parameters `W1` (hidden, d), `b1` (hidden), `W2` (d, hidden), `b2` (d);
/// made with `bias: false`, no b₁, b₂ (nanoGPT's bias=False).
///
/// Input h is (T, d) or (B, T, d). Emits a `feedforward` event per sequence with tensors
/// `h_before` (T, d), `hidden` (= σ(W₁x + b₁), (T, hidden)), `delta` (= MLP(x), (T, d))
/// and `h_after` (= h_before + delta); inside a pre-LN block also `x` = LN(h), the input
/// the MLP actually reads. Index `layer` and `sequence` (batched input only).
public final class FeedForward: Model {
    public let dim: Int, hiddenSize: Int
    public let activation: Activation
    /// The layer number shown in events (a transformer sets it for each block).
    public var layer = 1
    public let first: Linear, second: Linear

    public init(dim: Int, hidden: Int? = nil, activation: Activation = .gelu, bias: Bool = true,
                using rng: inout SplitMix64) throws {
        let width = hidden ?? 4 * dim
        guard dim > 0, width > 0 else {
            throw TensorError("FeedForward: sizes must be positive, got d = \(dim), hidden = \(width)")
        }
        self.dim = dim
        hiddenSize = width
        self.activation = activation
        first = try Linear(dim, width, bias: bias, gain: activation == .relu ? Float(2).squareRoot() : 1, names: ("W1", "b1"), using: &rng)
        second = try Linear(width, dim, bias: bias, names: ("W2", "b2"), using: &rng)
    }

    public convenience init(dim: Int, hidden: Int? = nil, activation: Activation = .gelu, bias: Bool = true, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(dim: dim, hidden: hidden, activation: activation, bias: bias, using: &rng)
    }

    public var summary: String { "FeedForward \(dim)→\(hiddenSize)→\(dim) (\(activation.rawValue))" }
    public var ownParameters: [Parameter] { first.ownParameters + second.ownParameters }

    public var formula: String { formula(reading: "h_m") }

    /// The formula with what the MLP reads: h_m, or LN(h_m) in a pre-LN block.
    func formula(reading input: String) -> String {
        let sigma = activation == .identity ? "(W₁x + b₁)" : "\(activation.symbol)(W₁x + b₁)"
        return "h_m ← h_m + MLP(\(input)), MLP(x) = W₂ \(sigma) + b₂"
    }

    /// h (T, d) or (B, T, d) → h + MLP(h), same shape.
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        try h + messages(from: h, labels: labels)
    }

    /// MLP(x) (B, T, d) with the patches of each sequence's step applied.
    func patchedMessages(_ delta: Tensor, isBatched: Bool) throws -> Tensor {
        guard Patching.any(for: .feedforward) else { return delta }
        typealias S = FeedForwardStep
        let blocks = try delta.reshaped([delta.shape[0], 1] + Array(delta.shape.dropFirst()))  // (B, 1, T, d)
        let patched = Patching.point(S.delta, blocksOf: blocks) { b, _ in
            [(S.layer, .int(layer))] + (isBatched ? [(S.sequence, .int(b + 1))] : [])
        }
        return try patched.reshaped(delta.shape)
    }

    /// MLP(x) alone (same shape as x). Events show `residual` (default: x) as the stream
    /// the result is added to — a pre-LN block passes x = LN(h) and residual = h.
    public func messages(from x: Tensor, residual: Tensor? = nil, labels: [String]? = nil) throws -> Tensor {
        let (xb, isBatched) = try AttentionKernel.batched(x, width: dim, model: summary)
        try AttentionKernel.checkLabels(labels, tokens: xb.shape[1], model: summary)
        if let residual, residual.shape != x.shape {
            throw TensorError("\(summary): the residual stream has shape \(formatShape(residual.shape)) but the input has \(formatShape(x.shape)); they must match")
        }
        let hidden = activation.apply(try first(xb))  // (B, T, hidden)
        // A patch of MLP(h) changes what is added (before the caller adds it to the stream).
        let delta = try patchedMessages(try second(hidden), isBatched: isBatched)  // (B, T, d)
        if Tracing.isActive {
            try Tensor.withoutGrad {
                let stream = try residual.map { try AttentionKernel.batched($0, width: dim, model: summary).0 } ?? xb
                for b in 0..<xb.shape[0] {
                    typealias S = FeedForwardStep
                    var index: [(IndexKey<S>, IndexValue)] = [(S.layer, .int(layer))]
                    if isBatched { index.append((S.sequence, .int(b + 1))) }
                    let before = try stream.select(axis: 0, index: b), change = try delta.select(axis: 0, index: b)
                    let after = try before + change
                    // In a pre-LN block the MLP reads LN(h): the formula says so.
                    try Tracing.emit(S.self, formula(reading: residual == nil ? "h_m" : "LN(h_m)"), index: index, labels: labels) {
                        var tensors: [(TensorKey<S>, Tensor)] = [(S.hBefore, before)]
                        if residual != nil { tensors.append((S.x, try xb.select(axis: 0, index: b))) }
                        return tensors + [(S.hidden, try hidden.select(axis: 0, index: b)), (S.delta, change), (S.hAfter, after)]
                    }
                }
            }
        }
        return try AttentionKernel.unbatched(delta, isBatched: isBatched)
    }
}
