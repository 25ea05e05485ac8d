import Foundation
import Subprocess
import Testing

/// The real `huddle` binary in a real terminal (tmux), typed at and read back from the
/// screen as a person sees it. Needs tmux (scripts/test installs it).
///
/// tmux is run through swift-subprocess (see `HuddleBinary`): the first `new-session`
/// starts tmux's server, which outlives the command and would keep Foundation's
/// `Process` waiting for ever.
struct Terminal {
    let name = "huddle-test-\(UUID().uuidString.prefix(8))"
    let state: String

    static var tmuxAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    /// Opens `lesson` in huddle in a new 100×40 tmux window, runs `body`, and closes the
    /// window whether `body` succeeds or throws. `state` is huddle's XDG_STATE_HOME: pass
    /// an earlier terminal's to see its history and saved place.
    static func with<R>(lesson: String, state: String? = nil, _ body: (Terminal) async throws -> R) async throws -> R {
        let state = state ?? FileManager.default.temporaryDirectory.appendingPathComponent("huddle-tty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/05-lesson.md"
        try lesson.write(toFile: path, atomically: true, encoding: .utf8)
        return try await with(arguments: [path], in: state, state: state, body)
    }

    /// huddle run with `arguments` from the folder `folder`, as typed at a shell there;
    /// waits until `ready` shows.
    static func with<R>(arguments: [String], in folder: String, state: String, ready: String = "Enter: next step",
                        _ body: (Terminal) async throws -> R) async throws -> R {
        let terminal = try await Terminal(arguments: arguments, folder: folder, state: state, ready: ready)
        do {
            let result = try await body(terminal)
            await terminal.close()
            return result
        } catch {
            await terminal.close()
            throw error
        }
    }

    private init(arguments: [String], folder: String, state: String, ready: String) async throws {
        self.state = state
        let words = arguments.map { "'\($0)'" }.joined(separator: " ")
        // LANG unset on purpose: huddle must still read UTF-8 input.
        try await Terminal.tmux(socket: name, ["new-session", "-d", "-s", name, "-x", "100", "-y", "40", "-c", folder,
                                 "env -u LANG -u LC_ALL XDG_STATE_HOME='\(state)' TERM=tmux-256color '\(HuddleBinary.path)' \(words); echo EXIT $?; sleep 30"])
        try await waitFor(ready)
    }

    /// Runs tmux on the terminal's own server (socket `socket`): with one server shared by
    /// every test, a test's new session could reach the server just as another test's
    /// last session was closing it ("server exited unexpectedly").
    @discardableResult
    static func tmux(socket: String, _ arguments: [String]) async throws -> String {
        let result = try await Subprocess.run(.name("tmux"), arguments: Arguments(["-L", socket] + arguments),
                                              output: .string(limit: 1 << 20), error: .string(limit: 1 << 16))
        guard result.terminationStatus.isSuccess else {
            throw TmuxError(arguments: arguments, status: result.terminationStatus.code, errors: result.standardError)
        }
        return result.standardOutput
    }

    struct TmuxError: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let errors: String
        var description: String { "tmux \(arguments.joined(separator: " ")) exited \(status): \(errors)" }
    }

    func keys(_ keys: String...) async throws {
        try await Terminal.tmux(socket: name, ["send-keys", "-t", name] + keys)
    }

    /// Resizes the window, as a person dragging its edge.
    func resize(columns: Int) async throws {
        try await Terminal.tmux(socket: name, ["resize-window", "-t", name, "-x", String(columns)])
        // tmux resizes the pane's terminal on its next turn; a person's next key comes later.
        try await Task.sleep(for: .milliseconds(300))
    }

    func type(_ text: String) async throws {
        try await Terminal.tmux(socket: name, ["send-keys", "-t", name, "-l", text])
    }

    var screen: String {
        get async { (try? await Terminal.tmux(socket: name, ["capture-pane", "-t", name, "-p", "-S", "-200"])) ?? "" }
    }

    /// Waits (up to `seconds`) until the screen shows `text`.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 20) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let s = await screen
            if s.contains(text) { return s }
            try await Task.sleep(for: .milliseconds(100))
        }
        let last = await screen
        Issue.record("the screen never showed \(text.debugDescription); it shows:\n\(last)")
        return last
    }

    /// Waits until huddle is at its main prompt again (the last line on the screen is a
    /// bare `huddle …>`), so what is typed next is read as a new line.
    func waitForPrompt(seconds: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let last = await screen.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) } ?? ""
            if last.hasPrefix("huddle "), last.trimmingCharacters(in: .whitespaces).hasSuffix(">") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("huddle never came back to its prompt; the screen shows:\n\(await screen)")
    }

    func close() async {
        _ = try? await Terminal.tmux(socket: name, ["kill-session", "-t", name])
    }
}
