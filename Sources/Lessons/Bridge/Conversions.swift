import Language
import Tensor

/// Turning language values into tensors, numbers and indices — with messages that say
/// what was expected where.
enum Conversions {
    /// A tensor from a tensor, a number, a boolean, or a (nested) list of numbers.
    static func tensor(_ value: Value, what: String) throws -> Tensor {
        switch value {
        case .host(let host):
            if let t = host as? TensorValue { return t.tensor }
            throw RuntimeError("\(what) must be a tensor or a number, got \(value.kindPhrase)")
        case .number(let n): return Tensor(Float(n))
        case .bool(let b): return Tensor(b ? 1 : 0)
        case .list(let items): return try nested(items, what: what)
        default: throw RuntimeError("\(what) must be a tensor or a number, got \(value.kindPhrase)")
        }
    }

    /// `[[1, 2], [3, 4]]` → a (2, 2) tensor. Rows must have equal shapes. The size the
    /// first elements promise is checked against the memory budget before anything is
    /// made, and a list that appears in several places (`x = [x, x]`) is converted once.
    static func nested(_ items: [Value], what: String) throws -> Tensor {
        try MemoryBudget.reserve(promisedShape(items), op: what)
        var converted: [UnsafeRawPointer: Tensor] = [:]
        return try nested(items, what: what, converted: &converted)
    }

    private static func nested(_ items: [Value], what: String, converted: inout [UnsafeRawPointer: Tensor]) throws -> Tensor {
        if items.isEmpty { return Tensor([Float]()) }
        let key = Value.storage(of: items)
        if let key, let known = converted[key] { return known }
        let parts = try items.map { item in
            if case .list(let inner) = item { return try nested(inner, what: what, converted: &converted) }
            return try tensor(item, what: what)
        }
        guard let first = parts.first else { return Tensor([Float]()) }
        for (i, p) in parts.enumerated() where p.shape != first.shape {
            throw RuntimeError("\(what): element \(i) has shape \(formatShape(p.shape)) but element 0 has \(formatShape(first.shape))",
                               hint: "every row of a tensor literal must have the same length")
        }
        let result = try Tensor(shape: [parts.count] + first.shape, scalars: parts.flatMap(\.scalars))
        if let key { converted[key] = result }
        return result
    }

    /// The shape a nested list would have if every row were like its first one.
    private static func promisedShape(_ items: [Value]) -> [Int] {
        var shape = [items.count], row = items.first
        while let value = row {
            switch value {
            case .list(let inner):
                shape.append(inner.count)
                row = inner.first
            case .host(let host as TensorValue):
                return shape + host.tensor.shape
            default:
                return shape
            }
        }
        return shape
    }

    /// Whether a list literal should become a tensor: all elements numbers, booleans,
    /// tensors, or lists that would (each distinct list looked at once).
    static func isNumeric(_ items: [Value]) -> Bool {
        var seen = Set<UnsafeRawPointer>()
        return isNumeric(items, seen: &seen)
    }

    private static func isNumeric(_ items: [Value], seen: inout Set<UnsafeRawPointer>) -> Bool {
        guard !items.isEmpty else { return false }
        if let key = Value.storage(of: items), !seen.insert(key).inserted { return true }
        return items.allSatisfy { item in
            switch item {
            case .number, .bool: true
            case .host(let h): h is TensorValue
            case .list(let inner): isNumeric(inner, seen: &seen)
            default: false
            }
        }
    }

    /// The tensors of a list — or the rows of a tensor, since `[a, b]` written with equal
    /// tensors a and b arrives as one stacked tensor.
    static func parts(_ value: Value, what: String) throws -> [Tensor] {
        if case .list(let items) = value { return try items.map { try tensor($0, what: what) } }
        if let t = value.tensorValue?.tensor, t.rank >= 1 {
            return try (0..<t.shape[0]).map { try t.select(index: $0) }
        }
        throw RuntimeError("\(what) must be a list of tensors, got \(value.kindPhrase)")
    }

    /// A 32-bit result as the language's number, by its shortest decimal: round(2.5678, 2)
    /// is 2.57, not 2.569999933242798 (the Float's exact value in Double).
    static func double(_ f: Float) -> Double {
        Double(f.description) ?? Double(f)
    }

    /// A whole number from a number or a one-element tensor.
    static func integer(_ value: Value, what: String) throws -> Int {
        if let i = value.integer { return i }
        if let t = value.tensorValue?.tensor, t.count == 1, let i = Int(exactly: t.scalars[0]) { return i }
        throw RuntimeError("\(what) must be a whole number, got \(value.kindPhrase)")
    }

    /// A number from a number or a one-element tensor.
    static func number(_ value: Value, what: String) throws -> Double {
        if let n = value.number { return n }
        if let t = value.tensorValue?.tensor, t.count == 1 { return Double(t.scalars[0]) }
        throw RuntimeError("\(what) must be a number, got \(value.kindPhrase)")
    }

    /// Whole numbers from a list, a tensor of whole numbers, or a single number.
    static func indexList(_ value: Value, what: String) throws -> [Int] {
        switch value {
        case .list(let items): return try items.map { try integer($0, what: what) }
        case .number: return [try integer(value, what: what)]
        case .host:
            guard let t = value.tensorValue?.tensor else { break }
            return try t.scalars.map { v in
                guard let i = Int(exactly: v) else { throw RuntimeError("\(what) must be whole numbers, got \(v)") }
                return i
            }
        default: break
        }
        throw RuntimeError("\(what) must be a whole number or a list of them, got \(value.kindPhrase)")
    }

    /// A shape from a list of whole numbers (or one number).
    static func shape(_ value: Value, what: String = "shape") throws -> [Int] {
        try indexList(value, what: what)
    }

    /// An optional axis: `none` means all.
    static func axis(_ value: Value) throws -> Int? {
        if value.isNone { return nil }
        return try integer(value, what: "axis")
    }

    /// A list of strings (token labels).
    static func strings(_ value: Value, what: String) throws -> [String] {
        guard case .list(let items) = value else {
            throw RuntimeError("\(what) must be a list of strings, got \(value.kindPhrase)")
        }
        return try items.map { item in
            guard case .string(let s) = item else { throw RuntimeError("\(what) must be a list of strings, found \(item.kindPhrase)") }
            return s
        }
    }

    /// A seed: a non-negative whole number.
    static func seed(_ value: Value) throws -> UInt64 {
        let range = "seed must be a whole number from 0 to 2**63 - 1"
        if let n = value.number, n == n.rounded(), Int(exactly: n) == nil { throw RuntimeError("\(range), got \(Value.format(n))") }
        let s = try integer(value, what: "seed")
        guard s >= 0 else { throw RuntimeError("\(range), got \(s)") }
        return UInt64(s)
    }
}

extension BoundArguments {
    /// The `seed` argument as the generator takes it: a whole number ≥ 0.
    func seed() throws -> UInt64 {
        try Conversions.seed(self["seed"])
    }
}
