import Foundation
import Lessons
import Testing

/// `huddle test`'s verdicts: what passes, what fails, where, and with which exit code.
@Suite struct LessonTesterTests {
    @Test func aLessonWhoseChecksHoldPasses() throws {
        let path = try temporaryLesson("""
            # Sums

            ```huddle
            A = softmax([[1, 2], [3, 4]])
            expect sum(A, axis: 1) ≈ ones(2)
            expect A[0, 1] > A[0, 0]
            ```
            """)
        let report = LessonTester.test(path: path)
        #expect(report.passed && report.exitCode == .success && report.checks == 2)
        #expect(report.lines().first?.hasPrefix("PASS \(path)  2 checks  ") == true)
    }

    @Test func aFalseExpectFailsWithItsLineAndBothValues() throws {
        let path = try temporaryLesson("""
            # A wrong claim

            Some prose.

            ```huddle
            x = [1, 2, 3]
            expect x.sum() == 6
            expect x.mean() ≈ 2.5
            ```
            """)
        let report = LessonTester.test(path: path)
        #expect(report.exitCode == .checkFailed)
        #expect(report.checks == 2 && report.failures.count == 1)
        let lines = report.lines()
        #expect(lines[0].hasPrefix("FAIL \(path)  2 checks, 1 failed"))
        #expect(lines[1] == "  \(path):8:8: expect x.mean() ≈ 2.5")
        #expect(lines[2].contains("expected 2.5, got 2"))
    }

    /// `==` of tensors is taken entry by entry; `expect` asks that every entry holds, and
    /// says where one does not (it stopped the lesson, exit 70: "the truth value of a
    /// tensor with 2 values is ambiguous").
    @Test func anExpectOfTensorsHoldsOnlyWhenEveryEntryDoes() throws {
        let path = try temporaryLesson("# T\n\n```huddle\nexpect [1, 2] == [1, 2]\nexpect [1, 2] == [1, 3]\nexpect eye(3) >= 0.5\n```\n")
        let report = LessonTester.test(path: path)
        #expect(report.exitCode == .checkFailed)
        #expect(report.checks == 3 && report.failures.count == 2)
        let lines = report.lines()
        #expect(lines[2] == "    expected [1, 3], got [1, 2] (they differ at [1]; 1 of 2 places)")
        #expect(lines[4].hasSuffix("is false (false at [0, 1], [0, 2], [1, 0], [1, 2], [2, 0], …; 6 of 9 places)"), "\(lines[4])")
    }

    @Test func aLessonPastItsTimeLimitStopsWhereItWas() throws {
        // A loop that never ends and a recursion that takes minutes: each stops at the
        // time limit, located in the line it was running, and the lesson fails (70).
        for (code, line) in [("x = 0\nwhile true:\n    x = x + 1", 5),
                             ("def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nprint(fib(40))", 7)] {
            let path = try temporaryLesson("# Forever\n\n```huddle\n\(code)\n```\n")
            let report = LessonTester.test(path: path, timeout: 0.5)
            #expect(report.exitCode == .runtimeError)
            #expect(report.seconds < 5)
            #expect(report.error?.hasPrefix("\(path):\(line):") == true, "\(report.error ?? "")")
            #expect(report.error?.contains("stopped here after 0.5 s, the time limit for one lesson (--timeout SECONDS changes it)") == true)
        }
    }

    /// Loops inside the models and the engine, which the interpreter never sees, stop at
    /// the time limit too (positions(10**6, 1000) ran for 43 s, generating 10⁹ tokens and
    /// building 10⁶ layers until memory ran out).
    @Test func aModelsOwnLoopStopsAtTheTimeLimit() throws {
        for code in ["p = positions(10**5, 1000)",
                     "gpt = GPT(\"hello there\", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)\ns = gpt.generate(\"he\", length: 10**9, seed: 1)",
                     "gpt = GPT(\"hello there\", dim: 8, layers: 10**6, heads: 2, block_size: 8, seed: 1)"] {
            let path = try temporaryLesson("# Long\n\n```huddle\n\(code)\n```\n")
            let report = LessonTester.test(path: path, timeout: 0.5)
            #expect(report.seconds < 5, "\(code)")
            #expect(report.error?.contains("stopped here after 0.5 s, the time limit for one lesson") == true, "\(report.error ?? "")")
        }
        let path = try temporaryLesson("# Long\n\n```huddle\np = positions(10**6, 1000)\n```\n")
        let report = LessonTester.test(path: path) { true }
        #expect(report.interrupted && report.seconds < 5)
    }

    @Test func aFailedApproximationSaysWhy() throws {
        // Shapes that differ, NaN (close to nothing), and which element by how much.
        let path = try temporaryLesson("""
            # Close

            ```huddle
            n = log(zeros(3)) - log(zeros(3))
            expect n ≈ n
            expect [1, 2] ≈ [1, 2, 3]
            expect [1.0, 2.0, 3.0] ≈ [1.0, 2.5, 3.0]
            expect [1.0, 2.0] ≈ [1.0, n[0]]
            ```
            """)
        let lines = LessonTester.test(path: path).lines()
        #expect(lines.contains("    both sides are [nan, nan, nan], and their numbers are not close (NaN at [0] on both sides (3 of 3 places hold NaN); NaN is close to nothing, not even NaN: find the step that made it (a log of 0, 0/0, an overflow))"), "\(lines)")
        #expect(lines.contains("    expected [1, 2, 3], got [1, 2] (shapes (2,) and (3,) differ)"))
        #expect(lines.contains("    expected [1, 2.5, 3], got [1, 2, 3] (largest difference 0.5000 at [1]: 2.000 where 2.500 was expected)"))
        #expect(lines.contains { $0.contains("(NaN at [1] on the right; NaN is close to nothing") }, "\(lines)")
    }

    @Test func ctrlCStopsTheLessonAndSaysSo() throws {
        let path = try temporaryLesson("# Forever\n\n```huddle\nwhile true:\n    x = 1\n```\n")
        let report = LessonTester.test(path: path) { true }
        #expect(report.interrupted && !report.passed)
    }

    @Test func aSyntaxErrorExits65WithTheCaretInTheRightColumn() throws {
        let path = try temporaryLesson("# Broken\n\n```huddle\nx = 1\ny = (x + 2\nz = 3\n```\n")
        let report = LessonTester.test(path: path)
        #expect(report.exitCode == .syntaxError)
        let error = try #require(report.error)
        // The '(' opened on line 5 is never closed; the parser notices at 'z' on line 6.
        #expect(error.hasPrefix("\(path):6:1: error: expected ')' to close '(' opened at 5:5"))
        // The caret sits under the column the message names, in the quoted line.
        let lines = error.split(separator: "\n").map(String.init)
        let quoted = try #require(lines.firstIndex { $0.hasSuffix("| z = 3") })
        let bar = try #require(lines[quoted].firstIndex(of: "|"))
        let caret = try #require(lines[quoted + 1].firstIndex(of: "^"))
        #expect(lines[quoted + 1].distance(from: lines[quoted + 1].startIndex, to: caret)
            == lines[quoted].distance(from: lines[quoted].startIndex, to: bar) + 2)
    }

    @Test func aRuntimeErrorExits70AndStopsTheLesson() throws {
        let path = try temporaryLesson("# Oops\n\n```huddle\nh = zeros([2, 3]) @ zeros([4, 5])\n```\n\n```huddle\nexpect 1 == 1\n```\n")
        let report = LessonTester.test(path: path)
        #expect(report.exitCode == .runtimeError)
        #expect(report.checks == 0)  // the second cell never ran
        #expect(report.error?.contains("matmul: (2, 3) @ (4, 5) — inner sizes 3 and 4 differ") == true)
    }

    @Test func anUnreadableFileExits74() {
        let report = LessonTester.test(path: "/nonexistent/lesson.md")
        #expect(report.exitCode == .unreadable)
        #expect(report.error?.contains("cannot read /nonexistent/lesson.md") == true)
    }

    @Test func scriptsAreOneCellWithTheirOwnLineNumbers() throws {
        let path = try temporaryLesson("x = 2\nexpect x * 3 == 7\n", name: "check.hud")
        let report = LessonTester.test(path: path)
        #expect(report.failures.first?.location == "\(path):2:8")
    }

    @Test func readingOutsideTheLessonsFolderIsRefused() throws {
        let path = try temporaryLesson("# Escape\n\n```huddle\nt = read_text(\"../../etc/passwd\")\n```\n")
        let report = LessonTester.test(path: path)
        #expect(report.exitCode == .runtimeError)
        #expect(report.error?.contains("leads out of the lesson's folder") == true)
    }

    /// Two links to `.` and a link to a lesson: each lesson is found once, and the walk
    /// ends (it walked for ever, and tested one lesson 41 times through one link).
    @Test func linksInAFolderListEachLessonOnce() throws {
        let path = try temporaryLesson("# One\n")
        let folder = (path as NSString).deletingLastPathComponent
        for (name, target) in [("again", "."), ("and-again", "."), ("02-same.md", "01-test.md")] {
            #expect(symlink(target, folder + "/" + name) == 0)
        }
        #expect(LessonTester.files(in: folder) == [path])
    }

    /// A FIFO named like a lesson is refused at once (it blocked `huddle test` for ever);
    /// so is a folder named like one.
    @Test func aFIFOOrFolderNamedLikeALessonIsRefusedWithoutWaiting() throws {
        let path = try temporaryLesson("# One\n")
        let folder = (path as NSString).deletingLastPathComponent
        #expect(mkfifo(folder + "/02-pipe.md", 0o600) == 0)
        #expect(mkdir(folder + "/03-folder.md", 0o700) == 0)
        let pipe = LessonTester.test(path: folder + "/02-pipe.md")
        #expect(pipe.exitCode == .unreadable)
        #expect(pipe.error == "cannot read \(folder)/02-pipe.md: it is not a regular file (a pipe, socket or device); lessons are read from plain files")
        let inner = LessonTester.test(path: folder + "/03-folder.md")
        #expect(inner.error?.contains("cannot read \(folder)/03-folder.md: it is a folder") == true, "\(inner.error ?? "")")
    }
}
