@testable import Lessons
import Render
import Testing
import Trace

/// `<!-- huddle: … -->` settings: parsed with located errors, holding from where they
/// stand, and changing what `huddle run` draws.
@Suite struct LessonSettingsTests {
    static let text = """
        # S

        <!-- huddle: focus love -->
        <!-- huddle: scale 5 -->
        <!-- huddle: steps 1, last -->

        ```huddle
        h = tensor([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]], labels: ["I", "love", "you"])
        stack = ResidualStack(dim: 4, steps: 4, epsilon: 0.1, seed: 0)
        out = trace stack(h)
        ```

        <!-- huddle: focus none -->
        <!-- huddle: scale auto -->

        ```huddle
        out2 = trace stack(h)
        ```
        """

    @Test func settingsHoldFromWhereTheyStandAndStepsOnlyForTheNextCell() {
        let document = LessonDocument(path: "s.md", text: Self.text)
        #expect(document.problems.isEmpty)
        let first = document.settings(forCell: 0)
        #expect(first.focus == .agent("love"))
        #expect(first.colorLimit == 5)
        #expect(first.steps?.selects(0, of: 4) == true && first.steps?.selects(3, of: 4) == true)
        #expect(first.steps?.selects(1, of: 4) == false)
        let second = document.settings(forCell: 1)
        #expect(second == CellSettings())
    }

    @Test func theTranscriptDrawsOnlyTheChosenStepsFocusedAsTheFileSays() throws {
        let path = try temporaryLesson(Self.text)
        let session = try LessonSession.open(path: path, options: RenderOptions(width: 100))
        var text = ""
        _ = Transcript(options: RenderOptions(width: 100)).run(session) { text += $0 }
        let firstCell = text.components(separatedBy: "out2 = trace")[0]
        #expect(firstCell.contains("step 1 · residual"))
        #expect(!firstCell.contains("step 2 · residual"))
        #expect(firstCell.contains("step 4 · residual"))
        #expect(firstCell.contains("agent \"love\""))
        #expect(firstCell.contains("(2 of this cell's 4 steps drawn"))
        let secondCell = text.components(separatedBy: "out2 = trace")[1]
        #expect(secondCell.contains("step 6 · residual"))  // all four drawn again
        #expect(!secondCell.contains("agent \"love\""))
    }

    @Test func theScaleFixesTheColoursOfSignedHeatmaps() {
        let snapshot = Snapshot(shape: [1, 2], data: [0.5, 1])
        let own = Heatmap(snapshot).block(RenderOptions(color: .none)).lines.map(\.plainText).joined()
        let fixed = Heatmap(snapshot).block(RenderOptions(color: .none, colorLimit: 10)).lines.map(\.plainText).joined()
        #expect(own.contains("█"))       // 1 is the largest: the darkest shade
        #expect(!fixed.contains("█"))    // against 10 it is pale
    }

    @Test func aMistypedOrMalformedSettingIsALocatedProblem() {
        let typo = LessonDocument(path: "s.md", text: "# S\n\n<!-- huddle: focsu 2 -->\n")
        #expect(typo.problems.count == 1)
        #expect(typo.problems.first?.hasPrefix("s.md:3:14: error: no setting called `focsu` — did you mean 'focus'? (:help settings lists them)\n") == true)
        #expect(typo.problems.first?.contains("\n   3 | <!-- huddle: focsu 2 -->\n     |              ^~~~~~~") == true, "\(typo.problems)")
        let scale = LessonDocument(path: "s.md", text: "<!-- huddle: scale big -->\n")
        #expect(scale.problems.first?.contains("`scale` takes a number above 0") == true)
        let steps = LessonDocument(path: "s.md", text: "<!-- huddle: steps 3-1 -->\n")
        #expect(steps.problems.first?.contains("`steps` takes step numbers from 1") == true)
        // Inside a code block of the prose it is text, not a setting.
        let quoted = LessonDocument(path: "s.md", text: "```markdown\n<!-- huddle: bogus -->\n```\n")
        #expect(quoted.problems.isEmpty)
    }
}

/// A handout draws the steps the lesson's `steps` setting chooses, and says how many.
@Suite struct HandoutSettingsTests {
    @Test func aHandoutDrawsOnlyTheChosenSteps() throws {
        let path = try temporaryLesson(LessonSettingsTests.text)
        let session = try LessonSession.open(path: path, options: RenderOptions(width: 100))
        let handout = Handout(running: session)
        let cells = handout.sections.compactMap { if case .cell(let c) = $0 { c } else { nil } }
        #expect(cells[0].events.count == 4 && cells[0].shown.map(\.step) == [0, 3])
        #expect(cells[0].leftOutNote?.hasPrefix("2 of this cell's 4 steps drawn") == true)
        #expect(cells[1].shown.count == 4 && cells[1].leftOutNote == nil)
        #expect(HTMLHandout.cell(cells[0], number: 1).contains("2 of this cell&#39;s 4 steps drawn") || HTMLHandout.cell(cells[0], number: 1).contains("2 of this cell's 4 steps drawn"))
    }

    /// A lesson's own budgets: tighter than the command line's, they hold and the
    /// message names the setting; looser, they do not raise the command line's.
    @Test func aLessonsOwnBudgetsHoldWhenTheyAreTighter() throws {
        let slow = try temporaryLesson("# T\n\n<!-- huddle: timeout 0.5 -->\n\n```huddle\nwhile true:\n    x = 1\n```\n")
        let stopped = LessonTester.test(path: slow)
        #expect(stopped.seconds < 5)
        #expect(stopped.error?.contains("6:1: error: stopped here after 0.5 s, the lesson's own limit, its `timeout` setting at line 3") == true, "\(stopped.error ?? "")")

        let loose = try temporaryLesson("# T\n\n<!-- huddle: timeout 1000 -->\n\n```huddle\nwhile true:\n    x = 1\n```\n")
        #expect(LessonTester.test(path: loose, timeout: 0.5).error?.contains("the time limit for one lesson (--timeout SECONDS changes it)") == true)

        let big = try temporaryLesson("# M\n\n<!-- huddle: max-memory 1MB -->\n\n```huddle\nx = zeros([100, 100])\ny = zeros([1000, 1000])\n```\n")
        let refused = LessonTester.test(path: big)
        #expect(refused.error?.contains("7:5: error: zeros: this would need 4 MB for a (1000, 1000) tensor; the limit is 1 MB (the lesson's own limit, its `max-memory` setting at line 3)") == true, "\(refused.error ?? "")")
    }

    @Test(arguments: [
        ("<!-- huddle: timeout soon -->", "`timeout` takes the seconds the lesson may run, a number above 0; found `soon`"),
        ("<!-- huddle: timeout -1 -->", "`timeout` takes the seconds the lesson may run, a number above 0; found `-1`"),
        ("<!-- huddle: max-memory lots -->", "`max-memory` takes a size such as 500MB or 2GB; found `lots`"),
        ("<!-- huddle: max-memory -->", "`max-memory` needs a value"),
    ])
    func aBadBudgetIsALocatedProblem(line: String, problem: String) {
        let document = LessonDocument(path: "l.md", text: "# L\n\n" + line + "\n")
        #expect(document.problems.first?.contains("l.md:3:") == true)
        #expect(document.problems.first?.contains(problem) == true, "\(document.problems)")
    }

    /// After 50,000 headings a failing cell's error is at the cell's own line (it was
    /// reported at a line past the file's end).
    @Test func anErrorAfterManyHeadingsIsAtItsLine() throws {
        let text = (0..<50_000).map { "# Heading \($0)\n" }.joined(separator: "\n") + "\n```huddle\nx = 1 / 0\n```\n"
        let path = try temporaryLesson(text)
        #expect(LessonTester.test(path: path).error?.hasPrefix("\(path):100002:7: error: division by zero") == true)
    }
}
