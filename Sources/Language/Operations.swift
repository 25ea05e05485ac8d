/// Operators, truthiness, equality and iteration on values.
///
/// Numbers, strings, booleans and lists are handled here; host values are asked first
/// and Language only falls back when they decline. Errors are `RuntimeError`s without a
/// location; the interpreter adds it.
enum Operations {
    static func truthy(_ value: Value) throws -> Bool {
        switch value {
        case .none: return false
        case .bool(let flag): return flag
        case .number(let number): return number != 0
        case .string(let text): return !text.isEmpty
        case .list(let items): return !items.isEmpty
        case .function, .builtin: return true
        case .host(let host): return try host.truthiness()
        }
    }

    static func binary(_ op: BinaryOperator, _ left: Value, _ right: Value) throws -> Value {
        if case .host(let host) = left, let result = try host.binary(op, right, hostOnLeft: true) { return result }
        if case .host(let host) = right, let result = try host.binary(op, left, hostOnLeft: false) { return result }
        switch op {
        case .equal: return .bool(try equal(left, right))
        case .notEqual: return .bool(!(try equal(left, right)))
        case .contains: return .bool(try contains(left, in: right))
        case .less, .lessEqual, .greater, .greaterEqual: return .bool(try compare(op, left, right))
        default: return try arithmetic(op, left, right)
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ left: Value, _ right: Value) throws -> Value {
        switch (left, right) {
        case (.number(let a), .number(let b)):
            return .number(try number(op, a, b))
        case (.string(let a), .string(let b)) where op == .add:
            try Limits.checkString(a.utf8.count + b.utf8.count)
            return .string(a + b)
        case (.list(let a), .list(let b)) where op == .add:
            try Limits.checkLength(a.count + b.count)
            return .list(a + b)
        default:
            throw unsupported(op, left, right)
        }
    }

    /// Arithmetic on two numbers. Division (`/`, `//`, `%`) by zero is an error, as in
    /// Python, rather than IEEE's quiet `inf`/`nan`: a student dividing by a norm that
    /// came out zero should hear about it where it happened. Overflow stays IEEE.
    static func number(_ op: BinaryOperator, _ a: Double, _ b: Double) throws -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide:
            guard b != 0 else { throw RuntimeError("division by zero") }
            return a / b
        case .floorDivide:
            guard b != 0 else { throw RuntimeError("division by zero") }
            return (a / b).rounded(.down)
        case .modulo:
            guard b != 0 else { throw RuntimeError("division by zero (in '%')") }
            var remainder = a.truncatingRemainder(dividingBy: b)
            if remainder != 0 && (remainder < 0) != (b < 0) { remainder += b }
            return remainder
        case .power: return Numbers.power(a, b)
        case .matmul:
            throw RuntimeError("'@' is the matrix product and needs tensors, but both sides are numbers",
                               hint: "to multiply numbers, use '*'")
        default:
            throw unsupported(op, .number(a), .number(b))
        }
    }

    static func unsupported(_ op: BinaryOperator, _ left: Value, _ right: Value) -> RuntimeError {
        var hint: String?
        switch (left, right) {
        case (.string, .number), (.number, .string):
            hint = op == .add ? "convert the number with str(x) first" : nil
        case (.list, _), (_, .list):
            hint = op == .add ? nil : "lists are not tensors; arithmetic on lists is only '+' (joining)"
        default:
            break
        }
        return RuntimeError("unsupported operand types for '\(op.rawValue)': \(left.kindPhrase) and \(right.kindPhrase)", hint: hint)
    }

    static func compare(_ op: BinaryOperator, _ left: Value, _ right: Value) throws -> Bool {
        switch (left, right) {
        case (.number(let a), .number(let b)):
            switch op {
            case .less: return a < b
            case .lessEqual: return a <= b
            case .greater: return a > b
            default: return a >= b
            }
        case (.string(let a), .string(let b)):
            switch op {
            case .less: return a < b
            case .lessEqual: return a <= b
            case .greater: return a > b
            default: return a >= b
            }
        default:
            throw RuntimeError("cannot compare \(left.kindPhrase) and \(right.kindPhrase) with '\(op.rawValue)'")
        }
    }

    /// Structural equality; host values are asked (`==`) and otherwise equal only to
    /// themselves.
    static func equal(_ a: Value, _ b: Value) throws -> Bool {
        var equalLists = Set<ListPair>()
        return try equal(a, b, known: &equalLists)
    }

    /// Two lists' storage. Lists share their parts (`x = [x, x]`), so a pair found equal
    /// is remembered and a list is equal to itself at once (as Python's `x == x` is, NaN
    /// inside or not): comparing is linear in the distinct lists, not in the paths.
    struct ListPair: Hashable {
        let left: UnsafeRawPointer, right: UnsafeRawPointer
    }

    private static func equal(_ a: Value, _ b: Value, known: inout Set<ListPair>) throws -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            let pair = x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in
                p.baseAddress.flatMap { l in q.baseAddress.map { ListPair(left: UnsafeRawPointer(l), right: UnsafeRawPointer($0)) } }
            } }
            if let pair, pair.left == pair.right || known.contains(pair) { return true }
            for (p, q) in zip(x, y) where !(try equal(p, q, known: &known)) { return false }
            if let pair { known.insert(pair) }
            return true
        case (.function(let f), .function(let g)): return f === g
        case (.builtin(let f), .builtin(let g)): return f.name == g.name
        case (.host(let host), _):
            if let result = try host.binary(.equal, b, hostOnLeft: true) { return try truthy(result) }
            return identical(a, b)
        case (_, .host(let host)):
            if let result = try host.binary(.equal, a, hostOnLeft: false) { return try truthy(result) }
            return false
        default: return false
        }
    }

    /// `a is b`: the same object for host objects and functions; equality otherwise
    /// (its use is `x is none`).
    static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.host(let x), .host(let y)):
            guard let p = x.objectIdentity, let q = y.objectIdentity else { return false }
            return p == q
        case (.host, _), (_, .host): return false
        default: return (try? equal(a, b)) ?? false
        }
    }

    static func contains(_ item: Value, in container: Value) throws -> Bool {
        switch container {
        case .list(let items):
            for element in items where try equal(item, element) { return true }
            return false
        case .string(let text):
            guard case .string(let part) = item else {
                throw RuntimeError("'in' on a string needs a string on its left, got \(item.kindPhrase)")
            }
            return part.isEmpty || text.contains(part)
        default:
            throw RuntimeError("'in' needs a list, a string or a host collection on its right, got \(container.kindPhrase)")
        }
    }

    static func unary(_ op: UnaryOperator, _ value: Value) throws -> Value {
        switch value {
        case .number(let x): return .number(op == .negate ? -x : x)
        case .host(let host):
            if let result = try host.unary(op) { return result }
        default: break
        }
        throw RuntimeError("bad operand for unary '\(op.rawValue)': \(value.kindPhrase)")
    }

    /// What `for x in value` visits.
    static func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .list(let items): return items
        case .string(let text): return text.map { .string(String($0)) }
        case .host(let host):
            if let items = try host.iterate() { return items }
        default: break
        }
        let hint: String? = value.number != nil ? "use range(n) to count from 0 to n-1" : nil
        throw RuntimeError("cannot loop over \(value.kindPhrase)", hint: hint)
    }

    /// `a, b = value`.
    static func unpack(_ value: Value, into count: Int) throws -> [Value] {
        let items: [Value]
        switch value {
        case .list(let list): items = list
        case .host(let host):
            guard let iterated = try host.iterate() else {
                throw RuntimeError("cannot unpack \(value.kindPhrase) into \(count) targets")
            }
            items = iterated
        default:
            throw RuntimeError("cannot unpack \(value.kindPhrase) into \(count) targets")
        }
        guard items.count == count else {
            let noun = items.count == 1 ? "value" : "values"
            throw RuntimeError("cannot unpack \(items.count) \(noun) into \(count) targets")
        }
        return items
    }

    static func member(_ value: Value, _ name: String) throws -> Value {
        if case .host(let host) = value {
            if let member = try host.member(named: name) { return member }
            let suggestion = Suggestion.phrase(for: name, among: host.memberNames)
            let hint: String? = host.memberNames.isEmpty || !suggestion.isEmpty ? nil
                : "its members are: " + host.memberNames.joined(separator: ", ")
            throw RuntimeError("\(value.kindPhrase) has no member '\(name)'\(suggestion)", hint: hint)
        }
        var hint: String?
        if case .list = value {
            switch name {
            case "append", "extend", "insert": hint = "lists are values: write xs = xs + [item]"
            case "len", "length", "size", "count": hint = "use len(xs)"
            default: break
            }
        }
        throw RuntimeError("\(value.kindPhrase) has no member '\(name)'", hint: hint)
    }

    static func setMember(_ value: Value, _ name: String, _ newValue: Value) throws {
        guard case .host(let host) = value else {
            throw RuntimeError("cannot set member '\(name)' on \(value.kindPhrase)")
        }
        try host.setMember(named: name, to: newValue)
    }
}

extension Value {
    /// Whether `if value:` would take the branch (a host value decides for itself and may
    /// refuse, like a tensor of several numbers).
    public func truthiness() throws -> Bool {
        try Operations.truthy(self)
    }
}
