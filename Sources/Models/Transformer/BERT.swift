import Tensor
import Trace

/// A BERT (Devlin et al. 2019): an encoder that reads the whole text at once — every
/// word hears every other word, before and after it (no causal mask) — trained by
/// masked language modelling: hide some words and guess them from both sides.
///
///     h_m = W_encode·e_{x̃_m} + P_m              x̃ = the corrupted text (see MaskedTokens)
///     N × TransformerBlock, bidirectional
///     p(x_m | x̃) = softmax(W_dec h_m), W_dec = W_encodeᵀ over the real tokens
///     loss = mean over chosen m of −log p(x_m | x̃)   (cross entropy, other positions ignored)
///
/// The vocabulary is the V real tokens plus [MASK], id V (`maskToken`), so `W_encode` is
/// (V + 1, d); the decoder is tied to its first V rows (the model never predicts [MASK]).
/// Positions are learned (`position.P`). Blocks are pre-LN with a final `ln_f` by
/// default, which trains reliably at this tiny size; `norm: .post` gives the original
/// arrangement (post-LN blocks, with the layer norm `ln_embed` after the embeddings). The
/// original's extra MLM transform layer and output bias are left out.
///
/// A traced forward pass of one sequence emits `embed`, `position`, the blocks'
/// `attention` and `feedforward` events and `decode`; `loss` adds a `loss` event over
/// the chosen positions.
public final class BERT: Model {
    public let vocabularySize: Int, dim: Int, heads: Int, blockSize: Int
    public let norm: TransformerBlock.Norm
    /// The id of [MASK]: one past the real tokens.
    public var maskToken: Int { vocabularySize }
    public var tokenizer: CharTokenizer?
    public var corpus: [Int]
    public let W_encode: Parameter
    public let position: PositionEmbedding
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNorm

    public init(vocabularySize: Int, dim: Int, layers: Int, heads: Int, blockSize: Int, hidden: Int? = nil,
                norm: TransformerBlock.Norm = .pre, seed: UInt64) throws {
        try TransformerTraining.checkSizes(model: "BERT", vocabularySize: vocabularySize, dim: dim, layers: layers,
                                           heads: heads, blockSize: blockSize)
        self.vocabularySize = vocabularySize
        self.dim = dim
        self.heads = heads
        self.blockSize = blockSize
        self.norm = norm
        tokenizer = nil
        corpus = []
        var rng = SplitMix64(seed: seed)
        W_encode = Parameter("W_encode", try Tensor.randomNormal([vocabularySize + 1, dim], std: 0.02, using: &rng))
        position = try PositionEmbedding(learned: dim, maxLength: blockSize, using: &rng)
        blocks = try (1...layers).map {
            try TransformerBlock(dim: dim, heads: heads, hidden: hidden, causal: false, norm: norm, layer: $0, using: &rng)
        }
        finalNorm = try LayerNorm(dim: dim)
    }

    /// A character-level BERT for `corpus`, keeping the corpus for `train(steps:…)`.
    public convenience init(corpus text: String, dim: Int = 32, layers: Int = 2, heads: Int = 2, blockSize: Int = 32,
                            hidden: Int? = nil, norm: TransformerBlock.Norm = .pre, seed: UInt64) throws {
        let tokenizer = try CharTokenizer(text: text)
        try self.init(vocabularySize: tokenizer.size, dim: dim, layers: layers, heads: heads, blockSize: blockSize,
                      hidden: hidden, norm: norm, seed: seed)
        self.tokenizer = tokenizer
        corpus = try tokenizer.encode(text)
    }

    public var summary: String {
        "BERT V=\(vocabularySize)+[MASK], d=\(dim), \(blocks.count) layer\(blocks.count == 1 ? "" : "s"), \(heads) head\(heads == 1 ? "" : "s"), block \(blockSize)"
    }

    public var ownParameters: [Parameter] { [W_encode] }

    public var parts: [(name: String, model: any Model)] {
        let blockParts: [(name: String, model: any Model)] = blocks.enumerated().map { ("blocks.\($0.offset)", $0.element) }
        return norm == .pre
            ? [("position", position)] + blockParts + [("ln_f", finalNorm)]
            : [("position", position), ("ln_embed", finalNorm)] + blockParts
    }

    /// Row labels: characters (or ids), and "[MASK]".
    func labels(_ ids: [Int]) -> [String] {
        ids.map { $0 == maskToken ? "[MASK]" : tokenizer?.label($0) ?? String($0) }
    }

    /// Logits over the V real tokens at every position of one sequence (which may contain
    /// `maskToken`): (T, V). Emits the forward pass's events when traced.
    public func logits(_ ids: [Int]) throws -> Tensor {
        try forward([ids], single: true)
    }

    /// Logits for a batch of equally long sequences: (B, T, V).
    public func logits(batch: [[Int]]) throws -> Tensor {
        try forward(batch, single: false)
    }

    func forward(_ batch: [[Int]], single: Bool) throws -> Tensor {
        try TransformerTraining.checkTokens(batch, vocabulary: vocabularySize + 1, maxLength: blockSize, model: summary)
        let labels = single ? labels(batch[0]) : nil
        var h = try TransformerTraining.embed(batch, table: W_encode.value, single: single, labels: labels)
        h = try position(h, labels: labels)
        if norm == .post { h = try finalNorm(h) }
        for block in blocks { h = try block(h, labels: labels) }
        if norm == .pre { h = try finalNorm(h) }
        let decoder = try W_encode.value.slice(axis: 0, start: 0, end: vocabularySize)  // (V, d): [MASK] is never an answer
        let logits = try h.matmul(transposed: decoder)
        if single {
            try TransformerTraining.emitDecode(h: h, logits: logits, tied: true, labels: labels,
                                               vocabulary: self.labels(Array(0..<vocabularySize)))
        }
        return logits
    }

    /// Corrupts `ids` by the 15 % / 80-10-10 rule with this model's [MASK].
    public func mask(_ ids: [Int], using rng: inout SplitMix64) throws -> MaskedTokens {
        try MaskedTokens.corrupt(ids, vocabularySize: vocabularySize, maskToken: maskToken, using: &rng)
    }

    /// Cross entropy on the chosen positions only: logits (N, V) and targets with
    /// `MaskedTokens.ignored` at positions that do not count. The mean over chosen
    /// positions; 0 when none is chosen.
    public static func maskedLoss(logits: Tensor, targets: [Int]) throws -> Tensor {
        try logits.crossEntropy(targets: targets, ignoreIndex: MaskedTokens.ignored)
    }

    static let lossFormula = "−log p(x_masked | x̃) = −Σ_{m chosen} log p(x_m | x̃)"

    /// The masked-token loss of one corrupted sequence (mean over chosen positions). A
    /// traced call emits the forward pass and a `loss` event over the chosen positions
    /// (`total` is their sum).
    public func loss(_ masked: MaskedTokens) throws -> Tensor {
        let logits = try logits(masked.input)
        let chosen = masked.chosen
        guard !chosen.isEmpty else { return try Tensor.zeros([]) }
        let targets = chosen.map { masked.targets[$0] }
        let result = try SequenceLoss.negativeLogLikelihood(
            logits: logits.take(chosen), targets: targets, labels: labels(targets), formula: Self.lossFormula)
        return try result.mean
    }
}
