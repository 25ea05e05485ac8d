import Foundation
import Testing

/// The real `huddle` binary in a real terminal (tmux): typing, Tab completion, the up
/// arrow, Ctrl-C during training, Ctrl-D — read back from the screen as a person sees it.
///
/// Needs tmux (scripts/test installs it). The binary is the one `swift build` made beside
/// these tests.
struct Terminal {
    let name = "huddle-test-\(UUID().uuidString.prefix(8))"
    let state: String

    static var tmuxAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        return root.appendingPathComponent(".build/\(configuration)/huddle").path
    }

    init(lesson: String, state existing: String? = nil) throws {
        state = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("huddle-tty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/05-lesson.md"
        try lesson.write(toFile: path, atomically: true, encoding: .utf8)
        // LANG unset on purpose: huddle must still read UTF-8 input.
        try Terminal.tmux(["new-session", "-d", "-s", name, "-x", "100", "-y", "40",
                           "env -u LANG -u LC_ALL XDG_STATE_HOME='\(state)' TERM=tmux-256color '\(Terminal.binary)' '\(path)'; sleep 30"])
        try waitFor("Enter: next step")
    }

    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func keys(_ keys: String...) throws {
        try Terminal.tmux(["send-keys", "-t", name] + keys)
    }

    func type(_ text: String) throws {
        try Terminal.tmux(["send-keys", "-t", name, "-l", text])
    }

    var screen: String {
        (try? Terminal.tmux(["capture-pane", "-t", name, "-p", "-S", "-200"])) ?? ""
    }

    /// Waits (up to `seconds`) until the screen shows `text`.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 20) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let s = screen
            if s.contains(text) { return s }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the screen never showed \(text.debugDescription); it shows:\n\(screen)")
        return screen
    }

    func close() {
        _ = try? Terminal.tmux(["kill-session", "-t", name])
    }
}

@Suite(.serialized, .enabled(if: Terminal.tmuxAvailable, "needs tmux; scripts/test installs it"))
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

    @Test func typingCompletionHistoryInterruptAndQuit() throws {
        let t = try Terminal(lesson: TerminalTests.lesson)
        defer { t.close() }
        try t.keys("Enter")
        try t.waitFor("A model to poke at.")
        try t.keys("Enter")
        try t.waitFor("model = MLP([2, 3, 2], seed: 1)")

        // Tab completes a member after a dot.
        try t.type("model.summ")
        try t.keys("Tab")
        try t.waitFor("model.summary")
        try t.keys("Enter")
        try t.waitFor("\"MLP 2→3→2 (tanh)\"")

        // UTF-8 names, and the up arrow recalls them.
        try t.type("Δ = 21 * 2")
        try t.keys("Enter")
        try t.keys("Up")
        try t.waitFor("> Δ = 21 * 2", seconds: 5)
        try t.keys("C-u")
        try t.type("Δ")
        try t.keys("Enter")
        try t.waitFor("\n42")

        // Ctrl-C stops a long training run and keeps what it learned.
        try t.type("def loss():")
        try t.keys("Enter")
        try t.type("    return cross_entropy(model(x), [0, 1])")
        try t.keys("Enter", "Enter")
        try t.type("losses = train(model, loss, steps: 100000000, lr: 0.001)")
        try t.keys("Enter")
        try t.waitFor("steps/s")
        try t.keys("C-c")
        try t.waitFor("interrupted at step")
        try t.type("model.W1.shape")
        try t.keys("Enter")
        try t.waitFor("[3, 2]")

        // Ctrl-C at the prompt drops the line; Ctrl-D leaves and saves history and place.
        try t.type("this line is abandoned")
        try t.keys("C-c")
        try t.keys("C-d")
        Thread.sleep(forTimeInterval: 1)
        let history = (try? String(contentsOfFile: t.state + "/huddle/history", encoding: .utf8)) ?? ""
        #expect(history.contains("model.summary"))
        #expect(!history.contains("abandoned"))
        let progress = (try? String(contentsOfFile: t.state + "/huddle/progress", encoding: .utf8)) ?? ""
        #expect(progress.hasPrefix("1\t"))  // the cell, the second step (0-based)
    }

    /// libedit has been seen to crash at launch on an emoji in its history file and to
    /// misplace the cursor after wide characters: recall and edit such a line.
    @Test func emojiAndWideCharactersSurviveHistoryAndEditing() throws {
        let first = try Terminal(lesson: TerminalTests.lesson)
        try first.type("s = \"🙂 日本 Δ\"")
        try first.keys("Enter")
        try first.keys("C-d")
        Thread.sleep(forTimeInterval: 0.5)
        first.close()

        let second = try Terminal(lesson: TerminalTests.lesson, state: first.state)
        defer { second.close() }
        try second.keys("Up")
        try second.waitFor("s = \"🙂 日本 Δ\"")
        // Three steps left lands after 本; delete it and type X.
        try second.keys("Left", "Left", "Left", "BSpace")
        try second.type("X")
        try second.keys("Enter")
        try second.type("s")
        try second.keys("Enter")
        try second.waitFor("\"🙂 日X Δ\"")
    }
}
