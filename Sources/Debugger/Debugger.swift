import Trace

/// The step-through state machine over a lesson's timeline: step, next, continue, back,
/// goto; breakpoints and watches. Pure: it returns what to show and prints nothing.
public struct Debugger: Sendable {
    public private(set) var timeline: Timeline
    /// The entry shown last; −1 before the first step.
    public private(set) var position = -1
    /// The cells that have run and whose effects are in the variables (always a prefix).
    public private(set) var cellsRun = 0
    public private(set) var breakpoints: [Breakpoint] = []
    public private(set) var watches: [Watch] = []
    private var nextNumber = 1

    public init(sectionIsCell: [Bool]) {
        timeline = Timeline(sectionIsCell: sectionIsCell)
    }

    public init(sections: [Timeline.Section]) {
        timeline = Timeline(sections: sections)
    }

    public var isAtEnd: Bool { position >= timeline.count - 1 }

    /// The event at the current position, if it is one.
    public var currentEvent: TraceEvent? { timeline.event(at: position) }

    // MARK: moving

    /// A move through the timeline, as the REPL's commands ask for it.
    public enum Move: Equatable, Sendable {
        /// One step forward: the next paragraph, the next cell (run), or the next event.
        case step
        /// Forward to the next round of message passing: inside a trace, the first step of
        /// the next layer, time step or diffusion step (a step with no round is a round of
        /// its own); from a cell, its first round; between cells, the next paragraph or cell.
        case next
        /// Past the rest of the current trace (from a cell or any of its steps) to the
        /// paragraph or cell after it — a debugger's "step out".
        case skipTrace
        /// Forward until a breakpoint holds or the lesson ends.
        case continueToBreakpoint
        /// One step back; stepping back over a cell rewinds the variables to before it.
        case back
        /// To entry n (0-based), forward or back.
        case goto(Int)
        /// The current cell again, in the variables as they are now.
        case rerun
        /// Variables back to before the first cell, position before the first step.
        case restart
    }

    /// Makes `move`. What happens while it runs goes to `live` the moment it happens — a
    /// cell about to run (`cellStarting`, so its code is shown before its progress bar),
    /// a cell that ran (`cellRan`), a cell that stopped (`cellStopped`) — and where the
    /// move ended is returned (places, messages, watches), to be shown after. Each display
    /// is given exactly once, so whoever shows them need not remember what was shown.
    public mutating func perform(_ move: Move, _ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        let shown: [Display]
        switch move {
        case .step: shown = step(&runner, live: live)
        case .next: shown = next(&runner, live: live)
        case .skipTrace: shown = skipTrace(&runner, live: live)
        case .continueToBreakpoint: shown = continueToBreakpoint(&runner, live: live)
        case .back: shown = stepBack(&runner)
        case .goto(let target): shown = goto(target, &runner, live: live)
        case .rerun: shown = rerun(&runner, live: live)
        case .restart: return startOver(&runner)
        }
        return shown + watchUpdates(&runner)
    }

    /// `perform` with what happened live and where it ended in one list, in order.
    public mutating func perform(_ move: Move, _ runner: inout some StepRunner) -> [Display] {
        var happened: [Display] = []
        let ended = perform(move, &runner) { happened.append($0) }
        return happened + ended
    }

    public mutating func step(_ runner: inout some StepRunner) -> [Display] { perform(.step, &runner) }
    public mutating func next(_ runner: inout some StepRunner) -> [Display] { perform(.next, &runner) }
    public mutating func skipTrace(_ runner: inout some StepRunner) -> [Display] { perform(.skipTrace, &runner) }
    public mutating func continueToBreakpoint(_ runner: inout some StepRunner) -> [Display] { perform(.continueToBreakpoint, &runner) }
    public mutating func back(_ runner: inout some StepRunner) -> [Display] { perform(.back, &runner) }
    public mutating func goto(_ target: Int, _ runner: inout some StepRunner) -> [Display] { perform(.goto(target), &runner) }
    public mutating func rerun(_ runner: inout some StepRunner) -> [Display] { perform(.rerun, &runner) }
    public mutating func restart(_ runner: inout some StepRunner) -> [Display] { perform(.restart, &runner) }

    private mutating func step(_ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        if let exercise = currentExercise, !runner.mayPass(exercise: exercise) { return [.exerciseWaiting(exercise: exercise)] }
        guard position + 1 < timeline.count else { return [.message("end of the lesson — :back to step back, :restart to begin again")] }
        return advance(runner: &runner, live: live).place
    }

    private mutating func next(_ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        // From a paragraph or a cell, the next entry is the next round (a cell's first step).
        guard position + 1 < timeline.count, let startCell = cellOfCurrentEvent, let startEvent = currentEvent
        else { return step(&runner, live: live) }
        let startRound = Debugger.round(startEvent)
        var shown: [Display] = []
        repeat {
            let step = advance(runner: &runner, live: live)
            shown = step.place
            guard !step.stopped, let event = currentEvent, cellOfCurrentEvent == startCell else { break }
            if Debugger.round(event) != startRound { break }
        } while position + 1 < timeline.count
        return shown
    }

    private mutating func skipTrace(_ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        guard position + 1 < timeline.count, let startCell = currentCell else { return step(&runner, live: live) }
        var shown: [Display] = []
        repeat {
            let step = advance(runner: &runner, live: live)
            shown = step.place
            guard !step.stopped, cellOfCurrentEvent == startCell else { break }
        } while position + 1 < timeline.count
        if cellOfCurrentEvent == startCell { shown.append(.message("end of the lesson")) }
        return shown
    }

    /// Shows where it stopped; the lesson's text and the cells run on the way go to `live`
    /// as they are passed: a student should miss neither their output nor the words
    /// between them (the instructions before an exercise). Trace steps are what it skips.
    private mutating func continueToBreakpoint(_ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        while position + 1 < timeline.count {
            let step = advance(runner: &runner, live: live)
            if step.stopped { return step.place }
            if case .prose = step.place.first { step.place.forEach(live) }
            if let hit = breakpointHit(&runner) { return [.stoppedAtBreakpoint(hit)] + step.place }
        }
        return [.message("end of the lesson")]
    }

    private mutating func stepBack(_ runner: inout some StepRunner) -> [Display] {
        guard position >= 0 else { return [.message("already at the start")] }
        var shown: [Display] = []
        if case .cell(let cell, _) = timeline.entries[position] {
            runner.restore(beforeCell: cell)
            timeline.removeEvents(ofCell: cell)
            cellsRun = cell
            shown.append(.rewound(beforeCell: cell))
        }
        if case .exercise(let exercise, _) = timeline.entries[position] { runner.restore(beforeExercise: exercise) }
        position -= 1
        if let here = shownAt(position) { shown.append(here) } else { shown.append(.message("at the start of the lesson")) }
        return shown
    }

    /// Back: every rewind, then the place arrived at. Forward: every cell run on the way
    /// (live: their output and checks matter), then the place arrived at if no cell ran
    /// at the last step.
    private mutating func goto(_ target: Int, _ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        let clamped = max(-1, target)
        var shown: [Display] = []
        var rewound: [Display] = []
        while position > clamped {
            let step = stepBack(&runner)
            rewound += step.filter { if case .rewound = $0 { true } else { false } }
            shown = rewound + step.filter(\.isPlace)
        }
        while position < clamped, position + 1 < timeline.count {
            let step = advance(runner: &runner, live: live)
            if step.stopped { return step.place }
            shown = step.ranCell ? [] : step.place
        }
        if position < clamped { shown.append(.message("the lesson has \(timeline.count) steps")) }
        return shown
    }

    /// Runs the cell of the current position again, in the variables as they are now — so
    /// a weight the student changed at the prompt is used — and shows its new output and
    /// events (`:diff` then compares them with the previous run's).
    private mutating func rerun(_ runner: inout some StepRunner, live: (Display) -> Void) -> [Display] {
        guard let cell = currentCell else { return [.message("nothing to rerun yet: step to a cell first")] }
        guard let at = timeline.position(ofCell: cell) else { return [] }
        // Cells after this one ran on the old results: forget them, they will run again.
        for later in (cell + 1)..<max(cellsRun, cell + 1) { timeline.removeEvents(ofCell: later) }
        timeline.removeEvents(ofCell: cell)
        cellsRun = cell
        position = at - 1
        return advance(runner: &runner, live: live, rerunning: true).place
    }

    private mutating func startOver(_ runner: inout some StepRunner) -> [Display] {
        runner.restore(beforeCell: 0)
        for cell in 0..<max(cellsRun, 1) { timeline.removeEvents(ofCell: cell) }
        cellsRun = 0
        position = -1
        return [.rewound(beforeCell: 0), .message("back at the start of the lesson")]
    }

    /// The cell the current position belongs to (a cell entry or one of its events).
    public var currentCell: Int? {
        guard timeline.entries.indices.contains(position) else { return nil }
        switch timeline.entries[position] {
        case .cell(let cell, _), .event(let cell, _): return cell
        case .prose, .exercise: return nil
        }
    }

    /// The exercise at the current position, if the student is at one.
    public var currentExercise: Int? {
        guard timeline.entries.indices.contains(position), case .exercise(let exercise, _) = timeline.entries[position] else { return nil }
        return exercise
    }

    // MARK: breakpoints and watches

    /// A new breakpoint, or the one already there for the same condition (a lesson that
    /// says `:break feedforward` twice should not make the student delete two).
    public mutating func addBreakpoint(_ condition: Breakpoint.Condition) -> Breakpoint {
        if let existing = breakpoints.first(where: { $0.condition == condition }) { return existing }
        let bp = Breakpoint(number: nextNumber, condition: condition)
        nextNumber += 1
        breakpoints.append(bp)
        return bp
    }

    /// Deletes breakpoint or watch `number`; false if there is none.
    public mutating func delete(_ number: Int) -> Bool {
        let before = breakpoints.count + watches.count
        breakpoints.removeAll { $0.number == number }
        watches.removeAll { $0.number == number }
        return breakpoints.count + watches.count < before
    }

    public mutating func addWatch(_ expression: String, _ runner: inout some StepRunner) -> [Display] {
        var watch = Watch(number: nextNumber, expression: expression)
        nextNumber += 1
        let value = runner.watchValue(expression, at: currentEvent)
        watch.lastShown = value
        watches.append(watch)
        return [.watch(number: watch.number, expression: expression, value: value ?? "(not available here)")]
    }

    // MARK: internals

    /// What one entry forward did: the place it shows (nothing for a cell that ran: that
    /// went live), whether it ran a cell, and whether that cell stopped.
    private struct Advance {
        var place: [Display] = []
        var ranCell = false
        var stopped = false
    }

    /// Moves one entry forward, running a cell when that is the next entry.
    private mutating func advance(runner: inout some StepRunner, live: (Display) -> Void, rerunning: Bool = false) -> Advance {
        let target = position + 1
        guard target < timeline.count else { return Advance() }
        // An exercise not yet answered holds the lesson where it is.
        if let exercise = currentExercise {
            guard runner.mayPass(exercise: exercise) else { return Advance(place: [.exerciseWaiting(exercise: exercise)], stopped: true) }
            runner.leave(exercise: exercise)
        }
        switch timeline.entries[target] {
        case .exercise(let exercise, _):
            position = target
            runner.reach(exercise: exercise)
            return Advance(place: [.exercise(exercise: exercise, position: target)], stopped: !runner.mayPass(exercise: exercise))
        case .prose(let section):
            position = target
            return Advance(place: [.prose(section: section)])
        case .cell(let cell, _):
            if cell < cellsRun {  // already run (we came back onto it from an event)
                position = target
                return Advance(place: [.cellRevisited(cell: cell, position: target)])
            }
            live(.cellStarting(cell: cell))
            let outcome = rerunning ? runner.rerun(cell: cell) : runner.run(cell: cell)
            position = target
            live(.cellRan(cell: cell, position: target))
            guard case .ran(let events) = outcome else {
                if case .interrupted = outcome { live(.cellStopped(cell: cell, interrupted: true)) } else { live(.cellStopped(cell: cell, interrupted: false)) }
                return Advance(ranCell: true, stopped: true)
            }
            timeline.insert(events: events, forCell: cell)
            cellsRun = cell + 1
            return Advance(ranCell: true)
        case .event(let cell, _):
            position = target
            return Advance(place: timeline.event(at: target).map { [.event($0, cell: cell, position: target)] } ?? [])
        }
    }

    private var cellOfCurrentEvent: Int? {
        guard timeline.entries.indices.contains(position), case .event(let cell, _) = timeline.entries[position] else { return nil }
        return cell
    }

    private func shownAt(_ position: Int) -> Display? {
        guard timeline.entries.indices.contains(position) else { return nil }
        switch timeline.entries[position] {
        case .prose(let section): return .prose(section: section)
        case .cell(let cell, _): return .cellRevisited(cell: cell, position: position)
        case .event(let cell, _): return timeline.event(at: position).map { .event($0, cell: cell, position: position) }
        case .exercise(let exercise, _): return .exercise(exercise: exercise, position: position)
        }
    }

    private mutating func breakpointHit(_ runner: inout some StepRunner) -> Breakpoint? {
        guard let event = currentEvent else { return nil }
        for bp in breakpoints {
            switch bp.condition {
            case .kind(let kind) where kind == event.kind: return bp
            case .expression(let source) where runner.condition(source, at: event) == true: return bp
            default: continue
            }
        }
        return nil
    }

    private mutating func watchUpdates(_ runner: inout some StepRunner) -> [Display] {
        var shown: [Display] = []
        for i in watches.indices {
            let value = runner.watchValue(watches[i].expression, at: currentEvent)
            if let value, value != watches[i].lastShown {
                shown.append(.watch(number: watches[i].number, expression: watches[i].expression, value: value))
            }
            watches[i].lastShown = value
        }
        return shown
    }

    /// What counts as one round of message passing for `:next`: a layer, a time step, a
    /// diffusion step — whichever the event's kind declares a round; a step whose kind
    /// has none is a round of its own.
    static func round(_ event: TraceEvent) -> String {
        event.round.map { "\(event.kind.rawValue) \($0.key) \($0.value)" } ?? "\(event.kind.rawValue) step \(event.step)"
    }

    /// Whether some round of these events has more than one step (layers of several
    /// heads), so that `:next` moves differently from Enter.
    public static func roundsGroupSteps(_ events: [TraceEvent]) -> Bool {
        Set(events.map(round)).count < events.count
    }
}
