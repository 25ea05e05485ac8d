import ArgumentParser
import Lessons
import REPL
import Render
import Trace

/// `huddle run FILE`: the whole lesson as a transcript, no pauses.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a lesson as a transcript: prose, code, output and every traced step.",
        discussion: "Exit status: 0 all checks pass, 1 a check failed, 65 a syntax error, 70 a runtime error (running past --timeout among them), 74 an unreadable file.")

    @Argument(help: "The lesson (.md) or script (.hud) to run.")
    var file: String

    @Option(name: .customLong("trace-json"), help: "Also write every traced event to this file, one JSON object per line.")
    var traceJSON: String?

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always, or never.")
    var color: ColorChoice = .auto

    @OptionGroup var time: TimeOption
    @OptionGroup var memory: MemoryOption

    func run() throws {
        Interrupt.install()
        memory.apply()
        let environment = Terminal.environment
        let options = RenderOptions(
            color: RenderOptions.colorMode(preference: color.rawValue, environment: environment, isTerminal: Terminal.stdoutIsTerminal),
            width: Terminal.width(environment: environment))
        let session: LessonSession
        do {
            session = try LessonSession.open(path: file, options: options)
        } catch {
            Terminal.writeError("huddle: \(error)\n")
            throw ExitCode(LessonTester.ExitCode.unreadable.rawValue)
        }
        session.interruptRequested = { Interrupt.isRequested }
        session.limitTime(to: time.timeout)
        let (events, exit) = Transcript(options: options, cutsCode: Terminal.stdoutIsTerminal).run(session) { Terminal.write($0) }
        if let traceJSON {
            do {
                try OutputFile.write(JSONLines.encode(events), to: traceJSON)
            } catch {
                Terminal.writeError("huddle: cannot write \(traceJSON): \(error)\n")
                throw ExitCode(LessonTester.ExitCode.unreadable.rawValue)
            }
        }
        if exit != .success { throw ExitCode(exit.rawValue) }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// `huddle test [PATH …]`: every lesson's checks, one line per lesson.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and scripts without a person and check their expect lines.",
        discussion: "Prints one line per lesson and a closing 'N passed, N failed'. A cell followed by an ```output block must print what the block holds (--update rewrites such blocks). Exit status: 0 when all pass, 1 when a check or a pinned output fails, 65/70/74 for syntax errors, runtime errors (a lesson past its --timeout among them) and unreadable files, 130 when Ctrl-C stopped it.")

    @Argument(help: "Lessons, scripts or folders of them.")
    var paths: [String] = ["Lessons"]

    @Flag(help: "Rewrite each ```output block whose cell now prints something else with what it prints (only those lines), and say which.")
    var update = false

    @OptionGroup var time: TimeOption
    @OptionGroup var memory: MemoryOption

    func run() throws {
        Interrupt.install()
        memory.apply()
        let files = paths.flatMap(LessonTester.files(in:))
        guard !files.isEmpty else {
            Terminal.writeError("huddle test: no lessons (.md) or scripts (.hud) found in \(paths.joined(separator: ", "))\n")
            throw ExitCode(LessonTester.ExitCode.usage.rawValue)
        }
        var passed = 0, failed = 0
        var worst = LessonTester.ExitCode.success
        for file in files {
            var report = LessonTester.test(path: file, update: update, timeout: time.timeout) { Interrupt.isRequested }
            // The commands its prose suggests must work where the student types them.
            if report.passed, file.hasSuffix(".md"), let problems = try? SuggestedCommands.check(lessonAt: file), !problems.isEmpty {
                report.exitCode = .checkFailed
                report.notes += problems.map { "\($0.location): the prose suggests `\($0.command)`, which answers: \($0.reply)" }
            }
            for line in report.lines() { Terminal.write(line + "\n") }
            if report.passed { passed += 1 } else { failed += 1 }
            if worst == .success || worst == .checkFailed { worst = report.exitCode == .success ? worst : report.exitCode }
            if report.interrupted {
                Terminal.write("stopped by Ctrl-C: \(passed) passed, \(failed) failed, \(files.count - passed - failed) not tested\n")
                throw ExitCode(130)
            }
        }
        Terminal.write("\(passed) passed, \(failed) failed\n")
        if worst != .success { throw ExitCode(worst.rawValue) }
    }
}
