import Foundation
import Lessons
import Testing

@Suite struct LessonDocumentTests {
    @Test func proseAndCellsBecomeStepsWithFileLineNumbers() {
        let text = """
            # Self-attention: a party of words

            Four words arrive at a party.

            ```huddle
            words = ["I", "love"]
            h = embed(words)
            ```

            ## Asking

            Each person asks a question.
            ```text
            not code to run
            ```
            ```huddle
            attn(h)
            ```
            """
        let doc = LessonDocument(path: "Lessons/09.md", text: text)
        #expect(doc.title == "Self-attention: a party of words")
        #expect(doc.problems.isEmpty)
        #expect(doc.sections == [
            .prose("# Self-attention: a party of words\n\nFour words arrive at a party.", line: 1),
            .cell("words = [\"I\", \"love\"]\nh = embed(words)", line: 6),
            .prose("## Asking\n\nEach person asks a question.\n```text\nnot code to run\n```", line: 10),
            .cell("attn(h)", line: 17),
        ])
    }

    @Test func anUnclosedCellIsReportedWithItsLine() {
        let doc = LessonDocument(path: "x.md", text: "Intro\n\n```huddle\nx = 1\n")
        #expect(doc.cells.count == 1 && doc.cells[0].line == 4)
        #expect(doc.problems == ["x.md:3: the ```huddle cell opened here is never closed with ```"])
        #expect(LessonDocument(path: "Lessons/07-words.md", text: "").title == "07-words.md")
    }
}

@Suite struct LessonFilesTests {
    /// A lesson folder with a data file, a nested file, and links pointing in and out.
    func makeFolder() throws -> (lesson: String, outside: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-files-\(UUID().uuidString)").path
        let lessons = base + "/Lessons"
        try FileManager.default.createDirectory(atPath: lessons + "/data", withIntermediateDirectories: true)
        try "secret".write(toFile: base + "/secret.txt", atomically: true, encoding: .utf8)
        try "the cat sat".write(toFile: lessons + "/data/words.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: lessons + "/data/escape.txt", withDestinationPath: base + "/secret.txt")
        try FileManager.default.createSymbolicLink(atPath: lessons + "/alias.txt", withDestinationPath: lessons + "/data/words.txt")
        return (lessons + "/08-word2vec.md", base)
    }

    @Test func readsFilesInsideTheLessonsFolder() throws {
        let (lesson, _) = try makeFolder()
        let files = try LessonFiles(lessonPath: lesson)
        #expect(try files.readText("data/words.txt") == "the cat sat")
        #expect(try files.readText("./alias.txt") == "the cat sat")  // a link that stays inside is fine
    }

    @Test("escapes are refused", arguments: ["../secret.txt", "data/../../secret.txt", "/etc/passwd", "~/x", "data/escape.txt"])
    func escapesAreRefused(path: String) throws {
        let (lesson, _) = try makeFolder()
        let files = try LessonFiles(lessonPath: lesson)
        #expect(throws: LessonFiles.Refusal.self) { try files.readText(path) }
    }

    @Test func onlyPlainFilesWithOneNameAreRead() throws {
        // A hard link inside the folder to a file outside it has the secret's bytes and no
        // path that leads out: refused by its second name, for text as for bytes. A FIFO
        // would block the reader for ever; a folder is no file.
        let (lesson, outside) = try makeFolder()
        let folder = (lesson as NSString).deletingLastPathComponent
        #expect(link(outside + "/secret.txt", folder + "/data/hardlink_secret.txt") == 0)
        #expect(mkfifo(folder + "/data/pipe.txt", 0o600) == 0)
        let files = try LessonFiles(lessonPath: lesson)
        for read in [{ _ = try files.readText($0) }, { _ = try files.readBytes($0) }] as [(String) throws -> Void] {
            #expect(throws: LessonFiles.Refusal(description: "'data/hardlink_secret.txt' has 2 names (a hard link), so it may be a file outside the lesson's folder; lessons use only files of their own — copy it in instead")) { try read("data/hardlink_secret.txt") }
            #expect(throws: LessonFiles.Refusal(description: "'data/pipe.txt' is not a regular file (a pipe, socket or device); lessons read only plain files")) { try read("data/pipe.txt") }
            #expect(throws: LessonFiles.Refusal(description: "'data' is a folder; give the name of a file in it")) { try read("data") }
        }
    }

    @Test func messagesSayWhatToDo() throws {
        let (lesson, _) = try makeFolder()
        let files = try LessonFiles(lessonPath: lesson)
        #expect(throws: LessonFiles.Refusal(description: "'../secret.txt' leads out of the lesson's folder ('..'); lessons may read only files in their own folder")) {
            try files.readText("../secret.txt")
        }
        #expect(throws: LessonFiles.Refusal(description: "no file 'missing.txt' in the lesson's folder")) {
            try files.readText("missing.txt")
        }
        #expect(throws: LessonFiles.Refusal(description: "'data' is a folder; give the name of a file in it")) {
            try files.readText("data")
        }
    }
}
