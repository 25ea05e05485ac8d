import Render

/// A lesson's Markdown prose as HTML, for the handout page: headings, paragraphs,
/// emphasis, inline code, lists (nested by indent), block quotes, fenced blocks, pipe
/// tables and rules. The same Markdown the terminal's `Prose` reads, with its rules for
/// emphasis (an `_` inside `h_m` or `A_{m→t}` is a subscript, not emphasis).
///
/// Everything is escaped: raw HTML in a lesson shows as the text it is, and a link keeps
/// its words but not its address, so the page never points anywhere.
public enum ProseHTML {
    public static func html(_ markdown: String) -> String {
        var out = Writer()
        out.render(markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        return out.html
    }

    /// Inline Markdown (one paragraph's text) as HTML.
    public static func inline(_ text: String) -> String {
        InlineHTML(text).html
    }

    /// An id for a heading: its words in lower case, joined by hyphens.
    static func slug(_ text: String) -> String {
        var slug = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber, ch.isASCII { slug.append(ch) } else if !slug.isEmpty, slug.last != "-" { slug.append("-") }
        }
        while slug.last == "-" { slug.removeLast() }
        return slug.isEmpty ? "section" : slug
    }

    struct Writer {
        var html = ""
        var paragraph: [String] = []
        var ids: Set<String> = []

        mutating func render(_ lines: [String]) {
            var i = 0
            while i < lines.count {
                let raw = lines[i]
                let line = raw.trimmingWhitespace()
                i += 1
                if line.hasPrefix("```") || line.hasPrefix("~~~") {
                    flush()
                    let marker = String(line.prefix(3))
                    var code: [String] = []
                    while i < lines.count, !lines[i].trimmingWhitespace().hasPrefix(marker) {
                        code.append(lines[i])
                        i += 1
                    }
                    i += 1
                    html += "<pre class=\"prose-code\"><code>" + XML.escape(code.joined(separator: "\n")) + "</code></pre>\n"
                    continue
                }
                if line.hasPrefix("<!--") {
                    // An instruction for Huddle (`<!-- huddle: no-skip -->`) or a note to authors.
                    flush()
                    var rest = line
                    while !rest.contains("-->"), i < lines.count {
                        rest = lines[i]
                        i += 1
                    }
                    continue
                }
                if line.isEmpty {
                    flush()
                    continue
                }
                if let level = headingLevel(line) {
                    flush()
                    let text = String(line.dropFirst(level)).trimmingWhitespace()
                    var id = ProseHTML.slug(text)
                    var n = 2
                    while ids.contains(id) { id = ProseHTML.slug(text) + "-\(n)"; n += 1 }
                    ids.insert(id)
                    html += "<h\(level) id=\"\(id)\">" + ProseHTML.inline(text) + "</h\(level)>\n"
                    continue
                }
                if isRule(line) {
                    flush()
                    html += "<hr>\n"
                    continue
                }
                if line.hasPrefix("|"), i < lines.count, isTableSeparator(lines[i]) {
                    flush()
                    var rows = [line]
                    let separator = lines[i]
                    i += 1
                    while i < lines.count, lines[i].trimmingWhitespace().hasPrefix("|") {
                        rows.append(lines[i].trimmingWhitespace())
                        i += 1
                    }
                    html += table(header: rows[0], separator: separator, rows: Array(rows.dropFirst()))
                    continue
                }
                if line.hasPrefix(">") {
                    flush()
                    var quoted = [String(line.dropFirst()).trimmingWhitespace()]
                    while i < lines.count, lines[i].trimmingWhitespace().hasPrefix(">") {
                        quoted.append(String(lines[i].trimmingWhitespace().dropFirst()).trimmingWhitespace())
                        i += 1
                    }
                    var inner = Writer()
                    inner.render(quoted)
                    html += "<blockquote>\n" + inner.html + "</blockquote>\n"
                    continue
                }
                if let first = listItem(line) {
                    flush()
                    // The list runs to a blank line or a block of another kind; other
                    // lines continue the item before them.
                    var items = [ListItem(indent: raw.prefix { $0 == " " }.count, ordered: first.ordered, start: first.start, text: first.text)]
                    while i < lines.count {
                        let next = lines[i].trimmingWhitespace()
                        if next.isEmpty || next.hasPrefix("```") || next.hasPrefix("~~~") || next.hasPrefix(">") || next.hasPrefix("|")
                            || headingLevel(next) != nil || next.hasPrefix("<!--") { break }
                        if let more = listItem(next) {
                            items.append(ListItem(indent: lines[i].prefix { $0 == " " }.count, ordered: more.ordered, start: more.start, text: more.text))
                        } else {
                            items[items.count - 1].text += " " + next
                        }
                        i += 1
                    }
                    html += list(items[...])
                    continue
                }
                paragraph.append(line)
            }
            flush()
        }

        struct ListItem {
            var indent: Int
            var ordered: Bool
            var start: Int
            var text: String
        }

        /// Items at the first item's indent, each holding the deeper items after it as a
        /// list of their own.
        func list(_ items: ArraySlice<ListItem>) -> String {
            guard let first = items.first else { return "" }
            var html = first.ordered ? (first.start == 1 ? "<ol>\n" : "<ol start=\"\(first.start)\">\n") : "<ul>\n"
            var k = items.startIndex
            while k < items.endIndex {
                let item = items[k]
                k += 1
                var end = k
                while end < items.endIndex, items[end].indent > first.indent { end += 1 }
                html += "<li>" + ProseHTML.inline(item.text) + (end > k ? "\n" + list(items[k..<end]) : "") + "</li>\n"
                k = end
            }
            return html + (first.ordered ? "</ol>\n" : "</ul>\n")
        }

        mutating func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            html += "<p>" + ProseHTML.inline(paragraph.joined(separator: " ")) + "</p>\n"
            paragraph = []
        }

        mutating func flush() {
            flushParagraph()
        }

        func headingLevel(_ line: String) -> Int? {
            let hashes = line.prefix { $0 == "#" }.count
            guard hashes > 0, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
            return hashes
        }

        func isRule(_ line: String) -> Bool {
            let marks = line.filter { $0 != " " }
            guard marks.count >= 3, let first = marks.first, "-*_".contains(first) else { return false }
            return marks.allSatisfy { $0 == first }
        }

        func listItem(_ line: String) -> (ordered: Bool, start: Int, text: String)? {
            if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") {
                return (false, 1, String(line.dropFirst(2)))
            }
            let digits = line.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count < 10, line.dropFirst(digits.count).hasPrefix(". ") || line.dropFirst(digits.count).hasPrefix(") ") {
                return (true, Int(digits) ?? 1, String(line.dropFirst(digits.count + 2)))
            }
            return nil
        }

        func isTableSeparator(_ line: String) -> Bool {
            let t = line.trimmingWhitespace()
            return t.hasPrefix("|") && t.contains("-") && t.allSatisfy { "|-: ".contains($0) }
        }

        /// The cells of a `| a | b |` row; `\|` is a bar inside a cell.
        func cells(_ row: String) -> [String] {
            var t = row.trimmingWhitespace()
            if t.hasPrefix("|") { t.removeFirst() }
            if t.hasSuffix("|") && !t.hasSuffix("\\|") { t.removeLast() }
            var cells: [String] = [], current = ""
            var previous: Character = " "
            for ch in t {
                if ch == "|" && previous != "\\" {
                    cells.append(current.trimmingWhitespace())
                    current = ""
                } else if ch == "|" {
                    current.removeLast()
                    current.append(ch)
                } else {
                    current.append(ch)
                }
                previous = ch
            }
            cells.append(current.trimmingWhitespace())
            return cells
        }

        func table(header: String, separator: String, rows: [String]) -> String {
            let aligns = cells(separator).map { cell -> String in
                switch (cell.hasPrefix(":"), cell.hasSuffix(":")) {
                case (true, true): " style=\"text-align:center\""
                case (false, true): " style=\"text-align:right\""
                default: ""
                }
            }
            func row(_ text: String, tag: String) -> String {
                let values = cells(text)
                return "<tr>" + values.enumerated().map { i, cell in
                    "<\(tag)\(i < aligns.count ? aligns[i] : "")>" + ProseHTML.inline(cell) + "</\(tag)>"
                }.joined() + "</tr>\n"
            }
            return "<table>\n<thead>" + row(header, tag: "th") + "</thead>\n<tbody>\n" + rows.map { row($0, tag: "td") }.joined()
                + "</tbody>\n</table>\n"
        }
    }
}
