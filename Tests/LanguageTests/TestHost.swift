@testable import Language

/// A tiny vector with value semantics, standing in for a tensor: every path of the host
/// bridge that a real tensor uses is exercised through it.
struct Vec: HostValue {
    var items: [Double]

    var typeName: String { "Vec" }
    var description: String { "Vec(" + items.map(Value.format).joined(separator: ", ") + ")" }
    var memberNames: [String] { ["T", "len", "sum"] }
    var length: Int? { items.count }

    func member(named name: String) throws -> Value? {
        switch name {
        case "len": return .number(Double(items.count))
        case "T": return .host(self)
        case "sum": return .number(items.reduce(0, +))
        default: return nil
        }
    }

    func subscripted(by parts: [SubscriptPart]) throws -> Value {
        guard parts.count == 1, let part = parts.first else { throw RuntimeError("a Vec takes one index, got \(parts.count)") }
        switch part {
        case .index(let index):
            guard let position = SubscriptPart.position(index, count: items.count) else {
                throw RuntimeError("Vec index \(index) out of range for length \(items.count)")
            }
            return .number(items[position])
        case .slice(let start, let stop, let step):
            return .host(Vec(items: SubscriptPart.indices(start: start, stop: stop, step: step, count: items.count).map { items[$0] }))
        case .value(let value):
            throw RuntimeError("a Vec cannot be indexed by \(value.kindPhrase)")
        }
    }

    func settingSubscript(_ parts: [SubscriptPart], to value: Value) throws -> Value {
        guard case .number(let number) = value else { throw RuntimeError("Vec elements must be numbers, got \(value.kindPhrase)") }
        guard parts.count == 1, let part = parts.first else { throw RuntimeError("a Vec takes one index") }
        var copy = self
        switch part {
        case .index(let index):
            guard let position = SubscriptPart.position(index, count: items.count) else {
                throw RuntimeError("Vec index \(index) out of range for length \(items.count)")
            }
            copy.items[position] = number
        case .slice(let start, let stop, let step):
            for position in SubscriptPart.indices(start: start, stop: stop, step: step, count: items.count) {
                copy.items[position] = number
            }
        case .value:
            throw RuntimeError("a Vec takes whole-number indices")
        }
        return .host(copy)
    }

    func binary(_ op: BinaryOperator, _ other: Value, hostOnLeft: Bool) throws -> Value? {
        let others: [Double]
        switch other {
        case .number(let number): others = Array(repeating: number, count: items.count)
        case .host(let host as Vec):
            guard host.items.count == items.count else {
                throw VecError(message: "Vec lengths differ: \(items.count) and \(host.items.count)")
            }
            others = host.items
        default: return nil
        }
        let (left, right) = hostOnLeft ? (items, others) : (others, items)
        func elementwise(_ f: (Double, Double) -> Double) -> Value { .host(Vec(items: zip(left, right).map(f))) }
        switch op {
        case .add: return elementwise(+)
        case .subtract: return elementwise(-)
        case .multiply: return elementwise(*)
        case .matmul: return .number(zip(left, right).map(*).reduce(0, +))
        case .equal: return .bool(left == right)
        case .contains: return hostOnLeft ? nil : .bool(items.contains(others.first ?? .nan))
        default: return nil
        }
    }

    func unary(_ op: UnaryOperator) throws -> Value? {
        op == .negate ? .host(Vec(items: items.map { -$0 })) : .host(self)
    }

    func iterate() throws -> [Value]? { items.map(Value.number) }

    func truthiness() throws -> Bool {
        guard items.count == 1 else {
            throw RuntimeError("the truth value of a Vec with \(items.count) elements is ambiguous", hint: "use any() or all()")
        }
        return items[0] != 0
    }

    func copy(using copier: Copier) -> any HostValue { self }
}

/// A host error that is not a `RuntimeError`: its description must become the message.
struct VecError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A mutable, callable object with reference semantics, standing in for a model.
final class Counter: HostValue {
    var count: Double
    var v: Vec
    var partner: Counter?

    init(count: Double = 0, v: Vec = Vec(items: [0, 0, 0])) {
        self.count = count
        self.v = v
    }

    var typeName: String { "Counter" }
    var description: String { "Counter(count: \(Value.format(count)))" }
    var memberNames: [String] { ["count", "partner", "v"] }
    var helpText: String? { "Counter(start=0): counts calls; members count, v, partner" }

    func member(named name: String) throws -> Value? {
        switch name {
        case "count": return .number(count)
        case "v": return .host(v)
        case "partner": return partner.map { .host($0) } ?? Value.none
        default: return nil
        }
    }

    func setMember(named name: String, to value: Value) throws {
        switch (name, value) {
        case ("count", .number(let number)): count = number
        case ("v", .host(let vec as Vec)): v = vec
        case ("partner", .host(let other as Counter)): partner = other
        case ("count", _), ("v", _), ("partner", _):
            throw RuntimeError("Counter.\(name) cannot be set to \(value.kindPhrase)")
        default:
            throw RuntimeError("Counter has no member '\(name)' to set")
        }
    }

    func call(_ arguments: Arguments, context: CallContext) throws -> Value {
        let bound = try context.bind(arguments, to: [Parameter("by", default: 1)], callee: "counter")
        count += try bound.number("by")
        return .number(count)
    }

    func copy(using copier: Copier) -> any HostValue {
        let copied = Counter(count: count, v: v)
        copier.register(self, copied)
        copied.partner = partner.map { copier.copy($0) }
        return copied
    }
}

struct Interrupted: Error, CustomStringConvertible {
    var description: String { "interrupted" }
}

/// Records everything the interpreter tells it, as text lines scripts can check.
final class TestHost: Host {
    var output = ""
    var checks: [CheckResult] = []
    var traces: [SourceSpan] = []
    var shown: [(value: Value, span: SourceSpan)] = []
    /// Whether numeric list literals become `Vec`s, as a real host turns them into tensors.
    var convertsLiterals: Bool
    /// Throw from `checkInterrupt` after this many calls, like a Ctrl-C.
    var interruptAfter: Int?
    var interruptChecks = 0

    init(convertsLiterals: Bool = false) {
        self.convertsLiterals = convertsLiterals
    }

    func arrayLiteral(_ elements: [Value]) throws -> Value? {
        guard convertsLiterals, !elements.isEmpty else { return nil }
        let numbers = elements.compactMap(\.number)
        return numbers.count == elements.count ? .host(Vec(items: numbers)) : nil
    }

    func approxEqual(_ a: Value, _ b: Value, tolerance: Tolerance) throws -> ApproxResult? {
        func numbers(_ value: Value) -> [Double]? {
            switch value {
            case .host(let vec as Vec): return vec.items
            case .number(let number): return [number]
            default: return nil
            }
        }
        guard case .host = a, let left = numbers(a), let right = numbers(b) else {
            guard case .host = b, let left = numbers(a), let right = numbers(b) else { return nil }
            return compare(left, right, tolerance)
        }
        return compare(left, right, tolerance)
    }

    private func compare(_ left: [Double], _ right: [Double], _ tolerance: Tolerance) -> ApproxResult {
        let count = max(left.count, right.count)
        guard left.count == right.count || left.count == 1 || right.count == 1 else {
            return ApproxResult(isClose: false, detail: "lengths differ: \(left.count) and \(right.count)")
        }
        var worst: (difference: Double, index: Int)?
        for index in 0..<count {
            let x = left[left.count == 1 ? 0 : index], y = right[right.count == 1 ? 0 : index]
            if !tolerance.isClose(x, y), abs(x - y) > (worst?.difference ?? -1) { worst = (abs(x - y), index) }
        }
        guard let worst else { return ApproxResult(isClose: true) }
        return ApproxResult(isClose: false, detail: "largest difference \(Value.format(worst.difference)) at [\(worst.index)]")
    }

    func trace(_ span: SourceSpan, _ body: () throws -> Value) throws -> Value {
        traces.append(span)
        output += "trace: \(span.text)\n"
        return try body()
    }

    func show(_ value: Value, span: SourceSpan) {
        shown.append((value, span))
        output += value.repr + "\n"
    }

    func write(_ text: String) { output += text }

    func report(_ check: CheckResult) {
        checks.append(check)
        output += check.passed ? "check passed: \(check.span.text)\n" : "check failed: \(check.span.text): \(check.message)\n"
    }

    func checkInterrupt() throws {
        interruptChecks += 1
        if let limit = interruptAfter, interruptChecks > limit { throw Interrupted() }
    }

    /// The builtins scripts use to make host values.
    static var builtins: [Builtin] {
        [
            Builtin(name: "vec", variadic: "values", help: "A Vec of the numbers given.") { args in
                .host(Vec(items: try args.rest.map { value in
                    guard let number = value.number else { throw RuntimeError("vec() takes numbers, got \(value.kindPhrase)") }
                    return number
                }))
            },
            Builtin(name: "Counter", parameters: [Parameter("start", default: 0)], help: "A counter object.") { args in
                .host(Counter(count: try args.number("start")))
            },
            Builtin(name: "fail", parameters: [Parameter("message")], help: "Throws a host error.") { args in
                throw VecError(message: try args.string("message"))
            },
            Builtin(name: "apply", parameters: [Parameter("f"), Parameter("x")], help: "Calls f(x) from host code.") { args in
                try args.context.call(args["f"], Arguments([args["x"]]))
            },
            Builtin(name: "SelfAttention", parameters: [Parameter("dim"), Parameter("heads", default: 1)], help: "A stand-in model.") { args in
                .host(Counter(count: try args.number("dim") * 10 + (try args.number("heads"))))
            },
        ]
    }
}

/// A fresh interpreter over a fresh environment with the test builtins.
func makeInterpreter(_ host: TestHost, budget: Int = 1_000_000) -> Interpreter {
    Interpreter(environment: Environment(builtins: TestHost.builtins), host: host, options: .init(stepBudget: budget))
}
