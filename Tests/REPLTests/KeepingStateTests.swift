import Foundation
import Testing

/// What the student had is kept, and what was not kept is said: a foreign history file,
/// a state folder that cannot be written, Ctrl-D at the resume question, bytes that are
/// not UTF-8, and Ctrl-C at the lesson menu (each was lost, silent or stuck before).
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: Terminal.tmuxAvailable, "needs tmux; scripts/test installs it"))
struct KeepingStateTests {
    static let lesson = "# Kept\n\nFirst words.\n\n```huddle\nx = 1\n```\n\nLast words.\n"

    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-kept-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/huddle", withIntermediateDirectories: true)
        return folder
    }

    @Test func aHistoryFileThatIsNotLibeditsIsKeptAside() async throws {
        let state = try KeepingStateTests.folder()
        let foreign = (1...5000).map { "ls \($0)\n" }.joined()
        try foreign.write(toFile: state + "/huddle/history", atomically: true, encoding: .utf8)
        try await Terminal.with(lesson: KeepingStateTests.lesson, state: state) { t in
            let screen = try await t.waitFor("a new one begins")
            let unwrapped = screen.replacingOccurrences(of: "\n", with: "")
            #expect(unwrapped.contains("read as libedit's; it was kept as"), "\(screen)")
            #expect(unwrapped.contains("history.unreadable"), "\(screen)")
            try await t.type("x = 2")
            try await t.keys("Enter")
            try await t.waitForPrompt()
            try await t.keys("C-d")
            try await t.waitFor("EXIT 0")
        }
        #expect(try String(contentsOfFile: state + "/huddle/history.unreadable", encoding: .utf8) == foreign)
        #expect(try String(contentsOfFile: state + "/huddle/history", encoding: .utf8).contains("x\\040=\\0402"))
    }

    @Test func aStateFolderThatCannotBeWrittenIsSaidOnceAndNeverCalledSaved() async throws {
        let folder = try KeepingStateTests.folder()
        try KeepingStateTests.lesson.write(toFile: folder + "/05-kept.md", atomically: true, encoding: .utf8)
        try await Terminal.with(arguments: [folder + "/05-kept.md"], in: folder, state: "/dev/null/state") { t in
            for _ in 0..<3 {
                try await t.keys("Enter")
                try await t.waitForPrompt()
            }
            try await t.keys("C-d")
            let screen = try await t.waitFor("EXIT 0")
            #expect(screen.components(separatedBy: "could not save your progress in /dev/null/state/huddle/progress (Not a directory)").count == 2, "\(screen)")
            #expect(!screen.contains("your place is saved"))
        }
    }

    @Test func ctrlDAtTheResumeQuestionKeepsTheSavedPlace() async throws {
        let state = try KeepingStateTests.folder()
        let path = state + "/05-lesson.md"
        try await Terminal.with(lesson: KeepingStateTests.lesson, state: state) { t in
            for _ in 0..<3 {
                try await t.keys("Enter")
                try await t.waitForPrompt()
            }
            try await t.keys("C-d")
            try await t.waitFor("go on from step 3")
        }
        let saved = try String(contentsOfFile: state + "/huddle/progress", encoding: .utf8)
        #expect(saved.hasPrefix("2\t2\t"))
        try await Terminal.with(arguments: [path], in: state, state: state, ready: "resume at step 3?") { t in
            try await t.keys("C-d")
            let screen = try await t.waitFor("EXIT 0")
            #expect(screen.contains("resume at step 3? [Y/n] ^D\nyour place is kept: open this lesson again to go on from step 3"), "\(screen)")
        }
        #expect(try String(contentsOfFile: state + "/huddle/progress", encoding: .utf8) == saved)
    }

    @Test func aLineThatIsNotUTF8IsRefusedAndDoesNotStep() async throws {
        try await Terminal.with(lesson: KeepingStateTests.lesson) { t in
            try await t.keys("-H", "80", "0d")
            try await t.waitFor("that line was not valid UTF-8 text (shown as �), so nothing was done; type it again")
            try await t.keys("-H", "61", "c3", "0d")  // a broken é, then Enter (which is kept)
            try await t.waitForPrompt()
            try await t.type("print(\"é\")")
            try await t.keys("Enter")
            let screen = try await t.waitFor("\né\n")
            #expect(screen.components(separatedBy: "not valid UTF-8").count == 3)
            #expect(screen.contains("huddle 05·0/"), "no step was taken: \(screen)")
        }
    }

    @Test func ctrlCAtTheLessonMenuLeaves() async throws {
        let folder = try KeepingStateTests.folder()
        try FileManager.default.createDirectory(atPath: folder + "/Lessons", withIntermediateDirectories: true)
        try KeepingStateTests.lesson.write(toFile: folder + "/Lessons/05-kept.md", atomically: true, encoding: .utf8)
        try await Terminal.with(arguments: [], in: folder, state: folder, ready: "lesson number") { t in
            try await t.keys("C-c")
            try await t.waitFor("EXIT 0")
        }
    }
}
