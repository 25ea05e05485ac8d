@testable import Lessons
import Testing

/// `huddle lint`: each warning is about something a test cannot see, located, and gone
/// once the lesson does what the warning asks.
@Suite struct LessonLinterTests {
    @Test func aLessonThatChecksNothingIsWarnedAbout() throws {
        let path = try temporaryLesson("# L\n\n```huddle\nx = 1\n```\n")
        let report = LessonLinter.lint(path: path)
        #expect(report.warnings.map(\.line) == [1])
        #expect(report.warnings.first?.message.contains("checks nothing") == true)
        let fixed = try temporaryLesson("# L\n\n```huddle\nx = 1\nexpect x == 1\n```\n")
        #expect(LessonLinter.lint(path: fixed).warnings.isEmpty)
    }

    @Test func aTracedCellTheProseNeverMentionsIsWarnedAbout() throws {
        let silent = "# L\n\nMake a model.\n\n```huddle\nm = MLP([2, 2])\ny = trace m([[1, 0]])\nexpect 1 == 1\n```\n\nDone.\n"
        let report = LessonLinter.lint(path: try temporaryLesson(silent))
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.line == 5)
        #expect(report.warnings.first?.message.contains("traces 1 layer step") == true)
        let explained = silent.replacingOccurrences(of: "Done.", with: "Press Enter for each layer's step.")
        #expect(LessonLinter.lint(path: try temporaryLesson(explained)).warnings.isEmpty)
    }

    @Test func aQuotedNumberNoOutputShowsIsWarnedAboutButAShownOneIsNot() throws {
        let text = "# L\n\n```huddle\nprint(0.25 + 0.5)\nexpect 1 == 1\n```\n\nIt printed 0.75, not 0.76.\n\nAnd 1/4 ≈ 0.25 is worked out here.\n"
        let report = LessonLinter.lint(path: try temporaryLesson(text))
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.line == 8)
        #expect(report.warnings.first?.message.contains("quotes 0.76") == true)
    }

    @Test func aDataFileThatIsNotThereIsWarnedAbout() throws {
        let text = "# L\n\n```huddle\nexpect 1 == 1\n```\n\n```huddle\nt = read_text(\"data/nowhere.txt\")\n```\n"
        let report = LessonLinter.lint(path: try temporaryLesson(text))
        // The cell that reads it fails too, so lint reports that the lesson did not run.
        #expect(report.warnings.contains { $0.line == 8 && $0.message.contains("read_text(\"data/nowhere.txt\")") })
        #expect(report.failure?.exit == .runtimeError)
    }

    @Test func theShippedLessonsRunUnderLint() {
        let folder = ReferenceTests.docs.replacingOccurrences(of: "/docs", with: "/Lessons")
        for path in LessonTester.files(in: folder).filter({ $0.hasSuffix(".md") }).prefix(3) {
            let report = LessonLinter.lint(path: path)
            #expect(report.failure == nil, "\(path): \(report.failure?.message ?? "")")
        }
    }
}
