import Language
import Models
import Tensor
import Trace

/// Convolutions, the tiny CNN and the residual stack: models where each position hears
/// its neighbourhood, or adds small updates to itself.
enum LocalBindings: BindingFamily {
    static var builtins: [Builtin] {
        [
            Kit.builtin("Conv1D", [Kit.p("inputs"), Kit.p("outputs"), Kit.p("kernel", 3), Kit.p("stride", 1),
                                   Kit.p("padding", 0), Kit.p("activation", "relu"), Kit.p("seed", 0)],
                        "each position hears a window of kernel neighbours") { args in
                let (i, o, k) = (try args.integer("inputs"), try args.integer("outputs"), try args.integer("kernel"))
                let (s, p) = (try args.integer("stride"), try args.integer("padding"))
                let a = try ModelBindings.activation(args["activation"])
                let seed = try args.seed()
                return try ModelBindings.make {
                    var rng = SplitMix64(seed: seed)
                    return try Conv1DLayer(inChannels: i, outChannels: o, kernelSize: k, stride: s, padding: p, activation: a, using: &rng)
                }
            },
            Kit.builtin("Conv2D", [Kit.p("inputs"), Kit.p("outputs"), Kit.p("kernel", 3), Kit.p("stride", 1),
                                   Kit.p("padding", 0), Kit.p("activation", "relu"), Kit.p("seed", 0)],
                        "each pixel hears a kernel×kernel window") { args in
                let (i, o, k) = (try args.integer("inputs"), try args.integer("outputs"), try args.integer("kernel"))
                let (s, p) = (try args.integer("stride"), try args.integer("padding"))
                let a = try ModelBindings.activation(args["activation"])
                let seed = try args.seed()
                return try ModelBindings.make {
                    try Conv2DLayer(inChannels: i, outChannels: o, kernelSize: k, stride: s, padding: p, activation: a, seed: seed)
                }
            },
            Kit.builtin("TinyCNN", [Kit.p("channels", 4), Kit.p("classes", 2), Kit.p("seed", 0)],
                        "conv → relu → conv → relu → average → linear, for 6×6 images") { args in
                let (c, k) = (try args.integer("channels"), try args.integer("classes"))
                let seed = try args.seed()
                return try ModelBindings.make { try TinyCNN(inChannels: 1, channels: c, classes: k, seed: seed) }
            },
            Kit.builtin("bar_images", [Kit.p("count"), Kit.p("noise", 0.2), Kit.p("seed", 0)],
                        "[images (count, 1, 6, 6), labels]: 0 = a horizontal bar, 1 = vertical") { args in
                let (images, labels) = try BarImages.make(count: args.integer("count"), noise: Float(args.number("noise")),
                                                          seed: args.seed())
                return .list([Kit.tensor(images), .list(labels.map { .number(Double($0)) })])
            },
            Kit.builtin("Team", [Kit.p("formation"), Kit.p("W", .none), Kit.p("dim", 2)],
                        "agents passing messages in a fixed formation — row m of the (N, N) formation A says how much agent m listens to each agent t; each round Δ_m = Σ_t A_{m→t} v_t (v_t = h_t) and h_m ← h_m + W·Δ_m; W is (dim, dim), the identity unless given") { args in
                let a = try Conversions.tensor(args["formation"], what: "Team()'s formation")
                let w = args["W"].isNone ? try Tensor.eye(args.integer("dim")) : try Conversions.tensor(args["W"], what: "Team()'s W")
                return try ModelBindings.make { try Team(formation: a, W: w) }
            },
            Kit.builtin("ResidualStack", [Kit.p("dim"), Kit.p("steps", 6), Kit.p("epsilon", 1), Kit.p("seed", 0)],
                        "h ← h + ε·f_t(h) for t = 1…steps") { args in
                let (d, t) = (try args.integer("dim"), try args.integer("steps"))
                let e = Float(try args.number("epsilon"))
                let seed = try args.seed()
                return try ModelBindings.make { try ResidualStack(dim: d, steps: t, epsilon: e, seed: seed) }
            },
        ]
    }

    static func residual(_ m: ResidualStack) -> ModelBinding {
        var binding = ModelBinding(typeName: "ResidualStack", callParameters: [Kit.p("h")]) { args in
            let h = try ModelBindings.input(args, "h")
            return Kit.tensor(try m(h.tensor, labels: h.labels), labels: h.labels)
        }
        binding.property("epsilon", "ε, the size of each residual update (settable)") { .number(Double(m.epsilon)) }
        binding.property("steps", "the number of residual steps") { .number(Double(m.steps)) }
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
        binding.property("focus", "the output position whose window the conv trace shows; none: the middle one (settable)") { m.focus.map { .number(Double($0)) } ?? .none }
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
                        "the fraction of images classified right") { args in
                let x = try ModelBindings.input(args, "images").tensor
                return .number(try m.accuracy(x, labels: Conversions.indexList(args["labels"], what: "labels")))
            },
            Kit.builtin("predict", [Kit.p("images")], "the class of each image") { args in
                .list(try m.predict(ModelBindings.input(args, "images").tensor).map { .number(Double($0)) })
            },
        ]
        return binding
    }
}

// The bindings of this family's models (see LanguageBound).
extension ResidualStack: LanguageBound { var languageBinding: ModelBinding { LocalBindings.residual(self) } }
extension Conv1DLayer: LanguageBound { var languageBinding: ModelBinding { LocalBindings.conv1d(self) } }
extension Conv2DLayer: LanguageBound { var languageBinding: ModelBinding { LocalBindings.conv2d(self) } }
extension TinyCNN: LanguageBound { var languageBinding: ModelBinding { LocalBindings.cnn(self) } }
extension Team: LanguageBound { var languageBinding: ModelBinding { LocalBindings.team(self) } }
