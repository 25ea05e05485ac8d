import Language
import Render

/// One small call of every builtin that makes a model or a value with members of its
/// own, so the reference (and `help(GPT)`) can list what it returns by reading the
/// members off a real one. A test fails when a model builtin has no example here.
enum ReferenceExamples {
    /// Builtin name → an expression that calls it (it may use the names made before it).
    static let calls: KeyValuePairs<String, String> = [
        "MLP": "MLP([2, 3, 1])",
        "Linear": "Linear(2, 3)",
        "Team": "Team([[0.5, 0.5], [0, 1]])",
        "ResidualStack": "ResidualStack(dim: 2, steps: 2, epsilon: 0.1)",
        "Conv1D": "Conv1D(1, 1, kernel: 3)",
        "Conv2D": "Conv2D(1, 1, kernel: 3)",
        "TinyCNN": "TinyCNN()",
        "RNN": "RNN(2, 3)",
        "LSTM": "LSTM(2, 2)",
        "Vocabulary": "Vocabulary(\"I love machine learning\")",
        "Embedding": "Embedding(Vocabulary(\"I love machine learning\"), dim: 4)",
        "Decoder": "Decoder(Embedding(Vocabulary(\"I love machine learning\"), dim: 4))",
        "Word2Vec": "Word2Vec(Vocabulary(\"the cat sat on the mat . the dog sat on the rug .\"), dim: 4)",
        "BPE": "BPE(\"low lower lowest newer newest\", merges: 4)",
        "SelfAttention": "SelfAttention(dim: 4)",
        "MultiHeadAttention": "MultiHeadAttention(dim: 4, heads: 2)",
        "PositionEmbedding": "PositionEmbedding(dim: 4)",
        "LayerNorm": "LayerNorm(4)",
        "FeedForward": "FeedForward(4)",
        "TransformerBlock": "TransformerBlock(dim: 4, heads: 2)",
        "GPT": "GPT(\"to be or not to be\", dim: 8, layers: 1, heads: 2, block_size: 8)",
        "BERT": "BERT(\"to be or not to be\", dim: 8, layers: 1, heads: 2, block_size: 8)",
        "GaussianMixture": "GaussianMixture([[0, 0], [2, 2]], [0.5, 0.5], 0.3)",
        "Gaussian": "Gaussian([0, 0], 1)",
        "eight_gaussians": "eight_gaussians()",
        "exact_score": "exact_score(eight_gaussians())",
        "ScoreNetwork": "ScoreNetwork()",
    ]

    /// The value the example of `name` makes, built in a session of its own; nil when
    /// there is no example or it fails (the test names such).
    static func value(for name: String) -> Value? {
        guard let call = calls.first(where: { $0.key == name })?.value,
              let session = try? LessonSession(document: LessonDocument(path: "<reference>", script: ""),
                                               options: RenderOptions(color: .none, width: 80)) else { return nil }
        let result = session.evaluate("example = " + call, name: "<example of \(name)>")
        return result.error == nil ? session.environment.resolve("example") : nil
    }
}
