/// Reading and functionally updating `container[parts]` for lists and strings; host
/// values are asked.
///
/// Several parts work on nested lists the way NumPy works on arrays: `A[0, 1]` is
/// `A[0][1]`, and `A[:, 0]` takes element 0 of every row.
enum Subscripts {
    /// Checks an evaluated index: numbers must be whole.
    static func part(index value: Value) throws -> SubscriptPart {
        switch value {
        case .number(let number):
            guard let index = Int(exactly: number) else {
                if number == number.rounded() {
                    throw RuntimeError("indices must lie between -2**63 and 2**63 - 1, got \(Value.format(number))")
                }
                throw RuntimeError("indices must be whole numbers, got \(Value.format(number))")
            }
            return .index(index)
        case .bool, .none:
            throw RuntimeError("indices must be whole numbers, got \(value.repr)")
        default:
            return .value(value)
        }
    }

    static func part(start: Value?, stop: Value?, step: Value?) throws -> SubscriptPart {
        func bound(_ value: Value?) throws -> Int? {
            guard let value, !value.isNone else { return nil }
            // A whole number past Int's range is past every end, as in Python: clamp it.
            if let number = value.number, number == number.rounded(), Int(exactly: number) == nil {
                return number > 0 ? Int.max : Int.min
            }
            guard let bound = value.integer else {
                let found = value.number != nil ? value.repr : value.kindPhrase
                throw RuntimeError("slice bounds must be whole numbers or left out, got \(found)")
            }
            return bound
        }
        let step = try bound(step)
        if step == 0 { throw RuntimeError("slice step cannot be zero") }
        return .slice(start: try bound(start), stop: try bound(stop), step: step)
    }

    static func get(_ container: Value, _ parts: [SubscriptPart]) throws -> Value {
        guard let first = parts.first else { return container }
        let rest = Array(parts.dropFirst())
        switch container {
        case .host(let host):
            return try host.subscripted(by: parts)
        case .list(let items):
            switch first {
            case .index(let index):
                let element = items[try position(index, items.count, "list")]
                return try get(element, rest)
            case .slice(let start, let stop, let step):
                let selected = SubscriptPart.indices(start: start, stop: stop, step: step, count: items.count).map { items[$0] }
                if rest.isEmpty { return .list(selected) }
                return .list(try selected.map { try get($0, rest) })
            case .value(let value):
                // A one-number tensor (what argmax gives) holding a whole number indexes too.
                if case .host(let host) = value, let number = host.scalarValue, let whole = Int(exactly: number) {
                    return try get(items[try position(whole, items.count, "list")], rest)
                }
                throw RuntimeError("list indices must be whole numbers or slices, got \(value.kindPhrase)",
                                   hint: { if case .host = value { "int(x) makes a one-number tensor a plain number" } else { nil } }())
            }
        case .string(let text):
            guard rest.isEmpty else { throw RuntimeError("a string takes a single index, got \(parts.count)") }
            let characters = Array(text)
            switch first {
            case .index(let index):
                return .string(String(characters[try position(index, characters.count, "string")]))
            case .slice(let start, let stop, let step):
                let selected = SubscriptPart.indices(start: start, stop: stop, step: step, count: characters.count)
                return .string(String(selected.map { characters[$0] }))
            case .value(let value):
                throw RuntimeError("string indices must be whole numbers or slices, got \(value.kindPhrase)")
            }
        default:
            throw RuntimeError("\(container.kindPhrase) cannot be subscripted")
        }
    }

    /// `container` with `container[parts]` replaced by `value`.
    static func set(_ container: Value, _ parts: [SubscriptPart], _ value: Value) throws -> Value {
        guard let first = parts.first else { return value }
        let rest = Array(parts.dropFirst())
        switch container {
        case .host(let host):
            return try host.settingSubscript(parts, to: value)
        case .list(var items):
            switch first {
            case .index(let index):
                let position = try position(index, items.count, "list")
                items[position] = try set(items[position], rest, value)
            case .slice(let start, let stop, let step):
                let selected = SubscriptPart.indices(start: start, stop: stop, step: step, count: items.count)
                if rest.isEmpty {
                    items = try replacing(items, selected, with: value, contiguous: (step ?? 1) == 1, start: start)
                } else {
                    let values = distribute(value, over: selected.count)
                    for (offset, position) in selected.enumerated() {
                        items[position] = try set(items[position], rest, values[offset])
                    }
                }
            case .value(let index):
                throw RuntimeError("list indices must be whole numbers or slices, got \(index.kindPhrase)")
            }
            if case .list = value { try Limits.checkNesting(items) }
            return .list(items)
        case .string:
            throw RuntimeError("strings cannot be changed in place", hint: "build a new string instead")
        default:
            throw RuntimeError("\(container.kindPhrase) cannot be subscripted")
        }
    }

    /// Slice assignment, Python style: a simple slice may change the list's length, an
    /// extended slice (with a step) needs exactly as many values as it selects.
    private static func replacing(_ items: [Value], _ selected: [Int], with value: Value, contiguous: Bool, start: Int?) throws -> [Value] {
        let values = try Operations.iterate(value)
        if contiguous {
            let lower = selected.first ?? SubscriptPart.indices(start: start, stop: nil, step: 1, count: items.count).first ?? items.count
            let upper = selected.last.map { $0 + 1 } ?? lower
            try Limits.checkLength(items.count - (upper - lower) + values.count)
            var result = items
            result.replaceSubrange(lower..<upper, with: values)
            return result
        }
        guard values.count == selected.count else {
            throw RuntimeError("cannot assign \(values.count) values to a slice of \(selected.count) elements")
        }
        var result = items
        for (offset, position) in selected.enumerated() { result[position] = values[offset] }
        return result
    }

    /// One value per selected row: the items of a list of the right length, else the
    /// value itself for every row (`A[:, 0] = 5`).
    private static func distribute(_ value: Value, over count: Int) -> [Value] {
        if case .list(let items) = value, items.count == count { return items }
        return Array(repeating: value, count: count)
    }

    static func position(_ index: Int, _ count: Int, _ noun: String) throws -> Int {
        guard let position = SubscriptPart.position(index, count: count) else {
            throw RuntimeError("index \(index) is out of range for a \(noun) of length \(count)")
        }
        return position
    }
}
