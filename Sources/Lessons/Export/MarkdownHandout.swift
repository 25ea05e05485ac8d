import Render

/// A handout as Markdown, for a course site or a repository: the prose as the lesson
/// wrote it, code in fences, what each cell printed (and its checks) in plain fences as
/// `huddle run --color never` prints them, every figure as an `.svg` file in a folder
/// beside the page (linked relatively), and the exercises with hints and solution in
/// `<details>` blocks.
public enum MarkdownHandout {
    /// A file to write beside the page: its name inside the figures folder, and its text.
    public struct Figure {
        public let name: String
        public let svg: String
    }

    /// The page, and the figures to write into `folder` (a name relative to the page).
    public static func render(_ handout: Handout, figuresFolder folder: String, options: RenderOptions) -> (markdown: String, figures: [Figure]) {
        var md = "", figures: [Figure] = []
        let transcript = Transcript(options: options)
        for section in handout.sections {
            switch section {
            case .prose(let text):
                md += text.trimmingWhitespace() + "\n\n"
            case .problem(let message):
                md += fenced(message, language: "text") + "\n"
            case .exercise(let e, let number, let total):
                md += exercise(e, number: number, of: total)
            case .cell(let cell):
                md += fenced(cell.code, language: "huddle") + "\n"
                // What it printed and its checks, as `huddle run` shows them; the error
                // that stopped it (if any) goes in a fence of its own, after the figures.
                var ran = cell.result
                ran.outcome = .ran
                let text = transcript.body(of: ran, includeEvents: false).trimmingWhitespace()
                if !text.isEmpty { md += fenced(text, language: "text") + "\n" }
                for figure in cell.figures {
                    let name = fileName(figure)
                    figures.append(Figure(name: name, svg: visibleText(figure.svg(standalone: true))))
                    md += "![\(escapedAlt(figure.title))](\(link(folder + "/" + name)))\n\n"
                }
                if let note = cell.leftOutNote { md += "*(" + note + ")*\n\n" }
                if let error = cell.result.error { md += fenced(error, language: "text") + "\n" }
            }
        }
        // A lesson's control characters are shown, as in the terminal, not passed to
        // whoever cats the file.
        return (visibleText(md.trimmingWhitespace()) + "\n", figures)
    }

    /// `step-0008.svg` for step 8 as the figure's heading numbers it; a training run is
    /// named for its first and last steps.
    static func fileName(_ figure: SVGFigure) -> String {
        func four(_ n: Int) -> String { String(n).leftPadded(to: 4).replacingSpaces(with: "0") }
        let steps = figure.steps
        return steps.count == 1 ? "step-\(four(steps.lowerBound + 1)).svg" : "steps-\(four(steps.lowerBound + 1))-\(four(steps.upperBound + 1)).svg"
    }

    /// A fence longer than any run of backticks inside the text.
    static func fenced(_ text: String, language: String) -> String {
        var longest = 0, run = 0
        for ch in text {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + language + "\n" + text + "\n" + fence + "\n"
    }

    static func exercise(_ e: Exercise, number: Int, of total: Int) -> String {
        var md = "---\n\n**Exercise \(number) of \(total) · \(e.kind.rawValue)**\n\n" + e.question.trimmingWhitespace() + "\n\n"
        for (i, choice) in e.choices.enumerated() { md += "\(Exercise.letter(i))) \(choice)  \n" }
        if !e.choices.isEmpty { md += "\n" }
        for (i, hint) in e.hints.enumerated() {
            md += "<details><summary>Hint \(i + 1)</summary>\n\n" + hint.trimmingWhitespace() + "\n\n</details>\n\n"
        }
        md += "<details><summary>" + (e.kind == .goal ? "Solution (code that reaches the goal)" : "Solution") + "</summary>\n\n"
        if e.kind == .choice, let i = e.choiceIndex(of: e.solution.text) {
            md += "\(Exercise.letter(i))) \(e.choices[i])\n\n"
        } else {
            md += fenced(e.solution.text, language: "huddle") + "\n"
        }
        if let why = e.why { md += why.trimmingWhitespace() + "\n\n" }
        return md + "</details>\n\n---\n\n"
    }

    /// Alt text without the brackets that would end it.
    static func escapedAlt(_ text: String) -> String {
        text.reduce(into: "") { out, ch in
            if ch == "[" || ch == "]" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
    }

    /// A relative link with spaces and parentheses escaped.
    static func link(_ path: String) -> String {
        var out = ""
        for ch in path {
            switch ch {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            default: out.append(ch)
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingSpaces(with replacement: Character) -> String {
        String(map { $0 == " " ? replacement : $0 })
    }
}
