import Debugger
import Lessons
import Render
import Trace

/// The step-through REPL: a lesson as a timeline the student walks with Enter, `:back`,
/// `:next`, `:continue` and friends, typing code at any point. All stepping logic lives in
/// the `Debugger` state machine; this class reads lines, dispatches commands and prints.
public final class REPL {
    public struct Configuration {
        /// A person at a terminal: prompts, colour, progress bars, the resume question.
        public var interactive: Bool
        public var options: RenderOptions
        /// Where history and progress are kept; nil to keep nothing (tests).
        public var state: StatePaths?
        /// The folder `:lessons` lists.
        public var lessonsFolder: String
        /// The terminal's width now, asked before every line is obeyed, so a resized
        /// window is drawn for at once; nil keeps `options.width`.
        public var currentWidth: (() -> Int)?
        /// `--no-skip`: exercises must be answered; `:solution` and `:skip` refuse.
        public var locksSolutions: Bool

        public init(interactive: Bool, options: RenderOptions, state: StatePaths?, lessonsFolder: String = "Lessons",
                    currentWidth: (() -> Int)? = nil, locksSolutions: Bool = false) {
            self.interactive = interactive
            self.options = options
            self.state = state
            self.lessonsFolder = lessonsFolder
            self.currentWidth = currentWidth
            self.locksSolutions = locksSolutions
        }
    }

    let reader: LineReader
    let write: (String) -> Void
    var configuration: Configuration
    var session: LessonSession
    var runner: SessionRunner
    var debugger: Debugger
    var lessonPath: String
    var finished = false
    /// Why the student's place could not be saved, once that happened (it is said once).
    var unsaved: String?
    /// The student left at the resume question: the saved place stays as it was.
    var leftAtResume = false
    /// The agent (row) pictures focus on, chosen with `:focus`.
    var focus: Focus?
    /// A cell Ctrl-C stopped (and its step): the lesson is off its script until it runs
    /// to its end, and the first failed check after it says so, once.
    var offScript: (cell: Int, position: Int, told: Bool)?
    /// The note a cell's result is to be drawn with, once.
    var offScriptNotes: [Int: String] = [:]
    /// Predictions judged when their cell ran, drawn under its result, once.
    var predictionNotes: [Int: String] = [:]
    /// Where the end-of-lesson summary of the exercises was last said.
    var summarizedAt: Int?
    /// How many commands and typed lines could not do what was asked (for checks).
    var complaints = 0
    /// Inside `huddle present`: `:present` goes back to the slides.
    var presenting = false
    /// Set by `:present`: the line loop ends and the slides take over again.
    var returnsToPresenter = false

    var options: RenderOptions { configuration.options }

    public init(lessonPath: String, reader: LineReader, configuration: Configuration, write: @escaping (String) -> Void) throws {
        self.reader = reader
        self.write = write
        self.configuration = configuration
        self.lessonPath = lessonPath
        session = try LessonSession.open(path: lessonPath, options: configuration.options)
        runner = SessionRunner(session: session)
        debugger = Debugger(sections: REPL.timelineSections(session.document))
        connect()
        loadExerciseRecords()
        reader.completer = { [weak self] line, word in self?.completions(line: line, word: word) ?? [] }
    }

    /// How the debugger sees a lesson's sections.
    static func timelineSections(_ document: LessonDocument) -> [Timeline.Section] {
        document.sections.map {
            switch $0 {
            case .prose: .prose
            case .cell: .cell
            case .exercise: .exercise
            }
        }
    }

    /// Hooks the session to Ctrl-C and the progress bar.
    func connect() {
        session.interruptRequested = { Interrupt.isRequested }
        session.progress = configuration.interactive ? { [weak self] p in self?.drawProgress(p) } : nil
    }

    /// Reads and obeys lines until `:quit`, Ctrl-D or the end of input.
    public func run() {
        greet()
        if offerResume() { readLines() } else { leftAtResume = true }
        if !leftAtResume { saveProgress() }
        reader.close()
        if configuration.interactive {
            write("\n")
            if progressStore != nil, unsaved == nil, !leftAtResume, debugger.position > 0 {
                say("your place is saved: open this lesson again to go on from step \(debugger.position + 1)")
                if let summary = exerciseSummary() { say(summary + " (huddle progress lists every lesson)") }
            }
        }
    }

    /// Reads and obeys lines until `:quit`, Ctrl-D, the end of input, or `:present`.
    func readLines() {
        while !finished && !returnsToPresenter {
            switch reader.readLine(prompt: prompt()) {
            case .end:
                finished = true
            case .interrupt:
                write("\n")
            case .line(let raw):
                if configuration.interactive { Terminal.quietInput { handle(raw) } } else { handle(raw) }
            }
        }
    }

    // MARK: input

    func handle(_ raw: String) {
        followWidth()
        let line = raw.trimmingWhitespace()
        Interrupt.clear()
        if line.isEmpty {
            move(.step)
            saveProgress()
            return
        }
        reader.addHistory(line)
        if line.hasPrefix(":") {
            command(String(line.dropFirst()))
        } else if let exercise = openExercise {
            // An answer is one line: an unclosed bracket there is a typo to show with its
            // caret, not a reason to wait for more (a goal's code may run on, as at any prompt).
            if session.exercises[exercise].kind != .goal {
                answer(raw, exercise: exercise)
            } else if let code = readComplete(raw) {
                answer(code, exercise: exercise)
            }
        } else {
            evaluate(raw)
        }
        saveProgress()
    }

    /// Code typed at the prompt; more lines are read while the parser says it is incomplete
    /// (an open bracket, a `def` without its body), and an empty line ends a block.
    func evaluate(_ first: String) {
        guard let code = readComplete(first) else { return }
        let result = session.evaluate(code, at: debugger.currentEvent, cell: debugger.currentCell)
        if result.error != nil || !result.failedChecks.isEmpty { complaints += 1 }
        let text = Transcript(options: options, wrapsPrintedText: configuration.interactive).body(of: result, focus: focus).trimmingTrailingNewlines()
        if !text.isEmpty { write(text + "\n") }
        // `A[7] = 0` at a picture makes a variable A of the student's own; the message the
        // model passes changes only through :patch.
        if !result.reboundPictureNames.isEmpty, result.error == nil {
            let names = result.reboundPictureNames.joined(separator: ", ")
            let typed = code.trimmingWhitespace()
            let example = typed.contains("\n") ? ":patch \(result.reboundPictureNames[0])[1] = 0" : ":patch " + typed
            say("\(names) is now a variable of your own; the picture and the model are unchanged. To change the message the model passes and run the rest of the trace from it: \(example)")
        }
    }

    /// The input from its first line on, more lines read while the parser says it is
    /// incomplete; nil when Ctrl-C or Ctrl-D abandoned it.
    func readComplete(_ first: String) -> String? {
        var code = first
        while case .incomplete = session.parse(code) {
            // Ctrl-C or Ctrl-D here abandons the unfinished input, on a line of its own.
            guard case .line(let more) = reader.readLine(prompt: continuationPrompt()) else {
                if configuration.interactive { write("\n") }
                return nil
            }
            // Each line goes into history on its own: libedit recalls a multi-line entry
            // by running it, not by letting the student edit it.
            reader.addHistory(more)
            if more.trimmingWhitespace().isEmpty {
                if case .incomplete = session.parse(code + "\n") { break }
                code += "\n"
                break
            }
            code += "\n" + more
        }
        return code
    }

    /// Takes up the terminal's width if the window was resized since the last line.
    func followWidth() {
        guard let width = configuration.currentWidth?(), width > 0, width != options.width else { return }
        configuration.options.width = width
        session.options = configuration.options
    }

    // MARK: showing

    /// Makes a move and shows what it does: each cell as it starts and ends, the moment
    /// it does (its progress bar appears under its code), then where the move ended.
    func move(_ move: Debugger.Move) {
        show(perform(move) { write(render($0)) })
        // At the end of a lesson with exercises: how they went, once per arrival.
        if debugger.isAtEnd, summarizedAt != debugger.position, let summary = exerciseSummary() {
            summarizedAt = debugger.position
            write(Line(summary + " — :progress lists them", Theme.accent).rendered(options.color) + "\n")
        } else if !debugger.isAtEnd {
            summarizedAt = nil
        }
    }

    /// `move` with what happens on the way given to `live`. The debugger and runner are
    /// worked on as local copies (the runner is a class: the same one), so that `live`
    /// may read this REPL without overlapping the debugger's access to them.
    /// Every display passes `follow` first, shown or not, so what the REPL keeps track
    /// of (the off-script state after Ctrl-C) never depends on what was drawn.
    func perform(_ move: Debugger.Move, live: (Display) -> Void) -> [Display] {
        var (moving, runner) = (debugger, self.runner)
        let ended = moving.perform(move, &runner) { display in
            follow(display)
            live(display)
        }
        debugger = moving
        ended.forEach(follow)
        return ended
    }

    func show(_ displays: [Display]) {
        for display in displays { write(render(display)) }
        var told = Set<String>()
        for problem in runner.problems where told.insert(problem).inserted {
            write(Line(problem, Theme.error).rendered(options.color) + "\n")
        }
        runner.problems = []
        for note in runner.notes { say(note) }
        runner.notes = []
    }

    func render(_ display: Display) -> String {
        switch display {
        case .prose(let section):
            guard case .prose(let text, _) = session.document.sections[section] else { return "" }
            return "\n" + Prose(text).block(options).rendered(options) + "\n"
        case .cellStarting(let cell):
            let c = session.document.cells[cell]
            return "\n" + Transcript.code(c.code, firstLine: c.line).rendered(options) + "\n"
        case .cellRan(let cell, _):
            guard let result = runner.results[cell] else { return "" }
            // A check the patch made fail is the patch's doing, not the lesson's.
            let patched = !session.patches(forCell: cell).isEmpty && !result.failedChecks.isEmpty
                ? Line("this run is patched (:patch lists how), so checks about the model's own numbers may fail: :unpatch to see them hold"
                    .wrappingLongLines(width: options.width), Theme.accent).rendered(options.color) + "\n" : ""
            // A prediction is judged right under what the cell printed, before its steps are offered.
            return cellResult(result, judged: predictionNotes.removeValue(forKey: cell) ?? "") + patched + (offScriptNotes.removeValue(forKey: cell) ?? "")
        case .cellRevisited(let cell, _):
            let code = Transcript.code(session.document.cells[cell].code, firstLine: session.document.cells[cell].line)
            return "\n" + code.rendered(options) + "\n"
                + Line("(this cell has run; its variables are as it left them — :rerun to run it again)", Theme.muted).rendered(options.color) + "\n"
        case .event(let event, let cell, _):
            let total = debugger.timeline.events[cell]?.count
            // A patched run says so on every picture, until :unpatch.
            // A step a patch changed says which patch, and how to end it.
            let active = session.picturePatches.filter { $0.cell == cell }.map(\.patch)
            let patched = event.patched.isEmpty ? ""
                : Line((active.isEmpty ? "⚑ patched by the cell's code (patch(…))"
                        : "⚑ patched run: " + active.map(\.description).joined(separator: "; ") + " — :unpatch ends it")
                    .wrappingLongLines(width: options.width), Theme.accent).rendered(options.color) + "\n"
            // The lesson's settings for its cell (`<!-- huddle: focus … -->`, `scale`); the student's :focus wins.
            let settings = session.document.settings(forCell: cell)
            let drawn = settings.options(options)
            let wanted = focus ?? settings.focus
            return "\n" + patched + EventPicture(event, focus: wanted?.row(in: event), total: total).block(drawn).rendered(drawn) + "\n"
        case .rewound(let cell):
            return Line("↺ variables rewound to before cell \(cell + 1)", Theme.muted).rendered(options.color) + "\n"
        case .watch(let number, let expression, let value):
            let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
            let head = Line("watch \(number): \(expression) = ", Theme.label).rendered(options.color)
            return lines.count <= 1 ? head + value + "\n" : head + "\n" + value + "\n"
        case .stoppedAtBreakpoint(let bp):
            return "\n" + Line("● stopped at breakpoint \(bp.number): \(bp.description)", Theme.accent).rendered(options.color) + "\n"
        case .cellStopped(_, let interrupted):
            return Line(REPL.advice(interrupted: interrupted).wrappingLongLines(width: options.width), Theme.muted).rendered(options.color) + "\n"
        case .message(let text):
            return Line(text.wrappingLongLines(width: options.width), Theme.muted).rendered(options.color) + "\n"
        case .exercise(let exercise, _):
            return renderExercise(exercise)
        case .exerciseWaiting(let exercise):
            return renderWaiting(exercise)
        }
    }

    /// What to do after an ordinary error.
    static let adviceAfterError = "the cell stopped with an error; fix it and :rerun, or :step on"

    /// What the student can do after a cell stopped: Ctrl-C is not a mistake to fix.
    static func advice(interrupted: Bool) -> String {
        guard interrupted else { return adviceAfterError }
        // The cell's later lines did not run, so the next cells may miss what they make.
        return "Ctrl-C stopped the cell; what it computed so far is kept, but its later lines did not run. "
            + ":rerun runs it again from here (training goes on from what it learned); :back, then Enter, runs it from the start"
    }

    /// A cell's code was shown as it started (`cellStarting`); now its output and checks, and
    /// how many steps it traced.
    func cellResult(_ result: CellResult, judged: String = "") -> String {
        var out = Transcript(options: options, wrapsPrintedText: configuration.interactive).body(of: result, includeEvents: false).trimmingTrailingNewlines() + "\n" + judged
        if !result.events.isEmpty {
            var kinds: [String] = []
            for event in result.events where !kinds.contains(event.kind.rawValue) { kinds.append(event.kind.rawValue) }
            let steps = result.events.count == 1 ? "1 step" : "\(result.events.count) steps"
            // :next is worth a word only where a round has several steps (heads of a layer).
            let next = Debugger.roundsGroupSteps(result.events) ? ", :next for the next round" : ""
            let text = "traced \(steps) (\(kinds.joined(separator: ", "))) — Enter to step through \(result.events.count == 1 ? "it" : "them")\(next), :skip to go past"
            out += Line(text.wrappingLongLines(width: options.width), Theme.accent).rendered(options.color) + "\n"
        }
        return out
    }

    /// Keeps the off-script state: after Ctrl-C stopped a cell, the lesson's later checks
    /// may fail for that reason alone, and the first cell whose check does gets a note
    /// (drawn under its result) saying so and how to finish the stopped cell.
    func follow(_ display: Display) {
        switch display {
        case .exercise(let exercise, _):
            noteGoalAlreadyReached(exercise)
        case .rewound(let cell):
            if let stopped = offScript, stopped.cell >= cell { offScript = nil }  // it will run again
        case .cellRan(let cell, let position):
            guard let result = runner.results[cell] else { return }
            // Predictions made before this cell, judged now that it has run.
            if !result.wasInterrupted, result.error == nil {
                let judged = resolvePredictions(afterCell: cell)
                if !judged.isEmpty { predictionNotes[cell] = judged }
            }
            if result.wasInterrupted {
                offScript = (cell, position, false)
                return
            }
            guard let stopped = offScript else { return }
            if cell <= stopped.cell {  // the stopped cell (or one before it) ran again
                if cell == stopped.cell || result.error == nil { offScript = nil }
                return
            }
            guard !stopped.told, !result.failedChecks.isEmpty else { return }
            offScript?.told = true
            let text = "cell \(stopped.cell + 1) was stopped by Ctrl-C before it finished, so the lesson is off its script and "
                + "checks after it may fail for that reason alone: :goto \(stopped.position + 1), then :rerun, finishes it"
            offScriptNotes[cell] = Line(text.wrappingLongLines(width: options.width), Theme.accent).rendered(options.color) + "\n"
        default:
            return
        }
    }

    func drawProgress(_ p: TrainingProgress) {
        let text = ProgressBar.line(p, width: options.width)
        write("\r\u{1B}[2K" + Line(text, Theme.label).rendered(options.color) + (p.finished ? "\n" : ""))
    }

    func greet() {
        var block = TextBlock()
        block.append(Line(session.document.title, Theme.heading))
        block.append(Line("Enter: next step · :back · :next · :continue · :help · code runs as you type it", Theme.muted))
        write(block.rendered(options) + "\n")
        // A fence never closed or a setting mistyped: said once as the lesson opens (they
        // were shown only by `huddle test`), and the lesson runs as far as it can. Written
        // whole, not cut to the width as the block is: a message's end says what to do.
        let problems = session.document.problems
        guard !problems.isEmpty else { return }
        let count = problems.count == 1 ? "a problem" : "\(problems.count) problems"
        write(Line("this lesson file has \(count); it runs as far as it can (huddle test reports them too):", Theme.error).rendered(options.color) + "\n")
        for line in problems.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            write(Line("  " + line, Theme.error).rendered(options.color) + "\n")
        }
    }
}

extension String {
    /// U+2212 (−, as help prints a minus) read as the ASCII minus a number parser wants.
    func replacingMinusSign() -> String {
        String(map { $0 == "\u{2212}" ? "-" : $0 })
    }

    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
