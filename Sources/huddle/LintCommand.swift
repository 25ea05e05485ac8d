import ArgumentParser
import Lessons
import REPL

/// `huddle lint`: warnings about what a test cannot see (see `LessonLinter`), plus every
/// command the prose suggests, tried where the student would type it.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Warn about lessons that check nothing, steps the prose never explains, quoted numbers the outputs no longer show, missing data files and suggested commands that fail.",
        discussion: "One line per warning (file:line:column: warning: …). Exit status: 0 with no warnings, 1 with warnings, 65/70/74 when a lesson has a syntax error, stops with an error, or cannot be read.")

    @Argument(help: "Lessons or folders of them.")
    var paths: [String] = ["Lessons"]

    func run() throws {
        Interrupt.install()
        let files = paths.flatMap(LessonTester.files(in:)).filter { $0.hasSuffix(".md") }
        guard !files.isEmpty else {
            Terminal.writeError("huddle lint: no lessons (.md) found in \(paths.joined(separator: ", "))\n")
            throw ExitCode(LessonTester.ExitCode.usage.rawValue)
        }
        var warnings = 0, stopped = 0, worst = LessonTester.ExitCode.success
        for file in files {
            var report = LessonLinter.lint(path: file)
            if report.failure == nil, let problems = try? SuggestedCommands.check(lessonAt: file) {
                report.warnings += problems.map { problem in
                    let line = Int(problem.location.split(separator: ":").dropFirst().first ?? "") ?? 1
                    return .init(line: line, message: "the prose suggests `\(problem.command)`, which answers: \(problem.reply)")
                }
            }
            for line in report.lines() { Terminal.write(line + "\n") }
            warnings += report.warnings.count
            if let failure = report.failure { worst = failure.exit; stopped += 1 } else if !report.warnings.isEmpty && worst == .success { worst = .checkFailed }
        }
        let plural = warnings == 1 ? "warning" : "warnings"
        let halted = stopped == 0 ? "" : "; \(stopped) did not run to the end (see above), so what lint says of \(stopped == 1 ? "it" : "them") is partial"
        Terminal.write("\(warnings) \(plural) in \(files.count) lesson\(files.count == 1 ? "" : "s")\(halted)\n")
        if worst != .success { throw ExitCode(worst.rawValue) }
    }
}
