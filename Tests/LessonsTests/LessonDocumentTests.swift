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
        // Rendered as the scanner's errors are: located, the fence quoted, a caret under it.
        #expect(doc.problems == ["x.md:3:1: error: the ```huddle cell opened here is never closed with ```\n"
                                 + "   3 | ```huddle\n"
                                 + "     | ^~~~~~~~~"])
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
        #expect(throws: LessonFiles.Refusal(description: "'~/x' names a home folder ('~'); lessons may read only files in their own folder — give a path relative to it, like \"data/words.txt\"")) {
            try files.readText("~/x")
        }
    }

    @Test func aNameWithANULIsRefusedForReadingAndWriting() throws {
        // The system ends a name at its NUL: "08-word2vec.md\0.npy" passed the check of its
        // ending and then named the lesson itself; "new\0.npy" would have written "new".
        let (lesson, _) = try makeFolder()
        let folder = (lesson as NSString).deletingLastPathComponent
        try "# W".write(toFile: lesson, atomically: true, encoding: .utf8)
        let files = try LessonFiles(lessonPath: lesson)
        for name in ["08-word2vec.md\0.npy", "new\0.npy", "data/words.txt\0"] {
            let refusal = LessonFiles.Refusal(description: "'\(name)' holds a NUL character (\\0), which no file name can; name the file without it")
            #expect(throws: refusal) { try files.readBytes(name) }
            #expect(throws: refusal) { try files.writeBytes(name, [1, 2, 3]) }
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/new"))
        #expect(try String(contentsOfFile: lesson, encoding: .utf8) == "# W")
    }

    @Test func aLoopOfLinksIsNamedAsOne() throws {
        // Two links to each other: realpath fails with ELOOP, which is not a missing file.
        let (lesson, _) = try makeFolder()
        let folder = (lesson as NSString).deletingLastPathComponent
        #expect(symlink("loop-b.txt", folder + "/loop-a.txt") == 0)
        #expect(symlink("loop-a.txt", folder + "/loop-b.txt") == 0)
        let files = try LessonFiles(lessonPath: lesson)
        #expect(throws: LessonFiles.Refusal(description: "'loop-a.txt' is a link that leads to itself (a loop of links); give the name of a plain file")) {
            try files.readText("loop-a.txt")
        }
    }
}
