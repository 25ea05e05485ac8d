import Debugger
import Lessons
import Render

/// The exercise loop at the prompt: the question, the student's attempts (each checked,
/// with feedback that helps without telling), `:hint` one at a time, `:solution` (or
/// `:skip`) unless the lesson or the run locks them, and the record of it all.
extension REPL {
    /// The exercise the student is at, if it still waits for an answer.
    var openExercise: Int? {
        guard let index = debugger.currentExercise, !(runner.records[index]?.done ?? false) else { return nil }
        return index
    }

    var locksSolutions: Bool { configuration.locksSolutions || session.document.locksSolutions }

    /// Checks an answer typed at an exercise; a right one moves the lesson on.
    func answer(_ code: String, exercise index: Int) {
        let attempt = session.attempt(code, at: index)
        var record = runner.records[index] ?? ExerciseRecord()
        if attempt.counts { record.attempts += 1 }
        if let output = attempt.output {
            let text = Transcript(options: options, wrapsPrintedText: configuration.interactive).body(of: output, focus: focus).trimmingTrailingNewlines()
            if !text.isEmpty { write(text + "\n") }
        }
        let e = session.exercises[index]
        switch attempt.verdict {
        case .right:
            record.solved = true
            remember(record, for: index)
            let counted = record.attempts > 1 ? " (\(e.kind == .goal ? "change" : "attempt") \(record.attempts))" : ""
            write(Line((e.kind == .goal ? "✓ goal reached" : "✓ right") + counted, Theme.success).rendered(options.color) + "\n")
            if let why = e.why { write(marked(Line(), why)) }
            move(.step)
        case .wrong:
            remember(record, for: index)
            complaints += 1
            let message = attempt.message ?? "not yet"
            if attempt.isError {
                write(Line(message.wrappingLongLines(width: options.width), Theme.error).rendered(options.color) + "\n")
            } else if e.kind == .goal {
                // A change on the way to a goal is not a mistake: no cross, just where it stands.
                write(marked(Line("→ ", Theme.accent), message))
            } else {
                write(marked(Line("✗ ", Theme.error), message))
            }
            let counted = e.kind == .goal ? "change \(record.attempts)" : "attempt \(record.attempts)"
            say(counted + (attempt.isError ? " (an error counts too)" : "") + " — " + nextHelp(e, record))
        case .noted:
            record.predicted = true
            remember(record, for: index)
            say(attempt.message ?? "noted")
            move(.step)
        case .notAnAttempt:
            if let message = attempt.message { say(message) }
        }
    }

    /// What the student can do next at an exercise: hints left, the solution (unless locked).
    func nextHelp(_ e: Exercise, _ record: ExerciseRecord) -> String {
        let left = e.hints.count - record.hintsUsed
        // A prediction is one try: its hints help only before it is typed.
        let before = e.kind == .predict ? " before you predict" : ""
        let hint = left > 0 ? ":hint for a hint\(before) (\(left) left)" : e.hints.isEmpty ? "no hints for this one" : "no hints left"
        return locksSolutions ? hint + "; this lesson asks you to answer before going on" : hint + ", :solution (or :skip) to see the answer"
    }

    func remember(_ record: ExerciseRecord, for index: Int) {
        runner.records[index] = record
        if let store = exerciseStore, let failure = store.update(lesson: lessonPath, key: session.exercises[index].key, record: record) {
            couldNotSave(store.path, failure)
        }
    }

    func hint() {
        guard let index = debugger.currentExercise else {
            return complain("no exercise here: :hint helps at an exercise (the lesson pauses at each)")
        }
        let e = session.exercises[index]
        var record = runner.records[index] ?? ExerciseRecord()
        guard !e.hints.isEmpty else { return say("this exercise has no hints" + (locksSolutions ? "" : "; :solution shows the answer")) }
        if record.hintsUsed >= e.hints.count {
            for (i, h) in e.hints.enumerated() { sayHint(i, of: e.hints.count, h) }
            return say(locksSolutions ? "that is every hint" : "that is every hint: :solution shows the answer")
        }
        sayHint(record.hintsUsed, of: e.hints.count, e.hints[record.hintsUsed])
        record.hintsUsed += 1
        remember(record, for: index)
    }

    private func sayHint(_ i: Int, of total: Int, _ text: String) {
        let head = Line("hint \(i + 1) of \(total): ", Theme.label)
        let body = Prose(text).block(RenderOptions(color: options.color, width: max(options.width - head.width, 20)))
        for (n, line) in body.lines.enumerated() {
            write((n == 0 ? head : Line(String(repeating: " ", count: head.width))).rendered(options.color) + line.rendered(options.color) + "\n")
        }
    }

    /// `:solution`, and `:skip` at an exercise: the answer shown and run; recorded.
    func solution() {
        guard let index = debugger.currentExercise else {
            return complain("no exercise here: :solution shows an exercise's answer (the lesson pauses at each)")
        }
        guard !locksSolutions else {
            return complain("this lesson asks you to answer its exercises yourself: :solution and :skip are turned off here (:hint still helps)")
        }
        let e = session.exercises[index]
        let shown = session.showSolution(index)
        // The solution first, then what running it printed (a goal's code).
        let text = e.kind == .goal ? e.solution.text.split(separator: "\n").joined(separator: "; ") : (shown.message ?? e.solution.text)
        let lines = text.wordWrapped(width: max(options.width - 10, 20), indent: 0)
        for (i, line) in lines.enumerated() {
            write(Line(i == 0 ? "solution: " : String(repeating: " ", count: 10), Theme.label).rendered(options.color) + Line(line, Theme.formula).rendered(options.color) + "\n")
        }
        if let output = shown.output {
            let printed = Transcript(options: options, wrapsPrintedText: configuration.interactive).body(of: output, focus: focus).trimmingTrailingNewlines()
            if !printed.isEmpty { write(printed + "\n") }
        }
        if e.kind == .goal, let note = shown.message { say(note) }
        if let why = e.why { write(marked(Line(), why)) }
        var record = runner.records[index] ?? ExerciseRecord()
        if !record.solved {
            record.solutionShown = true
            remember(record, for: index)
        }
        say(e.kind == .predict ? "Enter runs the cell" : "Enter to go on")
    }

    /// A goal the student reached before it was asked (by changes typed earlier) is
    /// solved as it is reached, not by whatever they type next.
    func noteGoalAlreadyReached(_ index: Int) {
        let e = session.exercises[index]
        guard e.kind == .goal, openExercise == index, session.goalState(e).holds else { return }
        var record = runner.records[index] ?? ExerciseRecord()
        record.solved = true
        remember(record, for: index)
    }

    /// The exercise as the student meets it (or meets it again).
    func renderExercise(_ index: Int) -> String {
        let e = session.exercises[index]
        var block = TextBlock([ExerciseText.header(e, number: index + 1, of: session.exercises.count, options: options)])
        block.append(ExerciseText.question(e, options: options))
        let record = runner.records[index] ?? ExerciseRecord()
        let status: String
        if record.solved, record.attempts == 0, e.kind == .goal {
            status = "✓ the goal already holds: what you changed before reached it — Enter to go on"
        } else if record.solved {
            status = "✓ solved" + (record.attempts > 1 ? " in \(record.attempts) attempts" : "") + " — Enter to go on"
        } else if record.solutionShown {
            status = "solution shown — Enter to go on"
        } else if record.predicted {
            status = "your prediction is taken — Enter runs the cell"
        } else {
            status = e.kind.prompt + " · " + nextHelp(e, record)
        }
        block.append(contentsOf: status, width: options.width, indent: 2, style: Theme.muted)
        return "\n" + block.rendered(options) + "\n"
    }

    /// Said when Enter is pressed at an exercise that waits: short, the question is above.
    func renderWaiting(_ index: Int) -> String {
        let e = session.exercises[index]
        let what = e.kind == .predict ? "prediction" : e.kind == .goal ? "change" : "answer"
        let ways = locksSolutions ? ":hint helps" : ":hint helps, :solution or :skip shows the answer"
        return Line("exercise \(index + 1) waits for your \(what) (\(ways))".wrappingLongLines(width: options.width), Theme.accent).rendered(options.color) + "\n"
    }

    /// Markdown (`*love*`, `code`) as the student reads it, wrapped, after `mark` on its
    /// first line and indented under it.
    func marked(_ mark: Line, _ markdown: String) -> String {
        let block = Prose(markdown).block(RenderOptions(color: options.color, width: max(options.width - mark.width, 20)))
        let pad = Line(String(repeating: " ", count: mark.width))
        return block.lines.enumerated().map { ((  $0.offset == 0 ? mark : pad) + $0.element).rendered(options.color) }.joined(separator: "\n") + "\n"
    }

    /// What the student said before the cell ran, beside what it computed.
    func resolvePredictions(afterCell cell: Int) -> String {
        var out = ""
        for (index, attempt) in session.resolvePredictions(afterCell: cell) {
            var record = runner.records[index] ?? ExerciseRecord()
            record.attempts = max(record.attempts, 1)
            let right = attempt.verdict == .right
            if right { record.solved = true }
            remember(record, for: index)
            let lines = (attempt.message ?? "").split(separator: "\n", maxSplits: 1).map(String.init)
            let mark = right ? Line("✓ ", Theme.success) : Line("✗ ", Theme.error)
            out += (mark + Line("exercise \(index + 1): " + (lines.first ?? ""), .plain)).rendered(options.color) + "\n"
            if lines.count > 1 { out += marked(Line("  "), lines[1]) }
            if let why = session.exercises[index].why { out += marked(Line(), why) }
        }
        return out
    }

    /// "exercises: 3 of 4 solved · 1 solution shown · 7 attempts · 2 hints".
    func exerciseSummary() -> String? {
        let count = session.exercises.count
        guard count > 0 else { return nil }
        let records = (0..<count).map { runner.records[$0] ?? ExerciseRecord() }
        var parts = ["exercises: \(records.filter(\.solved).count) of \(count) solved"]
        let shown = records.filter { $0.solutionShown && !$0.solved }.count
        if shown > 0 { parts.append("\(shown) solution\(shown == 1 ? "" : "s") shown") }
        let attempts = records.map(\.attempts).reduce(0, +), hints = records.map(\.hintsUsed).reduce(0, +)
        parts.append("\(attempts) attempt\(attempts == 1 ? "" : "s")")
        parts.append("\(hints) hint\(hints == 1 ? "" : "s")")
        return parts.joined(separator: " · ")
    }

    /// `:progress`: this lesson's exercises, one line each.
    func listExercises() {
        guard !session.exercises.isEmpty else { return say("this lesson has no exercises") }
        for (i, e) in session.exercises.enumerated() {
            let r = runner.records[i] ?? ExerciseRecord()
            let detail = "\(r.attempts) attempt\(r.attempts == 1 ? "" : "s"), \(r.hintsUsed) hint\(r.hintsUsed == 1 ? "" : "s")"
            let line = "\(String(i + 1).leftPadded(to: 2)). \(e.kind.rawValue.padded(to: 8)) \(r.status.padded(to: 21)) \(detail.padded(to: 22)) \(e.title)"
            write(Line(line).truncated(to: max(options.width, 40)).rendered(options.color) + "\n")
        }
        if let summary = exerciseSummary() { say(summary) }
    }

    var exerciseStore: ExerciseStore? {
        configuration.state.map { ExerciseStore(path: $0.exercises) }
    }

    /// Starting a lesson over (declining to resume, `:restart`) opens again the exercises
    /// the student did not solve — whose solution was shown, or whose prediction was
    /// wrong — so they can be answered this time; attempts and hints stay counted, and
    /// solved ones stay solved. (Declining kept them shown: the exercise said "solution
    /// shown — Enter to go on", and the answer typed ran as code.)
    func reopenUnsolvedExercises() {
        for (index, record) in runner.records where !record.solved && (record.solutionShown || record.predicted) {
            var reopened = record
            reopened.solutionShown = false
            reopened.predicted = false
            remember(reopened, for: index)
        }
    }

    /// The records of this lesson's exercises from the progress folder, by number.
    func loadExerciseRecords() {
        let saved = exerciseStore?.records(forLesson: lessonPath) ?? [:]
        runner.records = [:]
        for (i, e) in session.exercises.enumerated() { if let r = saved[e.key] { runner.records[i] = r } }
    }
}
