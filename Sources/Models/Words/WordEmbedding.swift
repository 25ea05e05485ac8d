import Tensor
import Trace

/// Word → dense vector: the lecture's encoder. The k-th word is the one-hot vector
/// e_k ∈ {0,1}^C, and its distributed representation is
///
///     h_w = W_encode · e_w = column w of W_encode,   W_encode of shape (d, C).
///
/// Multiplying by a one-hot vector just picks a column, so `callAsFunction` looks the
/// columns up (an embedding lookup, O(T·d)) while `encode(oneHot:)` does the full product
/// (O(T·C·d)) — the two agree exactly, and the product also accepts any mixture of words.
///
/// Each call emits an `embed` event with tensors `ids` (T,) (the word ids k, as numbers),
/// `one_hot` (T, C), `W_encode` (d, C) and `vector` (T, d) — row t of `vector` is
/// W_encode·e_t. W_encode is snapshotted only when C·d ≤ `snapshotLimit` (65,536 numbers
/// by default): a 6000-word vocabulary with d = 300 would otherwise copy 1.8 million
/// numbers at every call. No index; labels are the words.
///
/// W_encode starts as N(0, 1/d) draws from the seed, so vectors have length about 1.
public final class WordEmbedding: Model {
    public let vocabulary: Vocabulary
    /// (d, C): column w is the vector of word w.
    public let W_encode: Parameter
    /// d, the length of a word vector.
    public let dimension: Int
    /// Largest C·d for which `embed` events carry a copy of W_encode.
    public var snapshotLimit = 65_536

    public init(vocabulary: Vocabulary, dimension: Int, seed: UInt64) throws {
        guard dimension > 0 else {
            throw TensorError("Embedding: the dimension d must be positive, got \(dimension)")
        }
        var rng = SplitMix64(seed: seed)
        self.vocabulary = vocabulary
        self.dimension = dimension
        W_encode = Parameter("W_encode", try Initializer.normal([dimension, vocabulary.count], fanIn: dimension, using: &rng))
    }

    /// A view that uses an existing (d, C) parameter as W_encode — word2vec's input
    /// vectors W_in, say. The parameter keeps its own name and is shared, not copied.
    public init(vocabulary: Vocabulary, sharing parameter: Parameter) throws {
        guard parameter.shape.count == 2, parameter.shape[1] == vocabulary.count, parameter.shape[0] > 0 else {
            throw TensorError("Embedding: \(parameter.name) has shape \(formatShape(parameter.shape)), expected (d, \(vocabulary.count)) — one column per word")
        }
        self.vocabulary = vocabulary
        self.dimension = parameter.shape[0]
        W_encode = parameter
    }

    public var summary: String { "Embedding C=\(vocabulary.count), d=\(dimension)" }
    public var ownParameters: [Parameter] { [W_encode] }

    /// C, the number of words.
    public var vocabularySize: Int { vocabulary.count }

    /// The one-hot rows e_w (T, C) of the given word ids.
    public func oneHot(ids: [Int]) throws -> Tensor {
        try checked(ids)
        return try Tensor.oneHot(ids, classes: vocabulary.count)
    }

    public func oneHot(_ words: [String]) throws -> Tensor {
        try oneHot(ids: vocabulary.ids(of: words))
    }

    /// The vectors of the words (T, d): row t is column w_t of W_encode.
    public func callAsFunction(_ words: [String]) throws -> Tensor {
        try self(ids: vocabulary.ids(of: words), labels: words)
    }

    /// The vectors of word ids (T, d); labels default to the vocabulary's words.
    public func callAsFunction(ids: [Int], labels: [String]? = nil) throws -> Tensor {
        try checked(ids)
        if let labels, labels.count != ids.count {
            throw TensorError("\(summary): \(labels.count) labels for \(ids.count) words")
        }
        let vectors = try W_encode.value.take(ids, axis: 1).transposed()  // (d, T) → (T, d)
        let W = W_encode.value
        let includeMatrix = vocabulary.count * dimension <= snapshotLimit
        typealias S = EmbedStep
        try Tracing.emit(S.self, "h_w = W_encode · e_w  (column w of W_encode)",
                         labels: labels ?? ids.map { vocabulary.words[$0] }) {
            var tensors: [(TensorKey<S>, Tensor)] = [(S.ids, Tensor(ids.map(Float.init))),
                                                     (S.oneHot, try Tensor.oneHot(ids, classes: vocabulary.count))]
            if includeMatrix { tensors.append((S.W, W)) }
            tensors.append((S.h, vectors))
            return tensors
        }
        return vectors
    }

    /// The product form: rows of `oneHot` (T, C) times W_encode, i.e. (W_encode · Eᵀ)ᵀ =
    /// E · W_encodeᵀ (T, d). For one-hot rows this equals the lookup; other rows mix the
    /// columns of their words.
    public func encode(oneHot: Tensor) throws -> Tensor {
        guard oneHot.rank == 2, oneHot.shape[1] == vocabulary.count else {
            throw TensorError("\(summary): one-hot rows must have shape (T, \(vocabulary.count)), got \(formatShape(oneHot.shape))")
        }
        return try oneHot.matmul(transposed: W_encode.value)  // (T, C) @ (C, d)
    }

    /// The vector of one word (d,), without an event.
    public func vector(for word: String) throws -> Tensor {
        let id = try vocabulary.id(of: word)
        return try W_encode.value.detached().select(axis: 1, index: id)
    }

    private func checked(_ ids: [Int]) throws {
        guard !ids.isEmpty else { throw TensorError("\(summary): no words to embed") }
        for id in ids where id < 0 || id >= vocabulary.count {
            throw TensorError("\(summary): word id \(id) is out of range for a vocabulary of \(vocabulary.count) words")
        }
    }
}
