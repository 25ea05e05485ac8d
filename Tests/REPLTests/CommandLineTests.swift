import Foundation
import Subprocess
import SystemPackage
import Testing
import Trace

/// `huddle run` and `huddle test` as a shell sees them: output, files, exit codes.
@Suite struct CommandLineTests {
    func huddle(_ arguments: [String], input: String = "") async throws -> HuddleBinary.Outcome {
        try await HuddleBinary.run(arguments, input: input,
                                   environment: ["XDG_STATE_HOME": FileManager.default.temporaryDirectory.path + "/huddle-cli-state"])
    }

    func lesson(_ text: String, name: String = "02-lesson.md") throws -> (folder: String, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        return (folder, folder + "/" + name)
    }

    @Test func runPrintsATranscriptAndWritesEveryEventAsJSONLines() async throws {
        let (folder, path) = try lesson("# Trace\n\n```huddle\nm = MLP([2, 3, 1], seed: 2)\ny = trace m([[1, 2], [3, 4]])\nexpect y.shape == [2, 1]\n```\n\nAgain.\n\n```huddle\nz = trace m([[0, 1]])\n```\n")
        let json = folder + "/events.jsonl"
        let outcome = try await huddle(["run", path, "--trace-json", json, "--color", "never"])
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("step 1 · layer · layer 1"))
        #expect(!outcome.output.contains("\u{1B}["))
        let lines = try String(contentsOfFile: json, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let first = objects[0]
        #expect(first["kind"] as? String == "layer")
        // One number across the whole run (the second cell's steps used to start at 0 again),
        // and where each event was recorded: which trace, which cell, which line.
        #expect(objects.map { $0["seq"] as? Int } == [0, 1, 2, 3])
        #expect(objects.map { $0["step"] as? Int } == [0, 1, 0, 1])
        #expect(objects.map { $0["trace"] as? Int } == [1, 1, 2, 2])
        #expect(objects.map { $0["cell"] as? Int } == [1, 1, 2, 2])
        #expect(objects.map { $0["line"] as? Int } == [5, 5, 12, 12])
        #expect(objects.allSatisfy { $0["version"] as? Int == JSONLines.version })
        let tensors = try #require(first["tensors"] as? [String: [String: Any]])
        #expect(tensors["W"]?["shape"] as? [Int] == [3, 2])
    }

    /// Memory a lesson freed is not counted against it: huddle keeps freed heap memory for
    /// its huge pages, and the budget gives it back before it refuses. Here 750 MB of
    /// tensors are freed, leaving 30 MB holes between small tensors still held, and then
    /// 800 MB are made in blocks too large for the holes, under a 1 GB budget.
    @Test func freedMemoryDoesNotCountAgainstTheBudget() async throws {
        let (_, path) = try lesson("""
            # Freed

            ```huddle
            x = []
            keep = []
            for i in range(25):
                x = x + [zeros([7500000])]
                keep = keep + [zeros([1000])]
            x = []
            y = []
            for i in range(8):
                y = y + [zeros([25000000])]
            expect len(y) == 8
            ```
            """)
        let outcome = try await huddle(["test", path, "--max-memory", "1GB"])
        #expect(outcome.status == 0, "\(outcome.output)")
    }

    /// `huddle test` tries every command a lesson's prose suggests where a student would
    /// type it, and fails the lesson when one does not work there.
    @Test func testFailsWhenASuggestedCommandDoesNotWork() async throws {
        let text = """
            # Focus

            Try `:focus 1` and `:focus 13` at the picture, then `:explain`.

            ```huddle
            m = MLP([2, 2], seed: 1)
            y = trace m([[1, 2], [3, 4]])
            ```
            """
        let (folder, path) = try lesson(text)
        let outcome = try await huddle(["test", path])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("\(path):3: the prose suggests `:focus 13`, which answers: this step has no row 13: it has rows 0 to 1"),
                "\(outcome.output)")
        #expect(!outcome.output.contains("`:focus 1`,") && !outcome.output.contains("`:explain`,"))
        try text.replacingOccurrences(of: "`:focus 13`", with: "`:focus 0`").write(toFile: folder + "/fixed.md", atomically: true, encoding: .utf8)
        #expect(try await huddle(["test", folder + "/fixed.md"]).status == 0)
    }

    @Test func colourIsOnlyUsedWhenAskedOrOnATerminal() async throws {
        let (_, path) = try lesson("# C\n\n```huddle\nx = ones(2)\nx\n```\n")
        #expect(try await huddle(["run", path]).output.contains("\u{1B}[") == false)  // a pipe: no colour
        #expect(try await huddle(["run", path, "--color", "always"]).output.contains("\u{1B}["))
    }

    @Test func testExitsWithTheRightCodes() async throws {
        let (folder, _) = try lesson("# Good\n\n```huddle\nexpect 1 + 1 == 2\n```\n", name: "01-good.md")
        try "# Bad\n\n```huddle\nexpect 1 + 1 == 3\n```\n".write(toFile: folder + "/02-bad.md", atomically: true, encoding: .utf8)
        let both = try await huddle(["test", folder])
        #expect(both.status == 1)
        #expect(both.output.contains("PASS \(folder)/01-good.md  1 check"))
        #expect(both.output.contains("FAIL \(folder)/02-bad.md  1 check, 1 failed"))
        #expect(both.output.hasSuffix("1 passed, 1 failed\n"))
        #expect(try await huddle(["test", folder + "/01-good.md"]).status == 0)
        try "# S\n\n```huddle\nx = (1\n```\n".write(toFile: folder + "/03-syntax.md", atomically: true, encoding: .utf8)
        #expect(try await huddle(["test", folder + "/03-syntax.md"]).status == 65)
        #expect(try await huddle(["test", folder + "/nothing-here"]).status == 74)
        #expect(try await huddle(["run", folder + "/03-syntax.md"]).status == 65)
    }

    @Test func usageMistakesExit64() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try await huddle(["test", empty]).status == 64)
        let noLesson = try await huddle([])  // not a terminal and no lesson named
        #expect(noLesson.status == 64)
        #expect(noLesson.errors.contains("name a lesson to open"))
        #expect(try await huddle(["--no-such-flag"]).status == 64)
    }

    @Test func aScriptedSessionReadsCommandsFromAPipe() async throws {
        let (_, path) = try lesson("# P\n\nHello.\n\n```huddle\nz = 6 * 7\n```\n")
        let outcome = try await huddle([path], input: "\n\nz\n:back\nz\n")
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("Hello."))
        #expect(outcome.output.contains("\n42\n"))
        #expect(outcome.output.contains("name 'z' is not defined"))
    }

    @Test func aClosedPipeEndsQuietlyWithSIGPIPEsStatus() async throws {
        // Only the first bytes are read; huddle must not crash on the broken pipe, nor
        // call it a success: the reader did not get what was printed.
        let (_, path) = try lesson("# Long\n\n```huddle\nfor i in range(20000):\n    print(\"line\", i)\n```\n")
        let result = try await Subprocess.run(.path(FilePath(HuddleBinary.path)), arguments: ["run", path],
                                              input: .none, output: .sequence, error: .discarded) { execution in
            var iterator = execution.standardOutput.makeAsyncIterator()
            return try await iterator.next()?.count ?? 0
        }
        #expect(result.closureResult > 0)
        #expect(result.terminationStatus == .exited(141))
    }

    /// `huddle … | head -1` under `set -o pipefail`: the status is huddle's.
    func firstLine(_ arguments: [String]) async throws -> (status: Int32, line: String) {
        let script = "set -o pipefail; \"$0\" \"$@\" | head -1"
        let outcome = try await Subprocess.run(.name("bash"), arguments: Arguments(["-c", script, HuddleBinary.path] + arguments),
                                               environment: .inherit.updating(["XDG_STATE_HOME": FileManager.default.temporaryDirectory.path + "/huddle-cli-state"]),
                                               output: .string(limit: 1 << 20), error: .discarded)
        return (outcome.terminationStatus.code, outcome.standardOutput)
    }

    /// A failure after the reader left is still a failure (`huddle test DIR | head -1`
    /// exited 0 although the second lesson failed).
    @Test func aClosedPipeDoesNotHideALaterFailure() async throws {
        let (folder, _) = try lesson("# One\n\n```huddle\nexpect 1 == 1\n```\n", name: "01-one.md")
        try "# Two\n\n```huddle\nexpect 1 == 2\n```\n".write(toFile: folder + "/02-two.md", atomically: true, encoding: .utf8)
        let failing = try await firstLine(["test", folder])
        #expect(failing.line.hasPrefix("PASS \(folder)/01-one.md"))
        #expect(failing.status == 1)
    }

    /// The trace file is written whole although the transcript's reader left at once
    /// (it was not written at all, and the status was 0).
    @Test func aClosedPipeStillWritesTheTraceFile() async throws {
        let (folder, path) = try lesson("# T\n\n```huddle\nfor i in range(20000):\n    print(i)\nm = MLP([2, 3, 2], seed: 1)\ny = trace m([[1, 0]])\n```\n")
        let outcome = try await firstLine(["run", path, "--trace-json", folder + "/trace.jsonl"])
        #expect(outcome.status == 141)
        let lines = try String(contentsOfFile: folder + "/trace.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)  // one event per layer
        #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }
}
