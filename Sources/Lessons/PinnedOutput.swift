import Render

/// What a cell printed, pinned in the lesson file as an ```` ```output ```` block right
/// after the cell — the transcript-as-test of cram and insta. `huddle test` fails with a
/// diff when the cell prints something else; `huddle test --update` rewrites the block.
///
/// Prose quotes numbers from outputs ("love gives machine 0.97 of its attention"); pinning
/// the output makes a change that moves the number fail the test instead of leaving the
/// prose silently wrong.
public struct PinnedOutput: Sendable, Equatable {
    /// Which cell (0-based, in file order) it pins.
    public var cell: Int
    /// The file line of the ```` ```output ```` fence.
    public var fenceLine: Int
    /// The lines between the fences, as written.
    public var lines: [String]
    /// `within t` on the fence: numbers may differ by `t + t·|pinned|`. Nil: each number
    /// must print the same (so 0.50 matches 0.5, and 0.968 does not match 0.969).
    public var tolerance: Double?

    public var text: String { lines.joined(separator: "\n") }

    public struct Problem: Error {
        public var message: String
    }

    static func parse(info: Substring, path: String, fenceLine: Int, fenceText: String?, lines: [String], cell: Int) -> Result<PinnedOutput, Problem> {
        let words = info.split(separator: " ")
        var tolerance: Double?
        if words.count > 1 {
            guard words.count == 3, words[1] == "within", let t = Double(words[2]), t >= 0, t.isFinite else {
                let column = (info.firstIndex(of: " ").map { info.distance(from: info.startIndex, to: $0) } ?? 0) + 5
                let found = info.dropFirst(6).trimmingWhitespace()
                return .failure(Problem(message: LocatedProblem.render(
                    "after ```output only `within T` may follow (a tolerance for the numbers, e.g. ```output within 0.01); found `\(found)`",
                    path: path, line: fenceLine, column: column, length: found.count, lineText: fenceText)))
            }
            tolerance = t
        }
        return .success(PinnedOutput(cell: cell, fenceLine: fenceLine, lines: lines, tolerance: tolerance))
    }

    /// What a cell printed, as a pin holds it: its printed text and the values it showed,
    /// drawn without colour at 80 columns (so a pin reads the same on every terminal), and
    /// without trailing spaces or blank lines at the end. Checks and traced steps are not
    /// part of it: checks are tested on their own, and steps are pictures, not output.
    public static func printed(_ result: CellResult) -> [String] {
        let options = RenderOptions(color: .none, width: 80)
        var text = ""
        for output in result.outputs {
            switch output {
            case .text(let t): text += t
            case .picture(let block):
                if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
                text += block.rendered(options) + "\n"
            case .check: break
            }
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Nil when `actual` matches; otherwise a readable diff of the lines that differ.
    public func mismatch(_ actual: [String]) -> [String]? {
        var expected = lines.map { $0.trimmingTrailingSpaces() }
        while expected.last?.isEmpty == true { expected.removeLast() }
        if expected.count == actual.count && zip(expected, actual).allSatisfy({ PinnedOutput.same($0, $1, tolerance) }) {
            return nil
        }
        return LineDiff.lines(expected, actual, same: { PinnedOutput.same($0, $1, tolerance) })
    }

    /// Two lines match when their words match and their numbers print the same (or lie
    /// within the tolerance).
    static func same(_ pinned: String, _ actual: String, _ tolerance: Double?) -> Bool {
        if pinned == actual { return true }
        let a = NumberedText(pinned), b = NumberedText(actual)
        guard a.words == b.words, a.numbers.count == b.numbers.count else { return false }
        for (x, y) in zip(a.numbers, b.numbers) {
            if let t = tolerance {
                guard abs(x.value - y.value) <= t + t * abs(x.value) || x.value == y.value else { return false }
            } else if x.value != y.value {
                return false
            }
        }
        return true
    }
}

/// A line split into its numbers and the text around them, so `0.50` and `0.5` match and
/// a column that shifts by a digit is still the same words.
struct NumberedText {
    var words: [String] = []
    var numbers: [(text: String, value: Double)] = []

    init(_ line: String) {
        var word = ""
        let chars = Array(line)
        var i = 0
        func flush() {
            let w = word.trimmingWhitespace()
            if !w.isEmpty { words.append(w) }
            word = ""
        }
        while i < chars.count {
            if let (text, length) = NumberedText.number(in: chars, at: i) {
                flush()
                words.append("#")
                numbers.append((text, Double(text.replacingOccurrences(of: "−", with: "-")) ?? .nan))
                i += length
            } else {
                word.append(chars[i])
                if chars[i] == " " { flush() }
                i += 1
            }
        }
        flush()
    }

    /// A number starting at `i` (`-0.25`, `3`, `1e-05`, `−1.5`), not one inside a name
    /// (`W1`, `h₂`): its text and length in characters.
    static func number(in chars: [Character], at i: Int) -> (String, Int)? {
        if i > 0, chars[i - 1].isLetter || chars[i - 1] == "_" || chars[i - 1].isNumber || chars[i - 1] == "." { return nil }
        var j = i
        if j < chars.count, chars[j] == "-" || chars[j] == "−" { j += 1 }
        let digitsStart = j
        while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
        if j < chars.count, chars[j] == ".", j + 1 < chars.count, chars[j + 1].isASCII, chars[j + 1].isNumber {
            j += 1
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
        }
        guard j > digitsStart else { return nil }
        if j < chars.count, chars[j] == "e" || chars[j] == "E" {
            var k = j + 1
            if k < chars.count, chars[k] == "-" || chars[k] == "+" { k += 1 }
            let expStart = k
            while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
            if k > expStart { j = k }
        }
        if j < chars.count, chars[j].isLetter || chars[j] == "_" { return nil }
        return (String(chars[i..<j]), j - i)
    }
}

/// A line diff for messages: `-` the pinned line, `+` what is printed now, two lines of
/// context around each change, `…` for what is left out.
enum LineDiff {
    static func lines(_ old: [String], _ new: [String], same: (String, String) -> Bool, context: Int = 2) -> [String] {
        // Longest common subsequence, table from the end; outputs are a few hundred lines.
        let n = old.count, m = new.count
        guard n * m <= 4_000_000 else {
            return ["the pinned output has \(n) lines and the cell printed \(m); too long to compare line by line"]
        }
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = same(old[i], new[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        enum Op { case keep(String), remove(String), add(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, same(old[i], new[j]) {
                ops.append(.keep(new[j])); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                ops.append(.remove(old[i])); i += 1
            } else {
                ops.append(.add(new[j])); j += 1
            }
        }
        let changed = ops.indices.filter { if case .keep = ops[$0] { false } else { true } }
        var shown = Set<Int>()
        for index in changed { for k in max(0, index - context)...min(ops.count - 1, index + context) { shown.insert(k) } }
        var out: [String] = []
        var last = -1
        for index in shown.sorted() {
            if index > last + 1 && !out.isEmpty { out.append("  …") }
            switch ops[index] {
            case .keep(let line): out.append("  " + line)
            case .remove(let line): out.append("- " + line)
            case .add(let line): out.append("+ " + line)
            }
            last = index
        }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
