import Foundation
import Testing
import Lessons

/// The hostile corpus (Tests/HostileCorpus): lessons written to break Huddle — syntax
/// errors of every kind, wrong types and shapes, NaN, huge numbers, deep nesting, memory
/// and time bombs, odd encodings, files outside the lesson's folder. Each file says on its
/// first line how it must end, and is run by the `huddle` executable, `huddle test
/// --timeout 2 --max-memory 1GB FILE`, each in a process of its own — so a crash is that
/// file's failure, and no file's memory counts against another's:
///
///     <!-- hostile: pass -->
///     <!-- hostile: fail "fragment" -->            a check fails (exit 1)
///     <!-- hostile: syntax 5:9 "fragment" -->      a syntax error there (exit 65)
///     <!-- hostile: error 5:9 "fragment" -->       a runtime error there (exit 70)
///     <!-- hostile: unreadable "fragment" -->      the file cannot be read (exit 74)
///     <!-- hostile: timeout -->                    stopped by the time limit (exit 70)
///
/// A time bomb's place is not pinned: where the clock runs out in a loop depends on the
/// machine. It must still be at a line of the file, with a caret.
/// A crash fails the whole run; a run past the time budget, a message without its
/// location or caret, or a secret from outside the folder in the report fails the file.
/// The corpus is copied to a temporary folder first, next to a file outside it and with
/// what git cannot hold: a hard link out, symbolic links out and in a loop, a FIFO, a
/// folder named like a lesson and a large sparse file.
struct HostileCorpusTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../HostileCorpus").standardized.path
    static let timeout = 2.0

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: source)) ?? [])
        .filter { $0.hasSuffix(".md") }.sorted()

    /// What no report may ever show: the text of the file outside the lesson's folder.
    static let secret = "SECRET-FROM-OUTSIDE-THE-LESSON-FOLDER"

    /// The folder the corpus runs in: `root/lessons/` holds the copied files and the
    /// hostile fixtures; `root/outside.txt` the secret.
    static let root = NSTemporaryDirectory() + "huddle-hostile-corpus-\(getpid())"

    static let lessons: String = {
        let lessons = root + "/lessons"
        atexit { try? FileManager.default.removeItem(atPath: HostileCorpusTests.root) }
        let files = FileManager.default
        try? files.removeItem(atPath: root)
        try! files.createDirectory(atPath: lessons, withIntermediateDirectories: true)
        for name in (try? files.contentsOfDirectory(atPath: source)) ?? [] {
            try! files.copyItem(atPath: source + "/" + name, toPath: lessons + "/" + name)
        }
        try! (secret + "\n").write(toFile: root + "/outside.txt", atomically: true, encoding: .utf8)
        precondition(link(root + "/outside.txt", lessons + "/hardlink.txt") == 0, "hard link")
        try! files.createSymbolicLink(atPath: lessons + "/symlink.txt", withDestinationPath: "../outside.txt")
        try! files.createSymbolicLink(atPath: lessons + "/absolute-symlink.txt", withDestinationPath: root + "/outside.txt")
        try! files.createSymbolicLink(atPath: lessons + "/up", withDestinationPath: "..")
        try! files.createSymbolicLink(atPath: lessons + "/loop-a.txt", withDestinationPath: "loop-b.txt")
        try! files.createSymbolicLink(atPath: lessons + "/loop-b.txt", withDestinationPath: "loop-a.txt")
        precondition(mkfifo(lessons + "/fifo.txt", 0o600) == 0 && mkfifo(lessons + "/fifo.csv", 0o600) == 0, "FIFO")
        try! files.createDirectory(atPath: lessons + "/folder.txt", withIntermediateDirectories: false)
        files.createFile(atPath: lessons + "/sparse.txt", contents: nil)
        precondition(truncate(lessons + "/sparse.txt", 300 << 20) == 0, "sparse file")
        return lessons
    }()

    @Test func theCorpusIsLargeAndEveryFileSaysHowItEnds() throws {
        #expect(Self.names.count >= 200)
        for name in Self.names {
            // Some are not UTF-8 on purpose.
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.source + "/" + name)), as: UTF8.self)
            #expect(Expectation(header: text) != nil, "\(name): no <!-- hostile: … --> first line")
        }
    }

    @Test(arguments: names)
    func endsAsItsHeaderSays(name: String) async throws {
        let path = Self.lessons + "/" + name
        let text = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let expected = try #require(Expectation(header: text), "\(name) has no <!-- hostile: … --> first line")
        // As many at once as there are cores: the time each takes is its own, not a wait.
        await Self.slots.acquire()
        let started = ContinuousClock.now
        let result: Result<HuddleBinary.Outcome, Error>
        do {
            result = .success(try await HuddleBinary.run(["test", "--timeout", "2", "--max-memory", "1GB", path],
                                                         environment: ["XDG_STATE_HOME": Self.root + "/state"]))
        } catch {
            result = .failure(error)
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        await Self.slots.release()
        let outcome = try result.get()
        let printed = outcome.output + outcome.errors
        #expect(outcome.status == expected.exitCode.rawValue, "\(name): expected \(expected.kind), got \(outcome.status)\n\(printed)")
        // The lesson's own time, as huddle measured it (its report's "2.0 s"), is within the
        // budget and the freeing of what it built: an RNN stopped after 64 000 of its 10⁶
        // steps spends 0.7 s more releasing their 10⁶ autograd objects. The wall clock
        // around the process also counts waits for this test runner's threads while the
        // other suites run (18 s for a file that took 0.0 s), so it only catches a hang: a
        // read that blocks, a process that never exits.
        let reported = Self.reportedSeconds(printed, name: name)
        #expect(reported.map { $0 < Self.timeout + 2 } == true, "\(name) ran \(reported.map { "\($0)" } ?? "?") s:\n\(printed)")
        #expect(seconds < 60, "\(name) took \(seconds) s to end")
        #expect(!printed.contains(Self.secret), "\(name) showed the file outside its folder:\n\(printed)")
        if let fragment = expected.fragment {
            #expect(printed.contains(fragment), "\(name): the report does not say \"\(fragment)\":\n\(printed)")
        }
        // The first located message: the error (or problem) that ended the run.
        let error = printed.range(of: "\(name):").map { String(printed[$0.lowerBound...]) } ?? ""
        if expected.kind == "timeout" {
            #expect(error.contains("stopped here after \(Int(Self.timeout)) s"), "\(name): not stopped by the time limit:\n\(printed)")
            let line = error.range(of: "\(name):").flatMap { Int(error[$0.upperBound...].prefix { $0.isNumber }) }
            #expect(line.map { $0 > 1 && $0 <= text.split(separator: "\n", omittingEmptySubsequences: false).count } == true,
                    "\(name): not located at a line of the file:\n\(printed)")
            #expect(error.contains("^"), "\(name): no caret:\n\(printed)")
        }
        if let location = expected.location {
            // The error is at its line and column in this file, with the line shown and a caret under the spot.
            #expect(error.contains("\(name):\(location):"), "\(name): not located at \(location):\n\(printed)")
            #expect(error.contains("^"), "\(name): no caret:\n\(printed)")
        }
    }

    /// The seconds on the report's line for the file: `FAIL name  stopped … after 0 checks  2.0 s`
    /// (a remark in brackets may follow).
    static func reportedSeconds(_ printed: String, name: String) -> Double? {
        guard let line = printed.split(separator: "\n").first(where: { ($0.hasPrefix("PASS ") || $0.hasPrefix("FAIL ")) && $0.contains(name) })
        else { return nil }
        let words = line.split(separator: " ")
        guard let unit = words.indices.last(where: { words[$0] == "s" }), unit > 0 else { return nil }
        return Double(words[unit - 1])
    }

    static let slots = Slots(ProcessInfo.processInfo.activeProcessorCount)

    /// A counting semaphore for async code: Swift Testing starts every case of a
    /// parameterised test at once, and 700 processes at once each ran 5 s.
    actor Slots {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []
        init(_ count: Int) { free = Swift.max(1, count) }

        func acquire() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }

    /// The first line's promise.
    struct Expectation {
        let kind: String
        let location: String?
        let fragment: String?

        init?(header text: String) {
            guard let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first,
                  line.hasPrefix("<!-- hostile: "), line.hasSuffix(" -->") else { return nil }
            var rest = Substring(line.dropFirst("<!-- hostile: ".count).dropLast(" -->".count))
            let kind = rest.prefix { $0 != " " }
            rest = rest.dropFirst(kind.count).drop { $0 == " " }
            self.kind = String(kind)
            if kind == "syntax" || kind == "error" {
                let location = rest.prefix { $0 != " " }
                guard location.split(separator: ":").count == 2, location.split(separator: ":").allSatisfy({ Int($0) != nil })
                else { return nil }
                self.location = String(location)
                rest = rest.dropFirst(location.count).drop { $0 == " " }
            } else {
                self.location = nil
            }
            if rest.isEmpty {
                fragment = nil
            } else {
                guard rest.count >= 2, rest.first == "\"", rest.last == "\"" else { return nil }
                fragment = String(rest.dropFirst().dropLast())
            }
            guard ["pass", "fail", "syntax", "error", "unreadable", "timeout"].contains(self.kind) else { return nil }
            if (kind == "syntax" || kind == "error" || kind == "unreadable"), fragment == nil { return nil }
        }

        var exitCode: LessonTester.ExitCode {
            switch kind {
            case "pass": .success
            case "fail": .checkFailed
            case "syntax": .syntaxError
            case "unreadable": .unreadable
            case "timeout": .runtimeError
            default: .runtimeError
            }
        }
    }
}
