import Foundation
import Testing

/// The exercise loop in the real REPL under tmux, as a student meets it: a wrong answer,
/// a hint, the right answer, the record kept after quitting and shown when the lesson is
/// opened again; and a run with `--no-skip` that refuses `:skip`.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: Terminal.tmuxAvailable, "needs tmux; scripts/test installs it"))
struct ExerciseTerminalTests {
    static let lesson = """
        # Lengths

        ```huddle
        x = tensor([3, 4])
        ```

        ```exercise value
        ask: What is the length of x, √(x₀² + x₁²)?
        answer: sqrt(sum(x * x))
        hint: Square each number and add them.
        hint: √(9 + 16).
        solution: 5
        wrong: 7 -> that adds the numbers; a length adds their squares
        ```

        ```huddle
        print("on we go")
        ```
        """

    func lessonFolder() throws -> (folder: String, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-ex-tty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/06-lengths.md"
        try ExerciseTerminalTests.lesson.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    @Test func wrongHintRightThenTheRecordIsKept() async throws {
        let (folder, path) = try lessonFolder()
        let state = folder + "/state"
        try await Terminal.with(arguments: [path], in: folder, state: state) { t in
            for _ in 0..<3 { try await t.keys("Enter") }
            try await t.waitFor("── Exercise 1 of 1 · value")
            try await t.waitFor("answer>")
            try await t.type("7")
            try await t.keys("Enter")
            try await t.waitFor("✗ that adds the numbers; a length adds their squares")
            try await t.type(":hint")
            try await t.keys("Enter")
            try await t.waitFor("hint 1 of 2: Square each number and add them.")
            try await t.type("sqrt(3 * 3 + 4 * 4)")
            try await t.keys("Enter")
            try await t.waitFor("✓ right (attempt 2)")
            try await t.waitFor("on we go")
            try await t.waitForPrompt()
            try await t.keys("C-d")
            try await t.waitFor("exercises: 1 of 1 solved · 2 attempts · 1 hint")
        }
        let records = (try? String(contentsOfFile: state + "/huddle/exercises", encoding: .utf8)) ?? ""
        #expect(records.hasPrefix("2\t1\tsolved\t"), "\(records)")
        #expect(records.contains("06-lengths.md"))
        // Opened again: the exercise is answered, Enter goes past it.
        try await Terminal.with(arguments: [path], in: folder, state: state, ready: "resume at step") { t in
            try await t.type("n")
            try await t.keys("Enter")
            for _ in 0..<3 { try await t.keys("Enter") }
            try await t.waitFor("✓ solved in 2 attempts — Enter to go on")
            try await t.type(":progress")
            try await t.keys("Enter")
            try await t.waitFor("solved")
        }
    }

    /// Shown the solution, then opened again and started over: the exercise takes an
    /// answer (it said "solution shown — Enter to go on", and `5` ran as code).
    @Test func startingOverOpensAnExerciseWhoseSolutionWasShown() async throws {
        let (folder, path) = try lessonFolder()
        let state = folder + "/state"
        try await Terminal.with(arguments: [path], in: folder, state: state) { t in
            for _ in 0..<3 { try await t.keys("Enter") }
            try await t.waitFor("answer>")
            try await t.type(":solution")
            try await t.keys("Enter")
            try await t.waitFor("5")
            try await t.waitForPrompt()
            try await t.keys("C-d")
        }
        try await Terminal.with(arguments: [path], in: folder, state: state, ready: "resume at step") { t in
            try await t.type("n")
            try await t.keys("Enter")
            for _ in 0..<3 { try await t.keys("Enter") }
            try await t.waitFor("answer>")
            try await t.type("5")
            try await t.keys("Enter")
            let screen = try await t.waitFor("on we go")
            #expect(screen.contains("✓ right"), "\(screen)")
        }
        let records = (try? String(contentsOfFile: state + "/huddle/exercises", encoding: .utf8)) ?? ""
        #expect(records.hasPrefix("1\t0\tsolved\t"), "\(records)")
    }

    @Test func noSkipRefusesSkip() async throws {
        let (folder, path) = try lessonFolder()
        try await Terminal.with(arguments: ["--no-skip", path], in: folder, state: folder + "/state") { t in
            for _ in 0..<3 { try await t.keys("Enter") }
            try await t.waitFor("answer>")
            try await t.type(":skip")
            try await t.keys("Enter")
            try await t.waitFor(":solution and :skip are turned off here")
            try await t.keys("Enter")
            let screen = try await t.waitFor("exercise 1 waits for your answer")
            #expect(!screen.contains("on we go"))
            try await t.type("5")
            try await t.keys("Enter")
            try await t.waitFor("on we go")
        }
    }
}
