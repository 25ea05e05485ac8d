import Testing
import Lessons
import Render

/// Big and odd lesson files: linear time, and lines counted as editors count them. The
/// bounds are generous (a loaded machine runs the tests in parallel); what they catch is
/// the quadratic: a 100,000-line cell took 198 s to load, a 60 MB lesson minutes.
struct BigInputTests {
    @Test func aCellOf100000LinesLoadsAndRunsInLinearTime() throws {
        let code = (0..<100_000).map { "x\($0) = \($0)" }.joined(separator: "\n") + "\nexpect x99999 == 99999"
        let path = try temporaryLesson("# Big\n\n```huddle\n" + code + "\n```\n")
        let stopwatch = Stopwatch()
        let report = LessonTester.test(path: path)
        #expect(report.passed && report.checks == 1)
        #expect(stopwatch.seconds < 20)
    }

    @Test func a70MBLessonLoadsInSeconds() throws {
        let paragraph = String(repeating: "Each agent holds a vector and listens to its neighbours. ", count: 14) + "\n\n"
        var text = "# Huge\n\n"
        text.reserveCapacity(72_000_000)
        var cells = 0
        while text.utf8.count < 70_000_000 {
            text += paragraph
            if text.utf8.count / 1_000_000 > cells {
                cells += 1
                text += "```huddle\nx = \(cells)\n```\n\n"
            }
        }
        let stopwatch = Stopwatch()
        let document = LessonDocument(path: "huge.md", text: text)
        #expect(document.sections.filter { if case .cell = $0 { true } else { false } }.count == cells)
        #expect(cells >= 69)
        #expect(document.problems.isEmpty)
        #expect(stopwatch.seconds < 60)
    }

    /// "\r\n" is one Character: a Windows file was read as one line and ran no cell.
    @Test func aLessonWithWindowsLineEndsRunsItsCells() throws {
        let path = try temporaryLesson("# Windows\r\n\r\nProse.\r\n\r\n```huddle\r\nx = 6 * 7\r\nprint(x)\r\ny = nope\r\n```\r\n")
        let session = try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80))
        let result = session.run(cell: 0)
        #expect(result.printed == "42\n")
        #expect(result.error?.contains("01-test.md:8:5: error: name 'nope' is not defined") == true, "\(result.error ?? "")")
    }

    /// A lone "\r" or U+2028 is a character on its line, for the scanner as for the
    /// lesson reader: the error is on the cell's own line (it pointed past the cell).
    @Test(arguments: ["\r", "\u{2028}", "\u{0C}"])
    func anOddLineBreakIsACharacterOnItsLine(_ odd: String) throws {
        let path = try temporaryLesson("# Odd\n\n```huddle\nx = 1\(odd)y = 2\nz = 3\n```\n")
        let error = try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80)).run(cell: 0).error
        #expect(error?.contains("01-test.md:4:6: error: unexpected character") == true, "\(error ?? "")")
    }

    /// The time limit stopping a training loop says so, not "Ctrl-C stopped training".
    @Test func theTimeLimitInTrainingIsNotCalledCtrlC() throws {
        let path = try temporaryLesson("# T\n\n```huddle\ngpt = GPT(\"hello world, hello there\", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)\nl = gpt.train(steps: 10**6, batch_size: 4, lr: 0.005, seed: 1)\n```\n")
        let error = LessonTester.test(path: path, timeout: 0.5).error ?? ""
        #expect(error.contains("stopped here after 0.5 s, the time limit for one lesson (--timeout SECONDS changes it); training had reached step "), "\(error)")
        #expect(!error.contains("Ctrl-C"))
    }
}
