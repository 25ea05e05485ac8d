import Tensor
import Trace

/// Multi-head self-attention: the party splits into `heads` conversations held at once.
/// Each head has its own W_q, W_k, W_v of width d_head = d/heads, its own weights
///
///     A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d_head),   Δ_m = Σ_t A_{m→t} v_t,
///
/// and the heads' Δ_m are concatenated (d values) before one output projection W:
/// h_m ← h_m + W·[Δ_m⁽¹⁾; …; Δ_m⁽ᴴ⁾].
///
/// Parameters: `Wq`, `Wk`, `Wv` of shape (heads, d_head, d) — `Wq[j]` is head j+1's
/// W_q, so a student can read or set one head's weights — and `W` (d, d), whose columns
/// j·d_head..<(j+1)·d_head read head j+1's Δ. No biases (as in the lecture) unless
/// made with `bias`: then `bq`, `bk`, `bv` (heads, d_head) and `b` (d), starting at 0, give
/// q = W_q h + b_q, … and h_m ← h_m + W·Δ_m + b — PyTorch's nn.MultiheadAttention and
/// GPT-2 have them, so a checkpoint of either loads exactly.
///
/// Input h is (T, d) or a batch (B, T, d). Emits one `attention` event per head (and per
/// sequence of a batch) with tensors `q`, `k`, `v`, `delta` (T, d_head), `A` (T, T),
/// `update` (= Δ_head · W[:, head slice]ᵀ, (T, d): this head's share of W·Δ), `h_before`
/// and `h_after` (= h_before + update). The heads' shares are added in turn, so head 1's
/// `h_after` is head 2's `h_before` and the last head's `h_after` is the output (the
/// output bias b, if any, is in head 1's share). Inside a
/// pre-LN block the events also carry `x` = LN(h), what q, k, v were computed from,
/// while `h_before`/`h_after` stay the residual stream. Index: `layer`, `head` (1-based),
/// `sequence` (batched input only), `causal` (when masked).
public final class MultiHeadAttention: Model {
    public let dim: Int, heads: Int, headDim: Int
    public var causal: Bool
    /// The layer number shown in events (a transformer sets it for each block).
    public var layer = 1
    public let Wq: Parameter, Wk: Parameter, Wv: Parameter, W: Parameter
    /// The biases of q, k, v (heads, d_head) and of the output (d); nil without `bias`.
    public let bq: Parameter?, bk: Parameter?, bv: Parameter?, b: Parameter?
    /// The attention weights of the last call: (heads, T, T), or (B, heads, T, T).
    public private(set) var lastWeights: Tensor?
    /// The names of the rows (and columns) of `lastWeights`: the labels of the last call,
    /// or what a caller that called without them (a batch, generation) set afterwards.
    public var lastLabels: [String]?

    public init(dim: Int, heads: Int, causal: Bool = false, bias: Bool = false, using rng: inout SplitMix64) throws {
        guard dim > 0, heads > 0 else {
            throw TensorError("MultiHeadAttention: d and heads must be positive, got d = \(dim), heads = \(heads)")
        }
        guard dim % heads == 0 else {
            throw TensorError("MultiHeadAttention: d = \(dim) is not divisible by heads = \(heads); each head needs width d/heads")
        }
        self.dim = dim
        self.heads = heads
        headDim = dim / heads
        self.causal = causal
        Wq = Parameter("Wq", try Initializer.normal([heads, headDim, dim], fanIn: dim, using: &rng))
        Wk = Parameter("Wk", try Initializer.normal([heads, headDim, dim], fanIn: dim, using: &rng))
        Wv = Parameter("Wv", try Initializer.normal([heads, headDim, dim], fanIn: dim, using: &rng))
        W = Parameter("W", try Initializer.normal([dim, dim], fanIn: dim, using: &rng))
        func zeros(_ name: String, _ shape: [Int]) throws -> Parameter? { bias ? Parameter(name, try Tensor.zeros(shape)) : nil }
        (bq, bk, bv) = (try zeros("bq", [heads, headDim]), try zeros("bk", [heads, headDim]), try zeros("bv", [heads, headDim]))
        b = try zeros("b", [dim])
    }

    public convenience init(dim: Int, heads: Int, causal: Bool = false, bias: Bool = false, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(dim: dim, heads: heads, causal: causal, bias: bias, using: &rng)
    }

    public var hasBias: Bool { b != nil }

    public var summary: String {
        "MultiHeadAttention d=\(dim), \(heads) head\(heads == 1 ? "" : "s")" + (causal ? ", causal" : "") + (hasBias ? ", biases" : "")
    }

    public var ownParameters: [Parameter] { [Wq, Wk, Wv, W] + [bq, bk, bv, b].compactMap { $0 } }

    var projections: AttentionKernel.Projections {
        .init(Wq: Wq.value, Wk: Wk.value, Wv: Wv.value, W: W.value, bq: bq?.value, bk: bk?.value, bv: bv?.value, b: b?.value)
    }

    /// h (T, d) or (B, T, d) → h + W·Δ, same shape.
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        try h + messages(from: h, labels: labels)
    }

    /// The update W·Δ alone (same shape as x), with q, k, v computed from `x`. Events
    /// show `residual` (default: x itself) as the stream the update is added to — a pre-LN
    /// block passes x = LN(h) and residual = h.
    public func messages(from x: Tensor, residual: Tensor? = nil, labels: [String]? = nil) throws -> Tensor {
        let (xb, isBatched) = try AttentionKernel.batched(x, width: dim, model: summary)
        try AttentionKernel.checkLabels(labels, tokens: xb.shape[1], model: summary)
        var stream = xb
        if let residual {
            guard residual.shape == x.shape else {
                throw TensorError("\(summary): the residual stream has shape \(formatShape(residual.shape)) but the input has \(formatShape(x.shape)); they must match")
            }
            stream = try AttentionKernel.batched(residual, width: dim, model: summary).0
        }
        let weights = projections
        let pass = try AttentionKernel.run(xb, weights, causal: causal, layer: layer, isBatched: isBatched)
        lastLabels = labels
        lastWeights = try AttentionKernel.unbatched(pass.A.detached(), isBatched: isBatched)
        try AttentionKernel.emit(pass, residual: stream, input: residual == nil ? nil : xb, weights, layer: layer,
                                 causal: causal, isBatched: isBatched, labels: labels)
        return try AttentionKernel.unbatched(pass.update, isBatched: isBatched)
    }
}

extension MultiHeadAttention: CarriesState {
    public func copyOwnState(to other: any Model) {
        guard let other = other as? MultiHeadAttention else { return }
        other.lastWeights = lastWeights
        other.lastLabels = lastLabels
    }
}
