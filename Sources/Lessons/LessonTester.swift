import Render

/// Runs lessons without a person, as `huddle test` does: every cell in order, every
/// `expect` checked, nothing shown but the verdict.
public enum LessonTester {
    /// The exit codes of `huddle run` and `huddle test` (BSD sysexits where one fits).
    public enum ExitCode: Int32, Sendable {
        case success = 0
        case checkFailed = 1
        case usage = 64
        case syntaxError = 65
        case runtimeError = 70
        case unreadable = 74
    }

    public struct Report: Sendable {
        public let path: String
        public var checks = 0
        /// Exercises whose solution and wrong answers were tried.
        public var exercises = 0
        public var failures: [CheckOutcome] = []
        /// A syntax error, runtime error or unreadable file, rendered.
        public var error: String?
        public var exitCode: ExitCode = .success
        public var seconds: Double = 0
        /// Other reasons it failed, one line each (a command its prose suggests that fails).
        public var notes: [String] = []
        /// Pinned outputs compared.
        public var pins = 0
        /// Pins whose cell printed something else: where, and the diff.
        public var pinFailures: [(location: String, diff: [String])] = []
        /// With `--update`: the pins rewritten (their fence lines), and whether the file was written.
        public var updated: [Int] = []
        /// Stopped by Ctrl-C: the run should end here.
        public var interrupted = false

        public var passed: Bool { exitCode == .success }

        /// `PASS Lessons/09-self-attention.md  14 checks  0.3 s`, then for a failure each
        /// failing check (file:line:col, the expression, expected and actual) or the error.
        /// The report as printed. Paths, sources, values and messages come from the
        /// lesson: their control characters are shown, not obeyed.
        public func lines() -> [String] { plainLines().map(visibleText) }

        private func plainLines() -> [String] {
            let time = NumberFormat.fixed(Float(seconds), decimals: 1) + " s"
            let plural = checks == 1 ? "check" : "checks"
            let asked = exercises == 0 ? "" : exercises == 1 ? ", 1 exercise" : ", \(exercises) exercises"
            let pinned = pins == 0 ? "" : pins == 1 ? ", 1 pinned output" : ", \(pins) pinned outputs"
            let counts = "\(checks) \(plural)\(pinned)\(asked)"
            let rewritten = updated.isEmpty ? [] : ["  updated the pinned output at line " + updated.map(String.init).joined(separator: ", ")]
            if passed {
                let nothing = checks + pins + exercises == 0 ? "  (nothing is checked: no expect, no pinned output, no exercise)" : ""
                return ["PASS \(path)  \(counts)  \(time)\(nothing)"] + rewritten
            }
            let failed = failures.count + notes.count + pinFailures.count
            var out: [String]
            if error != nil {
                let what = exitCode == .syntaxError ? "a syntax error" : exitCode == .unreadable ? "a file it could not read" : "an error"
                out = ["FAIL \(path)  stopped by \(what) after \(counts)" + (failed > 0 ? ", \(failed) failed" : "") + "  \(time)"]
            } else {
                out = ["FAIL \(path)  \(counts), \(failed) failed  \(time)"]
            }
            out += rewritten
            out += notes.map { "  " + $0 }
            for pin in pinFailures {
                out.append("  \(pin.location): the cell's output is not what the file pins (- pinned, + printed now; huddle test --update rewrites it):")
                out += pin.diff.map { "    " + $0 }
            }
            for f in failures.prefix(LessonTester.listedFailures) {
                out.append("  \(f.location): expect \(f.source)")
                out.append("    \(f.message)")
            }
            if failures.count > LessonTester.listedFailures {
                let more = failures.count - LessonTester.listedFailures
                out.append("  … and \(more) more failed check\(more == 1 ? "" : "s"), not listed (the first \(LessonTester.listedFailures) are)")
            }
            if let error {
                out += error.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            }
            return out
        }
    }

    /// Failed checks the report lists one by one; the rest it counts. An `expect` in a
    /// loop can fail on every turn: 300,000 failures had printed 15 MB.
    public static let listedFailures = 20

    /// How long one lesson may run unless `--timeout` says otherwise: far beyond any
    /// shipped lesson (the slowest trains for about 8 s), short enough that a runaway
    /// loop in someone else's lesson ends a test run in a minute.
    public static let defaultTimeout: Double = 60

    /// Runs every cell of the lesson (or script) at `path`. With `update`, each pinned
    /// output that differs is rewritten in the file with what the cell printed — only
    /// those lines, and only for cells that ran to the end. A cell still running `timeout`
    /// seconds after the lesson began stops with an error there; `interruptRequested`
    /// (Ctrl-C) stops the lesson as it is.
    public static func test(path: String, update: Bool = false, timeout: Double = defaultTimeout,
                            interruptRequested: @escaping () -> Bool = { false }) -> Report {
        var report = Report(path: path)
        let session: LessonSession
        do {
            session = try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80))
        } catch {
            report.error = "\(error)"
            report.exitCode = .unreadable
            return report
        }
        let stopwatch = Stopwatch()
        session.limitTime(to: timeout)
        session.interruptRequested = interruptRequested
        if !session.document.problems.isEmpty {
            report.error = session.document.problems.joined(separator: "\n")
            report.exitCode = .syntaxError
        }
        var cell = 0, exercise = 0
        var rewrites: [(pin: PinnedOutput, lines: [String])] = []
        for section in session.document.sections where report.exitCode == .success || report.exitCode == .checkFailed {
            var problems: [String] = []
            switch section {
            case .prose: continue
            case .cell:
                let result = session.run(cell: cell)
                report.checks += result.checks.count
                report.failures += result.failedChecks
                if !result.failedChecks.isEmpty { report.exitCode = .checkFailed }
                if let error = result.error {
                    report.error = error
                    report.interrupted = result.wasInterrupted
                    report.exitCode = result.isSyntaxError ? .syntaxError : .runtimeError
                } else if let pin = session.document.pin(ofCell: cell) {
                    report.pins += 1
                    let printed = PinnedOutput.printed(result)
                    if let diff = pin.mismatch(printed) {
                        if update {
                            rewrites.append((pin, printed))
                        } else {
                            report.pinFailures.append(("\(path):\(pin.fenceLine)", diff))
                            if report.exitCode == .success { report.exitCode = .checkFailed }
                        }
                    }
                }
                problems = session.validatePredictions(afterCell: cell)
                cell += 1
            case .exercise:
                // Its solution must pass and each wrong answer be refused, where the lesson asks it.
                problems = session.validate(exercise: exercise)
                exercise += 1
                report.exercises += 1
            }
            report.notes += problems
            if !problems.isEmpty, report.exitCode == .success { report.exitCode = .checkFailed }
        }
        if !rewrites.isEmpty {
            do {
                try PinRewriter.rewrite(path: path, rewrites)
                // Where each block's fence is now: earlier blocks that grew or shrank move it.
                var shift = 0
                report.updated = rewrites.sorted { $0.pin.fenceLine < $1.pin.fenceLine }.map { rewrite in
                    defer { shift += rewrite.lines.count - rewrite.pin.lines.count }
                    return rewrite.pin.fenceLine + shift
                }
            } catch {
                report.error = "could not update \(path): \(error)"
                report.exitCode = .unreadable
            }
        }
        report.seconds = stopwatch.seconds
        return report
    }

    /// The files a `huddle test` argument names: the file itself, or every lesson (`.md`)
    /// and script (`.hud`) under a folder, sorted.
    /// A path that is not a folder is taken as named (a missing file is then reported as
    /// unreadable, not silently skipped).
    public static func files(in path: String) -> [String] {
        let found = LessonFiles.listFiles(path)
        if found == [path] { return found }
        // Data folders inside the folder given hold corpora, not lessons.
        return found.filter { ($0.hasSuffix(".md") || $0.hasSuffix(".hud")) && !$0.hasSuffix("README.md")
            && !$0.dropFirst(path.count).contains("/data/") }
    }
}
