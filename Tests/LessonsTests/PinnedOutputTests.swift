import Foundation
@testable import Lessons
import Testing

/// ```output blocks: a cell's printed output pinned in the file, compared by `huddle test`
/// and rewritten — those lines only — by `--update`.
@Suite struct PinnedOutputTests {
    static let lesson = """
        # Pins

        ```huddle
        x = [1, 2, 3]
        print("sum", sum(x))
        ```

        ```output
        sum 6
        ```

        Prose that stays.

        ```huddle
        print("mean", mean([1, 2]))
        ```
        ```output within 0.1
        mean 1.52
        ```
        """

    @Test func matchingPinsPassAndAreCounted() throws {
        let path = try temporaryLesson(Self.lesson)
        let report = LessonTester.test(path: path)
        #expect(report.passed, "\(report.lines())")
        #expect(report.pins == 2)
        #expect(report.lines()[0].contains("2 pinned outputs"))
    }

    @Test func aChangedOutputFailsWithADiffNamingTheFenceLine() throws {
        let path = try temporaryLesson(Self.lesson.replacingOccurrences(of: "x = [1, 2, 3]", with: "x = [1, 2, 4]"))
        let report = LessonTester.test(path: path)
        #expect(report.exitCode == .checkFailed)
        let lines = report.lines()
        #expect(lines.contains { $0.hasSuffix(":8: the cell's output is not what the file pins (- pinned, + printed now; huddle test --update rewrites it):") })
        #expect(lines.contains("    - sum 6"))
        #expect(lines.contains("    + sum 7"))
    }

    /// Change a number, --update, test again: it passes, and only the pinned line moved.
    @Test func updateRewritesOnlyThePinnedLinesAndThenPasses() throws {
        let changed = Self.lesson.replacingOccurrences(of: "x = [1, 2, 3]", with: "x = [1, 2, 4]")
        let path = try temporaryLesson(changed)
        let report = LessonTester.test(path: path, update: true)
        #expect(report.passed)
        #expect(report.updated == [8])
        let after = try String(contentsOfFile: path, encoding: .utf8)
        let before = changed.split(separator: "\n", omittingEmptySubsequences: false)
        let now = after.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(before.count == now.count)
        let moved = zip(before, now).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(moved == [8])  // line 9: "sum 6" → "sum 7"
        #expect(now[8] == "sum 7")
        #expect(LessonTester.test(path: path).passed)
    }

    @Test func numbersMatchWhenTheyPrintTheSameOrWithinTheTolerance() {
        #expect(PinnedOutput.same("p = 0.50", "p = 0.5", nil))
        #expect(!PinnedOutput.same("p = 0.968", "p = 0.969", nil))
        #expect(PinnedOutput.same("p = 0.968", "p = 0.969", 0.01))
        #expect(!PinnedOutput.same("p = 0.9", "p = 1.2", 0.1))
        #expect(!PinnedOutput.same("W1 = 2", "W2 = 2", 0.5))  // digits inside a name are words
        #expect(!PinnedOutput.same("a 1", "b 1", nil))
        #expect(PinnedOutput.same("x −0.25", "x -0.25", nil))
    }

    @Test func anOutputBlockWithNoCellBeforeItIsALocatedProblem() {
        let document = LessonDocument(path: "l.md", text: "# L\n\nProse.\n\n```output\n1\n```\n")
        #expect(document.problems.first?.hasPrefix("l.md:5:1: error: an ```output block pins what the ```huddle cell just before it prints") == true)
        let twice = LessonDocument(path: "l.md", text: "```huddle\nprint(1)\n```\n```output\n1\n```\n```output\n1\n```\n")
        #expect(twice.pins.count == 1)
        #expect(twice.problems.count == 1)
        let bad = LessonDocument(path: "l.md", text: "```huddle\nprint(1)\n```\n```output about 3\n1\n```\n")
        #expect(bad.problems.first?.contains("only `within T` may follow") == true)
    }

    @Test func aRuntimeErrorIsReportedAsOneNotAsZeroFailures() throws {
        let path = try temporaryLesson("# Oops\n\n```huddle\nexpect 1 == 1\nh = zeros([2, 3]) @ zeros([4, 5])\n```\n")
        let first = LessonTester.test(path: path).lines()[0]
        #expect(first.contains("stopped by an error after 1 check"), "\(first)")
        #expect(!first.contains("0 failed"))
    }

    @Test func aLessonThatChecksNothingSaysSo() throws {
        let path = try temporaryLesson("# Nothing\n\n```huddle\nx = 1\n```\n")
        let report = LessonTester.test(path: path)
        #expect(report.passed)
        #expect(report.lines()[0].contains("nothing is checked"))
    }
}
