import Trace

/// What to show after a command. The debugger decides; the REPL draws.
public enum Display: Equatable, Sendable {
    case prose(section: Int)
    /// Cell `cell` is about to run (its code goes first, so that what it prints while
    /// running — a progress bar — appears under it).
    case cellStarting(cell: Int)
    /// A cell ran (or failed: no events); `position` is its entry.
    case cellRan(cell: Int, position: Int)
    /// A cell's entry shown again when stepping back onto it (its variables are as they
    /// were after it ran; it is not run again).
    case cellRevisited(cell: Int, position: Int)
    case event(TraceEvent, cell: Int, position: Int)
    /// The variables were rewound to before cell `cell`.
    case rewound(beforeCell: Int)
    case watch(number: Int, expression: String, value: String)
    case stoppedAtBreakpoint(Breakpoint)
    /// Cell `cell` did not run to its end (`interrupted`: by Ctrl-C, else by an error);
    /// shown after its `cellRan`, so the student learns what to do next.
    case cellStopped(cell: Int, interrupted: Bool)
    case message(String)
    /// Exercise `exercise`, at entry `position`: the question, or (answered) its state.
    case exercise(exercise: Int, position: Int)
    /// The student tried to go on past exercise `exercise` before answering it.
    case exerciseWaiting(exercise: Int)

    /// Whether this shows a place in the timeline (prose, a cell, an event, an exercise).
    public var isPlace: Bool {
        switch self {
        case .prose, .cellRan, .cellRevisited, .event, .exercise: true
        default: false
        }
    }
}
