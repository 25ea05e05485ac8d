import Language
import Models
import Tensor

/// A model the language can hold: it says how it appears there (type name, call,
/// members). The conformance sits beside the model's builtin in its family's file, and
/// `ModelBindings.make` takes only conforming models — so a builtin that makes a model
/// without a binding does not compile.
protocol LanguageBound: Model {
    var languageBinding: ModelBinding { get }
}

/// One family of models in the language: the builtins that make them (their bindings
/// are their `LanguageBound` conformances, in the same file).
protocol BindingFamily: Sendable {
    static var builtins: [Builtin] { get }
}

/// How builtins that make models wrap them, and which binding a model gets.
enum ModelBindings {
    /// Every family; each adds its builtins.
    static let families: [any BindingFamily.Type] = [
        DenseBindings.self, LocalBindings.self, RecurrentBindings.self, WordBindings.self, DiffusionBindings.self,
        AttentionBindings.self, TransformerBindings.self,
    ]

    static var builtins: [Builtin] { families.flatMap { $0.builtins } }

    /// A model's own binding; a part that has none (a layer inside a model) is shown by
    /// its type, its weights and parts readable, not callable.
    static func binding(for model: any Model) -> ModelBinding {
        (model as? any LanguageBound)?.languageBinding ?? ModelBinding(typeName: String(describing: type(of: model)))
    }

    /// A model value whose copies are made by running `build` again (same seed, same
    /// construction) and copying the weights over.
    static func make(_ build: @escaping () throws -> any LanguageBound) throws -> Value {
        .host(try value(build))
    }

    static func value(_ build: @escaping () throws -> any LanguageBound) throws -> ModelValue {
        let model = try build()
        return ModelValue(model, binding: model.languageBinding) { try value(build) }
    }

    /// The tensor argument `name`, with its row labels.
    static func input(_ args: BoundArguments, _ name: String = "x") throws -> TensorValue {
        let value = args[name]
        return TensorValue(try Conversions.tensor(value, what: "\(args.callee)()'s \(name)"), labels: value.tensorValue?.labels)
    }

    static func activation(_ value: Value) throws -> Activation {
        guard case .string(let name) = value, let a = Activation(rawValue: name) else {
            throw RuntimeError("activation must be one of " + Activation.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        return a
    }

    /// Which parts of a transformer have biases: "lecture" (none in attention, the
    /// default), "all" or true (GPT-2, nanoGPT's bias=True), "none" or false.
    static func biases(_ value: Value) throws -> TransformerBlock.Biases {
        switch value {
        case .bool(let b): return b ? .all : .none
        case .string(let name) where TransformerBlock.Biases(rawValue: name) != nil: return TransformerBlock.Biases(rawValue: name)!
        default:
            throw RuntimeError("bias must be \"lecture\" (no biases in attention, as the lecture's q = W_q h), \"all\" (or true: everywhere, as GPT-2 and nanoGPT's bias=True) or \"none\" (or false: nowhere, nanoGPT's bias=False), got \(value.kindPhrase)")
        }
    }
}

/// MLP and Linear.
enum DenseBindings: BindingFamily {
    static var builtins: [Builtin] {
        [
            Kit.builtin("MLP", [Kit.p("sizes"), Kit.p("activation", "tanh"), Kit.p("seed", 0)],
                        "layers where every unit hears every unit below, e.g. MLP([2, 8, 1])") { args in
                let sizes = try Conversions.shape(args["sizes"], what: "sizes")
                let activation = try ModelBindings.activation(args["activation"])
                let seed = try args.seed()
                return try ModelBindings.make { try MLP(sizes: sizes, activation: activation, seed: seed) }
            },
            Kit.builtin("Linear", [Kit.p("inputs"), Kit.p("outputs"), Kit.p("seed", 0)],
                        "y = W x + b, with W of shape (outputs, inputs)") { args in
                let (i, o) = (try args.integer("inputs"), try args.integer("outputs"))
                let seed = try args.seed()
                return try ModelBindings.make {
                    var rng = SplitMix64(seed: seed)
                    return try Linear(i, o, using: &rng)
                }
            },
        ]
    }

    static func mlp(_ m: MLP) -> ModelBinding {
        var binding = ModelBinding(typeName: "MLP", callParameters: [Kit.p("x")]) { args in
            let x = try ModelBindings.input(args)
            return Kit.tensor(try m(x.tensor, labels: x.labels), labels: x.labels)
        }
        binding.property("sizes", "the widths of the layers, input first") { .list(m.sizes.map { .number(Double($0)) }) }
        binding.property("activation", "the name of the nonlinearity between layers") { .string(m.activation.rawValue) }
        binding.methods = [
            Kit.builtin("h", [Kit.p("x")],
                        "every layer's vectors [h⁽⁰⁾ = x, h⁽¹⁾, …, h⁽ᴸ⁾], so mlp.h(x)[l] is h⁽ˡ⁾ = σ(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾)") { args in
                let x = try ModelBindings.input(args)
                return .list(try layerStates(m, x.tensor).map { Kit.tensor($0, labels: x.labels) })
            },
        ]
        return binding
    }

    /// h⁽⁰⁾ = x, then h⁽ˡ⁾ = σ(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾) for each layer, as the MLP computes them
    /// (the last layer with the output activation); no events.
    static func layerStates(_ m: MLP, _ x: Tensor) throws -> [Tensor] {
        var states = [x]
        for (i, layer) in m.layers.enumerated() {
            let sigma = i == m.layers.count - 1 ? m.outputActivation : m.activation
            states.append(sigma.apply(try layer(states[i])))
        }
        return states
    }

    static func linear(_ m: Linear) -> ModelBinding {
        ModelBinding(typeName: "Linear", callParameters: [Kit.p("x")]) { args in
            let x = try ModelBindings.input(args)
            return Kit.tensor(try m(x.tensor), labels: x.labels)
        }
    }
}

// The bindings of this family's models (see LanguageBound).
extension MLP: LanguageBound { var languageBinding: ModelBinding { DenseBindings.mlp(self) } }
extension Linear: LanguageBound { var languageBinding: ModelBinding { DenseBindings.linear(self) } }
