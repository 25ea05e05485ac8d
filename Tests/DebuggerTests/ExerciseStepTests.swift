import Debugger
import Testing
import Trace

/// An exercise is a place in the timeline the lesson waits at: Enter, :continue and
/// :goto stop there until it is answered; stepping back over it undoes what was done there.
@Suite struct ExerciseStepTests {
    /// prose · cell 0 · exercise 0 · cell 1 (two events) · prose
    func lesson() -> (Debugger, FakeRunner) {
        var runner = FakeRunner(eventsPerCell: [[], [event(.lstm, [("t", .int(1))]), event(.lstm, [("t", .int(2))])]])
        runner.openExercises = [0]
        return (Debugger(sections: [.prose, .cell, .exercise, .cell, .prose]), runner)
    }

    @Test func enterStopsAtAnUnansweredExerciseAndGoesOnOnceItIsAnswered() {
        var (debugger, runner) = lesson()
        var seen: [String] = []
        for _ in 0..<4 { seen += kinds(debugger.step(&runner)) }
        #expect(seen == ["prose 0", "ran 0", "exercise 0", "waiting 0"])
        #expect(debugger.currentExercise == 0)
        #expect(runner.reached == [0])
        #expect(runner.runs == [0], "the cell after the exercise must not run before it is answered")
        runner.openExercises = []
        #expect(kinds(debugger.step(&runner)) == ["ran 1"])
        #expect(debugger.currentExercise == nil)
    }

    @Test func walksStopAtTheExerciseAndSayWhere() {
        var (debugger, runner) = lesson()
        let continued = kinds(debugger.continueToBreakpoint(&runner))
        #expect(continued.last == "exercise 0")
        #expect(debugger.position == 2)
        #expect(kinds(debugger.goto(6, &runner)) == ["waiting 0"])
        #expect(debugger.position == 2)
        #expect(kinds(debugger.next(&runner)) == ["waiting 0"])
        #expect(runner.runs == [0])
    }

    /// :continue to an exercise shows the words it passed on the way, in order with the
    /// cells' output: the instructions before an exercise are in the prose, and a student
    /// who continued there had met the question without them.
    @Test func aWalkShowsTheWordsItPassesOnTheWay() {
        var runner = FakeRunner(eventsPerCell: [[event(.lstm, [("t", .int(1))])], []])
        runner.openExercises = [0]
        var debugger = Debugger(sections: [.prose, .cell, .prose, .prose, .exercise, .cell, .prose])
        var live: [String] = []
        let ended = debugger.perform(.continueToBreakpoint, &runner) { live += kinds([$0]) }
        #expect(live == ["prose 0", "ran 0", "prose 2", "prose 3"])
        #expect(kinds(ended) == ["exercise 0"])
        runner.openExercises = []
        #expect(kinds(debugger.continueToBreakpoint(&runner)) == ["ran 1", "prose 6", "message end of the lesson"])
    }

    @Test func aWalkGoesPastAnAnsweredExercise() {
        var (debugger, runner) = lesson()
        runner.openExercises = []
        _ = debugger.goto(5, &runner)
        #expect(debugger.position == 5)
        #expect(runner.runs == [0, 1])
        #expect(runner.reached == [0])
    }

    @Test func steppingBackOverAnExerciseUndoesWhatWasDoneThere() {
        var (debugger, runner) = lesson()
        runner.openExercises = []
        _ = debugger.goto(3, &runner)  // the cell after the exercise has run
        #expect(runner.exerciseRestores.isEmpty)
        #expect(kinds(debugger.back(&runner)) == ["rewound 1", "exercise 0"])
        #expect(runner.exerciseRestores.isEmpty, "at the exercise again: its state is kept")
        #expect(kinds(debugger.back(&runner)) == ["cell 0"])
        #expect(runner.exerciseRestores == [0])
        // Forward again: the exercise is reached anew (and answered, so passed).
        _ = debugger.goto(3, &runner)
        #expect(runner.reached == [0, 0])
        #expect(runner.runs == [0, 1, 1])
    }
}
