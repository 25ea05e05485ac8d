import Tensor

/// One round of a transformer: part 1, the meeting (multi-head attention), then part 2,
/// each person thinks alone (feed-forward), each added to the residual stream h.
///
/// - `pre` layer norm (GPT-2, the default; trains stably without warm-up):
///       h ← h + Attn(LN₁(h));   h ← h + MLP(LN₂(h))
/// - `post` layer norm (the original transformer, Vaswani et al. 2017; BERT):
///       h ← LN₁(h + Attn(h));   h ← LN₂(h + MLP(h))
///
/// In the pre-LN form the events' `h_before`/`h_after` are the residual stream while
/// q, k, v (and the MLP's input) come from LN(h), shown as tensor `x`. In the post-LN form
/// `h_before` is the block's (normalised) input and `h_after` the sum before the norm.
///
/// Parts: `ln1`, `attention`, `ln2`, `feedforward` (so parameters are `attention.Wq`,
/// `ln1.gamma`, `feedforward.W1`, …). Input (T, d) or (B, T, d).
public final class TransformerBlock: Model {
    public enum Norm: String, Sendable {
        case pre, post
    }

    /// Which parts have biases. Weights trained elsewhere load only into the same choice.
    public enum Biases: String, CaseIterable, Sendable {
        /// The lecture's: none in attention (q = W_q h), b₁ and b₂ in the MLP, β in each norm.
        case lecture
        /// Everywhere, attention's projections too (GPT-2; nanoGPT's bias=True).
        case all
        /// Nowhere: no β, no MLP or attention biases (nanoGPT's bias=False).
        case none
    }

    public let dim: Int
    public let norm: Norm
    public let biases: Biases
    public let ln1: LayerNorm, attention: MultiHeadAttention, ln2: LayerNorm, feedforward: FeedForward

    /// The layer number shown in this block's events (1-based).
    public var layer: Int {
        get { attention.layer }
        set {
            attention.layer = newValue
            feedforward.layer = newValue
        }
    }

    public init(dim: Int, heads: Int, hidden: Int? = nil, causal: Bool = false, norm: Norm = .pre,
                activation: Activation = .gelu, biases: Biases = .lecture, layer: Int = 1,
                using rng: inout SplitMix64) throws {
        self.dim = dim
        self.norm = norm
        self.biases = biases
        attention = try MultiHeadAttention(dim: dim, heads: heads, causal: causal, bias: biases == .all, using: &rng)
        ln1 = try LayerNorm(dim: dim, bias: biases != .none)
        feedforward = try FeedForward(dim: dim, hidden: hidden, activation: activation, bias: biases != .none, using: &rng)
        ln2 = try LayerNorm(dim: dim, bias: biases != .none)
        self.layer = layer
    }

    public convenience init(dim: Int, heads: Int, hidden: Int? = nil, causal: Bool = false, norm: Norm = .pre,
                            activation: Activation = .gelu, biases: Biases = .lecture, layer: Int = 1, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(dim: dim, heads: heads, hidden: hidden, causal: causal, norm: norm, activation: activation,
                      biases: biases, layer: layer, using: &rng)
    }

    public var summary: String {
        "TransformerBlock d=\(dim), \(attention.heads) head\(attention.heads == 1 ? "" : "s"), \(norm.rawValue)-LN"
            + (attention.causal ? ", causal" : "")
    }

    public var ownParameters: [Parameter] { [] }

    public var parts: [(name: String, model: any Model)] {
        [("ln1", ln1), ("attention", attention), ("ln2", ln2), ("feedforward", feedforward)]
    }

    /// h (T, d) or (B, T, d) → same shape, after the meeting and the thinking.
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        switch norm {
        case .pre:
            let h1 = try h + attention.messages(from: ln1(h), residual: h, labels: labels)
            return try h1 + feedforward.messages(from: ln2(h1), residual: h1, labels: labels)
        case .post:
            let h1 = try ln1(h + attention.messages(from: h, labels: labels))
            return try ln2(h1 + feedforward.messages(from: h1, labels: labels))
        }
    }
}
