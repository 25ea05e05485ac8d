import Foundation
import Subprocess
import SystemPackage
import Testing

/// `huddle export` as a shell sees it: the files it writes, and a one-line message with
/// `huddle run`'s exit codes for each kind of bad input.
@Suite struct ExportCommandTests {
    static let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Lessons").standardized.path

    func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func markdownWritesItsFiguresInAFolderBesideIt() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/handout.md"
        let outcome = try await HuddleBinary.run(["export", Self.lessons + "/04-resnet.md", "--to", "md", "-o", page])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.output.hasPrefix("wrote \(page): "))
        let markdown = try String(contentsOfFile: page, encoding: .utf8)
        let figures = try FileManager.default.contentsOfDirectory(atPath: folder + "/handout-figures").sorted()
        #expect(!figures.isEmpty)
        for name in figures { #expect(markdown.contains("](handout-figures/\(name))")) }
        // A second export into the same folder leaves no stale figures behind.
        try "<svg/>".write(toFile: folder + "/handout-figures/step-9999.svg", atomically: true, encoding: .utf8)
        _ = try await HuddleBinary.run(["export", Self.lessons + "/04-resnet.md", "--to", "md", "-o", page])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/handout-figures").sorted() == figures)
    }

    /// huddle run in the folder `folder`, as typed at a shell there.
    func huddle(_ arguments: [String], in folder: String) async throws -> (status: Int32, errors: String) {
        let result = try await Subprocess.run(.path(FilePath(HuddleBinary.path)), arguments: Arguments(arguments),
                                              workingDirectory: FilePath(folder), output: .discarded, error: .string(limit: 1 << 16))
        return (result.terminationStatus.code, result.standardError)
    }

    @Test func theDefaultFileIsTheLessonsNameInTheCurrentFolder() async throws {
        let folder = try self.folder(), elsewhere = try self.folder()
        defer { for f in [folder, elsewhere] { try? FileManager.default.removeItem(atPath: f) } }
        let lesson = folder + "/07-tiny.md"
        let text = "# Tiny\n\n```huddle\nx = 1\n```\n"
        try text.write(toFile: lesson, atomically: true, encoding: .utf8)
        #expect(try await huddle(["export", lesson], in: elsewhere).status == 0)
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/07-tiny.html"))
        #expect(try await huddle(["export", lesson, "--to", "md"], in: elsewhere).status == 0)
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/07-tiny.md"))
        // Beside the lesson, `--to md` would write over the lesson itself: refused, untouched.
        let refused = try await huddle(["export", "07-tiny.md", "--to", "md"], in: folder)
        #expect(refused.status == 64 && refused.errors.contains("is the lesson itself"))
        #expect(try String(contentsOfFile: lesson, encoding: .utf8) == text)
    }

    @Test func badInputIsOneLineAndRunsExitCode() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lesson = Self.lessons + "/04-resnet.md"
        let cases: [(arguments: [String], status: Int32, says: String)] = [
            (["export", folder + "/missing.md"], 74, "cannot read"),
            (["export", lesson, "--to", "pdf"], 64, "unknown format 'pdf' for --to: use html or md"),
            (["export", lesson, "-o", folder + "/no/such/folder/x.html"], 74, "cannot write"),
            (["export", lesson, "-o", folder], 74, "it is a folder"),
            (["export", lesson, "--to", "md", "-o", lesson], 64, "is the lesson itself"),
        ]
        for c in cases {
            let outcome = try await HuddleBinary.run(c.arguments)
            #expect(outcome.status == c.status, "\(c.arguments): \(outcome.errors)")
            #expect(outcome.errors.hasPrefix("huddle export: ") && outcome.errors.contains(c.says), "\(c.arguments): \(outcome.errors)")
            #expect(outcome.errors.split(separator: "\n").count == 1, "\(c.arguments): \(outcome.errors)")
            #expect(outcome.output.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/no"))
    }

    @Test func aLessonWhoseCheckFailsIsStillWrittenAndExitsOne() async throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lesson = folder + "/03-fails.md"
        try "# Fails\n\n```huddle\nexpect 1 == 2\n```\n\nAfter.\n".write(toFile: lesson, atomically: true, encoding: .utf8)
        let outcome = try await HuddleBinary.run(["export", lesson, "-o", folder + "/out.html"])
        #expect(outcome.status == 1)
        let html = try String(contentsOfFile: folder + "/out.html", encoding: .utf8)
        #expect(html.contains("<li class=\"fail\">") && html.contains("<p>After.</p>"))
    }
}
