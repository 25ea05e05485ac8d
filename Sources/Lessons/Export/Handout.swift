import Render
import Trace

/// A lesson run from start to end for a handout (`huddle export`): the same walk as
/// `huddle run`'s transcript — every cell run in order, each exercise's goal solution run
/// so later cells find what a student who answered would have made — kept as sections
/// rather than printed, so the HTML and Markdown writers can each lay them out.
public struct Handout {
    public enum Section {
        case prose(String)
        case exercise(Exercise, number: Int, of: Int)
        case cell(Cell)
        /// Something that stopped the lesson or is wrong with its file, as a line to show.
        case problem(String)
    }

    /// A cell, what it made, and its traced steps as figures.
    public struct Cell {
        public let code: String
        /// The file line of its first code line.
        public let line: Int
        public let result: CellResult
        /// Its events, numbered across the whole lesson as `huddle run` numbers them.
        public let events: [TraceEvent]
        /// The steps the lesson's `steps` setting leaves out of the figures (all are in `events`).
        public var leftOut = 0

        /// Figures of the steps the lesson shows (`<!-- huddle: steps … -->`, else all).
        public var figures: [SVGFigure] { SVGFigure.figures(for: shown) }
        public var shown: [TraceEvent] = []

        /// "(2 of this cell's 24 steps drawn …)", when the setting left some out.
        public var leftOutNote: String? {
            leftOut == 0 ? nil : "\(events.count - leftOut) of this cell's \(events.count) steps drawn, as the lesson's `steps` setting asks; the REPL steps through all"
        }
    }

    public let path: String
    public let title: String
    public private(set) var sections: [Section] = []
    /// Every event recorded, numbered from 0 across the lesson.
    public private(set) var events: [TraceEvent] = []
    /// How the run ended, with `huddle run`'s exit codes.
    public private(set) var exit = LessonTester.ExitCode.success

    /// Runs `session`'s lesson through; the pictures of values a cell shows are drawn with
    /// the session's options.
    public init(running session: LessonSession) {
        path = session.document.path
        title = session.document.title
        for problem in session.document.problems {
            sections.append(.problem(problem))
            exit = .syntaxError
        }
        var cell = 0, exercise = 0
        let exercises = session.exercises.count
        for section in session.document.sections {
            switch section {
            case .prose(let text, _):
                sections.append(.prose(text))
            case .exercise(let e):
                sections.append(.exercise(e, number: exercise + 1, of: exercises))
                session.reach(exercise: exercise)
                if e.kind == .goal, let error = session.showSolution(exercise).output?.error {
                    sections.append(.problem(error))
                    exit = .runtimeError
                    return
                }
                exercise += 1
            case .cell(let code, let line):
                let result = session.run(cell: cell)
                cell += 1
                let numbered = result.events.enumerated().map { i, event in
                    var copy = event
                    copy.step = events.count + i
                    return copy
                }
                var made = Cell(code: code, line: line, result: result, events: numbered)
                let steps = session.document.settings(forCell: cell - 1).steps
                made.shown = numbered.enumerated().filter { steps?.selects($0.offset, of: numbered.count) != false }.map(\.element)
                made.leftOut = numbered.count - made.shown.count
                sections.append(.cell(made))
                events += numbered
                if !result.failedChecks.isEmpty && exit == .success { exit = .checkFailed }
                if result.error != nil {
                    exit = result.isSyntaxError ? .syntaxError : .runtimeError
                    return
                }
            }
        }
    }

    /// Every figure of the lesson, in order.
    public var figures: [SVGFigure] {
        sections.flatMap { section -> [SVGFigure] in
            if case .cell(let cell) = section { return cell.figures }
            return []
        }
    }

    /// The file name without its folder and its `.md`: `09-self-attention`.
    public var baseName: String {
        Handout.baseName(of: path)
    }

    public static func baseName(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".md", ".hud"] where file.hasSuffix(suffix) && file.count > suffix.count {
            return String(file.dropLast(suffix.count))
        }
        return file
    }
}
