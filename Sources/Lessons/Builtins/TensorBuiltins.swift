import Language
import Models
import Tensor

/// Builtins that make tensors or combine several: creation, products, joins, losses.
enum TensorBuiltins {
    static var all: [Builtin] {
        creation + combination + TensorFunctions.all.map(\.builtin)
    }

    static var creation: [Builtin] { [
        Kit.builtin("tensor", [Kit.p("values"), Kit.p("labels", .none)],
                    "a tensor from numbers or nested lists, rows optionally named") { args in
            let labels = args["labels"].isNone ? nil : try Conversions.strings(args["labels"], what: "labels")
            let t = try Conversions.tensor(args["values"], what: "tensor()'s values")
            if let labels, labels.count != t.shape.first {
                throw RuntimeError("tensor(): \(labels.count) labels for \(t.shape.first ?? 0) rows")
            }
            return Kit.tensor(t, labels: labels)
        },
        Kit.builtin("zeros", [Kit.p("shape")], "a tensor of zeros, e.g. zeros([2, 3])") { args in
            Kit.tensor(try Tensor.zeros(Conversions.shape(args["shape"])))
        },
        Kit.builtin("ones", [Kit.p("shape")], "a tensor of ones, e.g. ones(4)") { args in
            Kit.tensor(try Tensor.ones(Conversions.shape(args["shape"])))
        },
        Kit.builtin("full", [Kit.p("shape"), Kit.p("value")], "a tensor with every element equal to value") { args in
            Kit.tensor(try Tensor.full(Conversions.shape(args["shape"]), Float(args.number("value"))))
        },
        Kit.builtin("eye", [Kit.p("n")], "the n×n identity matrix") { args in
            Kit.tensor(try Tensor.eye(args.integer("n")))
        },
        Kit.builtin("arange", [Kit.p("start"), Kit.p("stop", .none), Kit.p("step", 1)],
                    "start, start+step, … below stop (arange(n) is 0…n−1)") { args in
            var start = try args.number("start")
            var stop = args["stop"].isNone ? 0 : try args.number("stop")
            if args["stop"].isNone { (start, stop) = (0, start) }
            return Kit.tensor(try Tensor.arange(Float(start), Float(stop), step: Float(args.number("step"))))
        },
        Kit.builtin("linspace", [Kit.p("start"), Kit.p("stop"), Kit.p("count", 50)],
                    "count evenly spaced numbers from start to stop") { args in
            Kit.tensor(try Tensor.linspace(Float(args.number("start")), Float(args.number("stop")), count: args.integer("count")))
        },
        Kit.builtin("randn", [Kit.p("shape"), Kit.p("seed", 0), Kit.p("std", 1)],
                    "normal random numbers; the same seed gives the same numbers") { args in
            Kit.tensor(try Tensor.randomNormal(Conversions.shape(args["shape"]), std: Float(args.number("std")),
                                               seed: args.seed()))
        },
        Kit.builtin("rand", [Kit.p("shape"), Kit.p("seed", 0)],
                    "uniform random numbers in [0, 1)") { args in
            Kit.tensor(try Tensor.randomUniform(Conversions.shape(args["shape"]), seed: args.seed()))
        },
        Kit.builtin("one_hot", [Kit.p("indices"), Kit.p("classes")],
                    "one row per index with a single 1 — the lecture's word vectors") { args in
            Kit.tensor(try Tensor.oneHot(Conversions.indexList(args["indices"], what: "indices"), classes: args.integer("classes")))
        },
        Kit.builtin("label", [Kit.p("x"), Kit.p("labels")],
                    "the same tensor with its rows named (the words of a sentence)") { args in
            let t = try Conversions.tensor(args["x"], what: "label()'s tensor")
            let labels = try Conversions.strings(args["labels"], what: "labels")
            guard labels.count == t.shape.first else {
                throw RuntimeError("label(): \(labels.count) labels for \(t.shape.first ?? 0) rows")
            }
            return Kit.tensor(t, labels: labels)
        },
    ] }

    static func two(_ name: String, _ help: String, _ f: @escaping (Tensor, Tensor) throws -> Tensor) -> Builtin {
        Kit.builtin(name, [Kit.p("a"), Kit.p("b")], help) { args in
            let a = args["a"]
            let result = try f(Conversions.tensor(a, what: "\(name)()'s first argument"),
                               Conversions.tensor(args["b"], what: "\(name)()'s second argument"))
            return Kit.tensor(result, labels: a.tensorValue?.labels)
        }
    }

    static var combination: [Builtin] { [
        two("matmul", "the matrix product a @ b") { try $0.matmul($1) },
        two("dot", "Σ a_i b_i, the inner product ⟨a, b⟩") { try ($0 * $1).sum() },
        two("cosine", "⟨a, b⟩/(‖a‖‖b‖), in [−1, 1]: 1 for the same direction") { a, b in
            try (a * b).sum() / ((a * a).sum().sqrt() * (b * b).sum().sqrt())
        },
        two("maximum", "the larger of a and b, elementwise") { try $0.maximum($1) },
        two("minimum", "the smaller of a and b, elementwise") { try $0.minimum($1) },
        Kit.builtin("where", [Kit.p("mask"), Kit.p("a"), Kit.p("b")],
                    "a where mask is non-zero, b elsewhere") { args in
            Kit.tensor(try Tensor.where(Conversions.tensor(args["mask"], what: "mask"),
                                        Conversions.tensor(args["a"], what: "a"), Conversions.tensor(args["b"], what: "b")))
        },
        Kit.builtin("concat", [Kit.p("tensors"), Kit.p("axis", 0)], "tensors joined along an axis, e.g. concat([h, x])") { args in
            let parts = try Conversions.parts(args["tensors"], what: "concat()'s tensors")
            return Kit.tensor(try Tensor.concatenate(parts, axis: args.integer("axis")))
        },
        Kit.builtin("stack", [Kit.p("tensors"), Kit.p("axis", 0)], "tensors of one shape stacked on a new axis") { args in
            let parts = try Conversions.parts(args["tensors"], what: "stack()'s tensors")
            return Kit.tensor(try Tensor.stack(parts, axis: args.integer("axis")))
        },
        Kit.builtin("cross_entropy", [Kit.p("logits"), Kit.p("targets")],
                    "mean −log softmax(logits)[target] over the rows") { args in
            let logits = try Conversions.tensor(args["logits"], what: "logits")
            let targets = try Conversions.indexList(args["targets"], what: "targets")
            return Kit.tensor(try logits.crossEntropy(targets: targets))
        },
    ] }
}
