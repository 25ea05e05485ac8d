import Tensor
import Trace

/// word2vec (Mikolov et al. 2013): word vectors learned by predicting a word's
/// neighbours, so words that share contexts end up with similar vectors.
///
/// - **Skip-gram** maximises Σ_t Σ_{−c≤j≤c, j≠0} log p(w_{t+j} | w_t) with
///   p(w_O | w_I) = softmax over the vocabulary of v′_{w_O}ᵀ v_{w_I}.
/// - **CBOW** predicts w_t from h = the mean of its context vectors v_{w_{t+j}}.
/// - **Negative sampling** replaces the softmax over all C words by
///   log σ(v′_{w_O}ᵀ h) + Σ_{i=1..k} log σ(−v′_{w_i}ᵀ h), with k noise words drawn from
///   P_n(w) ∝ count(w)^¾ (`NoiseSampler`); a draw equal to w_O is skipped.
///
/// Words outside the vocabulary are dropped from the training sentences, as in the
/// reference implementation; so `<unk>`, if the vocabulary has it, is never trained and
/// never drawn as a negative.
///
/// Parameters: `W_in` (d, C) — column w is the input vector v_w, i.e. this is the
/// lecture's W_encode (`embedding` is a `WordEmbedding` view on it) — and `W_out` (C, d) —
/// row w is the output vector v′_w, so softmax(W_out h) is the decoder's p(w | h)
/// (`decoder` is a `WordDecoder` view on it). As in the reference implementation W_in
/// starts uniform on (−0.5/d, 0.5/d) and W_out at zero.
///
/// Training (`train`) is plain SGD in corpus order, with a learning rate falling linearly
/// from η₀ to η₀·10⁻⁴ over all positions of all epochs of the call; the window is the full
/// c on each side within the sentence. After each epoch it emits one `train` event
/// (tensors `loss` — the mean loss per update over the epoch — and `learning_rate`, both
/// scalars; index `epoch` and `step` = epochs and SGD updates so far, counted over every
/// `train` call, and `architecture`) and calls `progress` (whose `epoch` counts within
/// the call), which may stop training by returning false or throwing.
public final class Word2Vec: Model {
    public enum Architecture: String, Sendable, CaseIterable {
        case skipGram = "skip-gram"
        case cbow = "CBOW"
    }

    /// What `train` reports after each epoch.
    public struct Progress: Sendable {
        public let epoch: Int, epochs: Int
        /// SGD updates so far (over every `train` call).
        public let steps: Int
        /// Mean loss per update over the epoch.
        public let loss: Float
        /// The learning rate at the end of the epoch.
        public let learningRate: Float
    }

    public let vocabulary: Vocabulary
    public let architecture: Architecture
    /// d, c (on each side) and k.
    public let dimension: Int, window: Int, negatives: Int
    /// (d, C): column w is v_w — W_encode.
    public let W_in: Parameter
    /// (C, d): row w is v′_w.
    public let W_out: Parameter
    public let noise: NoiseSampler
    /// The encoder and decoder views, sharing W_in and W_out.
    public let embedding: WordEmbedding
    public let decoder: WordDecoder
    /// SGD updates and epochs done so far.
    public internal(set) var steps = 0
    public internal(set) var epochsTrained = 0
    /// The stream for negatives; it carries on from one `train` call to the next.
    var rng: SplitMix64

    public init(vocabulary: Vocabulary, dimension: Int = 16, window: Int = 2, negatives: Int = 5,
                architecture: Architecture = .skipGram, seed: UInt64) throws {
        guard dimension >= 1 else { throw TensorError("Word2Vec: the dimension d must be at least 1, got \(dimension)") }
        guard window >= 1 else { throw TensorError("Word2Vec: the window c must be at least 1 word on each side, got \(window)") }
        guard negatives >= 1 else { throw TensorError("Word2Vec: the number of negative samples k must be at least 1, got \(negatives)") }
        // Each pair draws k word ids into one array: k = 2³² would ask for 32 GB at the first step.
        try MemoryBudget.check(count: negatives, bytesPerValue: MemoryLayout<Int>.stride, op: "Word2Vec",
                               what: "the \(negatives) negative samples of one pair")
        guard vocabulary.count >= 2 else {
            throw TensorError("Word2Vec: the vocabulary is too small — it has \(vocabulary.count) word, and negative sampling needs at least 2")
        }
        // <unk> stands for the words training drops, so it is never drawn as a negative.
        var noiseCounts = vocabulary.counts
        if let unknown = vocabulary.unknownID { noiseCounts[unknown] = 0 }
        guard noiseCounts.contains(where: { $0 > 0 }) else {
            throw TensorError("Word2Vec: the vocabulary has no word counts, which the noise distribution P_n(w) ∝ count(w)^¾ needs — build it from a corpus")
        }
        self.vocabulary = vocabulary
        self.architecture = architecture
        self.dimension = dimension
        self.window = window
        self.negatives = negatives
        var rng = SplitMix64(seed: seed)
        let c = vocabulary.count, bound = 0.5 / Float(dimension)
        W_in = Parameter("W_in", try Tensor.randomUniform([dimension, c], low: -bound, high: bound, using: &rng))
        W_out = Parameter("W_out", try Tensor.zeros([c, dimension]))
        noise = try NoiseSampler(counts: noiseCounts)
        embedding = try WordEmbedding(vocabulary: vocabulary, sharing: W_in)
        decoder = try WordDecoder(vocabulary: vocabulary, sharing: W_out)
        self.rng = rng
    }

    public var summary: String {
        "Word2Vec \(architecture.rawValue) C=\(vocabulary.count), d=\(dimension), window \(window), k=\(negatives)"
    }

    public var ownParameters: [Parameter] { [W_in, W_out] }

    /// The formula of the objective, as the `train` events show it.
    public var lossFormula: String {
        switch architecture {
        case .skipGram: "L = −log σ(v′_{w_O}ᵀ v_{w_I}) − Σ_{i=1..k} log σ(−v′_{w_i}ᵀ v_{w_I})"
        case .cbow: "L = −log σ(v′_{w_t}ᵀ h) − Σ_{i=1..k} log σ(−v′_{w_i}ᵀ h),  h = mean of the context v"
        }
    }

    // MARK: The objective with autograd (for inspection and gradient checks)

    /// Skip-gram's loss for one (input, output, negatives) triple, as a scalar in the
    /// autograd graph of W_in and W_out: −log σ(v′_{w_O}ᵀ v_{w_I}) − Σ_i log σ(−v′_{w_i}ᵀ v_{w_I}).
    public func loss(input: Int, output: Int, negatives: [Int]) throws -> Tensor {
        try checkIDs([input, output] + negatives)
        let h = try W_in.value.take([input], axis: 1).reshaped([dimension])  // v_{w_I} (d,)
        return try negativeSamplingLoss(h, positive: output, negatives: negatives)
    }

    /// CBOW's loss for one window: h = mean of the context words' v, then the same terms.
    public func loss(context: [Int], target: Int, negatives: [Int]) throws -> Tensor {
        guard !context.isEmpty else { throw TensorError("\(summary): a CBOW window needs at least one context word") }
        try checkIDs(context + [target] + negatives)
        let h = try W_in.value.take(context, axis: 1).mean(axis: 1)  // (d, n) → (d,)
        return try negativeSamplingLoss(h, positive: target, negatives: negatives)
    }

    public func loss(input: String, output: String, negatives: [String]) throws -> Tensor {
        try loss(input: vocabulary.id(of: input), output: vocabulary.id(of: output), negatives: vocabulary.ids(of: negatives))
    }

    public func loss(context: [String], target: String, negatives: [String]) throws -> Tensor {
        try loss(context: vocabulary.ids(of: context), target: vocabulary.id(of: target), negatives: vocabulary.ids(of: negatives))
    }

    /// Σ softplus(∓ v′_uᵀ h) = −log σ(v′_{w_O}ᵀ h) − Σ_i log σ(−v′_{w_i}ᵀ h).
    private func negativeSamplingLoss(_ h: Tensor, positive: Int, negatives: [Int]) throws -> Tensor {
        let targets = try W_out.value.take([positive] + negatives, axis: 0)  // (k+1, d)
        let scores = try targets.matmul(h)  // (k+1,)
        let signs = Tensor([-1] + [Float](repeating: 1, count: negatives.count))
        return try (scores * signs).softplus().sum()
    }

    // MARK: Single SGD steps (what `train` does, one update at a time)

    /// One skip-gram SGD step on one triple with learning rate η; returns the loss before
    /// the step. With distinct words it moves W_in and W_out by exactly −η∇L of `loss`.
    @discardableResult
    public func step(input: Int, output: Int, negatives: [Int], learningRate: Float) throws -> Float {
        try checkIDs([input, output] + negatives)
        var tables = NegativeSamplingTables(W_in: W_in.value, W_out: W_out.value)
        let loss = tables.skipGram(input: input, output: output, negatives: negatives, learningRate: learningRate)
        try store(tables)
        steps += 1
        return Float(loss)
    }

    /// One CBOW SGD step on one window; returns the loss before the step.
    @discardableResult
    public func step(context: [Int], target: Int, negatives: [Int], learningRate: Float) throws -> Float {
        guard !context.isEmpty else { throw TensorError("\(summary): a CBOW window needs at least one context word") }
        try checkIDs(context + [target] + negatives)
        var tables = NegativeSamplingTables(W_in: W_in.value, W_out: W_out.value)
        let loss = tables.cbow(context: context, target: target, negatives: negatives, learningRate: learningRate)
        try store(tables)
        steps += 1
        return Float(loss)
    }

    func store(_ tables: NegativeSamplingTables) throws {
        try W_in.assign(tables.inputMatrix())
        try W_out.assign(tables.outputMatrix())
    }

    private func checkIDs(_ ids: [Int]) throws {
        for id in ids where id < 0 || id >= vocabulary.count {
            throw TensorError("\(summary): word id \(id) is out of range for a vocabulary of \(vocabulary.count) words")
        }
    }

    // MARK: Reading the result

    /// The k words nearest to `word` by cosine similarity of their input vectors.
    public func nearest(to word: String, k: Int) throws -> [(word: String, similarity: Float)] {
        try embedding.nearest(to: word, k: k)
    }

    public func cosine(_ a: String, _ b: String) throws -> Float {
        try embedding.cosine(a, b)
    }
}
