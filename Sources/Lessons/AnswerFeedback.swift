import Language
import Render
import Tensor

/// Comparing a student's answer with the right one, and — when they differ — saying
/// something that helps without giving the answer away: the shape that was expected,
/// the invariant the answer keeps and theirs breaks (rows of weights sum to 1), the sign,
/// the rough size ("about 4 times too large"), which entries are off.
enum AnswerFeedback {
    enum Verdict: Equatable {
        case right
        case wrong(String)
    }

    /// `attempt` against `expected`, numbers within `tolerance` (`|a − e| ≤ t·(1 + |e|)`).
    static func compare(_ attempt: Value, _ expected: Value, tolerance: Double) -> Verdict {
        // Words: a token is right whatever its case; "machine" and machine alike.
        if let words = strings(expected) {
            guard let given = strings(attempt) else {
                return .wrong(words.count == 1 ? "the answer is a word (type it as it is; quotes are not needed), not \(attempt.kindPhrase)"
                              : "the answer is a list of \(words.count) words")
            }
            if given.map({ $0.lowercased() }) == words.map({ $0.lowercased() }) { return .right }
            if words.count == 1, given.count == 1 { return .wrong("not \"\(given[0])\"") }
            if given.count != words.count { return .wrong("the answer has \(words.count) words; yours has \(given.count)") }
            let off = zip(given, words).enumerated().filter { $0.element.0.lowercased() != $0.element.1.lowercased() }.map(\.offset)
            return .wrong("\(off.count) of \(words.count) words differ; the first is word \(off[0]) (counting from 0)")
        }
        if strings(attempt) != nil {
            return .wrong("the answer is \(expected.tensorValue.map { $0.tensor.count == 1 ? "a number" : "a tensor of shape \(formatShape($0.tensor.shape))" } ?? "a number"), not a word")
        }
        guard let e = try? Conversions.tensor(expected, what: "the answer") else {
            return attempt.repr == expected.repr ? .right : .wrong("not \(attempt.repr)")
        }
        guard let a = try? Conversions.tensor(attempt, what: "your answer") else {
            return .wrong("the answer is \(describe(e)); yours is \(attempt.kindPhrase)")
        }
        return compare(a, e, tolerance: tolerance)
    }

    static func compare(_ a: Tensor, _ e: Tensor, tolerance: Double) -> Verdict {
        let one = e.count == 1
        guard (one && a.count == 1) || a.shape == e.shape else {
            return .wrong("the answer is \(describe(e)); yours is \(describe(a))")
        }
        let xs = a.scalars.map(Double.init), ys = e.scalars.map(Double.init)
        func close(_ x: Double, _ y: Double) -> Bool { x == y || abs(x - y) <= tolerance * (1 + abs(y)) }
        let off = xs.indices.filter { !close(xs[$0], ys[$0]) }
        if off.isEmpty { return .right }
        if xs.contains(where: \.isNaN) { return .wrong("yours contains nan (not a number): did something divide 0 by 0, or a log see 0?") }
        if let invariant = brokenRowSums(a, e) { return .wrong(invariant) }
        if one { return .wrong(size(xs[0], ys[0], tolerance: tolerance)) }
        let first = off[0]
        let at = LessonHost.position(first, shape: e.shape)
        let entry = size(xs[first], ys[first], tolerance: tolerance)
        return .wrong("\(off.count) of \(xs.count) entries are off; the first is at \(at), where \(entry.prefix(1).lowercased() + entry.dropFirst())")
    }

    /// "one number", "a tensor of shape (4, 4)".
    static func describe(_ t: Tensor) -> String {
        t.count == 1 ? "one number" : "a tensor of shape \(formatShape(t.shape))"
    }

    /// The words a value holds, if it is a word or a list of words.
    static func strings(_ value: Value) -> [String]? {
        switch value {
        case .string(let s): return [s]
        case .list(let items) where !items.isEmpty:
            let words = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            return words.count == items.count ? words : nil
        default: return nil
        }
    }

    /// Weights from a softmax — every entry positive, every row summing to 1 — are what many
    /// answers are (a row of A, a gate's distribution); an attempt that does not keep
    /// that is told so, with the first row that breaks it.
    static func brokenRowSums(_ a: Tensor, _ e: Tensor) -> String? {
        guard e.rank >= 1, let width = e.shape.last, width >= 2, e.scalars.allSatisfy({ $0 > 0 }) else { return nil }
        let rows = e.count / width
        func sum(_ t: Tensor, _ r: Int) -> Double { (0..<width).reduce(0) { $0 + Double(t.scalars[r * width + $1]) } }
        guard (0..<rows).allSatisfy({ abs(sum(e, $0) - 1) < 1e-3 }) else { return nil }
        guard let r = (0..<rows).first(where: { abs(sum(a, $0) - 1) > 0.01 }) else {
            if let i = a.scalars.firstIndex(where: { $0 < 0 }) {
                return "weights from a softmax are never negative; yours has \(NumberFormat.short(a.scalars[i])) at \(LessonHost.position(i, shape: a.shape))"
            }
            return nil
        }
        let total = Value.formatRoughly(sum(a, r))
        return rows == 1 ? "the answer's weights add up to 1, as a softmax's do; yours add up to \(total)"
            : "every row of the answer adds up to 1, as a softmax's weights do; row \(r) of yours adds up to \(total)"
    }

    /// How one number is off, without saying what it should be: the sign, a factor, or
    /// the direction.
    static func size(_ x: Double, _ y: Double, tolerance: Double) -> String {
        let small = tolerance * (1 + abs(y))
        if abs(y) > small, abs(x) > small, (x < 0) != (y < 0) { return "The sign is wrong (yours is \(Value.formatRoughly(x)))" }
        if abs(y) > small {
            let ratio = abs(x) / abs(y)
            if ratio >= 2.5 { return "Yours (\(Value.formatRoughly(x))) is about \(Value.formatRoughly(ratio.rounded())) times too large" }
            if ratio > 0, ratio <= 0.4 { return "Yours (\(Value.formatRoughly(x))) is about \(Value.formatRoughly((1 / ratio).rounded())) times too small" }
            if abs(x - y) <= 0.1 * abs(y) { return "Close, but not within the tolerance of \(Value.formatRoughly(tolerance)) (yours is \(Value.formatRoughly(x)))" }
        }
        return x > y ? "Yours (\(Value.formatRoughly(x))) is too large" : "Yours (\(Value.formatRoughly(x))) is too small"
    }
}
