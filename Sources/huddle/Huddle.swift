import ArgumentParser
import CKernels
#if canImport(Glibc)
import Glibc
#endif
import Lessons
import REPL
import Render

/// The `huddle` command: open a lesson in the step-through REPL (the default), or run,
/// test and measure.
@main
struct Huddle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huddle",
        abstract: "Step through a neural network's message passing, one step at a time.",
        discussion: """
            Huddle is a terminal companion to Lecture 18, "a neural network is a team of \
            vectors passing messages". `huddle LESSON.md` opens a lesson: press Enter to \
            take the next step, type :help for commands, or type code to poke at tensors. \
            With no lesson on a terminal it offers the list of lessons.
            """,
        version: "0.1.0",
        subcommands: [Open.self, Run.self, Test.self, Lint.self, Export.self, Present.self, Progress.self, Reference.self, Bench.self],
        defaultSubcommand: Open.self
    )

    /// ArgumentParser's main, with one change: when standard output's reader went away,
    /// success is reported as 141 (a failure keeps its own status), so a closed pipe
    /// never turns an unseen failure into a pass.
    static func main() {
        _ = hk_adopt_heap_pages(1 << 30)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if Terminal.isOutputClosed, exitCode(for: error) == .success { Glibc.exit(Terminal.closedPipeStatus) }
            exit(withError: error)
        }
        if Terminal.isOutputClosed { Glibc.exit(Terminal.closedPipeStatus) }
    }
}

/// `huddle [FILE]`: the step-through REPL on a lesson.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a lesson in the step-through REPL (the default: `huddle LESSON.md`).")

    @Argument(help: "The lesson to open (a .md file).")
    var file: String?

    @Option(help: "Open lesson number N from the Lessons folder.")
    var lesson: Int?

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always, or never.")
    var color: ColorChoice = .auto

    @Option(help: "The folder of lessons for the menu, :lessons and --lesson.")
    var lessons = "Lessons"

    @Flag(name: .customLong("no-skip"), help: "Exercises must be answered: :solution and :skip are turned off (for a class or an exam).")
    var noSkip = false

    @OptionGroup var memory: MemoryOption

    func run() throws {
        memory.apply()
        let setup = TerminalSetup(color: color)
        let (interactive, options, state) = (setup.interactive, setup.options, setup.state)

        let reader: LineReader = interactive ? EditLineReader(historyPath: state.history) : PlainLineReader()
        guard let path = try choosePath(interactive: interactive, reader: reader) else { return }
        let configuration = REPL.Configuration(interactive: interactive, options: options, state: state, lessonsFolder: lessons,
                                               currentWidth: setup.currentWidth,
                                               locksSolutions: noSkip)
        do {
            let repl = try REPL(lessonPath: path, reader: reader, configuration: configuration) { Terminal.write($0) }
            repl.run()
        } catch {
            Terminal.writeError("huddle: \(error)\n")
            throw ExitCode(LessonTester.ExitCode.unreadable.rawValue)
        }
    }

    /// The lesson to open: the file given, lesson N, or (on a terminal) one picked from
    /// the menu. Nil when the student leaves the menu.
    func choosePath(interactive: Bool, reader: LineReader) throws -> String? {
        if let file { return file }
        let catalog = LessonMenu.entries(in: lessons)
        if let lesson {
            guard let entry = catalog.first(where: { $0.number == lesson }) else {
                Terminal.writeError("huddle: there is no lesson \(lesson) in \(lessons)/ (try `huddle` for the list)\n")
                throw ExitCode(LessonTester.ExitCode.usage.rawValue)
            }
            return entry.path
        }
        guard interactive else {
            Terminal.writeError("huddle: name a lesson to open, e.g. `huddle Lessons/00-how-to-use-huddle.md` (see huddle --help)\n")
            throw ExitCode(LessonTester.ExitCode.usage.rawValue)
        }
        return LessonMenu.choose(in: lessons, state: StatePaths(environment: Terminal.environment), reader: reader)
    }
}

/// `huddle progress`: where each lesson was left and how its exercises went.
struct Progress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show your progress: each lesson's furthest step and its exercises (solved, attempts, hints).")

    @Option(help: "The folder of lessons.")
    var lessons = "Lessons"

    @Flag(help: "Write JSON, for a teacher who collects progress.")
    var json = false

    func run() throws {
        let state = StatePaths(environment: Terminal.environment)
        Terminal.write(json ? StudentProgress.json(lessonsFolder: lessons, state: state) : StudentProgress.text(lessonsFolder: lessons, state: state))
    }
}
