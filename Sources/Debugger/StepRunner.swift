import Trace

/// How running a cell ended. A value, not a message: the debugger stops a walk
/// (`:continue`, `:goto`, `:next`) on either of the last two, whatever the words.
public enum CellOutcome: Equatable, Sendable {
    /// It ran to its end, recording these events.
    case ran(events: [TraceEvent])
    /// An error stopped it; `diagnostic` is the error as shown (file:line:column, caret).
    case failed(diagnostic: String)
    /// Ctrl-C stopped it; `diagnostic` says where. What it computed until then is kept.
    case interrupted(diagnostic: String)

    /// Whether the cell did not run to its end.
    public var stopped: Bool {
        if case .ran = self { false } else { true }
    }
}

/// What the debugger needs from the outside world: running a cell (which records its
/// events), rewinding the lesson's variables to before a cell, and evaluating an
/// expression for conditional breakpoints and watches. The REPL provides the real one;
/// tests provide a fake.
public protocol StepRunner {
    /// Runs cell `cell` and says how it ended; a walk stops at a cell that failed or
    /// was interrupted.
    mutating func run(cell: Int) -> CellOutcome
    /// Runs cell `cell` again at the student's asking (`:rerun`); by default as `run`.
    mutating func rerun(cell: Int) -> CellOutcome
    /// Puts the lesson's variables back to what they were just before `cell` first ran.
    mutating func restore(beforeCell cell: Int)
    /// Evaluates `expression` with the current event's tensors in scope: true, false,
    /// or nil if it cannot be evaluated (the reason has been reported).
    mutating func condition(_ expression: String, at event: TraceEvent?) -> Bool?
    /// The value of a watched expression as text, or nil if it cannot be evaluated here.
    mutating func watchValue(_ expression: String, at event: TraceEvent?) -> String?
    /// The student arrived at exercise `exercise` going forward (the state now is what
    /// stepping back over it returns to).
    mutating func reach(exercise: Int)
    /// Whether the lesson may go on past exercise `exercise`: it has been answered, or its
    /// solution shown. A walk stops at one that may not be passed.
    mutating func mayPass(exercise: Int) -> Bool
    /// Stepping back over exercise `exercise`: what was changed at it is undone.
    mutating func restore(beforeExercise exercise: Int)
    /// The student goes on past exercise `exercise` (it may be passed): a runner can put
    /// back what answering it made, if stepping back undid it.
    mutating func leave(exercise: Int)
}

extension StepRunner {
    public mutating func rerun(cell: Int) -> CellOutcome { run(cell: cell) }
    public mutating func reach(exercise: Int) {}
    public mutating func mayPass(exercise: Int) -> Bool { true }
    public mutating func restore(beforeExercise exercise: Int) {}
    public mutating func leave(exercise: Int) {}
}
