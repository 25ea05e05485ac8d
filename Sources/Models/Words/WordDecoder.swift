import Tensor
import Trace

/// Vector → word: the lecture's decoding step. Every word w scores the vector h with its
/// own row of W_dec (C, d), and a softmax turns the scores into probabilities:
///
///     p(w | h) = softmax(W_dec h)_w.
///
/// With **weight tying** (Press & Wolf 2017; Vaswani et al. 2017 §3.4) there is no W_dec
/// of its own: W_dec = W_encodeᵀ, so a word is decoded by the same vector that encodes
/// it, and a tied decoder lists no parameters (the embedding owns the weight, so an
/// optimiser given both models updates it once).
///
/// Each call emits a `decode` event with tensors `h` (T, d), `W_dec` (C, d) — only when
/// C·d ≤ `snapshotLimit` —, `logits` (T, C) = h W_decᵀ and `p` (T, C) = softmax of each
/// row; index `tied` (bool); labels as given (the positions' tokens); column labels the
/// vocabulary's words (the names of p's columns).
public final class WordDecoder: Model {
    public let vocabulary: Vocabulary
    /// The decoder's own (C, d) weight, or nil when tied.
    public let W_dec: Parameter?
    /// The (d, C) embedding weight this decoder is tied to, or nil.
    public let tiedTo: Parameter?
    public let dimension: Int
    /// Largest C·d for which `decode` events carry a copy of W_dec.
    public var snapshotLimit = 65_536

    /// An untied decoder with its own W_dec (C, d), N(0, 1/d) from the seed.
    public init(vocabulary: Vocabulary, dimension: Int, seed: UInt64) throws {
        guard dimension > 0 else {
            throw TensorError("Decoder: the dimension d must be positive, got \(dimension)")
        }
        var rng = SplitMix64(seed: seed)
        self.vocabulary = vocabulary
        self.dimension = dimension
        W_dec = Parameter("W_dec", try Initializer.normal([vocabulary.count, dimension], fanIn: dimension, using: &rng))
        tiedTo = nil
    }

    /// A tied decoder: W_dec = W_encodeᵀ of `embedding`, shared, not copied.
    public init(tiedTo embedding: WordEmbedding) {
        vocabulary = embedding.vocabulary
        dimension = embedding.dimension
        W_dec = nil
        tiedTo = embedding.W_encode
    }

    /// A decoder over an existing (C, d) parameter — word2vec's output vectors W_out.
    public init(vocabulary: Vocabulary, sharing parameter: Parameter) throws {
        guard parameter.shape.count == 2, parameter.shape[0] == vocabulary.count, parameter.shape[1] > 0 else {
            throw TensorError("Decoder: \(parameter.name) has shape \(formatShape(parameter.shape)), expected (\(vocabulary.count), d) — one row per word")
        }
        self.vocabulary = vocabulary
        dimension = parameter.shape[1]
        W_dec = parameter
        tiedTo = nil
    }

    public var isTied: Bool { tiedTo != nil }

    public var summary: String {
        "Decoder C=\(vocabulary.count), d=\(dimension)" + (isTied ? ", tied to W_encode" : "")
    }

    public var ownParameters: [Parameter] { W_dec.map { [$0] } ?? [] }

    /// The current decoding matrix (C, d), W_encodeᵀ when tied (part of the autograd graph).
    public func weight() throws -> Tensor {
        if let tiedTo { return try tiedTo.value.transposed() }
        guard let W_dec else { throw TensorError("\(summary): has neither its own weight nor a tied one") }
        return W_dec.value
    }

    /// Scores W_dec h for each row of h (T, d) or a single vector (d,): (T, C).
    public func logits(_ h: Tensor) throws -> Tensor {
        try rows(h).matmul(transposed: weight())
    }

    /// p(w | h) for each row of h: (T, C), rows summing to 1.
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        let hRows = try rows(h)
        if let labels, labels.count != hRows.shape[0] {
            throw TensorError("\(summary): \(labels.count) labels for \(hRows.shape[0]) vectors")
        }
        let W = try weight()
        let scores = try hRows.matmul(transposed: W)  // (T, d) @ (d, C)
        let p = try scores.softmax(axis: 1)
        let includeMatrix = vocabulary.count * dimension <= snapshotLimit
        let formula = isTied ? "p(w | h) = softmax(W_encodeᵀ h)_w" : "p(w | h) = softmax(W_dec h)_w"
        typealias S = DecodeStep
        Tracing.emit(S.self, formula, index: [(S.tied, .bool(isTied))], labels: labels, columnLabels: vocabulary.words) {
            [(S.h, hRows)] + (includeMatrix ? [(S.W, W)] : []) + [(S.logits, scores), (S.p, p)]
        }
        return p
    }

    /// The k most probable words for each row of h, most probable first (ties by id).
    public func topWords(_ h: Tensor, k: Int, labels: [String]? = nil) throws -> [[(word: String, probability: Float)]] {
        guard k >= 1, k <= vocabulary.count else {
            throw TensorError("\(summary): k = \(k) top words asked for, expected 1…\(vocabulary.count)")
        }
        let p = try self(h, labels: labels)
        let c = vocabulary.count
        return (0..<p.shape[0]).map { row in
            let probabilities = p.scalars[(row * c)..<((row + 1) * c)]
            let order = probabilities.indices.sorted {
                probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1
            }
            return order.prefix(k).map { (vocabulary.words[$0 - row * c], probabilities[$0]) }
        }
    }

    /// Vector → word: the most probable word for each row of h.
    public func words(for h: Tensor, labels: [String]? = nil) throws -> [String] {
        try topWords(h, k: 1, labels: labels).map { $0[0].word }
    }

    /// h as rows (T, d): a single vector (d,) becomes one row.
    private func rows(_ h: Tensor) throws -> Tensor {
        if h.rank == 1, h.shape[0] == dimension { return try h.reshaped([1, dimension]) }
        guard h.rank == 2, h.shape[1] == dimension, h.shape[0] > 0 else {
            throw TensorError("\(summary): h must have shape (T, \(dimension)) with T ≥ 1, or (\(dimension),); got \(formatShape(h.shape))")
        }
        return h
    }
}
