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
    /// Errors from conditions and watches, to show the student once.
    var problems: [String] = []
    /// Called before a cell runs (to print its code first, so its progress bar and
    /// output appear under it).
    var willRun: (Int) -> Void = { _ in }
    /// Called after a cell ran (to print what it did at once, before the next cell of a
    /// `:continue` prints its code).
    var didRun: (Int, CellResult) -> Void = { _, _ in }

    init(session: LessonSession) {
        self.session = session
    }

    func run(cell: Int) -> [TraceEvent]? {
        willRun(cell)
        if let old = results[cell] { previousEvents[cell] = old.events }
        let result = session.run(cell: cell)
        results[cell] = result
        didRun(cell, result)
        return result.error == nil ? result.events : nil
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

    func adviceAfterFailure(ofCell cell: Int) -> String {
        guard results[cell]?.wasInterrupted == true else { return Self.adviceAfterError }
        // The cell's later lines did not run, so the next cells may miss what they make.
        return "Ctrl-C stopped the cell; what it computed so far is kept, but its later lines did not run. "
            + ":rerun runs it again from here (training goes on from what it learned); :back, then Enter, runs it from the start"
    }

    func watchValue(_ expression: String, at event: TraceEvent?) -> String? {
        session.watchText(expression, at: event)
    }
}
