import Lessons
import Render
import Trace

/// What the REPL shows where the student types: the prompt, the continuation prompt,
/// and Tab's completions.
extension REPL {
    /// `huddle 09·7/24> ` — the lesson's number and where you are. Colour escapes are
    /// wrapped in \u{1}…\u{2} so libedit does not count them as columns.
    func prompt() -> String {
        guard configuration.interactive else { return "" }
        let step = "\(debugger.position + 1)/\(debugger.timeline.count)"
        // At an exercise that waits, what is typed is an answer.
        let text = "huddle \(lessonNumber)·\(step)\(openExercise == nil ? "" : " answer")> "
        guard options.usesColor else { return text }
        let open = Theme.heading.opening(options.color)
        return "\u{1}" + open + "\u{2}" + text + "\u{1}\u{1B}[0m\u{2}"
    }

    func continuationPrompt() -> String {
        configuration.interactive ? String(repeating: " ", count: max(0, 7 + lessonNumber.count)) + "…> " : ""
    }

    var lessonNumber: String {
        let name = lessonPath.split(separator: "/").last.map(String.init) ?? lessonPath
        let digits = name.prefix(while: \.isNumber)
        return digits.isEmpty ? String(name.prefix(8)) : String(digits)
    }

    func completions(line: String, word: String) -> [String] {
        if line.hasPrefix(":") && !line.contains(" ") {
            return Commands.all.flatMap(\.names).map { ":" + $0 }.filter { $0.hasPrefix(word) }
        }
        if line.hasPrefix(":load ") {
            return LessonCatalog.lessons(in: configuration.lessonsFolder).map(\.path).filter { $0.hasPrefix(word) }
        }
        if line.hasPrefix(":break ") && !line.contains(" when ") {
            return (EventKind.allCases.map(\.rawValue) + ["when"]).filter { $0.hasPrefix(word) }
        }
        let code = line.hasPrefix(":") ? String(line.drop(while: { $0 != " " }).dropFirst()) : line
        return session.completions(line: code, word: word, at: debugger.currentEvent)
    }
}
