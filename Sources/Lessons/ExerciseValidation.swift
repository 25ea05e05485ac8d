import Language

/// What `huddle test` proves of every exercise, as nbgrader's validate does for a
/// notebook: its solution passes, and every declared wrong answer is refused — so no
/// exercise has a check that cannot fail. A goal must not hold before the student starts.
extension LessonSession {
    /// Validates exercise `index` where the lesson reaches it; a prediction is only taken
    /// down here and judged by `validatePredictions(afterCell:)`. Afterwards the state is
    /// as after `:solution`. Returns one located line per problem.
    func validate(exercise index: Int) -> [String] {
        let e = exercises[index]
        let at = "\(document.path):\(e.line)"
        var problems: [String] = []
        func located(_ field: Exercise.Field) -> String { "\(document.path):\(field.line):\(field.column)" }
        reach(exercise: index)
        switch e.kind {
        case .choice:
            let right = e.choiceIndex(of: e.answer?.text ?? "")
            for i in e.choices.indices where i != right && judgeChoice(i, e) == .right {
                problems.append("\(at): choice \(Exercise.letter(i)) is accepted as well as the answer")
            }
            for wrong in e.wrongs {
                guard let i = e.choiceIndex(of: wrong.answer.text) else {
                    problems.append("\(located(wrong.answer)): the wrong answer `\(wrong.answer.text)` is not one of the choices' letters")
                    continue
                }
                if i == right { problems.append("\(located(wrong.answer)): `\(wrong.answer.text)` is declared wrong but is the answer") }
            }
        case .goal:
            guard let snapshot = exerciseSnapshots[index] else { return ["\(at): the exercise's state was not kept"] }
            let start = goalState(e)
            if start.holds { problems.append("\(located(e.goal!)): the goal already holds before the student changes anything: it cannot fail") }
            for wrong in e.wrongs {
                environment.restore(snapshot)
                _ = evaluate(wrong.answer)
                if goalState(e).holds {
                    problems.append("\(located(wrong.answer)): the wrong change `\(wrong.answer.text)` reaches the goal: the check cannot refuse it")
                }
            }
            environment.restore(snapshot)
            let ran = evaluate(e.solution)
            if let error = ran.error {
                problems.append("\(located(e.solution)): the solution fails:\n" + error)
            } else if !goalState(e).holds {
                problems.append("\(located(e.solution)): after the solution the goal still does not hold: " + goalState(e).words)
            }
        case .value, .code:
            problems += judged(e.solution, e, expectRight: true)
            for wrong in e.wrongs { problems += judged(wrong.answer, e, expectRight: false) }
        case .predict:
            // Taken down now, in the state before the cell, as a student's would be.
            predictionChecks[index] = ([e.solution] + e.wrongs.map(\.answer)).map { field in
                (field, answerValue(field.text, name: document.path, field: field))
            }
        }
        return problems
    }

    /// The predictions `validate` took down for cell `cell`'s exercises, judged now that it ran.
    func validatePredictions(afterCell cell: Int) -> [String] {
        var problems: [String] = []
        for index in predictionChecks.keys.sorted() where exercises[index].cellsBefore == cell {
            let e = exercises[index]
            let checks = predictionChecks.removeValue(forKey: index) ?? []
            let computed = answerValue(e.answer?.text ?? "", name: document.path, field: e.answer)
            guard case .success(let expected) = computed else {
                if case .failure(let error) = computed {
                    problems.append("\(document.path):\(e.answer?.line ?? e.line): the answer cannot be computed after the cell:\n" + error.rendered)
                }
                continue
            }
            for (n, (field, value)) in checks.enumerated() {
                let place = "\(document.path):\(field.line):\(field.column)"
                guard case .success(let given) = value else {
                    if case .failure(let error) = value { problems.append("\(place): `\(field.text)` cannot be evaluated before the cell:\n" + error.rendered) }
                    continue
                }
                let right = judge(given, input: nil, e, expected: expected) == .right
                if n == 0, !right { problems.append("\(place): the solution `\(field.text)` is refused: it is \(LessonSession.brief(expected))") }
                if n > 0, right { problems.append("\(place): the wrong prediction `\(field.text)` is accepted: the check cannot refuse it") }
            }
        }
        return problems
    }

    /// A value or code answer judged as a student's would be.
    private func judged(_ field: Exercise.Field, _ e: Exercise, expectRight: Bool) -> [String] {
        let place = "\(document.path):\(field.line):\(field.column)"
        let evaluated = answerValue(field.text, name: document.path, field: field)
        guard case .success(let given) = evaluated else {
            if expectRight, case .failure(let error) = evaluated { return ["\(place): the solution `\(field.text)` cannot be evaluated here:\n" + error.rendered] }
            return []  // an answer that raises an error is refused
        }
        let right = judge(given, input: field.text, e) == .right
        if expectRight, !right {
            return ["\(place): the solution `\(field.text)` is refused: " + (judge(given, input: field.text, e).words ?? "")]
        }
        if !expectRight, right { return ["\(place): the wrong answer `\(field.text)` is accepted: the check cannot refuse it"] }
        return []
    }
}
