/// A parameter of a builtin or user function.
public struct Parameter {
    public var name: String
    /// Nil when the argument is required.
    public var defaultValue: Value?
    /// Only given by keyword (`print(a, b, sep: ", ")`); shown after `*variadic`.
    public var isKeywordOnly: Bool

    /// A required parameter.
    public init(_ name: String) {
        self.init(name: name, defaultValue: nil)
    }

    /// An optional parameter. (Non-optional on purpose: `default: .none` then means
    /// Language's `none`, never "no default".)
    public init(_ name: String, default defaultValue: Value, keywordOnly: Bool = false) {
        self.init(name: name, defaultValue: defaultValue, isKeywordOnly: keywordOnly)
    }

    init(name: String, defaultValue: Value?, isKeywordOnly: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.isKeywordOnly = isKeywordOnly
    }

    /// `dim` or `dim=4`, as in signatures.
    var display: String {
        guard let defaultValue else { return name }
        return "\(name)=\(defaultValue.repr)"
    }
}

/// A function implemented in Swift: Language's core set and everything the host adds.
///
/// The interpreter binds arguments to `parameters` before calling `body`, so every
/// builtin gets the same checks and the same messages (`missing argument 'dim'`,
/// `unexpected keyword 'dims' — did you mean 'dim'?`) for free.
public struct Builtin {
    public var name: String
    public var parameters: [Parameter]
    /// The name under which extra positional arguments are collected (`print(*values)`);
    /// nil when extra arguments are an error.
    public var variadic: String?
    /// One line for `help(name)`.
    public var help: String
    public var body: (BoundArguments) throws -> Value
    /// More for `help(name)` after the one line, made when asked: what a model builtin
    /// returns (its weights and members), read off an example it builds.
    public var details: (() -> String)?

    public init(
        name: String, parameters: [Parameter] = [], variadic: String? = nil, help: String,
        body: @escaping (BoundArguments) throws -> Value
    ) {
        self.name = name
        self.parameters = parameters
        self.variadic = variadic
        self.help = help
        self.body = body
    }

    /// `embed(words, dim=4, seed=0)`.
    public var signature: String { Arguments.signature(name, parameters, variadic) }
}

/// Arguments as written at a call, before binding.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(name: String, value: Value)]

    public init(_ positional: [Value] = [], keywords: [(name: String, value: Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    /// Matches the arguments to `parameters`, Python style: positional ones in order,
    /// then keywords by name, then defaults. Throws a `RuntimeError` naming `callee` on
    /// too many or missing arguments and on unknown or repeated keywords.
    public func bind(
        to parameters: [Parameter], variadic: String? = nil, callee: String, context: CallContext
    ) throws -> BoundArguments {
        var values = [Value?](repeating: nil, count: parameters.count)
        var rest: [Value] = []
        let slots = parameters.indices.filter { !parameters[$0].isKeywordOnly }
        for (index, value) in positional.enumerated() {
            if index < slots.count {
                values[slots[index]] = value
            } else if variadic != nil {
                rest.append(value)
            } else {
                throw RuntimeError("\(callee)() takes \(Arguments.count(parameters)) but \(positional.count) were given")
            }
        }
        for (name, value) in keywords {
            guard let index = parameters.firstIndex(where: { $0.name == name }) else {
                let suggestion = Suggestion.phrase(for: name, among: parameters.map(\.name))
                let hint: String?
                if parameters.isEmpty {
                    hint = "\(callee)() takes no keyword arguments"
                } else {
                    hint = suggestion.isEmpty ? "its parameters are: " + parameters.map(\.name).joined(separator: ", ") : nil
                }
                throw RuntimeError("\(callee)() got an unexpected keyword '\(name)'\(suggestion)", hint: hint)
            }
            if values[index] != nil {
                throw RuntimeError("\(callee)() got multiple values for argument '\(name)'")
            }
            values[index] = value
        }
        var bound: [Value] = []
        for (index, parameter) in parameters.enumerated() {
            guard let value = values[index] ?? parameter.defaultValue else {
                let missing = parameters.indices.filter { values[$0] == nil && parameters[$0].defaultValue == nil }
                let names = missing.map { "'\(parameters[$0].name)'" }.joined(separator: ", ")
                let noun = missing.count == 1 ? "argument" : "arguments"
                throw RuntimeError("\(callee)() missing \(noun) \(names)", hint: "call it as \(Arguments.signature(callee, parameters, variadic))")
            }
            bound.append(value)
        }
        return BoundArguments(callee: callee, names: parameters.map(\.name), values: bound, rest: rest, context: context)
    }

    /// "2 arguments", "1 to 3 arguments", "at most 1 argument", "no arguments".
    static func count(_ parameters: [Parameter]) -> String {
        let parameters = parameters.filter { !$0.isKeywordOnly }
        let required = parameters.filter { $0.defaultValue == nil }.count
        let total = parameters.count
        if total == 0 { return "no arguments" }
        let noun = total == 1 ? "argument" : "arguments"
        if required == total { return "\(total) \(noun)" }
        return required == 0 ? "at most \(total) \(noun)" : "\(required) to \(total) arguments"
    }

    static func signature(_ callee: String, _ parameters: [Parameter], _ variadic: String?) -> String {
        var parts = parameters.filter { !$0.isKeywordOnly }.map(\.display)
        if let variadic { parts.append("*" + variadic) }
        parts += parameters.filter(\.isKeywordOnly).map(\.display)
        return "\(callee)(" + parts.joined(separator: ", ") + ")"
    }
}

/// Arguments matched to parameters, with typed accessors whose errors name the callee
/// and the parameter: `range() expects 'stop' to be a whole number, got 2.5`.
public struct BoundArguments {
    public let callee: String
    let names: [String]
    let values: [Value]
    /// Extra positional arguments collected by a variadic builtin.
    public let rest: [Value]
    /// The interpreter and the call's location, for builtins that print, call back, or
    /// look at the environment.
    public let context: CallContext

    /// The argument bound to `name`, or `none` if there is no such parameter.
    public subscript(_ name: String) -> Value {
        guard let index = names.firstIndex(of: name) else { return .none }
        return values[index]
    }

    /// All bound arguments in parameter order.
    public var all: [(name: String, value: Value)] {
        Array(zip(names, values)).map { (name: $0.0, value: $0.1) }
    }

    func mismatch(_ name: String, _ expected: String) -> RuntimeError {
        RuntimeError("\(callee)() expects '\(name)' to be \(expected), got \(describe(self[name]))")
    }

    private func describe(_ value: Value) -> String {
        switch value {
        case .number, .bool, .none: return value.repr
        default: return value.kindPhrase
        }
    }

    /// A number, or a host value standing for one (a one-element tensor).
    public func number(_ name: String) throws -> Double {
        switch self[name] {
        case .number(let value): return value
        case .host(let host) where host.scalarValue != nil: return host.scalarValue ?? 0
        default: throw mismatch(name, "a number")
        }
    }

    /// A whole number, or a host value standing for one.
    public func integer(_ name: String) throws -> Int {
        if let value = self[name].integer { return value }
        if case .host(let host) = self[name], let v = host.scalarValue, let whole = Int(exactly: v) { return whole }
        throw mismatch(name, "a whole number")
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let value) = self[name] else { throw mismatch(name, "a string") }
        return value
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let value) = self[name] else { throw mismatch(name, "true or false") }
        return value
    }

    public func list(_ name: String) throws -> [Value] {
        guard case .list(let value) = self[name] else { throw mismatch(name, "a list") }
        return value
    }

    public func host<T: HostValue>(_ name: String, as type: T.Type, described: String? = nil) throws -> T {
        guard case .host(let value) = self[name], let typed = value as? T else {
            throw mismatch(name, described ?? "a \(T.self)")
        }
        return typed
    }
}
