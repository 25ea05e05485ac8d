import ArgumentParser
import Lessons
import REPL
import Render

/// `huddle present LESSON` and, in a second terminal, `huddle present --notes LESSON`.
struct Present: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a lesson as slides for a live demo, one step per key; --notes in a second terminal shows the speaker notes.",
        discussion: "Keys: Enter, Space or → the next step; b or ← back; n the next round of a trace; k past the trace; s an exercise's solution; : the REPL (type :present to come back); h the keys; q quits. Speaker notes are <!-- notes: … --> comments or ```notes blocks in the lesson, shown only by `huddle present --notes LESSON`, which follows the presentation.")

    @Argument(help: "The lesson to present (a .md file).")
    var file: String

    @Flag(help: "Show the speaker notes of the step the presentation is at (run it in a second terminal).")
    var notes = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always, or never.")
    var color: ColorChoice = .auto

    func run() throws {
        let setup = TerminalSetup(color: color)
        let (interactive, options, state) = (setup.interactive, setup.options, setup.state)
        let place = state.folder + "/presenting"
        do {
            if notes {
                try NotesWindow(lessonPath: file, statePath: place, options: options, clears: interactive) { Terminal.write($0) }.run()
                return
            }
            let reader: LineReader = interactive ? EditLineReader(historyPath: state.history) : PlainLineReader()
            let configuration = REPL.Configuration(interactive: interactive, options: options, state: state,
                                                   currentWidth: setup.currentWidth)
            let repl = try REPL(lessonPath: file, reader: reader, configuration: configuration) { Terminal.write($0) }
            let keys: KeyReader = Terminal.stdinIsTerminal ? TerminalKeyReader() : ScriptedKeyReader(readAllInput())
            Presenter(repl: repl, keys: keys, clears: interactive, statePath: place).run()
        } catch {
            Terminal.writeError("huddle: \(error)\n")
            throw ExitCode(LessonTester.ExitCode.unreadable.rawValue)
        }
    }

    /// Piped keys (`printf '  b q' | huddle present L.md`): all of standard input.
    func readAllInput() -> String {
        var text = ""
        while let line = Swift.readLine(strippingNewline: false) { text += line }
        return text
    }
}
