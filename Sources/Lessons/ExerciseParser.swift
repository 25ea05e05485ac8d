import Language
import Render

/// Reads one ```exercise block into an `Exercise`, or says — at file:line:column, with a
/// caret under the spot — what is wrong with it and what to write instead. Code in its
/// fields (`answer`, `goal`, `solution`, `wrong`, `vary`) is parsed here, so a typo in
/// an exercise is a syntax error when the lesson loads, not when a student gets there.
struct ExerciseParser {
    let path: String
    /// The whole file's lines, to quote.
    let fileLines: [String]

    /// The fields an exercise may have, for "did you mean".
    static let fields = ["ask", "answer", "goal", "within", "hint", "solution", "why", "wrong", "choice", "vary", "id"]

    /// `info` is the fence line's text after the backticks ("exercise value"); `lines` the
    /// block's lines with their file line numbers; `fenceLine` the opening fence's line.
    func parse(info: String, fenceLine: Int, lines: [(text: String, line: Int)], cellsBefore: Int) -> Result<Exercise, Problems> {
        var problems = Problems()
        let words = info.split(separator: " ")
        let fenceText = fileLines[safe: fenceLine - 1] ?? ""
        let kindColumn = (fenceText.range(of: "exercise").map { fenceText.distance(from: fenceText.startIndex, to: $0.upperBound) } ?? 0) + 2
        let kinds = Exercise.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard words.count >= 2, let kind = Exercise.Kind(rawValue: String(words[1])) else {
            let found = words.count >= 2 ? "'\(words[1])' is not a kind of exercise" : "an exercise needs its kind after the word exercise"
            problems.add(at: fenceLine, column: words.count >= 2 ? kindColumn : max(kindColumn - 1, 1), length: words.count >= 2 ? words[1].count : 1,
                         "\(found); write ```exercise KIND, where KIND is one of \(kinds)", lines: fileLines, path: path)
            return .failure(problems)
        }

        // Fields: `name: text`; a line indented more than the block continues the field above.
        var fields: [(name: String, value: Exercise.Field)] = []
        for (text, line) in lines {
            if text.allSatisfy(\.isWhitespace) { continue }
            if text.first == " " || text.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value.text += "\n" + text.trimmingWhitespace()
                continue
            }
            let indent = text.prefix(while: { $0 == " " }).count
            guard let colon = text.firstIndex(of: ":") else {
                problems.add(at: line, column: indent + 1, length: text.count - indent,
                             "an exercise line is `field: text`; fields are \(ExerciseParser.fields.joined(separator: ", "))", lines: fileLines, path: path)
                continue
            }
            let name = text[..<colon].trimmingWhitespace()
            guard ExerciseParser.fields.contains(name) else {
                let suggestion = Suggestion.phrase(for: name, among: ExerciseParser.fields)
                problems.add(at: line, column: indent + 1, length: max(name.count, 1),
                             "'\(name)' is not a field of an exercise\(suggestion) (fields: \(ExerciseParser.fields.joined(separator: ", ")))",
                             lines: fileLines, path: path)
                continue
            }
            let rest = text[text.index(after: colon)...]
            let spaces = rest.prefix(while: { $0 == " " }).count
            let column = text.distance(from: text.startIndex, to: colon) + 2 + spaces
            fields.append((name, Exercise.Field(text: rest.trimmingWhitespace(), line: line, column: column)))
        }
        func all(_ name: String) -> [Exercise.Field] { fields.filter { $0.name == name }.map(\.value) }
        func one(_ name: String) -> Exercise.Field? {
            let found = all(name)
            for extra in found.dropFirst() {
                problems.add(at: extra.line, column: max(extra.column - name.count - 2, 1), length: name.count,
                             "an exercise has one '\(name)'; this is a second", lines: fileLines, path: path)
            }
            return found.first
        }
        /// Repeated code lines (`solution:` on two lines) make one program, line by line.
        func code(_ name: String) -> Exercise.Field? {
            let found = all(name)
            guard var first = found.first else { return nil }
            first.text = found.map(\.text).joined(separator: "\n")
            return first
        }
        let missingAt = (line: fenceLine, column: 1, length: 3 + info.count)
        func require(_ field: Exercise.Field?, _ name: String, _ why: String) {
            if field == nil {
                problems.add(at: missingAt.line, column: missingAt.column, length: missingAt.length,
                             "this \(kind.rawValue) exercise has no '\(name):' line — \(why)", lines: fileLines, path: path)
            }
        }

        let ask = all("ask")
        require(ask.first, "ask", "the question the student reads")
        let answer = kind == .goal ? nil : one("answer")
        let goal = kind == .goal ? code("goal") : nil
        switch kind {
        case .goal:
            require(goal, "goal", "the condition on the lesson's state that must hold, e.g. goal: argmax(party.weights[1]) == 2")
            if let wrongAnswer = all("answer").first {
                problems.add(at: wrongAnswer.line, column: max(wrongAnswer.column - 8, 1), length: 6,
                             "a goal exercise checks 'goal:', not 'answer:'", lines: fileLines, path: path)
            }
        case .choice:
            require(answer, "answer", "the letter of the right choice, e.g. answer: b")
        default:
            require(answer, "answer", "an expression whose value is the right answer, evaluated in the lesson (e.g. answer: party.weights[1, 2])")
        }
        let solution = kind == .goal || kind == .code ? code("solution") : one("solution")
        let choices = all("choice").map(\.text)
        let answerText = answer.map { Exercise.Field(text: $0.text, line: $0.line, column: $0.column) }
        var solutionField = solution
        if kind == .choice, solutionField == nil, let answerText { solutionField = answerText }
        require(solutionField, "solution", kind == .goal ? "code that reaches the goal, run by :solution and by huddle test"
                : "what :solution shows (and runs), e.g. solution: 0.25")

        var tolerance = Exercise.defaultTolerance
        if let within = one("within") {
            if let t = Double(within.text), t >= 0, t.isFinite {
                tolerance = t
            } else {
                problems.add(at: within.line, column: within.column, length: max(within.text.count, 1),
                             "'within' takes a number ≥ 0, like within: 0.01", lines: fileLines, path: path)
            }
        }
        let wrongs: [Exercise.Wrong] = all("wrong").map { field in
            guard let arrow = field.text.range(of: " -> ") ?? field.text.range(of: " → ") else { return Exercise.Wrong(answer: field, message: nil) }
            var answer = field
            answer.text = String(field.text[..<arrow.lowerBound]).trimmingWhitespace()
            return Exercise.Wrong(answer: answer, message: String(field.text[arrow.upperBound...]).trimmingWhitespace())
        }

        // What makes the exercise able to fail, and the fields of one kind only.
        if kind == .choice {
            if choices.count < 2 {
                problems.add(at: missingAt.line, column: 1, length: missingAt.length,
                             "a choice exercise needs at least two 'choice:' lines, one per option", lines: fileLines, path: path)
            }
            if let answer, Exercise.choiceIndex(of: answer.text, in: choices) == nil, choices.count >= 2 {
                problems.add(at: answer.line, column: answer.column, length: max(answer.text.count, 1),
                             "the answer must be one of the choices' letters, a to \(Exercise.letter(choices.count - 1))", lines: fileLines, path: path)
            }
        } else {
            for field in all("choice") {
                problems.add(at: field.line, column: max(field.column - 8, 1), length: 6,
                             "only a choice exercise has 'choice:' lines", lines: fileLines, path: path)
            }
            if wrongs.isEmpty {
                problems.add(at: missingAt.line, column: 1, length: missingAt.length,
                             "this exercise has no 'wrong:' line: give at least one wrong answer it must refuse, so a test can prove the check can fail",
                             lines: fileLines, path: path)
            }
        }
        if kind != .code {
            for field in all("vary") {
                problems.add(at: field.line, column: max(field.column - 6, 1), length: 4,
                             "only a code exercise has 'vary:' lines (they change the numbers the student's expression is checked on)", lines: fileLines, path: path)
            }
        }

        // Every piece of code must parse, with messages pointing into the lesson file.
        let choiceKind = kind == .choice
        var codeFields: [Exercise.Field] = []
        if !choiceKind { codeFields += [answer, goal, solutionField].compactMap { $0 } }
        if !choiceKind { codeFields += wrongs.map(\.answer).filter { !ExerciseParser.isBareWord($0.text) } }
        codeFields += all("vary")
        for field in codeFields where !(kind == .value || kind == .predict) || !ExerciseParser.isBareWord(field.text) {
            problems.checkSyntax(field, path: path, lines: fileLines)
        }

        guard problems.isEmpty, let solutionField else { return .failure(problems) }
        let question = ask.map(\.text).joined(separator: "\n")
        let key = one("id")?.text ?? stableHash(question)
        return .success(Exercise(kind: kind, question: question, answer: answer, goal: goal, tolerance: tolerance,
                                 hints: all("hint").map(\.text), solution: solutionField, why: one("why")?.text, wrongs: wrongs,
                                 choices: choices, variations: all("vary"), key: key, line: fenceLine, cellsBefore: cellsBefore))
    }

    /// A word standing for itself (`machine`, `"machine"`): an answer that is a token.
    static func isBareWord(_ text: String) -> Bool {
        let t = text.trimmingWhitespace()
        if t.count >= 2, t.first == "\"", t.last == "\"" { return true }
        return !t.isEmpty && t.allSatisfy { $0.isLetter || $0 == "_" || $0 == "'" || $0 == "-" } && t.first?.isLetter == true
    }

    /// Problems found in one block, each rendered compiler-style.
    struct Problems: Error {
        var messages: [String] = []
        var isEmpty: Bool { messages.isEmpty }

        mutating func add(at line: Int, column: Int, length: Int, _ message: String, lines: [String], path: String) {
            messages.append(LocatedProblem.render(message, path: path, line: line, column: column, length: length, lineText: lines[safe: line - 1]))
        }

        /// Parses a field's code; a syntax error is reported where it is in the file.
        mutating func checkSyntax(_ field: Exercise.Field, path: String, lines: [String]) {
            guard case .failure(let diagnostics) = Parser.parse(Source(name: path, text: field.text, firstLine: field.line)),
                  let first = diagnostics.first else { return }
            messages.append(field.relocated(first, fileLines: lines).render())
        }
    }
}

extension ExerciseParser.Problems {
    /// "opened at 28:4" in a message about code that starts at column 9 of line 28 says
    /// 28:12: the columns of a field's lines moved by where its code starts.
    static func shiftingColumns(in message: String, onLines lines: Range<Int>, by offset: Int) -> String {
        var out = ""
        var rest = Substring(message)
        while let colon = rest.firstIndex(of: ":") {
            let before = rest[..<colon]
            let digits = before.reversed().prefix(while: \.isNumber)
            let after = rest[rest.index(after: colon)...]
            let column = after.prefix(while: \.isNumber)
            if let line = Int(String(digits.reversed())), lines.contains(line), let c = Int(column) {
                out += before + ":" + String(c + offset)
                rest = after.dropFirst(column.count)
            } else {
                out += before + ":"
                rest = after
            }
        }
        return out + rest
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}

extension Exercise.Field {
    /// A diagnostic about this field's code, run as a source starting at the field's line,
    /// moved to where the code is in the file: its columns by where the code starts after
    /// `name: `, its quoted lines the file's. A solution that failed was reported at 1:1.
    func relocated(_ diagnostic: Diagnostic, fileLines lines: [String]) -> Diagnostic {
        var first = diagnostic
        let field = self
        // The field's code starts after `name: ` on its line: move the caret there.
        first.location = SourceLocation(line: first.location.line, column: first.location.column + field.column - 1)
        first.end = first.end.map { SourceLocation(line: $0.line, column: $0.column + field.column - 1) }
        first.lineText = lines[safe: first.location.line - 1]
        first.message = ExerciseParser.Problems.shiftingColumns(in: first.message, onLines: field.line..<(field.line + field.text.split(separator: "\n").count),
                                                                by: field.column - 1)
        first.notes = first.notes.map { note in
            var moved = note
            if let at = note.location {
                moved.location = SourceLocation(line: at.line, column: at.column + field.column - 1)
                moved.lineText = lines[safe: at.line - 1]
            }
            return moved
        }
        return first
    }
}
