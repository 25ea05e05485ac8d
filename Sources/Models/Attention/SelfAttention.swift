import Tensor
import Trace

/// Self-attention with one head — the lecture's party. Every word is a person holding a
/// vector h_m; each asks a question q_m = W_q h_m ("what do you want to know?"), offers
/// an answer k_m = W_k h_m ("can you answer?") and carries a context v_m = W_v h_m
/// ("what is your context?"). Person m listens to person t with weight
///
///     A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d),  d = dim(q) = dim(k),
///
/// gathers Δ_m = Σ_t A_{m→t} v_t, and updates its own vector: h_m ← h_m + W·Δ_m. The
/// layer returns that updated h (the residual is part of the lecture's update).
///
/// Rows are tokens: h is (T, d), or a batch (B, T, d) for training. Parameters: `Wq`,
/// `Wk` (d_k, d), `Wv` (d_v, d) and the output projection `W` (d, d_v); d_k = d_v = d
/// unless chosen. There are no biases — the lecture's q = W_q h has none — unless made
/// with `bias`: then `bq`, `bk` (d_k), `bv` (d_v) and `b` (d), starting at 0, give
/// q = W_q h + b_q, … and h_m ← h_m + W·Δ_m + b, as PyTorch's nn.MultiheadAttention.
///
/// With `causal` a word hears only itself and the words before it: A_{m→t} = 0 for t > m.
///
/// Emits one `attention` event (head 1) per sequence with tensors `q`, `k` (T, d_k),
/// `v` (T, d_v), `A` (T, T), `delta` (= A v, (T, d_v)), `update` (= Δ Wᵀ, (T, d)),
/// `h_before` and `h_after` (= h_before + update); index `layer` (default 1), `head`,
/// `sequence` (1-based, batched input only) and `causal` (when masked).
public final class SelfAttention: Model {
    public let dim: Int, keyDim: Int, valueDim: Int
    public var causal: Bool
    /// The layer number shown in events (set by whoever stacks layers).
    public var layer = 1
    public let Wq: Parameter, Wk: Parameter, Wv: Parameter, W: Parameter
    /// The biases of q, k, v and of the output; nil without `bias`.
    public let bq: Parameter?, bk: Parameter?, bv: Parameter?, b: Parameter?
    /// The attention weights A of the last call, (T, T) — or (B, T, T) for a batch; each
    /// row sums to 1.
    public private(set) var lastWeights: Tensor?
    /// The names of the rows (and columns) of `lastWeights`: the labels of the last call,
    /// or what a caller that called without them (a batch, generation) set afterwards.
    public var lastLabels: [String]?

    public init(dim: Int, keyDim: Int? = nil, valueDim: Int? = nil, causal: Bool = false, bias: Bool = false,
                using rng: inout SplitMix64) throws {
        let (dk, dv) = (keyDim ?? dim, valueDim ?? dim)
        guard dim > 0, dk > 0, dv > 0 else {
            throw TensorError("SelfAttention: sizes must be positive, got d = \(dim), d_k = \(dk), d_v = \(dv)")
        }
        self.dim = dim
        self.keyDim = dk
        self.valueDim = dv
        self.causal = causal
        Wq = Parameter("Wq", try Initializer.normal([dk, dim], fanIn: dim, using: &rng))
        Wk = Parameter("Wk", try Initializer.normal([dk, dim], fanIn: dim, using: &rng))
        Wv = Parameter("Wv", try Initializer.normal([dv, dim], fanIn: dim, using: &rng))
        W = Parameter("W", try Initializer.normal([dim, dv], fanIn: dv, using: &rng))
        func zeros(_ name: String, _ size: Int) throws -> Parameter? { bias ? Parameter(name, try Tensor.zeros([size])) : nil }
        (bq, bk, bv, b) = (try zeros("bq", dk), try zeros("bk", dk), try zeros("bv", dv), try zeros("b", dim))
    }

    public convenience init(dim: Int, keyDim: Int? = nil, valueDim: Int? = nil, causal: Bool = false, bias: Bool = false,
                            seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(dim: dim, keyDim: keyDim, valueDim: valueDim, causal: causal, bias: bias, using: &rng)
    }

    public var hasBias: Bool { b != nil }
    public var summary: String { "SelfAttention d=\(dim), 1 head" + (causal ? ", causal" : "") + (hasBias ? ", biases" : "") }
    public var ownParameters: [Parameter] { [Wq, Wk, Wv, W] + [bq, bk, bv, b].compactMap { $0 } }

    /// The weights as one head of the shared kernel.
    var projections: AttentionKernel.Projections {
        get throws {
            try .init(Wq: Wq.value.reshaped([1, keyDim, dim]), Wk: Wk.value.reshaped([1, keyDim, dim]),
                      Wv: Wv.value.reshaped([1, valueDim, dim]), W: W.value,
                      bq: bq?.value.reshaped([1, keyDim]), bk: bk?.value.reshaped([1, keyDim]),
                      bv: bv?.value.reshaped([1, valueDim]), b: b?.value)
        }
    }

    /// h (T, d) or (B, T, d) → h + W·Δ, same shape.
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        let (x, isBatched) = try AttentionKernel.batched(h, width: dim, model: summary)
        return try AttentionKernel.unbatched(x + pass(x, isBatched: isBatched, labels: labels), isBatched: isBatched)
    }

    /// The update W·Δ alone (same shape as h): what nn.MultiheadAttention returns.
    public func messages(from h: Tensor, labels: [String]? = nil) throws -> Tensor {
        let (x, isBatched) = try AttentionKernel.batched(h, width: dim, model: summary)
        return try AttentionKernel.unbatched(pass(x, isBatched: isBatched, labels: labels), isBatched: isBatched)
    }

    /// x (B, T, d) → the update (B, T, d), keeping the weights and emitting the events.
    func pass(_ x: Tensor, isBatched: Bool, labels: [String]?) throws -> Tensor {
        try AttentionKernel.checkLabels(labels, tokens: x.shape[1], model: summary)
        let weights = try projections
        let pass = try AttentionKernel.run(x, weights, causal: causal, layer: layer, isBatched: isBatched)
        let A = try pass.A.reshaped([x.shape[0], x.shape[1], x.shape[1]]).detached()  // (B, T, T)
        lastLabels = labels
        lastWeights = try AttentionKernel.unbatched(A, isBatched: isBatched)
        try AttentionKernel.emit(pass, residual: x, input: nil, weights, layer: layer, causal: causal,
                                 isBatched: isBatched, labels: labels)
        return pass.update
    }
}

extension SelfAttention: CarriesState {
    public func copyOwnState(to other: any Model) {
        guard let other = other as? SelfAttention else { return }
        other.lastWeights = lastWeights
        other.lastLabels = lastLabels
    }
}
