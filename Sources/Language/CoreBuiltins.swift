/// Language's own small set of builtins: printing, sizes, conversions, simple maths on
/// numbers and lists. A host registers the rest (and may replace any of these, for
/// example to make `abs` or `sum` work on tensors).
enum CoreBuiltins {
    /// A fresh table each time: builtins hold closures, and there are no mutable globals.
    static func all() -> [Builtin] {
        [
            Builtin(
                name: "print", parameters: [Parameter("sep", default: " ", keywordOnly: true), Parameter("end", default: "\n", keywordOnly: true)],
                variadic: "values", help: "Print the values, separated by sep (a space), followed by end (a new line)."
            ) { args in
                let text = try args.rest.map { try Limits.printable($0) }.joined(separator: try args.string("sep")) + (try args.string("end"))
                args.context.host.write(text)
                return .none
            },
            Builtin(name: "len", parameters: [Parameter("x")], help: "The number of elements of a list, string or tensor.") { args in
                switch args["x"] {
                case .list(let items): return .number(Double(items.count))
                case .string(let text): return .number(Double(text.count))
                case .host(let host):
                    if let length = host.length { return .number(Double(length)) }
                    if let items = try host.iterate() { return .number(Double(items.count)) }
                default: break
                }
                throw RuntimeError("len() cannot measure \(args["x"].kindPhrase)")
            },
            Builtin(
                name: "range", parameters: [Parameter("start"), Parameter("stop", default: .none), Parameter("step", default: 1)],
                help: "range(n) counts 0, 1, …, n-1; range(a, b, step) counts from a up to (not including) b."
            ) { args in try range(args) },
            Builtin(name: "str", parameters: [Parameter("x", default: "")], help: "The value as text.") { args in
                .string(try Limits.printable(args["x"]))
            },
            Builtin(name: "type", parameters: [Parameter("x")], help: "The name of the value's type.") { args in
                .string(args["x"].typeName)
            },
            Builtin(name: "abs", parameters: [Parameter("x")], help: "Absolute value of a number.") { args in
                .number(abs(try args.number("x")))
            },
            Builtin(name: "round", parameters: [Parameter("x"), Parameter("digits", default: 0)],
                    help: "The number rounded to the given number of decimal digits.") { args in
                let x = try args.number("x")
                let digits = try args.integer("digits")
                guard (-300...300).contains(digits) else { throw RuntimeError("round() needs 'digits' between -300 and 300") }
                let scale = Numbers.power(10, Double(digits))
                return .number((x * scale).rounded() / scale)
            },
            Builtin(name: "int", parameters: [Parameter("x")], help: "A number or numeric string, truncated to a whole number.") { args in
                .number(try toNumber(args, "int").rounded(.towardZero))
            },
            Builtin(name: "float", parameters: [Parameter("x")], help: "A number or numeric string as a number.") { args in
                .number(try toNumber(args, "float"))
            },
            Builtin(name: "bool", parameters: [Parameter("x")], help: "true or false, as 'if' would decide.") { args in
                .bool(try Operations.truthy(args["x"]))
            },
            Builtin(name: "min", variadic: "values", help: "The smallest of the numbers given, or of one list.") { args in
                try extreme(args, "min", .less)
            },
            Builtin(name: "max", variadic: "values", help: "The largest of the numbers given, or of one list.") { args in
                try extreme(args, "max", .greater)
            },
            Builtin(name: "sum", parameters: [Parameter("values"), Parameter("start", default: 0)],
                    help: "The sum of a list's elements, added to start.") { args in
                try Operations.iterate(args["values"]).reduce(args["start"]) { try Operations.binary(.add, $0, $1) }
            },
            Builtin(name: "list", parameters: [Parameter("x", default: [])], help: "The elements of x as a list.") { args in
                .list(try Operations.iterate(args["x"]))
            },
            Builtin(name: "enumerate", parameters: [Parameter("x"), Parameter("start", default: 0)],
                    help: "Pairs [index, element] for each element.") { args in
                let start = try args.integer("start")
                let items = try Operations.iterate(args["x"])
                try Limits.checkNesting(items)
                return .list(items.enumerated().map { .list([.number(Double(start) + Double($0.offset)), $0.element]) })
            },
            Builtin(name: "zip", variadic: "sequences", help: "Lists of corresponding elements, as long as the shortest.") { args in
                let sequences = try args.rest.map(Operations.iterate)
                let count = sequences.map(\.count).min() ?? 0
                for sequence in sequences { try Limits.checkNesting(sequence) }
                return .list((0..<count).map { index in .list(sequences.map { $0[index] }) })
            },
            Builtin(name: "sqrt", parameters: [Parameter("x")], help: "Square root of a number.") { args in
                .number(try args.number("x").squareRoot())
            },
            Builtin(name: "exp", parameters: [Parameter("x")], help: "e to the power x.") { args in
                .number(Numbers.exponential(try args.number("x")))
            },
            Builtin(name: "log", parameters: [Parameter("x")], help: "Natural logarithm of a number.") { args in
                .number(Numbers.logarithm(try args.number("x")))
            },
            Builtin(name: "help", parameters: [Parameter("x", default: .none)],
                    help: "Explain a function or object; help() lists the builtins.") { args in
                args.context.host.write(helpText(for: args["x"], environment: args.context.environment) + "\n")
                return .none
            },
        ]
    }

    static func range(_ args: BoundArguments) throws -> Value {
        var start = 0
        var stop = try args.integer("start")
        if !args["stop"].isNone {
            start = stop
            stop = try args.integer("stop")
        }
        let step = try args.integer("step")
        guard step != 0 else { throw RuntimeError("range() step cannot be zero") }
        let span = (Double(stop) - Double(start)) / Double(step)
        let count = span > 0 ? Int(exactly: span.rounded(.up)) ?? Int.max : 0
        try Limits.checkLength(count)
        return .list((0..<count).map { .number(Double(start) + Double($0) * Double(step)) })
    }

    static func toNumber(_ args: BoundArguments, _ name: String) throws -> Double {
        switch args["x"] {
        case .number(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            let trimmed = text.filter { !$0.isWhitespace }
            if let number = Double(trimmed) { return number }
            throw RuntimeError("\(name)() cannot read a number from \(Value.quote(text))")
        case .host(let host) where host.scalarValue != nil:
            // A one-number host value (argmax's result, a loss) is that number: int(argmax(A[1])).
            return host.scalarValue ?? 0
        default:
            throw RuntimeError("\(name)() expects a number, a one-number tensor or a string, got \(args["x"].kindPhrase)")
        }
    }

    static func extreme(_ args: BoundArguments, _ name: String, _ op: BinaryOperator) throws -> Value {
        var values = args.rest
        if values.count == 1 { values = try Operations.iterate(values[0]) }
        guard var best = values.first else { throw RuntimeError("\(name)() of nothing: give it numbers or a non-empty list") }
        for value in values.dropFirst() where try Operations.truthy(try Operations.binary(op, value, best)) {
            best = value
        }
        return best
    }

    static func helpText(for value: Value, environment: Environment) -> String {
        switch value {
        case .none:
            let lines = environment.builtinNames.compactMap { environment.builtin(named: $0) }.map { "  \($0.signature) — \($0.help)" }
            return (["Functions available:"] + lines + ["Type help(f) for one of them."]).joined(separator: "\n")
        case .string(let name) where LanguageReference.topic(named: name) != nil:
            let topic = LanguageReference.topic(named: name)!
            return topic.name + " — " + topic.title + "\n" + topic.text
        case .builtin(let builtin):
            return "\(builtin.signature)\n  \(builtin.help)" + (builtin.details.map { "\n" + $0() } ?? "")
        case .function(let function):
            return function.signature + (function.doc.map { "\n  " + $0 } ?? "")
        case .host(let host):
            if let text = host.helpText { return text }
            let members = host.memberNames.isEmpty ? "" : "\n  members: " + host.memberNames.joined(separator: ", ")
            return "\(value.kindPhrase)\(members)"
        default:
            return "\(value.repr) is \(value.kindPhrase)"
        }
    }
}
