import Language
import Models
import Tensor

/// The functions of one tensor, available as builtins and as methods.
enum TensorFunctions {
    /// Built once: member access (`h.shape`, `A.sum(axis: 1)`) looks functions up here,
    /// often inside a student's loop.
    static let all: [TensorFunction] = reductions + elementwise + shaping + other
    static let byName: [String: TensorFunction] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    static func reduce(_ name: String, _ help: String, twoNumbers: ((Double, Double) -> Double)? = nil,
                       _ f: @escaping (Tensor, Int?, Bool) throws -> Tensor) -> TensorFunction {
        var function = TensorFunction(name: name, parameters: [Kit.p("axis", .none), Kit.p("keepdims", false)], help: help) { x, args in
            let axis = try Conversions.axis(args["axis"])
            let keep = try args.bool("keepdims")
            let result = try f(x.tensor, axis, keep)
            // Reducing across columns keeps the rows, and their names.
            let keepsRows = axis.map { $0 != 0 && $0 != -x.tensor.rank } ?? false
            return Kit.tensor(result, labels: keepsRows ? x.labels : nil)
        }
        function.twoNumbers = twoNumbers
        return function
    }

    static var reductions: [TensorFunction] { [
        reduce("sum", "the sum along an axis, or of everything") { try $0.sum(axis: $1, keepDims: $2) },
        reduce("mean", "the average along an axis, or of everything") { try $0.mean(axis: $1, keepDims: $2) },
        reduce("max", "the largest value along an axis, or of everything; max(a, b) of two numbers",
               twoNumbers: { Swift.max($0, $1) }) { try $0.max(axis: $1, keepDims: $2) },
        reduce("min", "the smallest value along an axis, or of everything; min(a, b) of two numbers",
               twoNumbers: { Swift.min($0, $1) }) { try $0.min(axis: $1, keepDims: $2) },
        reduce("argmax", "where the largest value is (first on ties)") { try $0.argmax(axis: $1, keepDims: $2) },
        reduce("var", "the variance (mean squared distance from the mean)") { try $0.variance(axis: $1, keepDims: $2) },
        reduce("norm", "the length √(Σ x²)") { try ($0 * $0).sum(axis: $1, keepDims: $2).sqrt() },
    ] }

    static func map(_ name: String, _ help: String, _ f: @escaping (Tensor) -> Tensor) -> TensorFunction {
        TensorFunction(name: name, parameters: [], help: help) { x, _ in Kit.tensor(f(x.tensor), labels: x.labels) }
    }

    static var elementwise: [TensorFunction] { [
        map("exp", "e to the power x, elementwise") { $0.exp() },
        map("log", "the natural logarithm, elementwise") { $0.log() },
        map("sqrt", "the square root, elementwise") { $0.sqrt() },
        map("abs", "the absolute value, elementwise") { $0.abs() },
        TensorFunction(name: "round", parameters: [Kit.p("digits", 0)],
                       help: "each number rounded to that many decimal digits") { x, args in
            let digits = try Conversions.integer(args["digits"], what: "digits")
            guard (-30...30).contains(digits) else { throw RuntimeError("round() needs 'digits' between -30 and 30") }
            var scale: Float = 1
            for _ in 0..<Swift.abs(digits) { scale *= 10 }
            if digits < 0 { scale = 1 / scale }
            let rounded = x.tensor.scalars.map { ($0 * scale).rounded() / scale }
            return Kit.tensor(try Tensor(shape: x.tensor.shape, scalars: rounded), labels: x.labels)
        },
        map("tanh", "the hyperbolic tangent, squashing into (−1, 1)") { $0.tanh() },
        map("sigmoid", "σ(x) = 1/(1 + e^(−x)), squashing into (0, 1)") { $0.sigmoid() },
        map("relu", "max(x, 0)") { $0.relu() },
        map("gelu", "the smooth ReLU of GPT and BERT, in its tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))") { $0.gelu() },
        map("gelu_erf", "GELU exactly, x·Φ(x) = 0.5·x·(1 + erf(x/√2)): what PyTorch's nn.GELU() computes by default") { $0.geluErf() },
        map("softplus", "log(1 + e^x), a smooth ReLU") { $0.softplus() },
        TensorFunction(name: "softmax", parameters: [Kit.p("axis", -1)],
                       help: "exp(x)/Σexp(x) along an axis — each row becomes probabilities") { x, args in
            Kit.tensor(try x.tensor.softmax(axis: Conversions.integer(args["axis"], what: "axis")), labels: x.labels)
        },
        TensorFunction(name: "log_softmax", parameters: [Kit.p("axis", -1)],
                       help: "log of the softmax, computed stably") { x, args in
            Kit.tensor(try x.tensor.logSoftmax(axis: Conversions.integer(args["axis"], what: "axis")), labels: x.labels)
        },
        TensorFunction(name: "layer_norm", parameters: [Kit.p("eps", 1e-5)],
                       help: "each row centred and scaled to variance 1") { x, args in
            Kit.tensor(try x.tensor.layerNorm(epsilon: Float(args.number("eps"))), labels: x.labels)
        },
    ] }

    static var shaping: [TensorFunction] { [
        TensorFunction(name: "reshape", parameters: [Kit.p("shape")],
                       help: "the same numbers in a new shape; one size may be -1") { x, args in
            Kit.tensor(try x.tensor.reshaped(Conversions.shape(args["shape"])))
        },
        TensorFunction(name: "transpose", parameters: [Kit.p("axis1", -2), Kit.p("axis2", -1)],
                       help: "two axes swapped (rows ↔ columns)") { x, args in
            Kit.tensor(try x.tensor.transposed(Conversions.integer(args["axis1"], what: "axis1"),
                                               Conversions.integer(args["axis2"], what: "axis2")))
        },
        TensorFunction(name: "flatten", parameters: [], help: "all numbers in one row") { x, _ in
            Kit.tensor(try x.tensor.reshaped([-1]))
        },
    ] }

    static var other: [TensorFunction] { [
        TensorFunction(name: "item", parameters: [], help: "the single number in a one-element tensor") { x, _ in
            .number(Conversions.double(try x.tensor.item()))
        },
        TensorFunction(name: "shape", parameters: [], help: "the sizes of the axes, as a list") { x, _ in
            .list(x.tensor.shape.map { .number(Double($0)) })
        },
        TensorFunction(name: "all", parameters: [], help: "true when every element is non-zero") { x, _ in
            .bool(x.tensor.scalars.allSatisfy { $0 != 0 })
        },
        TensorFunction(name: "any", parameters: [], help: "true when some element is non-zero") { x, _ in
            .bool(x.tensor.scalars.contains { $0 != 0 })
        },
        TensorFunction(name: "backward", parameters: [],
                       help: "fills .grad of every weight the single number loss depends on") { x, _ in
            try x.tensor.backward()
            return .none
        },
        TensorFunction(name: "detach", parameters: [], help: "the same numbers, cut from the gradient graph") { x, _ in
            Kit.tensor(x.tensor.detached(), labels: x.labels)
        },
        TensorFunction(name: "tolist", parameters: [], help: "the numbers as (nested) lists") { x, _ in
            // Each number becomes a value of its own: 25 million took seconds to build and
            // more to free, past the time limit. The limit is the one on any list's length.
            guard x.tensor.count <= Limits.maxListLength else {
                throw RuntimeError("tolist: a \(formatShape(x.tensor.shape)) tensor holds \(x.tensor.count) numbers; lists hold at most \(Limits.maxListLength)",
                                   hint: "take a part first, such as x[0:10], or keep it a tensor")
            }
            return TensorFunctions.list(x.tensor.scalars[...], shape: x.tensor.shape[...])
        },
    ] }

    static func list(_ values: ArraySlice<Float>, shape: ArraySlice<Int>) -> Value {
        guard let first = shape.first else { return .number(Conversions.double(values.first ?? .nan)) }
        let inner = shape.dropFirst().reduce(1, *)
        return .list((0..<first).map { i in
            let start = values.startIndex + i * inner
            return list(values[start..<(start + inner)], shape: shape.dropFirst())
        })
    }
}

/// Members of a tensor: properties (`shape`, `T`, `grad`) and every tensor function as a
/// method (`A.sum(axis: 1)`).
enum TensorMethods {
    static let properties = ["shape", "T", "rank", "size", "grad", "labels"]
    /// What each property holds, for `help(x)` and the reference.
    static let propertyHelp: [String: String] = [
        "shape": "the size along each axis, a list ([4, 2] for 4 rows of 2)",
        "T": "the transpose (the last two axes swapped)",
        "rank": "the number of axes (also .ndim)",
        "size": "the number of elements",
        "grad": "the gradient of the last .backward() with respect to it, or none",
        "labels": "the names of its rows, or none",
    ]
    static let names: [String] = properties + TensorFunctions.all.map(\.name)

    static func member(_ name: String, of value: TensorValue) throws -> Value? {
        let t = value.tensor
        switch name {
        case "shape": return .list(t.shape.map { .number(Double($0)) })
        case "T": return Kit.tensor(t.T)
        case "rank", "ndim": return .number(Double(t.rank))
        case "size": return .number(Double(t.count))
        case "grad": return t.grad.map { Kit.tensor($0, labels: value.labels) } ?? Value.none
        case "labels": return value.labels.map { .list($0.map { .string($0) }) } ?? Value.none
        default:
            return TensorFunctions.byName[name].map { .builtin($0.method(of: value)) }
        }
    }
}
