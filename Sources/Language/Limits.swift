/// Sizes past which an operation is refused rather than allowed to exhaust memory or
/// the stack: a student's `x = x + x` in a loop must end in a message, not a crash.
public enum Limits {
    public static let maxListLength = 1_000_000
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

    /// The value's text for `print` and `str`, or an error if it would be too long.
    static func printable(_ value: Value) throws -> String {
        let text = value.description
        guard Value.isCut(text) else { return text }
        throw RuntimeError("this \(value.typeName) would print as more than \(maxStringLength / 1_000_000) MB of text",
                           hint: "print a part of it (x[0:10]) or its size (len(x))")
    }

    /// Refuses to build a list from `items` if it would be nested too deeply.
    static func checkNesting(_ items: [Value]) throws {
        var depths = NestingMemo()
        var deepest = 0
        for item in items {
            guard case .list = item else { continue }
            deepest = max(deepest, nesting(of: item, cutoff: maxListNesting, memo: &depths))
            if deepest >= maxListNesting {
                throw RuntimeError("lists nested more than \(maxListNesting) deep are not supported")
            }
        }
    }

    /// How deeply lists nest inside `value`, counting no further than `cutoff`.
    static func nesting(of value: Value, cutoff: Int) -> Int {
        var depths = NestingMemo()
        return nesting(of: value, cutoff: cutoff, memo: &depths)
    }

    /// Lists share their storage: `x = [x, x]` forty times is forty distinct arrays, but
    /// 2⁴⁰ paths. Each distinct array's depth is measured once, keyed by its storage
    /// (which `value` keeps alive, so no key is reused while the walk runs).
    typealias NestingMemo = [UnsafeRawPointer: Int]

    private static func nesting(of value: Value, cutoff: Int, memo: inout NestingMemo) -> Int {
        guard case .list(let items) = value else { return 0 }
        guard cutoff > 0 else { return 1 }
        let key = Value.storage(of: items)
        if let key, let known = memo[key] { return min(known, cutoff + 1) }
        var deepest = 0
        for item in items {
            guard case .list = item else { continue }
            deepest = max(deepest, nesting(of: item, cutoff: cutoff - 1, memo: &memo))
            if deepest >= cutoff { break }
        }
        if let key, deepest < cutoff { memo[key] = 1 + deepest }
        return 1 + deepest
    }
}
