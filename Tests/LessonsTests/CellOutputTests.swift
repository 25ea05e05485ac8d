import Testing
import Lessons
import Render

/// What a cell keeps of what it prints and shows: everything up to the output limit, in
/// order, then a count of the rest, in time linear in what was printed.
struct CellOutputTests {
    /// Each `print` copied everything printed before it: 50,000 lines took 0.4 s,
    /// 200,000 took 9.2 s. They now append in place, and past 1 MB are only counted.
    @Test func printingInALoopTakesLinearTime() throws {
        let s = try session("for i in range(400000):\n    print(i)")
        let stopwatch = Stopwatch()
        let result = s.run(cell: 0)
        #expect(result.error == nil)
        #expect(stopwatch.seconds < 15)
        let kept = result.printed.split(separator: "\n")
        // Lines 0…99999 take 10·2 + 90·3 + 900·4 + 9000·5 + 90000·6 = 588,890 bytes; the
        // remaining 411,110 hold 58,730 lines of 7: 0 through 158,729 are kept.
        #expect(kept.dropLast().last == "158729", "\(kept.dropLast().last ?? "")")
        #expect(kept.last == "(the output stops here: a cell keeps 1 MB of output; 241270 more prints, shown values and checks were not kept, though checks still count — print less, or a part: x[0:10])")
        #expect(result.cutOutputs == 241_270)
    }

    @Test func printsAndShowsPastTheLimitAreCountedAndSaid() throws {
        let s = try session("for i in range(10):\n    print(\"line\", i)\n    i * 100\nprint(\"end\", end: \"\")")
        s.outputLimit = 60  // "line 0\n" is 7 bytes, a shown "0" 2
        let result = s.run(cell: 0)
        #expect(result.printed == """
            line 0
            0
            line 1
            100
            line 2
            200
            line 3
            300
            line 4
            400
            line 5
            (the output stops here: a cell keeps 60 bytes of output; 10 more prints, shown values and checks were not kept, though checks still count — print less, or a part: x[0:10])

            """)
        #expect(result.cutOutputs == 10)
    }

    @Test func theLimitHoldsForEachCellAfresh() throws {
        let path = try temporaryLesson("# Two\n\n```huddle\nfor i in range(5):\n    print(\"ab\")\n```\n\n```huddle\nprint(\"next\")\n```\n")
        let s = try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80))
        s.outputLimit = 6
        #expect(s.run(cell: 0).printed == "ab\nab\n(the output stops here: a cell keeps 6 bytes of output; 3 more prints, shown values and checks were not kept, though checks still count — print less, or a part: x[0:10])\n")
        let second = s.run(cell: 1)
        #expect(second.printed == "next\n")
        #expect(second.cutOutputs == 0)
    }

    /// A check in a loop: every one counts (and fails the test), past the limit without
    /// its line; `huddle test` lists the first 20 failures and counts the rest (300,000
    /// failures had printed 15 MB).
    @Test func checksPastTheLimitStillCount() throws {
        let s = try session("for i in range(1000):\n    expect i < 990")
        s.outputLimit = 200
        let result = s.run(cell: 0)
        #expect(result.checks.count == 1000 && result.failedChecks.count == 10)
        #expect(result.outputs.filter { if case .check = $0 { true } else { false } }.count < 20)
        #expect(result.printed.hasSuffix("checks were not kept, though checks still count — print less, or a part: x[0:10])\n"))
        let path = try temporaryLesson("# Loop\n\n```huddle\nfor i in range(300):\n    expect i < 0\n```\n")
        let lines = LessonTester.test(path: path).lines()
        #expect(lines.first?.contains("300 checks, 300 failed") == true)
        #expect(lines.count == 1 + 2 * 20 + 1)
        #expect(lines.dropLast().last == "    19 < 0 is false")
        #expect(lines.last == "  … and 280 more failed checks, not listed (the first 20 are)")
    }

    /// A cut print that left the last line open still ends the note on a line of its own.
    @Test func theNoteStartsOnALineOfItsOwn() throws {
        let s = try session("print(\"abc\", end: \"\")\nprint(\"defghij\")")
        s.outputLimit = 5
        #expect(s.run(cell: 0).printed == "abc\n(the output stops here: a cell keeps 5 bytes of output; 1 more print, shown value or check was not kept, though checks still count — print less, or a part: x[0:10])\n")
    }
}
