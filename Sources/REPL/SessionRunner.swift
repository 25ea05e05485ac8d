import Debugger
import Lessons
import Trace

/// Connects the debugger to a lesson session: running a cell, rewinding, evaluating
/// conditions and watches. Keeps each cell's latest result (to print) and the events of
/// its previous run (for `:diff`).
final class SessionRunner: StepRunner {
    let session: LessonSession
    private(set) var results: [Int: CellResult] = [:]
    private(set) var previousEvents: [Int: [TraceEvent]] = [:]
    /// Each cell's events from its last run with no patch in effect, for `:diff` and the
    /// summary after `:patch`.
    private(set) var cleanEvents: [Int: [TraceEvent]] = [:]
    /// Errors from conditions and watches, to show the student once.
    var problems: [String] = []
    /// How the student has done at each exercise (by its number in the lesson).
    var records: [Int: ExerciseRecord] = [:]
    /// Said once after a move: a solution run again on the way past its exercise.
    var notes: [String] = []

    init(session: LessonSession) {
        self.session = session
    }

    func run(cell: Int) -> CellOutcome {
        record(cell, session.run(cell: cell))
    }

    /// `:rerun`: changes typed to the cell's models are made again after it makes them.
    func rerun(cell: Int) -> CellOutcome {
        record(cell, session.rerun(cell: cell))
    }

    private func record(_ cell: Int, _ result: CellResult) -> CellOutcome {
        if let old = results[cell] { previousEvents[cell] = old.events }
        results[cell] = result
        // Clean when no step of it was patched, by a picture's patch or by the cell's code.
        if result.events.allSatisfy(\.patched.isEmpty) { cleanEvents[cell] = result.events }
        switch result.outcome {
        case .ran: return .ran(events: result.events)
        case .failed(let diagnostic, _): return .failed(diagnostic: diagnostic)
        case .interrupted(let diagnostic): return .interrupted(diagnostic: diagnostic)
        }
    }

    func restore(beforeCell cell: Int) {
        session.restore(beforeCell: cell)
    }

    func condition(_ expression: String, at event: TraceEvent?) -> Bool? {
        switch session.condition(expression, at: event) {
        case .success(let holds): return holds
        case .failure(let error):
            problems.append("breakpoint condition `\(expression)` could not be evaluated here:\n" + error.message)
            return nil
        }
    }

    func watchValue(_ expression: String, at event: TraceEvent?) -> String? {
        session.watchText(expression, at: event)
    }

    func reach(exercise: Int) {
        session.reach(exercise: exercise)
    }

    /// Answered, shown, or (a prediction) predicted: the lesson goes on.
    func mayPass(exercise: Int) -> Bool {
        records[exercise]?.done ?? false
    }

    func restore(beforeExercise exercise: Int) {
        session.restore(beforeExercise: exercise)
    }

    /// A goal answered before, whose state stepping back undid: its solution makes it
    /// again, so the cells after it find what they expect.
    func leave(exercise: Int) {
        let e = session.exercises[exercise]
        guard e.kind == .goal, !session.goalState(e).holds else { return }
        let ran = session.showSolution(exercise)
        notes.append(ran.output?.error ?? "(exercise \(exercise + 1) was answered before: the lesson's solution ran again to set up what the cells after it expect: \(e.solution.text))")
    }
}
