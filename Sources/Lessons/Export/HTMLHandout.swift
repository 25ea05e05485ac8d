import Render
import Trace

/// A handout as one self-contained HTML page: the prose, each cell's numbered code, what
/// it printed and its checks, every traced step as an inline SVG figure, and the
/// exercises with their hints and solutions folded away. Nothing is fetched — no
/// scripts, styles, fonts or images from anywhere — so the file can be mailed, put on a
/// course page or opened offline and looks the same.
public enum HTMLHandout {
    public static func page(_ handout: Handout) -> String {
        let figures = handout.figures.count
        let steps = handout.events.count
        let file = handout.baseName + ".md"
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="huddle export">
            <title>\(XML.escape(handout.title)) — Huddle handout</title>
            <style>
            \(HandoutPage.css)
            </style>
            </head>
            <body>
            <header class="handout"><p>Huddle handout · <span class="mono">\(XML.escape(file))</span> · \(steps) traced step\(steps == 1 ? "" : "s") in \(figures) figure\(figures == 1 ? "" : "s")\(status(handout.exit))</p></header>
            <main>

            """
        var cellNumber = 0
        for section in handout.sections {
            switch section {
            case .prose(let text):
                html += ProseHTML.html(text)
            case .problem(let message):
                html += "<pre class=\"error\">" + XML.escape(message) + "</pre>\n"
            case .exercise(let e, let number, let total):
                html += exercise(e, number: number, of: total)
            case .cell(let cell):
                cellNumber += 1
                html += self.cell(cell, number: cellNumber)
            }
        }
        html += "</main>\n<script>\n" + HandoutPage.script + "\n</script>\n</body>\n</html>\n"
        return visibleText(html)  // a lesson's control characters shown, as in the terminal
    }

    /// How the run ended, when not well.
    static func status(_ exit: LessonTester.ExitCode) -> String {
        switch exit {
        case .success: ""
        case .checkFailed: " · <strong class=\"fail\">a check failed</strong>"
        case .syntaxError: " · <strong class=\"fail\">the lesson has a syntax error</strong>"
        default: " · <strong class=\"fail\">the lesson stopped with an error</strong>"
        }
    }

    static func cell(_ cell: Handout.Cell, number: Int) -> String {
        var html = "<section class=\"cell\" id=\"cell-\(number)\">\n"
        html += "<div class=\"cell-label\">cell \(number) · line \(cell.line)</div>\n"
        html += CellHTML.code(cell.code, firstLine: cell.line)
        html += CellHTML.outputs(cell.result)
        for figure in cell.figures {
            let steps = figure.steps
            html += "<figure class=\"step\" id=\"step-\(steps.lowerBound + 1)\" data-kind=\"\(figure.events[0].kind.rawValue)\" data-steps=\"\(steps.count)\">"
                + figure.svg() + "</figure>\n"
        }
        if let note = cell.leftOutNote { html += "<p class=\"note\">(" + XML.escape(note) + ")</p>\n" }
        if let error = cell.result.error {
            html += "<pre class=\"error\">" + XML.escape(error) + "</pre>\n"
        }
        return html + "</section>\n"
    }

    /// As the transcript's handout prints it — question, choices, hints, solution and
    /// why — with each hint and the solution folded, so a reader can try first.
    static func exercise(_ e: Exercise, number: Int, of total: Int) -> String {
        var html = "<section class=\"exercise\" id=\"exercise-\(number)\">\n"
        html += "<h3>Exercise \(number) of \(total) · \(e.kind.rawValue)</h3>\n"
        html += ProseHTML.html(e.question)
        if !e.choices.isEmpty {
            html += "<ol class=\"choices\">" + e.choices.map { "<li>" + ProseHTML.inline($0) + "</li>" }.joined() + "</ol>\n"
        }
        for (i, hint) in e.hints.enumerated() {
            html += "<details class=\"hint\"><summary>Hint \(i + 1)</summary>\n" + ProseHTML.html(hint) + "</details>\n"
        }
        html += "<details class=\"solution\"><summary>" + (e.kind == .goal ? "Solution (code that reaches the goal)" : "Solution") + "</summary>\n"
        if e.kind == .choice, let i = e.choiceIndex(of: e.solution.text) {
            html += "<p><strong>\(Exercise.letter(i)))</strong> " + ProseHTML.inline(e.choices[i]) + "</p>\n"
        } else {
            html += "<pre><code>" + XML.escape(e.solution.text) + "</code></pre>\n"
        }
        if let why = e.why { html += ProseHTML.html(why) }
        return html + "</details>\n</section>\n"
    }
}
