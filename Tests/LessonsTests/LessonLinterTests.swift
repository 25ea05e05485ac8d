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

/// Where lint can tell — a paragraph after a pinned cell — a quoted number must be in
/// that pin, sign and all; and a focus setting must name an agent the pictures have.
@Suite struct LessonLinterPinTests {
    static let lesson = """
        # L

        <!-- huddle: focus chase -->

        ```huddle
        h = tensor([[1, 0], [0, 1]], labels: ["chase", "mice"])
        stack = ResidualStack(dim: 2, steps: 1, epsilon: 0.1, seed: 0)
        out = trace stack(h)
        print("first:", round(out[0, 0], 2))
        ```

        ```output
        first: VALUE
        ```

        The residual step moved chase's first number to QUOTED.
        """

    func lint(value: String, quoted: String, focus: String = "chase") throws -> [LessonLinter.Warning] {
        let text = Self.lesson.replacingOccurrences(of: "VALUE", with: value).replacingOccurrences(of: "QUOTED", with: quoted)
            .replacingOccurrences(of: "focus chase", with: "focus \(focus)")
        return LessonLinter.lint(path: try temporaryLesson(text)).warnings
    }

    @Test func aQuoteThatMatchesThePinIsFineAndOneThatDriftedIsNot() throws {
        let path = try temporaryLesson(Self.lesson.replacingOccurrences(of: "VALUE", with: "0"))
        _ = LessonTester.test(path: path, update: true)
        let pinned = try String(contentsOfFile: path, encoding: .utf8)
        let value = try #require(pinned.split(separator: "\n").first { $0.hasPrefix("first: ") }).dropFirst(7)
        #expect(try lint(value: String(value), quoted: String(value)).isEmpty)
        let drifted = try lint(value: String(value), quoted: "0.12")
        #expect(drifted.count == 1)
        #expect(drifted.first?.message.contains("the pinned output of the cell before it does not show") == true)
        // The sign counts: −x is not x.
        #expect(try lint(value: String(value), quoted: "−" + value).count == 1)
    }

    @Test func aFocusOnAnAgentNoPictureHasIsWarnedAbout() throws {
        let warnings = try lint(value: "0", quoted: "0", focus: "chaser")
        #expect(warnings.contains { $0.line == 3 && $0.message.contains("`focus chaser`: no picture it applies to has an agent called chaser (they have chase, mice)") })
    }
}
