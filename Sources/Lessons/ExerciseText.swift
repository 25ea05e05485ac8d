import Render

/// How an exercise reads on the screen: the question as the REPL asks it, and the whole
/// exercise as a handout prints it (`huddle run`) — question, hints, solution, each
/// clearly apart, so a printed lesson can be worked on paper.
public enum ExerciseText {
    /// `── Exercise 2 of 4 · predict ──────`.
    public static func header(_ e: Exercise, number: Int, of total: Int, options: RenderOptions) -> Line {
        let title = "── Exercise \(number) of \(total) · \(e.kind.rawValue) "
        let rule = String(repeating: "─", count: max(3, min(options.width, 72) - displayWidth(title)))
        return Line(title + rule, Theme.heading)
    }

    /// The question, its choices, and what to type.
    public static func question(_ e: Exercise, options: RenderOptions) -> TextBlock {
        var block = Prose(e.question).block(options)
        for (i, choice) in e.choices.enumerated() { block.append(indented(choice, first: "  \(Exercise.letter(i))) ", options: options)) }
        return block
    }

    /// Markdown rendered (marks gone, wrapped) after `first`, later lines under its text.
    static func indented(_ markdown: String, first: String, options: RenderOptions) -> TextBlock {
        let width = displayWidth(first)
        let body = Prose(markdown).block(RenderOptions(color: options.color, width: max(options.width - width, 20)))
        return TextBlock(body.lines.enumerated().map { Line($0.offset == 0 ? first : String(repeating: " ", count: width)) + $0.element })
    }

    /// The whole exercise for a handout: question, numbered hints, solution and why.
    public static func handout(_ e: Exercise, number: Int, of total: Int, options: RenderOptions) -> TextBlock {
        var block = TextBlock([header(e, number: number, of: total, options: options)])
        block.append(question(e, options: options))
        if !e.hints.isEmpty {
            block.append("Hints", Theme.label)
            for (i, hint) in e.hints.enumerated() { block.append(indented(hint, first: "  \(i + 1). ", options: options)) }
        }
        block.append(e.kind == .goal ? "Solution (code that reaches the goal)" : "Solution", Theme.label)
        if e.kind == .choice, let i = e.choiceIndex(of: e.solution.text) {
            block.append(indented(e.choices[i], first: "  \(Exercise.letter(i))) ", options: options))
        } else {
            for line in e.solution.text.split(separator: "\n") { block.append("  " + line, Theme.formula) }
        }
        if let why = e.why { block.append(indented(why, first: "  ", options: options)) }
        block.append(Line(String(repeating: "─", count: max(3, min(options.width, 72))), Theme.heading))
        return block
    }
}

extension TextBlock {
    /// Text wrapped at spaces to `width`, continuing lines indented by `indent`.
    public mutating func append(contentsOf text: String, width: Int, indent: Int, style: Style = .plain) {
        for line in text.wordWrapped(width: max(width, 20), indent: indent) { append(Line(line, style)) }
    }
}
