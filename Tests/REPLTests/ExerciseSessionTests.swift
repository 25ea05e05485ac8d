import Foundation
import Lessons
@testable import REPL
import Render
import Testing

/// The exercise loop at the REPL, driven line by line: the lesson waits at an exercise,
/// checks attempts, gives hints one at a time, shows the solution unless locked, and keeps
/// the record with the lesson's progress.
@Suite struct ExerciseSessionTests {
    static let lesson = """
        # Two numbers

        ```huddle
        x = tensor([3, 4])
        ```

        ```exercise value
        ask: What is the length of x?
        answer: sqrt(sum(x * x))
        hint: Square each number and add them.
        hint: √(9 + 16).
        solution: 5
        why: √(3² + 4²) = 5.
        wrong: 7 -> that adds the numbers; a length adds their squares
        ```

        ```huddle
        y = 2 * x
        print("after the exercise")
        ```

        The end.
        """

    /// A REPL on `lesson` in a fresh folder with its own state, fed `input`; its output.
    static func run(_ lesson: String = ExerciseSessionTests.lesson, input: [String], state: String? = nil,
                    locks: Bool = false) throws -> (output: String, state: String, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-ex-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/04-two.md"
        try lesson.write(toFile: path, atomically: true, encoding: .utf8)
        let stateFolder = state ?? folder + "/state"
        try FileManager.default.createDirectory(atPath: stateFolder + "/huddle", withIntermediateDirectories: true)
        var lines = input.makeIterator()
        var text = ""
        let configuration = REPL.Configuration(interactive: false, options: RenderOptions(color: .none, width: 100),
                                               state: StatePaths(environment: ["XDG_STATE_HOME": stateFolder]),
                                               lessonsFolder: folder, locksSolutions: locks)
        let repl = try REPL(lessonPath: path, reader: PlainLineReader { lines.next() }, configuration: configuration) { text += $0 }
        repl.run()
        return (text, stateFolder, path)
    }

    @Test func wrongThenHintThenRightMovesOnAndIsRecorded() throws {
        let (out, state, path) = try ExerciseSessionTests.run(input: ["", "", "", "", "7", ":hint", "x[0", "5"])
        #expect(out.contains("── Exercise 1 of 1 · value"))
        #expect(out.contains("exercise 1 waits for your answer"), "Enter at an unanswered exercise waits: \(out)")
        #expect(out.contains("✗ that adds the numbers; a length adds their squares"))
        #expect(out.contains("hint 1 of 2: Square each number and add them."))
        #expect(!out.contains("hint 2 of 2"), "hints come one at a time")
        #expect(out.contains("<your answer>:1:4: error: expected ']' to close '['"), "an unclosed bracket is a typo shown with its caret, not a wait for more: \(out)")
        #expect(out.contains("attempt 2 (an error counts too)"))
        #expect(out.contains("✓ right (attempt 3)"))
        #expect(out.contains("√(3² + 4²) = 5."))
        #expect(out.contains("after the exercise"), "a right answer moves on: the next cell ran")
        #expect(PipedPositions(out).before("exercise 1 waits", "after the exercise"))
        let records = ExerciseStore(path: state + "/huddle/exercises").records(forLesson: path)
        #expect(records.count == 1)
        let record = try #require(records.values.first)
        #expect(record.solved && record.attempts == 3 && record.hintsUsed == 1 && !record.solutionShown)
    }

    @Test func theSolutionIsShownRunAndRecorded() throws {
        let (out, state, path) = try ExerciseSessionTests.run(input: ["", "", "", ":skip", "", ":progress"])
        #expect(out.contains("solution: 5"))
        #expect(out.contains("after the exercise"))
        #expect(out.contains("solution shown"), "\(out)")
        let record = try #require(ExerciseStore(path: state + "/huddle/exercises").records(forLesson: path).values.first)
        #expect(record.solutionShown && !record.solved)
    }

    @Test func aLockedRunRefusesSkipAndSolution() throws {
        let (out, _, _) = try ExerciseSessionTests.run(input: ["", "", "", ":skip", ":solution", "", "5"], locks: true)
        #expect(out.components(separatedBy: ":solution and :skip are turned off here").count == 3, "\(out)")
        #expect(!out.contains("solution: 5"))
        #expect(out.contains("this lesson asks you to answer before going on"))
        #expect(out.contains("✓ right"))
        let locked = ExerciseSessionTests.lesson + "\n<!-- huddle: no-skip -->\n"
        let (lockedOut, _, _) = try ExerciseSessionTests.run(locked, input: ["", "", "", ":skip"])
        #expect(lockedOut.contains(":solution and :skip are turned off here"), "the lesson's own flag locks it too")
        #expect(!lockedOut.contains("after the exercise"))
    }

    @Test func walksStopAtTheExerciseAndAnAnsweredOneStaysAnswered() throws {
        let (out, state, _) = try ExerciseSessionTests.run(input: [":continue", ":goto 5", "5", ":back", ":back", ":back", "", ""])
        #expect(!out.components(separatedBy: "after the exercise").dropFirst().isEmpty)
        #expect(PipedPositions(out).before("── Exercise 1 of 1", "after the exercise"), ":continue stopped at the exercise: \(out)")
        #expect(out.contains("exercise 1 waits"), ":goto past it waits too")
        // Back over it and forward again: it is answered, so Enter goes on.
        #expect(out.contains("✓ solved — Enter to go on"), "\(out)")
        #expect(out.components(separatedBy: "after the exercise").count == 3, "the cell after it ran again: \(out)")
        _ = state
    }

    @Test func theEndOfTheLessonSumsUpAndTheLessonsListCounts() throws {
        let (out, state, path) = try ExerciseSessionTests.run(input: ["", "", "", "5", "", ":lessons"])
        #expect(out.contains("exercises: 1 of 1 solved · 1 attempt · 0 hints"), "\(out)")
        #expect(out.contains("1/1 exercises"))
        let text = StudentProgress.text(lessonsFolder: (path as NSString).deletingLastPathComponent,
                                        state: StatePaths(environment: ["XDG_STATE_HOME": state]))
        #expect(text.contains("1/1 exercises solved"), "\(text)")
        let json = StudentProgress.json(lessonsFolder: (path as NSString).deletingLastPathComponent,
                                        state: StatePaths(environment: ["XDG_STATE_HOME": state]))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let lessons = try #require(parsed?["lessons"] as? [[String: Any]])
        let exercise = try #require((lessons.first?["exercises"] as? [[String: Any]])?.first)
        #expect(exercise["solved"] as? Bool == true && exercise["attempts"] as? Int == 1 && exercise["kind"] as? String == "value")
    }

    @Test func aRecordFileThatIsNotOursIsSkippedNotTrusted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "9223372036854775807\t1\tsolved\tk\t/x.md\nnot a line\n2\t1\tsolved,shown\tk2\t/x.md\n"
            .write(toFile: folder + "/exercises", atomically: true, encoding: .utf8)
        let all = ExerciseStore(path: folder + "/exercises").load()
        #expect(all["/x.md"]?["k"] == nil)
        #expect(all["/x.md"]?["k2"]?.solved == true && all["/x.md"]?["k2"]?.solutionShown == true)
    }
}

/// Where texts first appear in an output.
struct PipedPositions {
    let text: String
    init(_ text: String) { self.text = text }

    /// Whether `a` appears, and before `b` (or `b` not at all).
    func before(_ a: String, _ b: String) -> Bool {
        guard let x = text.range(of: a) else { return false }
        guard let y = text.range(of: b) else { return true }
        return x.lowerBound < y.lowerBound
    }
}

/// Going back over a goal undoes it; going on past it, answered, makes it again, so the
/// cells after it find what they expect.
@Suite struct GoalReplayTests {
    static let lesson = """
        # Goal

        ```huddle
        x = zeros([2])
        ```

        ```exercise goal
        ask: Make x[0] at least 1.
        goal: x[0] >= 1
        solution: x[0] = 1
        wrong: x[1] = 1
        ```

        ```huddle
        expect x[0] >= 1
        print("checked")
        ```
        """

    @Test func passingAnAnsweredGoalAgainRunsItsSolution() throws {
        let (out, _, _) = try ExerciseSessionTests.run(GoalReplayTests.lesson,
                                                       input: ["", "", "", "x[0] = 2", ":back", ":back", "x", "", ""])
        #expect(out.contains("✓ goal reached"))
        #expect(out.contains("✓ expect x[0] >= 1"))
        #expect(out.contains("exercise 1 was answered before: the lesson's solution ran again"), "\(out)")
        #expect(!out.contains("✗ expect"), "the cell after the goal still finds it reached: \(out)")
    }

    @Test func aGoalReachedBeforeItIsAskedIsSolvedWhenReached() throws {
        let (out, _, _) = try ExerciseSessionTests.run(GoalReplayTests.lesson, input: ["", "", "x[0] = 3", "", "7", ""])
        #expect(out.contains("✓ the goal already holds: what you changed before reached it"), "\(out)")
        #expect(out.contains("checked"), "Enter goes on at once")
        #expect(!out.contains("✓ goal reached"), "nothing typed after it is taken as the answer")
    }

    @Test func resumingStopsAtAnExerciseNotYetAnswered() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-resume-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/04-goal.md"
        try GoalReplayTests.lesson.write(toFile: path, atomically: true, encoding: .utf8)
        var text = ""
        let configuration = REPL.Configuration(interactive: false, options: RenderOptions(color: .none, width: 100), state: nil)
        let repl = try REPL(lessonPath: path, reader: PlainLineReader { nil }, configuration: configuration) { text += $0 }
        repl.replay(to: 4)
        #expect(repl.debugger.currentExercise == 0)
        #expect(text.contains("ran 1 cell to get back to step 3 — an exercise on the way waits for your answer"), "\(text)")
    }
}
