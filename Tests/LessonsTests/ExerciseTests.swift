import Foundation
@testable import Lessons
import Render
import Testing

/// Exercises as a lesson file writes them, as the session checks them, and as
/// `huddle test` validates them.
@Suite struct ExerciseTests {
    static let lesson = """
        # Party

        ```huddle
        tags = tensor(eye(4), labels: ["I", "love", "machine", "learning"])
        party = SelfAttention(dim: 4, seed: 18)
        party.Wk = 3 * eye(4)
        party.Wq = zeros([4, 4])
        v = tags @ party.Wv.T
        ```

        ```exercise predict
        ask: What will A_{love→machine} be?
        answer: party.weights[1, 2]
        hint: equal scores
        solution: 0.25
        wrong: 1 -> a row shares 1 among four
        ```

        ```huddle
        out = trace party(tags)
        A = party.weights
        ```

        ```exercise value
        ask: Row love of A?
        answer: A[1]
        solution: A[1]
        wrong: [1, 0, 0, 0] -> not all on one
        ```

        ```exercise code
        ask: Write Δ_love with A and v.
        answer: A[1] @ v
        vary: v = 2 * v + 1
        solution: A[1] @ v
        wrong: v[1] -> that is love's own value
        ```

        ```exercise goal
        ask: Make love listen most to machine.
        goal: party(tags); argmax(party.weights[1]) == 2
        hint: column 1 is love's question
        solution: party.Wq[2, 1] = 3
        wrong: party.Wq[1, 2] = 3 -> rows and columns swapped
        ```

        ```exercise choice
        ask: Why does a row of A add up to 1?
        choice: the √d
        choice: the softmax
        answer: b
        wrong: a -> √d only scales
        ```

        ```exercise value
        ask: Which word does love hear most now?
        answer: machine
        solution: machine
        wrong: love
        ```
        """

    func open(_ text: String = ExerciseTests.lesson) throws -> LessonSession {
        try LessonSession.open(path: try temporaryLesson(text), options: RenderOptions(color: .none, width: 80))
    }

    @Test func everyKindIsReadWithItsFields() throws {
        let s = try open()
        #expect(s.document.problems.isEmpty, "\(s.document.problems)")
        let e = s.exercises
        #expect(e.map(\.kind) == [.predict, .value, .code, .goal, .choice, .value])
        #expect(e[0].hints == ["equal scores"])
        #expect(e[0].wrongs.first?.message == "a row shares 1 among four")
        #expect(e[0].cellsBefore == 1)
        #expect(e[2].variations.map(\.text) == ["v = 2 * v + 1"])
        #expect(e[3].goal?.text == "party(tags); argmax(party.weights[1]) == 2")
        #expect(e[4].choices == ["the √d", "the softmax"])
        #expect(e[4].solution.text == "b", "a choice's solution is its answer unless given")
        #expect(Set(e.map(\.key)).count == e.count, "every exercise has its own key")
    }

    @Test func aPredictionIsJudgedOnceItsCellHasRun() throws {
        let s = try open()
        _ = s.run(cell: 0)
        s.reach(exercise: 0)
        let noted = s.attempt("0.3", at: 0)
        #expect(noted.verdict == .noted)
        #expect(s.resolvePredictions(afterCell: 0).isEmpty, "the prediction is for the cell after it")
        _ = s.run(cell: 1)
        let judged = s.resolvePredictions(afterCell: 1)
        #expect(judged.count == 1)
        #expect(judged[0].attempt.verdict == .wrong)
        #expect(judged[0].attempt.message?.contains("you said 0.3; it is 0.25") == true, "\(judged[0].attempt.message ?? "")")
        #expect(s.resolvePredictions(afterCell: 1).isEmpty, "judged once")
    }

    @Test func aValueAnswerIsCheckedWithFeedbackThatDoesNotTell() throws {
        let s = try open()
        _ = s.run(cell: 0)
        _ = s.run(cell: 1)
        #expect(s.attempt("[0.25, 0.25, 0.25, 0.25]", at: 1).verdict == .right)
        #expect(s.attempt("A[1]", at: 1).verdict == .right, "an expression is as good as its value")
        let shape = s.attempt("0.25", at: 1)
        #expect(shape.verdict == .wrong && shape.message == "the answer is a tensor of shape (4,); yours is one number")
        let sums = s.attempt("[0.5, 0.25, 0.25, 0.3]", at: 1)
        #expect(sums.message == "the answer's weights add up to 1, as a softmax's do; yours add up to 1.3", "\(sums.message ?? "")")
        #expect(s.attempt("[1, 0, 0, 0]", at: 1).message == "not all on one", "a declared wrong answer says its message")
        let error = s.attempt("A[1", at: 1)
        #expect(error.verdict == .wrong && error.isError)
        #expect(error.message?.contains("^") == true, "an error shows its caret: \(error.message ?? "")")
        let statement = s.attempt("row = A[1]", at: 1)
        #expect(statement.verdict == .notAnAttempt && !statement.counts)
        #expect(s.attempt("row", at: 1).verdict == .right)
    }

    @Test func numbersAreToldBySignAndSize() throws {
        let s = try open("# N\n\n```huddle\nx = 2\n```\n\n```exercise value\nask: x?\nanswer: x\nsolution: 2\nwrong: 3\n```\n")
        _ = s.run(cell: 0)
        #expect(s.attempt("-2", at: 0).message?.hasPrefix("The sign is wrong") == true)
        #expect(s.attempt("20", at: 0).message?.contains("about 10 times too large") == true)
        #expect(s.attempt("2.1", at: 0).message?.hasPrefix("Close, but not within the tolerance of 0.01") == true)
        #expect(s.attempt("2.01", at: 0).verdict == .right, "the default tolerance takes a rounded answer")
        #expect(s.attempt("1.5", at: 0).message?.contains("too small") == true)
    }

    @Test func aCodeAnswerMustComputeNotQuoteTheNumbers() throws {
        let s = try open()
        _ = s.run(cell: 0)
        _ = s.run(cell: 1)
        #expect(s.attempt("A[1] @ v", at: 2).verdict == .right)
        #expect(s.attempt("(A @ v)[1]", at: 2).verdict == .right, "any expression with the right value")
        // The numbers of A[1] @ v typed in: right now, wrong once `vary` changes v.
        let numbers = s.value(of: "A[1] @ v", at: nil)
        guard case .success(let value) = numbers else { Issue.record("no value"); return }
        let typed = s.attempt(value.repr, at: 2)
        #expect(typed.verdict == .wrong)
        #expect(typed.message?.contains("right for these numbers, but not after `v = 2 * v + 1`") == true, "\(typed.message ?? "")")
        #expect(s.attempt("v[1]", at: 2).message == "that is love's own value")
    }

    @Test func aGoalIsCheckedAfterEachChangeAndSteppingBackUndoesThem() throws {
        let s = try open()
        _ = s.run(cell: 0)
        _ = s.run(cell: 1)
        s.reach(exercise: 3)
        let look = s.attempt("party.Wq", at: 3)
        #expect(look.verdict == .notAnAttempt, "looking at the state is not an attempt")
        let swapped = s.attempt("party.Wq[1, 2] = 3", at: 3)
        #expect(swapped.verdict == .wrong)
        #expect(swapped.message == "rows and columns swapped", "a declared wrong change says its message alone")
        let other = s.attempt("party.Wq[0, 1] = 3", at: 3)
        #expect(other.message == "not yet: argmax(party.weights[1]) is 0; the goal is argmax(party.weights[1]) == 2", "\(other.message ?? "")")
        #expect(s.attempt("party.Wq[2, 1] = 5", at: 3).verdict == .right, "any change that reaches the goal")
        s.restore(beforeExercise: 3)
        #expect(!s.goalState(s.exercises[3]).holds, "stepping back over the exercise undoes the changes made at it")
        let failing = s.attempt("party.Wq[9, 9] = 1", at: 3)
        #expect(failing.isError && failing.verdict == .wrong, "an error is an attempt, not a crash")
    }

    @Test func aChoiceTakesItsLetterOrText() throws {
        let s = try open()
        #expect(s.attempt("b", at: 4).verdict == .right)
        #expect(s.attempt("(b)", at: 4).verdict == .right)
        #expect(s.attempt("the softmax", at: 4).verdict == .right)
        #expect(s.attempt("a", at: 4).message == "√d only scales")
        #expect(s.attempt("z", at: 4).verdict == .notAnAttempt)
    }

    @Test func aWordIsTheWordWhateverItsCase() throws {
        let s = try open()
        _ = s.run(cell: 0)
        #expect(s.attempt("Machine", at: 5).verdict == .right)
        #expect(s.attempt("\"machine\"", at: 5).verdict == .right)
        #expect(s.attempt("love", at: 5).verdict == .wrong)
        #expect(s.attempt("3", at: 5).message?.hasPrefix("the answer is a word") == true)
        // A word that names a model is, as an answer, the word: `party` is not a SelfAttention here.
        #expect(s.attempt("party", at: 5).message == "not \"party\"")
    }

    @Test func huddleTestRunsEverySolutionAndEveryWrongAnswer() throws {
        let good = LessonTester.test(path: try temporaryLesson(ExerciseTests.lesson))
        #expect(good.passed, "\(good.lines())")
        #expect(good.exercises == 6)
        #expect(good.lines().first?.contains("6 exercises") == true)

        // A wrong answer that is right: the check could never fail.
        let accepting = ExerciseTests.lesson.replacingOccurrences(of: "wrong: v[1] -> that is love's own value", with: "wrong: (A @ v)[1]")
        let report = LessonTester.test(path: try temporaryLesson(accepting))
        #expect(!report.passed)
        #expect(report.notes.contains { $0.contains("the wrong answer `(A @ v)[1]` is accepted") }, "\(report.notes)")

        // A solution that is refused, and a prediction whose solution is wrong.
        let refusing = ExerciseTests.lesson.replacingOccurrences(of: "solution: 0.25", with: "solution: 0.5")
            .replacingOccurrences(of: "solution: machine", with: "solution: learning")
        let refused = LessonTester.test(path: try temporaryLesson(refusing))
        #expect(refused.notes.filter { $0.contains("is refused") }.count == 2, "\(refused.notes)")

        // A goal that holds before the student does anything.
        let holding = ExerciseTests.lesson.replacingOccurrences(of: "argmax(party.weights[1]) == 2", with: "argmax(party.weights[1]) >= 0")
        let held = LessonTester.test(path: try temporaryLesson(holding))
        #expect(held.notes.contains { $0.contains("the goal already holds") }, "\(held.notes)")
    }

    @Test func aFailingSolutionIsLocatedWhereItIsInTheFile() throws {
        // The solution ran as a source of its own and was reported at 1:1 — the lesson's
        // first line — with its own text quoted as line 1.
        let lesson = "# E\n\n```huddle\nx = 2\nv = 3\n```\n\n```exercise goal\nask: make x 5\ngoal: x == 5\n"
            + "solution: x = 5 / (v - 3)\nwrong: x = 4 -> no\n```\n"
        let report = LessonTester.test(path: try temporaryLesson(lesson))
        let text = report.notes.joined(separator: "\n")
        #expect(text.contains("01-test.md:11:11: the solution fails:\n"), "\(text)")
        #expect(text.contains("01-test.md:11:17: error: division by zero"), "\(text)")
        #expect(text.contains("  11 | solution: x = 5 / (v - 3)\n     |                 ^"), "\(text)")
        // A value exercise's solution that cannot be evaluated, likewise.
        let value = "# E\n\n```huddle\nx = 2\n```\n\n```exercise value\nask: x + 1?\nanswer: x + 1\nsolution: 3 + y\nwrong: 2 -> no\n```\n"
        let valued = LessonTester.test(path: try temporaryLesson(value)).notes.joined(separator: "\n")
        #expect(valued.contains("01-test.md:10:15: error: name 'y' is not defined"), "\(valued)")
        #expect(valued.contains("  10 | solution: 3 + y\n"), "\(valued)")
    }

    @Test func malformedBlocksAreLocatedWithACaret() throws {
        func problems(_ block: String) throws -> String {
            try open("# M\n\n```huddle\nx = 1\n```\n\n" + block + "\n").document.problems.joined(separator: "\n")
        }
        let kind = try problems("```exercise valu\nask: q\n```")
        #expect(kind.contains(":7:13: error: 'valu' is not a kind of exercise"), "\(kind)")
        #expect(kind.contains("^~~~"))
        let field = try problems("```exercise value\nask: q\nanswer: x\nhnt: h\nsolution: 1\nwrong: 2\n```")
        #expect(field.contains(":10:1: error: 'hnt' is not a field of an exercise — did you mean 'hint'?"), "\(field)")
        let noWrong = try problems("```exercise value\nask: q\nanswer: x\nsolution: 1\n```")
        #expect(noWrong.contains("no 'wrong:' line"), "\(noWrong)")
        let syntax = try problems("```exercise value\nask: q\nanswer: sum(x\nsolution: 1\nwrong: 2\n```")
        #expect(syntax.contains(":9:14: error: expected ')' to close '(' opened at 9:12"), "the caret is where the code is in the file: \(syntax)")
        let letter = try problems("```exercise choice\nask: q\nchoice: a\nchoice: b\nanswer: d\n```")
        #expect(letter.contains("the answer must be one of the choices' letters, a to b"), "\(letter)")
        let lastPrediction = try problems("```exercise predict\nask: q\nanswer: x\nsolution: 1\nwrong: 2\n```")
        #expect(lastPrediction.contains("no ```huddle cell after it"), "\(lastPrediction)")
        let unclosed = try problems("```exercise value\nask: q")
        #expect(unclosed.contains(":7:1: error: the ```exercise block opened here is never closed"), "\(unclosed)")
        let other = try problems("```exercise value\nask: q\nanswer: x\nsolution: 1\nwrong: 2\nchoice: c\n```")
        #expect(other.contains("only a choice exercise has 'choice:' lines"), "\(other)")
    }

    @Test func aHandoutShowsQuestionHintsAndSolutionApart() throws {
        let s = try open()
        var text = ""
        _ = Transcript(options: RenderOptions(color: .none, width: 80)).run(s) { text += $0 }
        #expect(text.contains("── Exercise 4 of 6 · goal"))
        #expect(text.contains("Hints\n  1. column 1 is love's question"))
        #expect(text.contains("Solution (code that reaches the goal)\n  party.Wq[2, 1] = 3"))
        #expect(text.contains("  a) the √d\n  b) the softmax"))
    }

    @Test func theLockLineLocksTheLesson() throws {
        #expect(try open(ExerciseTests.lesson + "\n\n<!-- huddle: no-skip -->\n").document.locksSolutions)
        #expect(try !open().document.locksSolutions)
        let prose = try open(ExerciseTests.lesson + "\n\nSome words.\n<!-- huddle: no-skip -->\n").document.sections
        #expect(!prose.contains { if case .prose(let t, _) = $0 { t.contains("no-skip") } else { false } }, "the lock line is not shown")
    }
}

/// A goal on tensors says how they differ, not their shapes; one without a comparison
/// says it does not hold, without quoting its code.
@Suite struct GoalFeedbackTests {
    @Test func tensorGoalsSayHowTheyDiffer() throws {
        let text = "# G\n\n```huddle\nx = zeros([3, 3])\n```\n\n```exercise goal\nask: make x the identity\ngoal: x ≈ eye(3)\nsolution: x = eye(3)\nwrong: x = ones([3, 3])\n```\n\n```exercise goal\nask: make x sum to 9\ngoal: y = sum(x); y > 8 and y < 10\nsolution: x = ones([3, 3])\nwrong: x = eye(3)\n```\n" + "\n```exercise goal\nask: make x anything but small\ngoal: not (sum(x) < 12)\nsolution: x = ones([3, 3]) * 2\nwrong: x = eye(3)\n```\n"
        let s = try LessonSession.open(path: try temporaryLesson(text), options: RenderOptions(color: .none, width: 80))
        _ = s.run(cell: 0)
        let partway = s.attempt("x[0, 0] = 1", at: 0)
        #expect(partway.message == "not yet: x is not yet ≈ eye(3): 2 of 9 entries are off; the first is at [1, 1], where yours (0) is too small", "\(partway.message ?? "")")
        let conjunct = s.attempt("x[0, 1] = 1", at: 1)
        #expect(conjunct.message == "not yet: y is 2; the goal is y > 8", "of `a and b`, the side that fails is told: \(conjunct.message ?? "")")
        let second = s.attempt("x = ones([3, 3]) * 2", at: 1)
        #expect(second.message == "not yet: y is 18; the goal is y < 10", "\(second.message ?? "")")
        try #require(s.exercises.count == 3)
        let plain = s.attempt("x = zeros([3, 3])", at: 2)
        #expect(plain.message == "not yet: the goal does not hold yet", "\(plain.message ?? "")")
        #expect(LessonTester.test(path: try temporaryLesson(text)).passed)
    }
}

/// The format reference names every kind and every field the parser accepts, so an
/// instructor writing from it cannot miss one.
@Suite struct ExerciseDocumentTests {
    @Test func docsNameEveryKindAndField() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/exercises.md").standardized
        let text = try String(contentsOf: file, encoding: .utf8)
        for kind in Exercise.Kind.allCases { #expect(text.contains("| `\(kind.rawValue)` |"), "docs/exercises.md does not describe the kind \(kind.rawValue)") }
        for field in ExerciseParser.fields { #expect(text.contains("`\(field):"), "docs/exercises.md does not describe the field \(field):") }
        #expect(text.contains(LessonDocument.lockLine))
    }

    /// Every lesson from 01 on asks at least three questions, among them a prediction and a goal.
    @Test func everyLessonAsksPredictsAndSetsAGoal() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Lessons").standardized.path
        let lessons = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") && !$0.hasPrefix("00") }.sorted()
        #expect(lessons.count >= 15)
        for name in lessons {
            let document = LessonDocument(path: name, text: try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
            let kinds = document.exercises.map(\.kind)
            #expect(kinds.count >= 3, "\(name) asks \(kinds.count) questions")
            #expect(kinds.contains(.predict) && kinds.contains(.goal), "\(name) needs a prediction and a goal: \(kinds)")
        }
    }
}

@Suite struct OneNumberTensorTests {
    /// `int(argmax(A[1]))` indexes a list: a one-number tensor is a number to int() and float().
    @Test func intAndFloatTakeAOneNumberTensor() throws {
        let s = try session("words = [\"I\", \"love\", \"machine\"]\nbest = words[int(argmax(tensor([0.1, 0.2, 0.7])))]\nf = float(sum(tensor([1.5, 1])))")
        let result = s.run(cell: 0)
        #expect(result.error == nil, "\(result.error ?? "")")
        #expect(s.evaluate("best").printed.contains("machine"))
        #expect(s.evaluate("f").printed.contains("2.5"))
        #expect(s.evaluate("int(tensor([1, 2]))").error?.contains("expects a number, a one-number tensor or a string") == true)
    }

    /// `words[argmax(x)]`: a one-number tensor holding a whole number indexes a list.
    @Test func aOneNumberTensorIndexesAList() throws {
        let s = try session("words = [\"a\", \"b\", \"c\"]")
        _ = s.run(cell: 0)
        #expect(s.evaluate("print(words[argmax(tensor([0, 3, 1]))])").printed == "b\n")
        #expect(s.evaluate("words[tensor([0.5])]").error?.contains("list indices must be whole numbers") == true)
        #expect(s.evaluate("words[tensor([0.5])]").error?.contains("int(x) makes a one-number tensor a plain number") == true)
    }
}
