import Language
import Models
import Tensor
import Trace

/// Convolutions, the tiny CNN and the residual stack: models where each position hears
/// its neighbourhood, or adds small updates to itself.
enum LocalBindings: BindingFamily {
    static func binding(for model: any Model) -> ModelBinding? {
        switch model {
        case let m as ResidualStack: residual(m)
        case let m as Conv1DLayer: conv1d(m)
        case let m as Conv2DLayer: conv2d(m)
        case let m as TinyCNN: cnn(m)
        case let m as Team: team(m)
        default: nil
        }
    }

    static var builtins: [Builtin] {
        [
            Kit.builtin("Conv1D", [Kit.p("inputs"), Kit.p("outputs"), Kit.p("kernel", 3), Kit.p("stride", 1),
                                   Kit.p("padding", 0), Kit.p("activation", "relu"), Kit.p("seed", 0)],
                        "Conv1D(inputs, outputs, kernel=3, stride=1, padding=0, activation=\"relu\", seed=0): each position hears a window of kernel neighbours") { args in
                let (i, o, k) = (try args.integer("inputs"), try args.integer("outputs"), try args.integer("kernel"))
                let (s, p) = (try args.integer("stride"), try args.integer("padding"))
                let a = try ModelBindings.activation(args["activation"])
                let seed = try Conversions.seed(args["seed"])
                return try ModelBindings.make {
                    var rng = SplitMix64(seed: seed)
                    return try Conv1DLayer(inChannels: i, outChannels: o, kernelSize: k, stride: s, padding: p, activation: a, using: &rng)
                }
            },
            Kit.builtin("Conv2D", [Kit.p("inputs"), Kit.p("outputs"), Kit.p("kernel", 3), Kit.p("stride", 1),
                                   Kit.p("padding", 0), Kit.p("activation", "relu"), Kit.p("seed", 0)],
                        "Conv2D(inputs, outputs, kernel=3, stride=1, padding=0, activation=\"relu\", seed=0): each pixel hears a kernel×kernel window") { args in
                let (i, o, k) = (try args.integer("inputs"), try args.integer("outputs"), try args.integer("kernel"))
                let (s, p) = (try args.integer("stride"), try args.integer("padding"))
                let a = try ModelBindings.activation(args["activation"])
                let seed = try Conversions.seed(args["seed"])
                return try ModelBindings.make {
                    try Conv2DLayer(inChannels: i, outChannels: o, kernelSize: k, stride: s, padding: p, activation: a, seed: seed)
                }
            },
            Kit.builtin("TinyCNN", [Kit.p("channels", 4), Kit.p("classes", 2), Kit.p("seed", 0)],
                        "TinyCNN(channels=4, classes=2, seed=0): conv → relu → conv → relu → average → linear, for 6×6 images") { args in
                let (c, k) = (try args.integer("channels"), try args.integer("classes"))
                let seed = try Conversions.seed(args["seed"])
                return try ModelBindings.make { try TinyCNN(inChannels: 1, channels: c, classes: k, seed: seed) }
            },
            Kit.builtin("bar_images", [Kit.p("count"), Kit.p("noise", 0.2), Kit.p("seed", 0)],
                        "bar_images(count, noise=0.2, seed=0): [images (count, 1, 6, 6), labels]: 0 = a horizontal bar, 1 = vertical") { args in
                let (images, labels) = try BarImages.make(count: args.integer("count"), noise: Float(args.number("noise")),
                                                          seed: Conversions.seed(args["seed"]))
                return .list([Kit.tensor(images), .list(labels.map { .number(Double($0)) })])
            },
            Kit.builtin("Team", [Kit.p("formation"), Kit.p("W", .none), Kit.p("dim", 2)],
                        "Team(formation, W=none, dim=2): agents passing messages in a fixed formation — row m of the (N, N) formation A says how much agent m listens to each agent t; each round Δ_m = Σ_t A_{m→t} v_t (v_t = h_t) and h_m ← h_m + W·Δ_m; W is (dim, dim), the identity unless given") { args in
                let a = try Conversions.tensor(args["formation"], what: "Team()'s formation")
                let w = args["W"].isNone ? try Tensor.eye(args.integer("dim")) : try Conversions.tensor(args["W"], what: "Team()'s W")
                return try ModelBindings.make { try Team(formation: a, W: w) }
            },
            Kit.builtin("ResidualStack", [Kit.p("dim"), Kit.p("steps", 6), Kit.p("epsilon", 1), Kit.p("seed", 0)],
                        "ResidualStack(dim, steps=6, epsilon=1, seed=0): h ← h + ε·f_t(h) for t = 1…steps") { args in
                let (d, t) = (try args.integer("dim"), try args.integer("steps"))
                let e = Float(try args.number("epsilon"))
                let seed = try Conversions.seed(args["seed"])
                return try ModelBindings.make { try ResidualStack(dim: d, steps: t, epsilon: e, seed: seed) }
            },
        ]
    }

    static func residual(_ m: ResidualStack) -> ModelBinding {
        var binding = ModelBinding(typeName: "ResidualStack", callParameters: [Kit.p("h")]) { args in
            let h = try ModelBindings.input(args, "h")
            return Kit.tensor(try m(h.tensor, labels: h.labels), labels: h.labels)
        }
        binding.properties["epsilon"] = { .number(Double(m.epsilon)) }
        binding.properties["steps"] = { .number(Double(m.steps)) }
        binding.setters["epsilon"] = { value in m.epsilon = Float(try Conversions.number(value, what: "epsilon")) }
        return binding
    }

    static func team(_ m: Team) -> ModelBinding {
        ModelBinding(typeName: "Team", callParameters: [Kit.p("h"), Kit.p("rounds", 1)]) { args in
            let h = try ModelBindings.input(args, "h")
            let rounds = try args.integer("rounds")
            return Kit.tensor(try m(h.tensor, rounds: rounds, labels: h.labels), labels: h.labels)
        }
    }

    static func conv1d(_ m: Conv1DLayer) -> ModelBinding {
        var binding = ModelBinding(typeName: "Conv1D", callParameters: [Kit.p("x")]) { args in
            Kit.tensor(try m(ModelBindings.input(args).tensor))
        }
        binding.properties["focus"] = { m.focus.map { .number(Double($0)) } ?? .none }
        binding.setters["focus"] = { value in m.focus = value.isNone ? nil : try Conversions.integer(value, what: "focus") }
        return binding
    }

    static func conv2d(_ m: Conv2DLayer) -> ModelBinding {
        ModelBinding(typeName: "Conv2D", callParameters: [Kit.p("x")]) { args in
            Kit.tensor(try m(ModelBindings.input(args).tensor))
        }
    }

    static func cnn(_ m: TinyCNN) -> ModelBinding {
        var binding = ModelBinding(typeName: "TinyCNN", callParameters: [Kit.p("x")]) { args in
            Kit.tensor(try m(ModelBindings.input(args).tensor))
        }
        binding.methods = [
            Kit.builtin("accuracy", [Kit.p("images"), Kit.p("labels")],
                        "accuracy(images, labels): the fraction of images classified right") { args in
                let x = try ModelBindings.input(args, "images").tensor
                return .number(try m.accuracy(x, labels: Conversions.indexList(args["labels"], what: "labels")))
            },
            Kit.builtin("predict", [Kit.p("images")], "predict(images): the class of each image") { args in
                .list(try m.predict(ModelBindings.input(args, "images").tensor).map { .number(Double($0)) })
            },
        ]
        return binding
    }
}

/// A team of N agents (people) holding vectors h_m, in a fixed formation: the (N, N)
/// matrix `A` says who listens to whom — row m is how much agent m listens to each agent
/// t (A_{m→t}; zero: not at all). One round of message passing, every agent at once and
/// each from the vectors as they were before the round:
///
///     Δ_m = Σ_t A_{m→t} v_t   (v_t = h_t: each agent shares its own vector)
///     h_m ← h_m + W·Δ_m       (W: how what m hears turns into a change of h_m)
///
/// The same two lines as the lecture's party, with the listening fixed by the formation
/// rather than computed from queries and keys. Parameters `A` (N, N) and `W` (d, d),
/// readable and assignable by name. Each round emits an `attention`-kind event (the
/// picture of who listens to whom) with tensors `h_before`, `v`, `A`, `delta`, `update`
/// (= W·Δ) and `h_after`; index `round` (1-based).
final class Team: Model {
    let A: Weight
    let W: Weight

    init(formation: Tensor, W: Tensor) throws {
        guard formation.rank == 2, formation.shape[0] == formation.shape[1], formation.shape[0] > 0 else {
            throw RuntimeError("Team: the formation must be a square (N, N) matrix, one row and one column per agent; got shape \(formatShape(formation.shape))")
        }
        guard W.rank == 2, W.shape[0] == W.shape[1], W.shape[0] > 0 else {
            throw RuntimeError("Team: W must be a square (d, d) matrix; got shape \(formatShape(W.shape))")
        }
        A = Weight("A", formation)
        self.W = Weight("W", W)
    }

    var agents: Int { A.shape[0] }
    var dim: Int { W.shape[0] }
    var summary: String { "Team of \(agents) agents, d=\(dim)" }
    var ownParameters: [Weight] { [A, W] }

    static let formula = "Δ_m = Σ_t A_{m→t} v_t,  h_m ← h_m + W·Δ_m"

    /// h (N, d) after `rounds` rounds.
    func callAsFunction(_ h: Tensor, rounds: Int, labels: [String]?) throws -> Tensor {
        guard h.rank == 2, h.shape[0] == agents, h.shape[1] == dim else {
            throw RuntimeError("\(summary): h has shape \(formatShape(h.shape)), expected (\(agents), \(dim)) — one row of \(dim) numbers per agent")
        }
        guard rounds >= 0 else { throw RuntimeError("Team: rounds must be 0 or more, got \(rounds)") }
        var current = h
        for round in 0..<rounds {
            let before = current
            let delta = try A.value.matmul(before)               // Δ_m = Σ_t A_{m→t} v_t, one row per agent
            let update = try delta.matmul(W.value.transposed())  // W·Δ_m, as rows
            current = try before + update
            let after = current
            Tracing.emit {
                TraceEvent(kind: .attention, formula: Team.formula, index: [("round", .int(round + 1))], labels: labels,
                           tensors: [("h_before", before.snapshot), ("v", before.snapshot), ("A", A.value.snapshot),
                                     ("delta", delta.snapshot), ("update", update.snapshot), ("h_after", after.snapshot)])
            }
        }
        return current
    }
}

/// RNN and LSTM: a message from the past at each time step.
enum RecurrentBindings: BindingFamily {
    static func binding(for model: any Model) -> ModelBinding? {
        switch model {
        case let m as RNN: rnn(m)
        case let m as LSTM: lstm(m)
        default: nil
        }
    }

    static var builtins: [Builtin] {
        [
            Kit.builtin("RNN", [Kit.p("inputs"), Kit.p("hidden"), Kit.p("seed", 0)],
                        "RNN(inputs, hidden, seed=0): h_t = tanh(W h_{t−1} + U x_t + b) over a sequence x (T, inputs)") { args in
                let (i, h) = (try args.integer("inputs"), try args.integer("hidden"))
                let seed = try Conversions.seed(args["seed"])
                return try ModelBindings.make { try RNN(inputSize: i, hiddenSize: h, seed: seed) }
            },
            Kit.builtin("LSTM", [Kit.p("inputs"), Kit.p("hidden"), Kit.p("forget_gate", true), Kit.p("seed", 0)],
                        "LSTM(inputs, hidden, forget_gate=true, seed=0): c_t = c_{t−1} + Δc_t over a sequence x (T, inputs)") { args in
                let (i, h) = (try args.integer("inputs"), try args.integer("hidden"))
                let forget = try args.bool("forget_gate")
                let seed = try Conversions.seed(args["seed"])
                return try ModelBindings.make { try LSTM(inputSize: i, hiddenSize: h, forgetGate: forget, seed: seed) }
            },
        ]
    }

    static func optionalTensor(_ value: Value, _ what: String) throws -> Tensor? {
        value.isNone ? nil : try Conversions.tensor(value, what: what)
    }

    static func rnn(_ m: RNN) -> ModelBinding {
        ModelBinding(typeName: "RNN", callParameters: [Kit.p("x"), Kit.p("h0", .none)]) { args in
            let x = try ModelBindings.input(args)
            return Kit.tensor(try m(x.tensor, h0: optionalTensor(args["h0"], "h0"), labels: x.labels), labels: x.labels)
        }
    }

    static func lstm(_ m: LSTM) -> ModelBinding {
        var binding = ModelBinding(typeName: "LSTM", callParameters: [Kit.p("x"), Kit.p("h0", .none), Kit.p("c0", .none)]) { args in
            let x = try ModelBindings.input(args)
            let h = try m(x.tensor, h0: optionalTensor(args["h0"], "h0"), c0: optionalTensor(args["c0"], "c0"), labels: x.labels)
            return Kit.tensor(h, labels: x.labels)
        }
        binding.methods = [
            Kit.builtin("run", [Kit.p("x"), Kit.p("h0", .none), Kit.p("c0", .none)],
                        "run(x, h0=none, c0=none): [h, c] — the hidden states and the cell's running totals at every step") { args in
                let x = try ModelBindings.input(args)
                let state = try m.run(x.tensor, h0: optionalTensor(args["h0"], "h0"), c0: optionalTensor(args["c0"], "c0"), labels: x.labels)
                return .list([Kit.tensor(state.h, labels: x.labels), Kit.tensor(state.c, labels: x.labels)])
            },
        ]
        return binding
    }
}
