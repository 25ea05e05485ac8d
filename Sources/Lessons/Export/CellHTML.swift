import Render

/// A cell on the handout page: its code with the file's line numbers (comments set
/// apart), and what it printed and showed, in the terminal's own colours on a dark
/// block as the student sees them in `huddle`, with its checks marked passed or failed.
enum CellHTML {
    /// `<pre class="code">` with a gutter of file line numbers.
    static func code(_ code: String, firstLine: Int) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
            "<span class=\"ln\">\(firstLine + i)</span>" + highlighted(String(line))
        }
        return "<pre class=\"code\">" + lines.joined(separator: "\n") + "</pre>\n"
    }

    /// A line of code with its `# comment` and its "strings" marked.
    static func highlighted(_ line: String) -> String {
        var out = "", string: Character?
        var current = ""
        for (offset, ch) in line.enumerated() {
            if let quote = string {
                current.append(ch)
                if ch == quote {
                    out += "<span class=\"str\">" + XML.escape(current) + "</span>"
                    current = ""
                    string = nil
                }
            } else if ch == "\"" || ch == "'" {
                out += XML.escape(current)
                current = String(ch)
                string = ch
            } else if ch == "#" {
                out += XML.escape(current) + "<span class=\"comment\">" + XML.escape(String(line.dropFirst(offset))) + "</span>"
                return out
            } else {
                current.append(ch)
            }
        }
        return out + XML.escape(current)
    }

    /// What the cell made, in order: printed text and shown values (merged into one
    /// terminal block until a check comes between), then the checks.
    static func outputs(_ result: CellResult) -> String {
        var html = "", block: [String] = [], checks: [String] = []
        func flushBlock() {
            guard !block.isEmpty else { return }
            var text = block.joined()
            while text.hasSuffix("\n") { text.removeLast() }
            html += "<pre class=\"printed\">" + text + "</pre>\n"
            block = []
        }
        func flushChecks() {
            guard !checks.isEmpty else { return }
            html += "<ul class=\"checks\">" + checks.joined() + "</ul>\n"
            checks = []
        }
        for output in result.outputs {
            switch output {
            case .text(let text):
                flushChecks()
                block.append(XML.escape(text.hasSuffix("\n") ? text : text + "\n"))
            case .picture(let picture):
                flushChecks()
                block.append(terminal(picture) + "\n")
            case .check(let n) where n < result.checks.count:
                flushBlock()
                checks.append(check(result.checks[n]))
            case .check:
                break
            }
        }
        flushBlock()
        flushChecks()
        return html
    }

    /// `✓ expect …` or `✗ expect … — what was found`.
    static func check(_ check: CheckOutcome) -> String {
        let mark = check.passed ? "<span class=\"mark\">✓</span>" : "<span class=\"mark\">✗</span>"
        let message = check.passed ? "" : " <span class=\"why\">— " + XML.escape(check.message) + "</span>"
        return "<li class=\"\(check.passed ? "pass" : "fail")\">" + mark + " <code>expect " + XML.escape(check.source) + "</code>" + message + "</li>"
    }

    /// A terminal picture with its colours as inline styles.
    static func terminal(_ block: TextBlock) -> String {
        block.lines.map { line in
            line.runs.map { run in
                let css = style(run.style)
                return css.isEmpty ? cells(run.text) : "<span style=\"\(css)\">" + cells(run.text) + "</span>"
            }.joined()
        }.joined(separator: "\n")
    }

    /// Escaped text in which each braille dot pattern (the terminal's plots) takes exactly
    /// one column: few monospace fonts have them, and a fallback font's wider ones would
    /// push a plot's right edge out of line.
    static func cells(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBraille) else { return XML.escape(text) }
        return text.map { ch in
            ch.unicodeScalars.first.map(isBraille) == true ? "<i class=\"cell\">\(ch)</i>" : XML.escape(String(ch))
        }.joined()
    }

    static func isBraille(_ scalar: Unicode.Scalar) -> Bool {
        (0x2800...0x28FF).contains(scalar.value)
    }

    static func style(_ s: Style) -> String {
        var css: [String] = []
        if let c = s.foreground { css.append("color:" + SVGColors.hex(c)) }
        if let c = s.background { css.append("background:" + SVGColors.hex(c)) }
        if s.bold { css.append("font-weight:bold") }
        if s.italic { css.append("font-style:italic") }
        if s.underline { css.append("text-decoration:underline") }
        if s.dim { css.append("opacity:.65") }
        return css.joined(separator: ";")
    }
}
