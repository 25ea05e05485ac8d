import Language
import Render

/// One answer to an exercise, checked.
public struct ExerciseAttempt {
    public enum Verdict: Equatable, Sendable {
        case right
        case wrong
        /// A prediction taken down, to be compared once the cell has run.
        case noted
        /// Not an answer: a statement run on the way (`x = A[1]`), a look at the state
        /// (at a goal), or input a choice cannot read. Not counted.
        case notAnAttempt
    }

    public var verdict: Verdict
    /// What to tell the student: the feedback, or the error with its caret.
    public var message: String?
    /// Whether the attempt raised an error (it counts as an attempt, never as a crash).
    public var isError = false
    /// What running the input printed and showed (statements, a goal's changes).
    public var output: CellResult?

    /// Whether it counts as an attempt in the student's progress.
    public var counts: Bool { verdict == .right || verdict == .wrong }
}

/// Checking answers against the lesson's state: the session evaluates the student's input,
/// the exercise's answer and its goal in the lesson's variables, as `expect` does.
extension LessonSession {
    public var exercises: [Exercise] { document.exercises }

    /// The student arrived at exercise `index` going forward: what the variables are now is
    /// what stepping back over it returns to.
    public func reach(exercise index: Int) {
        if exerciseSnapshots[index] == nil { exerciseSnapshots[index] = environment.snapshot() }
    }

    /// Stepping back over exercise `index`: what was changed at it is undone.
    public func restore(beforeExercise index: Int) {
        guard let snapshot = exerciseSnapshots[index] else { return }
        environment.restore(snapshot)
        exerciseSnapshots = exerciseSnapshots.filter { $0.key < index }
        predictions[index] = nil
    }

    /// Checks what the student typed at exercise `index`.
    public func attempt(_ input: String, at index: Int) -> ExerciseAttempt {
        let e = exercises[index]
        switch e.kind {
        case .choice:
            guard let chosen = e.choiceIndex(of: input) else {
                return ExerciseAttempt(verdict: .notAnAttempt, message: "type one of the letters a to \(Exercise.letter(e.choices.count - 1))")
            }
            let verdict = judgeChoice(chosen, e)
            return ExerciseAttempt(verdict: verdict == .right ? .right : .wrong, message: verdict.words)
        case .goal:
            let output = evaluate(input, name: "<your change>")
            let looking = isSingleExpression(input)
            if let error = output.error {
                var shown = output
                shown.outcome = .ran  // the error is the message, shown once
                return ExerciseAttempt(verdict: .wrong, message: error, isError: true, output: shown)
            }
            let state = goalState(e)
            if state.holds { return ExerciseAttempt(verdict: .right, output: output) }
            if looking { return ExerciseAttempt(verdict: .notAnAttempt, output: output) }
            let declared = e.wrongs.first { Self.sameCode($0.answer.text, input) }?.message
            return ExerciseAttempt(verdict: .wrong, message: declared ?? "not yet: " + state.words, output: output)
        case .value, .code, .predict:
            if !isSingleExpression(input), case .complete = parse(input) {
                // `x = A[1]` on the way to an answer: run it, count nothing.
                return ExerciseAttempt(verdict: .notAnAttempt, output: evaluate(input, name: "<input>"))
            }
            let given: Value
            switch answerValue(input, name: "<your answer>") {
            case .success(let value): given = value
            case .failure(let error): return ExerciseAttempt(verdict: .wrong, message: error.rendered, isError: true)
            }
            if e.kind == .predict {
                predictions[index] = given
                return ExerciseAttempt(verdict: .noted, message: "noted: you predict \(Self.brief(given)) — the next cell shows whether you are right")
            }
            let verdict = judge(given, input: input, e)
            return ExerciseAttempt(verdict: verdict == .right ? .right : .wrong, message: verdict.words)
        }
    }

    /// The predictions made for cell `cell` (from 0), now that it has run: each compared
    /// with what the cell computed ("you said 0.25; it is 0.968").
    public func resolvePredictions(afterCell cell: Int) -> [(exercise: Int, attempt: ExerciseAttempt)] {
        let exercises = self.exercises
        return exercises.indices.filter { exercises[$0].kind == .predict && exercises[$0].cellsBefore == cell && predictions[$0] != nil }
            .map { index in
                let given = predictions.removeValue(forKey: index) ?? .none
                let e = exercises[index]
                guard case .success(let expected) = answerValue(e.answer?.text ?? "", name: document.path, field: e.answer) else {
                    return (index, ExerciseAttempt(verdict: .notAnAttempt, message: "the lesson's answer could not be computed here"))
                }
                let verdict = judge(given, input: nil, e, expected: expected)
                let said = "you said \(Self.brief(given)); it is \(Self.brief(expected))"
                switch verdict {
                case .right: return (index, ExerciseAttempt(verdict: .right, message: said))
                case .wrong(let why): return (index, ExerciseAttempt(verdict: .wrong, message: said + "\n" + why))
                }
            }
    }

    /// `:solution`: the solution shown — and run, so the lesson can go on from where a
    /// student who answered would be (a goal's code changes the state).
    public func showSolution(_ index: Int) -> ExerciseAttempt {
        let e = exercises[index]
        switch e.kind {
        case .choice:
            let i = e.choiceIndex(of: e.solution.text) ?? 0
            return ExerciseAttempt(verdict: .notAnAttempt, message: "\(Exercise.letter(i))) \(e.choices[i])")
        case .goal:
            let output = evaluate(e.solution.text, name: document.path)
            let reached = output.error == nil && goalState(e).holds
            return ExerciseAttempt(verdict: .notAnAttempt, message: reached ? nil : "(the solution did not reach the goal from here: the state differs from what the lesson expects — :back over the exercise and try again)",
                                   output: output)
        case .value, .code, .predict:
            let text = e.solution.text
            guard e.kind != .predict, !ExerciseParser.isBareWord(text) else { return ExerciseAttempt(verdict: .notAnAttempt, message: text) }
            switch answerValue(text, name: document.path, field: e.solution) {
            case .success(let value):
                let shown = Self.brief(value)
                return ExerciseAttempt(verdict: .notAnAttempt, message: shown == text ? text : "\(text)   (= \(shown))")
            case .failure(let error):
                return ExerciseAttempt(verdict: .notAnAttempt, message: text + "\n" + error.rendered)
            }
        }
    }

    /// Whether a goal exercise's goal holds now, and if not, what its comparison's left
    /// side is ("argmax(party.weights[1]) is 0; the goal is … == 2"). Checked on a copy of
    /// the variables: a goal that calls a model changes nothing.
    public func goalState(_ e: Exercise) -> (holds: Bool, words: String) {
        guard let goal = e.goal else { return (false, "") }
        return afterwardsRestored { goalState(goal) }
    }

    private func goalState(_ goal: Exercise.Field) -> (holds: Bool, words: String) {
        guard case .complete(let program) = Parser.parse(Source(name: document.path, text: goal.text, firstLine: goal.line)) else {
            return (false, "the goal does not parse")
        }
        switch interpreter.value(of: program) {
        case .success(let result):
            let holds = (try? result.value?.truthiness()) ?? false
            guard let c = result.comparison else { return (holds, "the goal does not hold yet") }
            // Tensors are told by how they differ, not by their shape twice.
            if c.leftValue.tensorValue.map({ $0.tensor.count > 16 }) == true || c.op == "≈",
               case .wrong(let how) = AnswerFeedback.compare(c.leftValue, c.rightValue, tolerance: 1e-4) {
                return (holds, "\(c.left) is not yet \(c.op) \(c.right): \(how.prefix(1).lowercased() + how.dropFirst())")
            }
            return (holds, "\(c.left) is \(Self.brief(c.leftValue)); the goal is \(c.left) \(c.op) \(c.right)")
        case .failure(let diagnostic):
            return (false, "the goal cannot be checked yet: " + diagnostic.message)
        }
    }

    // MARK: judging

    /// A value answer against the exercise's answer (evaluated now unless given), with the
    /// declared wrong answers' messages first, and a code answer also under each `vary`.
    func judge(_ given: Value, input: String?, _ e: Exercise, expected: Value? = nil) -> AnswerFeedback.Verdict {
        let answer: Value
        if let expected {
            answer = expected
        } else {
            switch answerValue(e.answer?.text ?? "", name: document.path, field: e.answer) {
            case .success(let value): answer = value
            case .failure(let error): return .wrong("the lesson's answer could not be computed here:\n" + error.rendered)
            }
        }
        let verdict = AnswerFeedback.compare(given, answer, tolerance: e.tolerance)
        if case .wrong(let why) = verdict {
            for wrong in e.wrongs {
                guard case .success(let value) = answerValue(wrong.answer.text, name: document.path, field: wrong.answer),
                      AnswerFeedback.compare(given, value, tolerance: e.tolerance) == .right else { continue }
                return .wrong(wrong.message ?? why)
            }
            return verdict
        }
        guard e.kind == .code, let input else { return verdict }
        for variation in e.variations {
            if case .wrong = varied(input, e, by: variation) {
                // A declared mistake that happens to agree on these numbers says its own message.
                if let declared = e.wrongs.first(where: { Self.sameCode($0.answer.text, input) }) {
                    return .wrong(declared.message ?? "not for other numbers: try it after `\(variation.text)`")
                }
                return .wrong("right for these numbers, but not after `\(variation.text)`: is a number typed in where the expression should compute it?")
            }
        }
        return verdict
    }

    /// The check redone after a `vary` statement, on a copy of the variables.
    func varied(_ input: String, _ e: Exercise, by variation: Exercise.Field) -> AnswerFeedback.Verdict {
        afterwardsRestored { variedHere(input, e, by: variation) }
    }

    private func variedHere(_ input: String, _ e: Exercise, by variation: Exercise.Field) -> AnswerFeedback.Verdict {
        guard interpreter.run(Source(name: document.path, text: variation.text, firstLine: variation.line)).diagnostic == nil,
              case .success(let given) = answerValue(input, name: "<your answer>"),
              case .success(let answer) = answerValue(e.answer?.text ?? "", name: document.path, field: e.answer)
        else { return .wrong("it cannot be computed after `\(variation.text)`") }
        return AnswerFeedback.compare(given, answer, tolerance: e.tolerance)
    }

    /// `body`'s result, with the variables (and what the cell has printed) put back as they
    /// were before it: a goal or a `vary` may call models and assign, the lesson must not see it.
    func afterwardsRestored<R>(_ body: () -> R) -> R {
        let snapshot = environment.snapshot()
        let saved = host.result
        defer {
            environment.restore(snapshot)
            host.result = saved
        }
        return body()
    }

    func judgeChoice(_ chosen: Int, _ e: Exercise) -> AnswerFeedback.Verdict {
        if chosen == e.choiceIndex(of: e.answer?.text ?? "") { return .right }
        let letter = Exercise.letter(chosen)
        let declared = e.wrongs.first { e.choiceIndex(of: $0.answer.text) == chosen }?.message
        return .wrong(declared ?? "not \(letter)")
    }

    /// The value an answer stands for: a bare word that names nothing is the word itself
    /// (`machine`), anything else is evaluated in the lesson's variables.
    func answerValue(_ text: String, name: String, field: Exercise.Field? = nil) -> Result<Value, AnswerError> {
        let t = text.trimmingWhitespace()
        if ExerciseParser.isBareWord(t), !t.hasPrefix("\""), !["true", "false", "none"].contains(t), !Self.namesData(environment.resolve(t)) {
            return .success(.string(t))
        }
        let source = field.map { Source(name: name, text: t, firstLine: $0.line) } ?? Source(name: name, text: t)
        let saved = host.result
        defer { host.result = saved }
        switch interpreter.evaluate(source) {
        case .success(let value): return .success(value)
        case .failure(let diagnostic):
            // The lesson's own field: located where it is in the file.
            let located = field.map { $0.relocated(diagnostic, fileLines: document.lines) } ?? diagnostic
            return .failure(AnswerError(rendered: located.render()))
        }
    }

    /// Whether a bare word names a value that can be an answer (a number, a word, a
    /// tensor, a list). `m` naming a model or a masking is, as an answer, the letter m.
    static func namesData(_ value: Value?) -> Bool {
        switch value {
        case nil, .function?, .builtin?: return false
        case .host(let host)?: return host is TensorValue
        default: return true
        }
    }

    func isSingleExpression(_ input: String) -> Bool {
        if case .complete(let program) = parse(input) { return program.isSingleExpression }
        return false
    }

    /// Two pieces of code the same but for spaces.
    static func sameCode(_ a: String, _ b: String) -> Bool {
        a.filter { !$0.isWhitespace } == b.filter { !$0.isWhitespace }
    }

    /// A value as a short phrase: a number as it reads, a tensor's numbers or shape.
    static func brief(_ value: Value) -> String {
        // Up to 16 numbers rounded as pictures round them, so "you said …; it is …" compares.
        if let t = value.tensorValue?.tensor, t.count > 1, t.count <= 16 {
            func nested(_ offset: Int, _ axis: Int) -> String {
                if axis == t.rank { return Self.rounded(Double(t.scalars[offset])) }
                let stride = t.shape[(axis + 1)...].reduce(1, *)
                return "[" + (0..<t.shape[axis]).map { nested(offset + $0 * stride, axis + 1) }.joined(separator: ", ") + "]"
            }
            return nested(0, 0)
        }
        if case .host(let host) = value {
            if let t = value.tensorValue?.tensor, t.count == 1 { return Self.rounded(Double(t.scalars[0])) }
            return host.briefDescription
        }
        if case .string(let s) = value { return s }
        if case .number(let n) = value { return Self.rounded(n) }
        return value.repr
    }

    /// A count as it is (24008), any other number to about four digits (0.4945).
    static func rounded(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? Value.format(n) : Value.formatRoughly(n)
    }
}

/// An answer that could not be evaluated: the error, rendered with its caret.
struct AnswerError: Error {
    let rendered: String
}

extension AnswerFeedback.Verdict {
    /// The feedback, or nil when right.
    var words: String? {
        if case .wrong(let why) = self { return why }
        return nil
    }
}
