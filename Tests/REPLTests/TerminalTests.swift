import Foundation
import Testing

/// Typing, Tab completion, the up arrow, Ctrl-C during training and Ctrl-D in the real
/// REPL under tmux. A minute is far more than any of them takes; past it the test fails
/// instead of holding up the whole run.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: Terminal.tmuxAvailable, "needs tmux; scripts/test installs it"))
struct TerminalTests {
    static let lesson = """
        # At the terminal

        A model to poke at.

        ```huddle
        model = MLP([2, 3, 2], seed: 1)
        x = [[0, 1], [1, 0]]
        ```

        ```huddle
        y = trace model(x)
        ```
        """

    @Test func typingCompletionHistoryInterruptAndQuit() async throws {
        let state = try await Terminal.with(lesson: TerminalTests.lesson) { t in
            try await t.keys("Enter")
            try await t.waitFor("A model to poke at.")
            try await t.keys("Enter")
            try await t.waitFor("model = MLP([2, 3, 2], seed: 1)")

            // Tab completes a member after a dot.
            try await t.type("model.summ")
            try await t.keys("Tab")
            try await t.waitFor("model.summary")
            try await t.keys("Enter")
            try await t.waitFor("\"MLP 2→3→2 (tanh)\"")

            // UTF-8 names, and the up arrow recalls them.
            try await t.type("Δ = 21 * 2")
            try await t.keys("Enter")
            try await t.keys("Up")
            try await t.waitFor("> Δ = 21 * 2", seconds: 5)
            try await t.keys("C-u")
            try await t.type("Δ")
            try await t.keys("Enter")
            try await t.waitFor("\n42")

            // Ctrl-C stops a long training run and keeps what it learned.
            try await t.type("def loss():")
            try await t.keys("Enter")
            try await t.type("    return cross_entropy(model(x), [0, 1])")
            try await t.keys("Enter", "Enter")
            try await t.waitForPrompt()
            try await t.type("losses = train(model, loss, steps: 100000000, lr: 0.001)")
            try await t.keys("Enter")
            try await t.waitFor("steps/s")
            try await t.keys("C-c")
            try await t.waitFor("Ctrl-C stopped training at step")
            try await t.type("model.W1.shape")
            try await t.keys("Enter")
            try await t.waitFor("[3, 2]")

            // Ctrl-C at the prompt drops the line; Ctrl-D leaves and saves history and place.
            try await t.type("this line is abandoned")
            try await t.keys("C-c")
            try await t.keys("C-d")
            // The history and place are written as huddle leaves: wait for it to have left
            // (a fixed second was too short once on a loaded machine).
            try await t.waitFor("EXIT 0")
            return t.state
        }
        let history = (try? String(contentsOfFile: state + "/huddle/history", encoding: .utf8)) ?? ""
        #expect(history.contains("model.summary"))
        #expect(!history.contains("abandoned"))
        let progress = (try? String(contentsOfFile: state + "/huddle/progress", encoding: .utf8)) ?? ""
        #expect(progress.hasPrefix("1\t"))  // the cell, the second step (0-based)
    }

    /// Ctrl-C in a cell that `:continue` runs stops the walk there: the later cells do
    /// not run, and the advice says what to do (the debugger is told by the outcome,
    /// not by the words of a message).
    @Test func ctrlCInACellStopsContinue() async throws {
        let lesson = """
            # Stop

            ```huddle
            model = MLP([2, 3, 2], seed: 1)
            x = [[0, 1], [1, 0]]
            def loss():
                return cross_entropy(model(x), [0, 1])
            ```

            ```huddle
            losses = train(model, loss, steps: 100000000, lr: 0.001)
            ```

            ```huddle
            print("the third cell ran")
            expect loss() < 0.0001
            ```

            ```huddle
            expect 1 + 1 == 3
            ```
            """
        try await Terminal.with(lesson: lesson) { t in
            try await t.type(":continue")
            try await t.keys("Enter")
            try await t.waitFor("steps/s")
            try await t.keys("C-c")
            try await t.waitFor("Ctrl-C stopped the cell")
            try await t.waitFor(": stopped: Ctrl-C")
            try await t.waitForPrompt()
            try await Task.sleep(for: .milliseconds(500))
            let screen = await t.screen
            #expect(!screen.contains("the third cell ran"))
            // Another :continue goes on from there, to the end; the first check that fails
            // after the stopped cell says why it may, once.
            try await t.type(":continue")
            try await t.keys("Enter")
            try await t.waitFor("the third cell ran")
            let after = try await t.waitFor("end of the lesson")
            #expect(after.contains("cell 2 was stopped by Ctrl-C before it finished"), "\(after)")
            #expect(after.components(separatedBy: "was stopped by Ctrl-C before it finished").count == 2)
        }
    }

    /// A lesson's place is found however it is opened: by its absolute path, by
    /// `--lesson N` from the project folder, and from the menu.
    @Test func theSavedPlaceIsFoundHoweverTheLessonIsOpened() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-open-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/Lessons", withIntermediateDirectories: true)
        try TerminalTests.lesson.write(toFile: folder + "/Lessons/05-at-the-terminal.md", atomically: true, encoding: .utf8)
        let state = folder + "/state"
        try await Terminal.with(arguments: [folder + "/Lessons/../Lessons/05-at-the-terminal.md"], in: "/", state: state) { t in
            try await t.keys("Enter")
            try await t.waitFor("A model to poke at.")
            try await t.keys("Enter")
            try await t.waitFor("model = MLP([2, 3, 2], seed: 1)")
            try await t.waitForPrompt()
            try await t.keys("C-d")
            try await t.waitFor("your place is saved")
        }
        try await Terminal.with(arguments: ["--lesson", "5"], in: folder, state: state, ready: "resume at step 2?") { t in
            try await t.keys("Enter")  // yes: back at step 2
            try await t.waitForPrompt()
            try await t.type(":lessons")
            try await t.keys("Enter")
            try await t.waitFor("▶  5  At the terminal  step 2")
            try await t.keys("C-d")
        }
        try await Terminal.with(arguments: [], in: folder, state: state, ready: "At the terminal  (left at step 2)") { t in
            try await t.type("5")
            try await t.keys("Enter")
            try await t.waitFor("resume at step")
        }
    }

    /// A resized window is drawn for at once: what is printed next fits the new width,
    /// narrower or wider (the width used to be read once, at the start).
    @Test func aResizedWindowIsFollowed() async throws {
        try await Terminal.with(lesson: TerminalTests.lesson) { t in
            try await t.resize(columns: 60)
            try await t.type(":help")
            try await t.keys("Enter")
            let narrow = try await t.waitFor(":restart")
            #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(narrow)")
            try await t.waitForPrompt()
            try await t.resize(columns: 120)
            try await t.type(":help")
            try await t.keys("Enter")
            // At 120 columns `:next`'s help fits on its line with the command.
            let wide = try await t.waitFor("next layer, time step, diffusion step); from a cell")
            #expect(wide.split(separator: "\n").contains { $0.count > 100 }, "\(wide)")
        }
    }

    /// At a picture, Tab completes the names the picture brings (they are not variables).
    @Test func tabCompletesAPicturesNames() async throws {
        let lesson = "# L\n\n```huddle\nlstm = LSTM(1, 2, seed: 0)\nh, cells = trace lstm.run([[1], [0]])\n```\n"
        try await Terminal.with(lesson: lesson) { t in
            for _ in 0..<3 {
                try await t.keys("Enter")
                try await t.waitForPrompt()
            }
            try await t.waitFor("step 1/2 · lstm")
            try await t.type("c_pr")
            try await t.keys("Tab")
            try await t.waitFor("> c_prev")
            try await t.keys("Enter")
            try await t.waitFor("tensor (2,)")
        }
    }

    /// libedit has been seen to crash at launch on an emoji in its history file and to
    /// misplace the cursor after wide characters: recall and edit such a line.
    @Test func emojiAndWideCharactersSurviveHistoryAndEditing() async throws {
        let state = try await Terminal.with(lesson: TerminalTests.lesson) { first in
            try await first.type("s = \"🙂 日本 Δ\"")
            try await first.keys("Enter")
            try await first.keys("C-d")
            try await Task.sleep(for: .milliseconds(500))
            return first.state
        }
        try await Terminal.with(lesson: TerminalTests.lesson, state: state) { second in
            try await second.keys("Up")
            try await second.waitFor("s = \"🙂 日本 Δ\"")
            // Three steps left lands after 本; delete it and type X.
            try await second.keys("Left", "Left", "Left", "BSpace")
            try await second.type("X")
            try await second.keys("Enter")
            try await second.type("s")
            try await second.keys("Enter")
            try await second.waitFor("\"🙂 日X Δ\"")
        }
    }
}
