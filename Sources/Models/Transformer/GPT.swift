import Tensor
import Trace

/// A GPT (Radford et al. 2018; GPT-2 2019): generative pre-training. Read text left to
/// right and predict each next token from the ones before it — maximise
/// Σ_t log p(x_t | x_<t) — which needs no labels beyond the text itself.
///
///     h_m = W_encode·e_{x_m} + P_m                       token vector + learned position
///     N × pre-LN TransformerBlock with a causal mask     word m hears only words ≤ m
///     p(x_{m+1} | x_≤m) = softmax(W_dec LN(h_m))         decode to V logits
///
/// Parameters: `W_encode` (V, d) — row w is token w's vector (the lecture's column w of
/// W_encode, stored as rows so the lookup is a row gather); `position.P` (blockSize, d);
/// `blocks.i.…` for each block; `ln_f.gamma`, `ln_f.beta`; and `W_decode` (V, d) only
/// when weights are untied. By default the decoder is tied to the encoder,
/// W_dec = W_encodeᵀ (Press & Wolf 2017, as in GPT-2): a word is decoded by how well the
/// final vector matches that word's own embedding. Token and position tables start at
/// N(0, 0.02²), so an untrained model's loss is close to ln V.
///
/// `activation` and `biases` exist so that a GPT trained elsewhere can be rebuilt exactly:
/// nanoGPT uses the exact GELU (`gelu_erf`) and biases everywhere or nowhere
/// (`load(model, file)` maps its state_dict names; see PyTorchLayouts.swift).
///
/// A traced forward pass of one sequence emits `embed` (tensors `one_hot`, `h`),
/// `position`, each block's `attention` (one per head, `causal`) and `feedforward`
/// events, then `decode` (tensors `h`, `logits`, `p`); `loss` adds a `loss` event.
/// Generation is in its own extension (GPTGeneration.swift).
public final class GPT: Model {
    public let vocabularySize: Int, dim: Int, heads: Int
    /// The longest context the model reads (the number of learned positions).
    public let blockSize: Int
    public let tiedWeights: Bool
    public let activation: Activation
    public let biases: TransformerBlock.Biases
    /// Turns text into ids and names tokens in events (set when built from a corpus).
    public var tokenizer: CharTokenizer?
    /// The encoded training text that `train(steps:…)` samples from.
    public var corpus: [Int]
    public let W_encode: Parameter
    public let W_decode: Parameter?
    public let position: PositionEmbedding
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNorm

    public init(vocabularySize: Int, dim: Int, layers: Int, heads: Int, blockSize: Int, hidden: Int? = nil,
                tiedWeights: Bool = true, activation: Activation = .gelu, biases: TransformerBlock.Biases = .lecture,
                seed: UInt64) throws {
        try TransformerTraining.checkSizes(model: "GPT", vocabularySize: vocabularySize, dim: dim, layers: layers,
                                           heads: heads, blockSize: blockSize)
        self.vocabularySize = vocabularySize
        self.dim = dim
        self.heads = heads
        self.blockSize = blockSize
        self.tiedWeights = tiedWeights
        self.activation = activation
        self.biases = biases
        tokenizer = nil
        corpus = []
        var rng = SplitMix64(seed: seed)
        W_encode = Parameter("W_encode", try Tensor.randomNormal([vocabularySize, dim], std: 0.02, using: &rng))
        position = try PositionEmbedding(learned: dim, maxLength: blockSize, using: &rng)
        blocks = try (1...layers).map {
            try TransformerBlock(dim: dim, heads: heads, hidden: hidden, causal: true, norm: .pre, activation: activation,
                                 biases: biases, layer: $0, using: &rng)
        }
        finalNorm = try LayerNorm(dim: dim, bias: biases != .none)
        W_decode = tiedWeights ? nil : Parameter("W_decode", try Tensor.randomNormal([vocabularySize, dim], std: 0.02, using: &rng))
    }

    /// A character-level GPT for `corpus`: its vocabulary is the corpus's characters, and
    /// the corpus is kept for `train(steps:…)`.
    public convenience init(corpus text: String, dim: Int = 32, layers: Int = 2, heads: Int = 2, blockSize: Int = 32,
                            hidden: Int? = nil, tiedWeights: Bool = true, activation: Activation = .gelu,
                            biases: TransformerBlock.Biases = .lecture, seed: UInt64) throws {
        let tokenizer = try CharTokenizer(text: text)
        try self.init(vocabularySize: tokenizer.size, dim: dim, layers: layers, heads: heads, blockSize: blockSize,
                      hidden: hidden, tiedWeights: tiedWeights, activation: activation, biases: biases, seed: seed)
        self.tokenizer = tokenizer
        corpus = try tokenizer.encode(text)
    }

    public var summary: String {
        "GPT V=\(vocabularySize), d=\(dim), \(blocks.count) layer\(blocks.count == 1 ? "" : "s"), \(heads) head\(heads == 1 ? "" : "s"), block \(blockSize)"
            + (tiedWeights ? "" : ", untied") + (activation == .gelu ? "" : ", \(activation.rawValue)")
            + (biases == .lecture ? "" : ", biases: \(biases.rawValue)")
    }

    public var ownParameters: [Parameter] { [W_encode] + (W_decode.map { [$0] } ?? []) }

    public var parts: [(name: String, model: any Model)] {
        [("position", position)] + blocks.enumerated().map { ("blocks.\($0.offset)", $0.element) } + [("ln_f", finalNorm)]
    }

    /// Labels for token rows: the tokenizer's characters, else the ids.
    func labels(_ ids: [Int]) -> [String] {
        tokenizer?.labels(ids) ?? ids.map(String.init)
    }

    /// Next-token logits for one sequence of ids (T ≤ blockSize): (T, V), row m scoring
    /// x_{m+1} given x_≤m. Emits the events of the forward pass when traced.
    public func logits(_ ids: [Int]) throws -> Tensor {
        try forward([ids], single: true)
    }

    /// Logits for a batch of equally long sequences: (B, T, V).
    public func logits(batch: [[Int]]) throws -> Tensor {
        try forward(batch, single: false)
    }

    func forward(_ batch: [[Int]], single: Bool) throws -> Tensor {
        try TransformerTraining.checkTokens(batch, vocabulary: vocabularySize, maxLength: blockSize, model: summary)
        let labels = single ? labels(batch[0]) : nil
        var h = try TransformerTraining.embed(batch, table: W_encode.value, single: single, labels: labels)
        h = try position(h, labels: labels)
        for block in blocks { h = try block(h, labels: labels) }
        h = try finalNorm(h)
        let logits = try h.matmul(transposed: (W_decode ?? W_encode).value)  // (…, T, V)
        if single {
            try TransformerTraining.emitDecode(h: h, logits: logits, tied: tiedWeights, labels: labels,
                                               vocabulary: self.labels(Array(0..<vocabularySize)))
        }
        return logits
    }

    /// The next-token loss of one sequence x_1 … x_n (2 ≤ n ≤ blockSize + 1): the model
    /// reads x_1 … x_{n−1} and is scored on x_2 … x_n. Returns the mean of
    /// −log p(x_t | x_<t) (the training objective); a traced call also emits a `loss` event
    /// whose `total` is the sum.
    public func loss(_ ids: [Int]) throws -> Tensor {
        guard ids.count >= 2 else {
            throw TensorError("\(summary): the loss needs at least 2 tokens (one to read, one to predict), got \(ids.count)")
        }
        let inputs = Array(ids.dropLast()), targets = Array(ids.dropFirst())
        let result = try SequenceLoss.negativeLogLikelihood(logits: logits(inputs), targets: targets, labels: labels(targets),
                                                            formula: Self.lossFormula)
        return try result.mean
    }

    /// The lecture's GPT objective: a text scores itself, each token given the ones before
    /// it (a sequence loss with y_t = x_t and no separate x).
    static let lossFormula = "−log p(x) = −Σ_t log p(x_t | x_<t)"

    /// The mean next-token loss over a whole text (no gradients, no events): the text is
    /// cut into windows of blockSize + 1 tokens overlapping by one, so every token after
    /// the first is predicted exactly once.
    public func meanLoss(on ids: [Int]) throws -> Float {
        guard ids.count >= 2 else {
            throw TensorError("\(summary): the loss needs at least 2 tokens, got \(ids.count)")
        }
        return try Tracing.suspended {
            try Tensor.withoutGrad {
                var windows: [[Int]] = [], tail: [Int]? = nil
                for start in stride(from: 0, to: ids.count - 1, by: blockSize) {
                    let window = Array(ids[start..<min(start + blockSize + 1, ids.count)])
                    if window.count == blockSize + 1 { windows.append(window) } else { tail = window }
                }
                var total = 0.0, count = 0
                for group in [windows, tail.map { [$0] } ?? []] where !group.isEmpty {
                    let logits = try self.logits(batch: group.map { Array($0.dropLast()) })
                    let rows = group.count * (group[0].count - 1)
                    let loss = try logits.reshaped([rows, vocabularySize]).crossEntropy(targets: group.flatMap { $0.dropFirst() })
                    total += Double(try loss.item()) * Double(rows)
                    count += rows
                }
                return Float(total / Double(count))
            }
        }
    }

    /// Trains on random windows of `ids` with AdamW: each step draws `batchSize` windows
    /// of blockSize + 1 tokens (from a generator seeded with `seed`) and minimises the
    /// mean of −log p(x_t | x_<t) over all their positions. Gradients are clipped to
    /// norm 1. Emits one `train` event per step (per-layer events are suspended);
    /// `progress` returning false stops early. Returns the loss of every step.
    @discardableResult
    public func train(on ids: [Int], steps: Int, batchSize: Int = 16, blockSize: Int? = nil, learningRate: Float = 3e-3,
                      weightDecay: Float = 0.01, seed: UInt64,
                      progress: ((TransformerTrainingStep) throws -> Bool)? = nil) throws -> [Float] {
        let T = blockSize ?? self.blockSize
        try TransformerTraining.checkSettings(model: summary, steps: steps, batchSize: batchSize, learningRate: learningRate,
                                                window: T, vocabulary: vocabularySize)
        guard T > 0, T <= self.blockSize else {
            throw TensorError("\(summary) train: blockSize must be between 1 and \(self.blockSize), got \(T)")
        }
        guard ids.count >= T + 1 else {
            throw TensorError("\(summary) train: the text has \(ids.count) token\(ids.count == 1 ? "" : "s"); windows of blockSize + 1 = \(T + 1) need at least that many")
        }
        if let bad = ids.first(where: { !(0..<vocabularySize).contains($0) }) {
            throw TensorError("\(summary) train: token id \(bad) is out of range; ids go from 0 to \(vocabularySize - 1)")
        }
        return try TransformerTraining.run(self, steps: steps, learningRate: learningRate, weightDecay: weightDecay,
                                           seed: seed, progress: progress) { rng in
            var inputs: [[Int]] = [], targets: [Int] = []
            for _ in 0..<batchSize {
                let start = TransformerTraining.windowStart(count: ids.count, length: T + 1, using: &rng)
                inputs.append(Array(ids[start..<(start + T)]))
                targets += ids[(start + 1)...(start + T)]
            }
            return try logits(batch: inputs).reshaped([batchSize * T, vocabularySize]).crossEntropy(targets: targets)
        }
    }

    /// `train(on:)` over the model's own `corpus`.
    @discardableResult
    public func train(steps: Int, batchSize: Int = 16, blockSize: Int? = nil, learningRate: Float = 3e-3,
                      weightDecay: Float = 0.01, seed: UInt64,
                      progress: ((TransformerTrainingStep) throws -> Bool)? = nil) throws -> [Float] {
        guard !corpus.isEmpty else {
            throw TensorError("\(summary) train: no corpus; build the model with GPT(corpus:…) or pass ids with train(on:…)")
        }
        return try train(on: corpus, steps: steps, batchSize: batchSize, blockSize: blockSize, learningRate: learningRate,
                         weightDecay: weightDecay, seed: seed, progress: progress)
    }
}
