import Language
import Tensor

/// Small helpers for writing builtins: argument lists, results, and turning engine
/// errors into language errors.
enum Kit {
    /// A required parameter.
    static func p(_ name: String) -> Language.Parameter { Language.Parameter(name) }
    /// An optional parameter with a default.
    static func p(_ name: String, _ value: Value) -> Language.Parameter { Language.Parameter(name, default: value) }

    static func tensor(_ t: Tensor, labels: [String]? = nil) -> Value {
        .host(TensorValue(t, labels: labels))
    }

    /// A builtin. `help` says what it does; `help()` prints the signature first, generated
    /// from `parameters`, so the text never restates it.
    static func builtin(_ name: String, _ parameters: [Language.Parameter], _ help: String,
                        variadic: String? = nil, _ body: @escaping (BoundArguments) throws -> Value) -> Builtin {
        Builtin(name: name, parameters: parameters, variadic: variadic, help: help, body: body)
    }
}

/// A function of one tensor that is both a builtin (`sum(A, axis: 1)`) and a method
/// (`A.sum(axis: 1)`), defined once.
///
/// `@unchecked Sendable` so the table can be built once: a function is never changed after
/// the table is made, its closures capture nothing mutable, and its parameters' defaults
/// are plain numbers and `none`, never shared objects.
struct TensorFunction: @unchecked Sendable {
    let name: String
    /// Parameters after the tensor itself.
    let parameters: [Language.Parameter]
    let help: String
    /// Computes the result from the tensor value and the bound arguments.
    let apply: (TensorValue, BoundArguments) throws -> Value
    /// For max and min: Python's two-number form, `max(3, 1)` (the second number arrives
    /// as the first extra parameter).
    var twoNumbers: ((Double, Double) -> Double)? = nil

    /// The global builtin: `name(x, …)`. Plain numbers in give a plain number out
    /// (`sqrt(2)`), so the functions double as a calculator.
    var builtin: Builtin {
        Kit.builtin(name, [Kit.p("x")] + parameters, help) { args in
            let x = args["x"]
            if let pair = twoNumbers, let a = x.number, let second = parameters.first, let b = args[second.name].number {
                // max(1, 2, 3) bound 3 to keepdims and answered 2: Python's max of three.
                if parameters.count > 1, args[parameters[1].name].number != nil {
                    throw RuntimeError("\(name)() of numbers compares two, \(name)(a, b); the third number would be read as keepdims",
                                       hint: "put more numbers in a list: \(name)([1, 2, 3])")
                }
                return .number(pair(a, b))
            }
            let input = try TensorValue(Conversions.tensor(x, what: "\(name)()'s argument"),
                                        labels: x.tensorValue?.labels)
            let result = try apply(input, args)
            if x.number != nil, let t = result.tensorValue?.tensor, t.isScalar {
                return .number(Conversions.double(t.scalars[0]))
            }
            return result
        }
    }

    /// The method bound to one tensor: `x.name(…)`.
    func method(of value: TensorValue) -> Builtin {
        Kit.builtin(name, parameters, help) { args in try apply(value, args) }
    }
}
