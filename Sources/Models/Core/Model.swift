import Tensor

/// A model of the lecture: a team of vectors with named weights.
///
/// Every weight is a `Parameter` named as in the lecture (`W`, `Wq`, `W_encode`), so a
/// student can read or replace it by name and an optimiser can train it. Models made of
/// parts (a transformer's blocks) list the parts too; their parameters appear under
/// dotted paths (`blocks.0.attention.Wq`).
public protocol Model: AnyObject {
    /// A short description for pictures and help, e.g. "MLP 2→8→8→1 (tanh)".
    var summary: String { get }
    /// This model's own parameters (not those of its parts), in a stable order.
    var ownParameters: [Parameter] { get }
    /// Named sub-models, in a stable order.
    var parts: [(name: String, model: any Model)] { get }
}

extension Model {
    public var parts: [(name: String, model: any Model)] { [] }

    /// Every parameter with its path from this model: own names first, then each part's
    /// parameters prefixed with the part's name.
    public var namedParameters: [(path: String, parameter: Parameter)] {
        ownParameters.map { ($0.name, $0) }
            + parts.flatMap { part in part.model.namedParameters.map { ("\(part.name).\($0.path)", $0.parameter) } }
    }

    /// All parameters, for an optimiser.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The parameter at a path such as "Wq" or "blocks.0.attention.Wq".
    public func parameter(_ path: String) -> Parameter? {
        namedParameters.first { $0.path == path }?.parameter
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Current values of every parameter by path: a checkpoint that `restore` puts back
    /// (the debugger rewinds a training cell this way).
    public func checkpoint() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters.map { ($0.path, $0.parameter.value.detached()) })
    }

    public func restore(_ checkpoint: [String: Tensor]) throws {
        for (path, parameter) in namedParameters {
            if let value = checkpoint[path] { try parameter.assign(value) }
        }
    }

    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// A model that keeps state beyond its weights: word2vec's generator for negatives and
/// its step and epoch counts, attention's weights from its last call (`attn.weights`).
/// A copy made to rewind a cell must carry it too, or training again after a rewind
/// draws other numbers, and a cell that reads `attn.weights` fails after `:back`.
public protocol CarriesState: Model {
    /// Gives `other`, a model of the same construction, this model's own state (not its
    /// weights, which `checkpoint` and `restore` copy, nor its parts'). Does nothing
    /// when `other` is another kind of model.
    func copyOwnState(to other: any Model)
}

extension Model {
    /// Gives `other`, a model of the same construction, this model's state beyond its
    /// weights, and each part's to the same part of `other`.
    public func copyState(to other: any Model) {
        (self as? any CarriesState)?.copyOwnState(to: other)
        for (mine, theirs) in zip(parts, other.parts) where mine.name == theirs.name {
            mine.model.copyState(to: theirs.model)
        }
    }
}

/// Weight initialisation shared by the models: N(0, gain²/fan_in) (LeCun's scaling; with
/// gain √2 it is He's, for ReLU), drawn from the model's seeded generator.
enum Initializer {
    static func normal(_ shape: [Int], fanIn: Int, gain: Float = 1, using rng: inout SplitMix64) throws -> Tensor {
        let std = gain / Float(Swift.max(fanIn, 1)).squareRoot()
        return try Tensor.randomNormal(shape, std: std, using: &rng)
    }
}
