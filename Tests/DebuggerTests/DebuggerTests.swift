import Debugger
import Testing
import Trace

/// A fake lesson world: cell k adds k+1 to `total` and records events of the kinds
/// given for it; restoring rewinds `total` to its value before the cell.
struct FakeRunner: StepRunner {
    var eventsPerCell: [[TraceEvent]]
    var failing: Set<Int> = []
    /// Cells stopped by Ctrl-C: what they did until then is kept (half their step).
    var interrupting: Set<Int> = []
    var total = 0
    var totalsBefore: [Int: Int] = [:]
    var runs: [Int] = []
    var restores: [Int] = []
    /// Exercises not answered yet: the lesson may not go past them.
    var openExercises: Set<Int> = []
    var reached: [Int] = []
    var exerciseRestores: [Int] = []

    mutating func reach(exercise: Int) { reached.append(exercise) }
    mutating func mayPass(exercise: Int) -> Bool { !openExercises.contains(exercise) }
    mutating func restore(beforeExercise exercise: Int) { exerciseRestores.append(exercise) }

    mutating func run(cell: Int) -> CellOutcome {
        runs.append(cell)
        if totalsBefore[cell] == nil { totalsBefore[cell] = total }  // a rerun keeps the state before the first run
        if failing.contains(cell) { return .failed(diagnostic: "cell \(cell): error") }
        // The words are the runner's own: the debugger must stop on the outcome, not on them.
        if interrupting.contains(cell) { return .interrupted(diagnostic: "Ctrl-C stopped the cell \(cell)") }
        total += cell + 1
        return .ran(events: eventsPerCell[cell])
    }

    mutating func restore(beforeCell cell: Int) {
        restores.append(cell)
        total = totalsBefore[cell] ?? 0
        totalsBefore = totalsBefore.filter { $0.key <= cell }
    }

    mutating func condition(_ expression: String, at event: TraceEvent?) -> Bool? {
        // "head 2" holds at events whose head is 2.
        guard let event else { return false }
        return expression == "head 2" && event.index("head") == .int(2)
    }

    mutating func watchValue(_ expression: String, at event: TraceEvent?) -> String? {
        expression == "total" ? String(total) : nil
    }
}

func event(_ kind: EventKind, _ index: [(String, IndexValue)]) -> TraceEvent {
    TraceEvent(kind: kind, formula: kind.rawValue, index: index.map { (key: $0.0, value: $0.1) }, tensors: [])
}

/// prose, cell 0 (two attention heads in layer 1, one head in layer 2), prose, cell 1 (no events), cell 2 (lstm t=1,2)
func lesson() -> (Debugger, FakeRunner) {
    let runner = FakeRunner(eventsPerCell: [
        [event(.attention, [("layer", .int(1)), ("head", .int(1))]), event(.attention, [("layer", .int(1)), ("head", .int(2))]),
         event(.attention, [("layer", .int(2)), ("head", .int(1))])],
        [],
        [event(.lstm, [("t", .int(1))]), event(.lstm, [("t", .int(2))])],
    ])
    return (Debugger(sectionIsCell: [false, true, false, true, true]), runner)
}

func kinds(_ shown: [Display]) -> [String] {
    // A cell's start always comes just before its `ran`; a test of its own checks that.
    shown.compactMap {
        switch $0 {
        case .cellStarting: nil
        case .prose(let s): "prose \(s)"
        case .cellRan(let c, _): "ran \(c)"
        case .cellRevisited(let c, _): "cell \(c)"
        case .event(let e, let c, _): "event \(c) \(e.kind.rawValue) \(e.index.map { "\($0.key)\($0.value)" }.joined(separator: ","))"
        case .rewound(let c): "rewound \(c)"
        case .watch(let n, let x, let v): "watch \(n) \(x)=\(v)"
        case .stoppedAtBreakpoint(let b): "break \(b.number)"
        case .cellStopped(let c, let interrupted): interrupted ? "interrupted \(c)" : "failed \(c)"
        case .message(let m): "message \(m)"
        case .exercise(let e, _): "exercise \(e)"
        case .exerciseWaiting(let e): "waiting \(e)"
        }
    }
}

@Suite struct DebuggerTests {
    @Test func stepWalksProseCellsAndEveryEventInOrder() {
        var (debugger, runner) = lesson()
        var seen: [String] = []
        while !debugger.isAtEnd { seen += kinds(debugger.step(&runner)) }
        #expect(seen == [
            "prose 0", "ran 0", "event 0 attention layer1,head1", "event 0 attention layer1,head2",
            "event 0 attention layer2,head1", "prose 2", "ran 1", "ran 2", "event 2 lstm t1", "event 2 lstm t2",
        ])
        #expect(runner.runs == [0, 1, 2])
        #expect(debugger.timeline.count == 10)
        #expect(kinds(debugger.step(&runner)).first?.hasPrefix("message end of the lesson") == true)
    }

    @Test func backInsideATraceShowsTheEarlierEventExactlyAsItWas() {
        var (debugger, runner) = lesson()
        for _ in 0..<4 { _ = debugger.step(&runner) }
        let second = debugger.currentEvent
        _ = debugger.step(&runner)
        #expect(kinds(debugger.back(&runner)) == ["event 0 attention layer1,head2"])
        #expect(debugger.currentEvent == second)
        #expect(runner.restores.isEmpty && runner.runs == [0])
    }

    @Test func backOverACellRewindsItsVariablesAndStepsForwardRunItAgain() {
        var (debugger, runner) = lesson()
        for _ in 0..<2 { _ = debugger.step(&runner) }  // prose 0, ran 0
        #expect(runner.total == 1 && debugger.cellsRun == 1)
        #expect(kinds(debugger.back(&runner)) == ["rewound 0", "prose 0"])
        #expect(runner.total == 0 && debugger.cellsRun == 0)
        #expect(debugger.timeline.count == 5)  // its events are gone until it runs again
        #expect(kinds(debugger.step(&runner)) == ["ran 0"])
        #expect(runner.runs == [0, 0] && runner.total == 1)
    }

    @Test func backFromAnEventOntoItsCellDoesNotRunItAgain() {
        var (debugger, runner) = lesson()
        for _ in 0..<3 { _ = debugger.step(&runner) }  // … first event
        #expect(kinds(debugger.back(&runner)) == ["cell 0"])
        #expect(kinds(debugger.step(&runner)) == ["event 0 attention layer1,head1"])
        #expect(runner.runs == [0])
    }

    @Test func nextSkipsTheRestOfARound() {
        var (debugger, runner) = lesson()
        for _ in 0..<3 { _ = debugger.step(&runner) }  // at layer 1 head 1
        #expect(kinds(debugger.next(&runner)) == ["event 0 attention layer2,head1"])
        #expect(kinds(debugger.next(&runner)) == ["prose 2"])
        #expect(kinds(debugger.next(&runner)) == ["ran 1"])
    }

    /// Right after a traced cell, `:next` goes to its first round (it used to skip the
    /// whole trace, the pictures a lesson asks for among them); `:skip` goes past it.
    @Test func nextFromACellGoesToItsFirstRoundAndSkipGoesPastTheTrace() {
        var (debugger, runner) = lesson()
        for _ in 0..<2 { _ = debugger.step(&runner) }  // prose 0, ran 0
        #expect(kinds(debugger.next(&runner)) == ["event 0 attention layer1,head1"])
        #expect(kinds(debugger.next(&runner)) == ["event 0 attention layer2,head1"])
        var (fresh, again) = lesson()
        for _ in 0..<2 { _ = fresh.step(&again) }
        #expect(kinds(fresh.skipTrace(&again)) == ["prose 2"])
        // From inside a trace too.
        _ = fresh.goto(2, &again)
        #expect(kinds(fresh.skipTrace(&again)) == ["prose 2"])
        // Where each step is a round of its own (an LSTM's time steps), :next is Enter.
        _ = fresh.goto(8, &again)  // lstm t1
        #expect(kinds(fresh.next(&again)) == ["event 2 lstm t2"])
        #expect(Debugger.roundsGroupSteps(again.eventsPerCell[0]) && !Debugger.roundsGroupSteps(again.eventsPerCell[2]))
    }

    @Test func gotoForwardReportsEveryCellItRan() {
        var (debugger, runner) = lesson()
        #expect(kinds(debugger.goto(7, &runner)) == ["ran 0", "ran 1", "ran 2"])
    }

    @Test func continueStopsAtTheFirstEventOfABrokenKind() {
        var (debugger, runner) = lesson()
        let bp = debugger.addBreakpoint(.kind(.lstm))
        let shown = kinds(debugger.continueToBreakpoint(&runner))
        // The text and the cells' output on the way are shown; then where it stopped.
        #expect(shown == ["prose 0", "ran 0", "prose 2", "ran 1", "ran 2", "break \(bp.number)", "event 2 lstm t1"])
        // With no breakpoint left, on to the end without showing the last place twice.
        _ = debugger.delete(bp.number)
        #expect(kinds(debugger.continueToBreakpoint(&runner)) == ["message end of the lesson"])
    }

    /// The same condition twice is one breakpoint.
    @Test func aBreakpointSetTwiceIsOne() {
        var (debugger, _) = lesson()
        let first = debugger.addBreakpoint(.kind(.lstm)), again = debugger.addBreakpoint(.kind(.lstm))
        #expect(first.number == again.number && debugger.breakpoints.count == 1)
        #expect(debugger.addBreakpoint(.kind(.attention)).number != first.number)
    }

    @Test func conditionalBreakpointsAskTheLanguage() {
        var (debugger, runner) = lesson()
        _ = debugger.addBreakpoint(.expression("head 2"))
        #expect(kinds(debugger.continueToBreakpoint(&runner)).suffix(2) == ["break 1", "event 0 attention layer1,head2"])
        let deleted = debugger.delete(1), again = debugger.delete(1)
        #expect(deleted && !again)
        #expect(kinds(debugger.continueToBreakpoint(&runner)).last == "message end of the lesson")
    }

    @Test func aFailingCellStopsTheWalk() {
        var (debugger, runner) = lesson()
        runner.failing = [1]
        let shown = kinds(debugger.continueToBreakpoint(&runner))
        #expect(shown.last == "failed 1")
        #expect(debugger.currentCell == 1)
    }

    /// A cell that failed or was interrupted stops every walk that would run cells on:
    /// :continue, :goto and :next stop there, whatever words the runner used.
    @Test(arguments: [false, true])
    func aStoppedCellStopsEveryWalk(interrupted: Bool) {
        let stop = interrupted ? "interrupted 2" : "failed 2"
        func stopping() -> (Debugger, FakeRunner) {
            var (debugger, runner) = lesson()
            if interrupted { runner.interrupting = [2] } else { runner.failing = [2] }
            return (debugger, runner)
        }
        var (debugger, runner) = stopping()
        #expect(kinds(debugger.continueToBreakpoint(&runner)) == ["prose 0", "ran 0", "prose 2", "ran 1", "ran 2", stop])
        #expect(debugger.currentCell == 2 && runner.runs == [0, 1, 2])

        (debugger, runner) = stopping()
        #expect(kinds(debugger.goto(9, &runner)) == ["ran 0", "ran 1", "ran 2", stop])
        #expect(debugger.currentCell == 2 && runner.runs == [0, 1, 2])

        (debugger, runner) = stopping()
        _ = debugger.goto(6, &runner)  // at cell 1
        #expect(kinds(debugger.next(&runner)) == ["ran 2", stop])
        // A second :next does not run the stopped cell's events, which were never recorded.
        #expect(debugger.timeline.events[2] == nil)
    }

    /// What happens on the way is given live, in order: a cell's start before it runs
    /// (so its code can be shown above its progress bar), its end after; where the move
    /// ended comes back at the end, and nothing is given twice.
    @Test func cellsAreGivenLiveAsTheyStartAndEnd() {
        var (debugger, runner) = lesson()
        var live: [String] = []
        let ended = debugger.perform(.continueToBreakpoint, &runner) { display in
            switch display {
            case .cellStarting(let c): live.append("starting \(c)")
            default: live += kinds([display])
            }
        }
        #expect(live == ["prose 0", "starting 0", "ran 0", "prose 2", "starting 1", "ran 1", "starting 2", "ran 2"])
        #expect(kinds(ended) == ["message end of the lesson"])

        // The runner is asked to run a cell only after its start was given.
        struct Ordered: StepRunner {
            var inner: FakeRunner
            var log: [String] = []
            mutating func run(cell: Int) -> CellOutcome { log.append("run \(cell)"); return inner.run(cell: cell) }
            mutating func restore(beforeCell cell: Int) { inner.restore(beforeCell: cell) }
            mutating func condition(_ e: String, at event: TraceEvent?) -> Bool? { inner.condition(e, at: event) }
            mutating func watchValue(_ e: String, at event: TraceEvent?) -> String? { inner.watchValue(e, at: event) }
        }
        var (fresh, inner) = lesson()
        var ordered = Ordered(inner: inner)
        var order: [String] = []
        _ = fresh.perform(.goto(2), &ordered) { display in
            if case .cellStarting(let c) = display { order.append("starting \(c)") }
        }
        #expect(order == ["starting 0"] && ordered.log == ["run 0"])
        _ = inner
    }

    @Test func watchesReprintOnlyWhenTheValueChanges() {
        var (debugger, runner) = lesson()
        #expect(kinds(debugger.addWatch("total", &runner)) == ["watch 1 total=0"])
        #expect(kinds(debugger.step(&runner)) == ["prose 0"])  // unchanged: not reprinted
        #expect(kinds(debugger.step(&runner)) == ["ran 0", "watch 1 total=1"])
        #expect(kinds(debugger.back(&runner)) == ["rewound 0", "prose 0", "watch 1 total=0"])
    }

    @Test func gotoMovesForwardAndBackThroughCells() {
        var (debugger, runner) = lesson()
        #expect(kinds(debugger.goto(8, &runner)) == ["ran 0", "ran 1", "ran 2", "event 2 lstm t1"])
        #expect(runner.runs == [0, 1, 2])
        #expect(kinds(debugger.goto(1, &runner)) == ["rewound 2", "rewound 1", "cell 0"])
        #expect(runner.total == 1)
        #expect(kinds(debugger.goto(99, &runner)).last == "message the lesson has 10 steps")
    }

    @Test func rerunRunsTheCurrentCellAgainOnTheVariablesAsTheyAreNow() {
        var (debugger, runner) = lesson()
        for _ in 0..<4 { _ = debugger.step(&runner) }
        #expect(kinds(debugger.rerun(&runner)) == ["ran 0"])
        // No rewind: what the student changed at the prompt is kept (here: the total grows).
        #expect(runner.runs == [0, 0] && runner.restores.isEmpty && runner.total == 2)
        #expect(kinds(debugger.step(&runner)) == ["event 0 attention layer1,head1"])
        #expect(kinds(debugger.restart(&runner)).first == "rewound 0")
        #expect(debugger.position == -1 && runner.restores == [0] && runner.total == 0)
    }
}
