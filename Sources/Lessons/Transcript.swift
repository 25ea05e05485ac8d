import Render
import Trace

/// The whole lesson as one printed transcript (`huddle run`): prose, each cell's code,
/// what it printed and showed, every traced step's picture, and the checks — for
/// instructors' handouts and for reading without pausing.
public struct Transcript {
    public let options: RenderOptions
    /// Whether long lines of what a cell printed are wrapped at spaces (the REPL, on a
    /// terminal); `huddle run` leaves the program's own output as it printed it.
    public let wrapsPrintedText: Bool

    /// Whether code lines wider than the page are cut with "…" (on a terminal, where a
    /// wrapped line would break the gutter). Into a file or a pipe, code is never cut:
    /// a handout must show the whole line.
    public let cutsCode: Bool

    public init(options: RenderOptions, wrapsPrintedText: Bool = false, cutsCode: Bool = true) {
        self.options = options
        self.wrapsPrintedText = wrapsPrintedText
        self.cutsCode = cutsCode
    }

    /// Writes the transcript through `write` as it goes (a long lesson streams), and
    /// returns the events recorded and how it ended.
    public func run(_ session: LessonSession, write: (String) -> Void) -> (events: [TraceEvent], exit: LessonTester.ExitCode) {
        var events: [TraceEvent] = []
        var exit = LessonTester.ExitCode.success
        var cell = 0, exercise = 0
        let exercises = session.exercises.count
        for problem in session.document.problems {
            write(Line(problem, Theme.error).rendered(options.color) + "\n")
            exit = .syntaxError
        }
        for section in session.document.sections {
            switch section {
            case .prose(let text, _):
                write(Prose(text).block(options).rendered(options) + "\n\n")
            case .exercise(let e):
                // As a handout prints it; the solution runs, so later cells find what a
                // student who answered would have made.
                write(ExerciseText.handout(e, number: exercise + 1, of: exercises, options: options).rendered(options) + "\n\n")
                session.reach(exercise: exercise)
                if e.kind == .goal, let error = session.showSolution(exercise).output?.error {
                    write(Line(error.wrappingLongLines(width: options.width), Theme.error).rendered(options.color) + "\n")
                    return (events, .runtimeError)
                }
                exercise += 1
            case .cell(let code, let line):
                let block = Transcript.code(code, firstLine: line)
                write((cutsCode ? block.rendered(options) : block.lines.map { $0.rendered(options.color) }.joined(separator: "\n")) + "\n")
                let result = session.run(cell: cell)
                cell += 1
                write(body(of: result, firstStep: events.count, settings: session.document.settings(forCell: cell - 1)))
                events += result.events
                if !result.failedChecks.isEmpty && exit == .success { exit = .checkFailed }
                if result.error != nil {
                    exit = result.isSyntaxError ? .syntaxError : .runtimeError
                    return (events, exit)
                }
            }
        }
        return (events, exit)
    }

    /// A cell's outputs and checks in the order the cell made them, pictures of its
    /// events (unless the REPL steps through them), and the error that stopped it;
    /// `focus` picks whose numbers the pictures fill in.
    public func body(of result: CellResult, firstStep: Int = 0, includeEvents: Bool = true, focus: Focus? = nil,
                     settings: CellSettings = CellSettings()) -> String {
        let focus = focus ?? settings.focus
        let pictureOptions = settings.options(options)
        var out = ""
        for output in result.outputs {
            switch output {
            case .text(let text):
                // Printed text wraps flush left: an indent would read as part of what was printed.
                let shown = visibleText(text)  // what a lesson prints cannot command the terminal
                let wrapped = wrapsPrintedText ? shown.wrappingLongLines(width: options.width, indent: 0) : shown
                out += wrapped.hasSuffix("\n") ? wrapped : wrapped + "\n"
            case .picture(let block): out += block.rendered(options) + "\n"
            case .check(let n) where n < result.checks.count: out += checkLine(result.checks[n])
            case .check: break
            }
        }
        let count = result.events.count
        for (i, event) in result.events.enumerated() where includeEvents && settings.steps?.selects(i, of: count) != false {
            var numbered = event
            numbered.step = firstStep + i
            out += "\n" + EventPicture(numbered, focus: focus?.row(in: event)).block(pictureOptions).rendered(pictureOptions) + "\n"
        }
        if includeEvents, let steps = settings.steps {
            let drawn = (0..<count).filter { steps.selects($0, of: count) }.count
            if drawn < count {
                out += "\n" + Line("(\(drawn) of this cell's \(count) steps drawn, as the lesson's `steps` setting asks; the REPL steps through all)", Theme.muted).rendered(options.color) + "\n"
            }
        }
        if let error = result.error {
            out += Line(error.wrappingLongLines(width: options.width), Theme.error).rendered(options.color) + "\n"
        }
        return out + "\n"
    }

    /// `✓ expect …`, or `✗ expect …  — what was found` (on lines of its own when long).
    func checkLine(_ check: CheckOutcome) -> String {
        let mark = check.passed ? Line("✓ ", Theme.success) : Line("✗ ", Theme.error)
        // A long claim breaks at a space, continuing indented, never inside a word.
        let claim = ("expect " + check.source).wordWrapped(width: max(options.width - 2, 20), indent: 4).joined(separator: "\n")
        var line = mark + Line(claim, check.passed ? Theme.muted : .plain)
        guard !check.passed else { return line.rendered(options.color) + "\n" }
        let message = "  — " + check.message
        if !claim.contains("\n"), line.width + displayWidth(message) <= options.width {
            line.append(message, Theme.error)
            return line.rendered(options.color) + "\n"
        }
        // The message on lines of its own, so the terminal does not break its numbers.
        let below = Line(("    " + check.message).wordWrapped(width: options.width, indent: 4).joined(separator: "\n"), Theme.error)
        return line.rendered(options.color) + "\n" + below.rendered(options.color) + "\n"
    }

    /// Code shown with a gutter of file line numbers.
    public static func code(_ code: String, firstLine: Int) -> TextBlock {
        var block = TextBlock()
        for (i, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            block.append(Line(String(firstLine + i).leftPadded(to: 4) + " │ ", Theme.muted) + Line(String(line), Theme.formula))
        }
        return block
    }
}

