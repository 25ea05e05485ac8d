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

        public var passed: Bool { exitCode == .success }

        /// `PASS Lessons/09-self-attention.md  14 checks  0.3 s`, then for a failure each
        /// failing check (file:line:col, the expression, expected and actual) or the error.
        public func lines() -> [String] {
            let time = NumberFormat.fixed(Float(seconds), decimals: 1) + " s"
            let plural = checks == 1 ? "check" : "checks"
            let asked = exercises == 0 ? "" : exercises == 1 ? ", 1 exercise" : ", \(exercises) exercises"
            if passed { return ["PASS \(path)  \(checks) \(plural)\(asked)  \(time)"] }
            var out = ["FAIL \(path)  \(checks) \(plural)\(asked), \(failures.count + notes.count) failed  \(time)"]
            out += notes.map { "  " + $0 }
            for f in failures {
                out.append("  \(f.location): expect \(f.source)")
                out.append("    \(f.message)")
            }
            if let error {
                out += error.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            }
            return out
        }
    }

    /// Runs every cell of the lesson (or script) at `path`.
    public static func test(path: String) -> Report {
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
        if !session.document.problems.isEmpty {
            report.error = session.document.problems.joined(separator: "\n")
            report.exitCode = .syntaxError
        }
        var cell = 0, exercise = 0
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
                    report.exitCode = result.isSyntaxError ? .syntaxError : .runtimeError
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
