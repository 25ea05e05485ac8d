/// Sizes past which an operation is refused rather than allowed to exhaust memory or
/// the stack: a student's `x = x + x` in a loop must end in a message, not a crash.
enum Limits {
    static let maxListLength = 1_000_000
    static let maxStringLength = 10_000_000
    /// Deeper lists could overflow the stack when printed, compared or freed.
    static let maxListNesting = 100

    static func checkLength(_ count: Int) throws {
        if count > maxListLength {
            throw RuntimeError("a list of \(count) elements is too long (the limit is \(maxListLength))")
        }
    }

    static func checkString(_ byteCount: Int) throws {
        if byteCount > maxStringLength {
            throw RuntimeError("a string of \(byteCount) bytes is too long (the limit is \(maxStringLength))")
        }
    }

    /// Refuses to build a list from `items` if it would be nested too deeply.
    static func checkNesting(_ items: [Value]) throws {
        var deepest = 0
        for item in items {
            guard case .list = item else { continue }
            deepest = max(deepest, nesting(of: item, cutoff: maxListNesting))
            if deepest >= maxListNesting {
                throw RuntimeError("lists nested more than \(maxListNesting) deep are not supported")
            }
        }
    }

    /// How deeply lists nest inside `value`, counting no further than `cutoff`.
    static func nesting(of value: Value, cutoff: Int) -> Int {
        guard case .list(let items) = value else { return 0 }
        guard cutoff > 0 else { return 1 }
        var deepest = 0
        for item in items {
            guard case .list = item else { continue }
            deepest = max(deepest, nesting(of: item, cutoff: cutoff - 1))
            if deepest >= cutoff { break }
        }
        return 1 + deepest
    }
}
