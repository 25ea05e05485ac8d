import Render
import Trace

/// `huddle lint`: what a lesson test cannot see but a reader would — a lesson that checks
/// nothing, steps the prose never talks about, numbers the prose quotes that its
/// outputs no longer show, data files that are not there. Each warning is located
/// (file:line:column) and says what to do. Commands the prose suggests are tried by the
/// REPL's own walk (`SuggestedCommands`), which the command line adds.
public enum LessonLinter {
    public struct Warning: Sendable, Equatable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public struct Report: Sendable {
        public var path: String
        public var warnings: [Warning] = []
        /// Set when the lesson does not load or run to the end: lint's findings would be
        /// about a lesson that was not all there.
        public var failure: (exit: LessonTester.ExitCode, message: String)?

        public func lines() -> [String] {
            var out = warnings.sorted { $0.line < $1.line }.map { "\(path):\($0.line):1: warning: \($0.message)" }
            if let failure { out.append(failure.message) }
            return out.map(visibleText)  // the lesson's words, shown and not obeyed
        }
    }

    public static func lint(path: String) -> Report {
        var report = Report(path: path)
        let session: LessonSession
        do {
            session = try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 100))
        } catch {
            report.failure = (.unreadable, "\(error)")
            return report
        }
        let document = session.document
        if !document.problems.isEmpty {
            report.failure = (.syntaxError, document.problems.joined(separator: "\n"))
            return report
        }
        report.warnings += missingDataFiles(document, files: session.files)

        // Run it as `huddle test` does, keeping what each cell printed and drew.
        var checks = 0, cell = 0, exercise = 0
        var shown = ""  // every output, as text: what prose may quote
        var prose: [(text: String, line: Int, cellBefore: Int?)] = []
        var pinnedShown: [Int: String] = [:]  // a pinned cell's pin and code: what prose after it may quote
        var eventsOfCell: [Int: [TraceEvent]] = [:]
        var previousCellEvents: [TraceEvent]? = nil
        var proseSinceCell: [(text: String, line: Int)] = []
        var proseBeforeCell: [(text: String, line: Int)] = []
        var tracedCells: [(line: Int, events: [TraceEvent], before: [(text: String, line: Int)])] = []
        for section in document.sections {
            switch section {
            case .prose(let text, let line):
                prose.append((text, line, cell > 0 ? cell - 1 : nil))
                proseSinceCell.append((text, line))
            case .exercise(let e):
                session.reach(exercise: exercise)
                if e.kind == .goal { _ = session.showSolution(exercise) }
                shown += e.question + "\n" + e.hints.joined(separator: "\n") + "\n" + (e.why ?? "") + "\n"
                exercise += 1
            case .cell(let code, let line):
                if previousCellEvents != nil, var last = tracedCells.popLast() {
                    last.before += proseSinceCell
                    tracedCells.append(last)
                }
                proseBeforeCell = proseSinceCell
                proseSinceCell = []
                let result = session.run(cell: cell)
                checks += result.checks.count
                if let error = result.error {
                    report.failure = (result.isSyntaxError ? .syntaxError : .runtimeError, error)
                    return report
                }
                shown += code + "\n" + Transcript(options: RenderOptions(color: .none, width: 100)).body(of: result)
                shown += result.checks.map(\.message).joined(separator: "\n")
                if let pin = document.pin(ofCell: cell) { pinnedShown[cell] = pin.text + "\n" + code }
                eventsOfCell[cell] = result.events
                previousCellEvents = result.events.isEmpty ? nil : result.events
                if !result.events.isEmpty { tracedCells.append((line, result.events, proseBeforeCell)) }
                cell += 1
            }
        }
        if var last = tracedCells.popLast() {
            last.before += proseSinceCell
            tracedCells.append(last)
        }
        for (text, line, before) in prose {
            // Where it can tell: a paragraph after a pinned cell quotes that pin.
            let pinned = before.flatMap { pinnedShown[$0] }
            report.warnings += unshownNumbers(in: text, line: line, shown: pinned ?? shown, pinned: pinned != nil)
        }
        report.warnings += unseenFocus(document, events: eventsOfCell)
        if checks + document.pins.count + document.exercises.count == 0 {
            report.warnings.append(Warning(line: 1, message: "this lesson checks nothing: no `expect`, no pinned ```output, no exercise — `huddle test` cannot fail, so it cannot tell you when the lesson stops being true (:help expect)"))
        }
        for traced in tracedCells where !explains(traced.before.map(\.text).joined(separator: "\n"), traced.events) {
            let kinds = Set(traced.events.map(\.kind.rawValue)).sorted().joined(separator: ", ")
            report.warnings.append(Warning(line: max(traced.line - 1, 1), message: "this cell traces \(traced.events.count) \(kinds) step\(traced.events.count == 1 ? "" : "s"), and the prose around it never mentions them (neither the kind of step, nor a tensor it shows, nor \"step\" or \"picture\"): say what the student will see when they press Enter"))
        }
        return report
    }

    /// Whether `prose` talks about the steps: names their kind, one of their tensors
    /// (a name of two or more characters, or its symbol), or says "step" or "picture".
    static func explains(_ prose: String, _ events: [TraceEvent]) -> Bool {
        let lower = prose.lowercased()
        if lower.contains("step") || lower.contains("picture") || lower.contains("enter") { return true }
        for kind in Set(events.map(\.kind)) {
            if lower.contains(kind.rawValue) { return true }
            for tensor in kind.schema.tensors {
                let names = tensor.names.filter { $0.count >= 2 } + [tensor.symbol].filter { $0.count >= 2 }
                if names.contains(where: { prose.contains($0) }) { return true }
            }
        }
        return false
    }

    /// Numbers with two or more decimals the prose quotes (`0.97`, `−1.25`) that nothing
    /// the lesson shows — code, outputs, pictures, checks, exercises, before or after the
    /// paragraph (prose often says what the next cell will show) — contains, to the same
    /// decimals. A quote no output backs is what drifts unseen; what the prose asks the
    /// student to try, it cannot tell.
    static func unshownNumbers(in prose: String, line: Int, shown: String, pinned: Bool = false) -> [Warning] {
        guard !shown.isEmpty else { return [] }
        let shownNumbers = Set(NumberedText.all(in: shown).map { $0.value })
        var out: [Warning] = []
        for (offset, proseLine) in prose.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for number in NumberedText(String(proseLine)).numbers where !computedInPlace(number.text, in: String(proseLine)) {
                let decimals = number.text.split(separator: ".").last.map { $0.prefix(while: \.isNumber).count } ?? 0
                guard number.text.contains("."), decimals >= 2, number.value.isFinite else { continue }
                let scale = pow10(decimals)
                let quoted = (number.value * scale).rounded()
                let backed = shownNumbers.contains { ($0 * scale).rounded() == quoted || (($0 * scale) - quoted).magnitude <= 0.5 }
                if !backed {
                    out.append(Warning(line: line + offset, message: pinned
                        ? "the prose quotes \(number.text), which the pinned output of the cell before it does not show — the output changed (huddle test --update rewrote it?): quote what it prints now"
                        : "the prose quotes \(number.text), which no output, picture or code of the lesson shows — check it against what the cells print now, or pin the output it comes from (:help output)"))
                }
            }
        }
        return out
    }

    /// A number right after `≈` or `=` is the prose showing its own work
    /// (σ(1) ≈ 0.73), not a quote of an output.
    static func computedInPlace(_ number: String, in line: String) -> Bool {
        guard let range = line.range(of: number) else { return false }
        let before = String(line[..<range.lowerBound]).trimmingTrailingSpaces()
        return before.hasSuffix("≈") || before.hasSuffix("=")
    }

    /// A `focus` setting naming an agent that none of the pictures it applies to has
    /// (`focus chaser` for "chase"): the pictures would quietly choose for themselves.
    static func unseenFocus(_ document: LessonDocument, events: [Int: [TraceEvent]]) -> [Warning] {
        var out: [Warning] = []
        for (index, setting) in document.settings.enumerated() {
            guard case .focus(.agent(let name))? = Optional(setting.kind) else { continue }
            // The cells it holds for: up to the next focus setting.
            let end = document.settings[(index + 1)...].first { if case .focus = $0.kind { true } else { false } }?.cellsBefore ?? Int.max
            let pictures = events.filter { $0.key >= setting.cellsBefore && $0.key < end }.flatMap(\.value)
            guard !pictures.isEmpty else { continue }
            if !pictures.contains(where: { Focus.agents(of: $0)?.contains(name) == true }) {
                let names = Set(pictures.compactMap { Focus.agents(of: $0) }.flatMap { $0 }).sorted()
                out.append(Warning(line: setting.line, message: "`focus \(name)`: no picture it applies to has an agent called \(name)"
                                   + (names.isEmpty ? "" : " (they have " + names.joined(separator: ", ") + ")")))
            }
        }
        return out
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1) { r, _ in r * 10 } }

    /// `read_text("data/x.txt")` and `read_lines(…)` with a literal path that is not in the
    /// lesson's folder.
    static func missingDataFiles(_ document: LessonDocument, files: LessonFiles) -> [Warning] {
        var out: [Warning] = []
        for (code, first) in document.cells {
            for (offset, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for call in ["read_text(", "read_lines("] {
                    var rest = Substring(line)
                    while let range = rest.range(of: call) {
                        rest = rest[range.upperBound...]
                        let quote = rest.first
                        guard quote == "\"" || quote == "'" else { continue }
                        let name = rest.dropFirst().prefix { $0 != quote }
                        if (try? files.resolve(String(name))) == nil {
                            out.append(Warning(line: first + offset, message: "\(call)\"\(name)\") names a file that is not in the lesson's folder; ship it (under data/) or fix the name"))
                        }
                    }
                }
            }
        }
        return out
    }
}

extension NumberedText {
    /// Every number in a text.
    static func all(in text: String) -> [(text: String, value: Double)] {
        text.split(separator: "\n").flatMap { NumberedText(String($0)).numbers }
    }
}
