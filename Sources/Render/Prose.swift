/// A lesson's Markdown prose drawn for the terminal: headings, emphasis, inline code,
/// lists, quotes and code blocks, wrapped to the width. Unicode math (A_{m→t}, Δc_t)
/// is left exactly as written — it reads well in a terminal already.
///
/// Only the Markdown a lesson needs is understood; anything else is shown as it is.
public struct Prose {
    public var markdown: String

    public init(_ markdown: String) {
        self.markdown = markdown
    }

    public func block(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock()
        var paragraph: [String] = []
        var inFence = false
        let width = options.width
        /// The list item being read: its bullet and its text so far (items may continue
        /// on the following lines).
        var item: (bullet: String, text: String)?

        func flushItem() {
            guard let (bullet, text) = item else { return }
            let wrapped = wrap(inline(text), width: width - displayWidth(bullet))
            for (i, l) in wrapped.lines.enumerated() {
                block.append(Line(i == 0 ? bullet : String(repeating: " ", count: displayWidth(bullet)), Theme.accent) + l)
            }
            item = nil
        }

        func flush() {
            flushItem()
            guard !paragraph.isEmpty else { return }
            block.append(wrap(inline(paragraph.joined(separator: " ")), width: width))
            paragraph = []
        }

        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = raw.trimmingLeadingSpaces()
            if line.hasPrefix("```") {
                flush()
                inFence.toggle()
                continue
            }
            if inFence {
                block.append(Line("    " + raw, Theme.muted))
                continue
            }
            if line.isEmpty {
                flush()
                if block.lines.last.map({ !$0.plainText.isEmpty }) ?? false { block.blank() }
                continue
            }
            if let level = headingLevel(line) {
                flush()
                let text = String(line.drop(while: { $0 == "#" })).trimmingLeadingSpaces()
                var style = Theme.heading
                style.underline = level == 1
                block.append(wrap(inline(text, base: style), width: width))
                continue
            }
            if let (marker, rest) = listItem(line) {
                flush()
                let indent = raw.prefix(while: { $0 == " " }).count
                item = (String(repeating: " ", count: indent) + marker + " ", rest)
                continue
            }
            if let current = item {
                item = (current.bullet, current.text + " " + line)  // the item goes on
                continue
            }
            if line.hasPrefix(">") {
                flush()
                let text = String(line.dropFirst()).trimmingLeadingSpaces()
                for l in wrap(inline(text, base: .italic), width: width - 2).lines {
                    block.append(Line("│ ", Theme.muted) + l)
                }
                continue
            }
            if line.allSatisfy({ $0 == "-" || $0 == "*" || $0 == "_" }) && line.count >= 3 {
                flush()
                block.append(Line(String(repeating: "─", count: min(width, 40)), Theme.muted))
                continue
            }
            paragraph.append(line)
        }
        flush()
        while block.lines.last?.plainText.isEmpty == true { block.lines.removeLast() }
        return block
    }

    func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard hashes > 0, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    func listItem(_ line: String) -> (String, String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") {
            return ("•", String(line.dropFirst(2)))
        }
        let digits = line.prefix(while: { $0.isNumber })
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return (digits + ".", String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Inline Markdown: `code`, **bold**, *emphasis* / _emphasis_, [text](link) → text.
    func inline(_ text: String, base: Style = .plain) -> Line {
        var line = Line()
        var current = ""
        var bold = false, italic = false
        var italicMarker: Character = "*"
        var chars = Array(text)
        var i = 0
        func style() -> Style {
            var s = base
            if bold { s.bold = true }
            if italic { s.italic = true }
            return s
        }
        func emit() {
            line.append(current, style())
            current = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "*_`[]\\".contains(chars[i + 1]) {
                current.append(chars[i + 1])
                i += 2
                continue
            }
            if c == "`", let end = chars[(i + 1)...].firstIndex(of: "`") {
                emit()
                line.append(String(chars[(i + 1)..<end]), Theme.formula)
                i = end + 1
                continue
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*" {
                emit()
                bold.toggle()
                i += 2
                continue
            }
            if c == "*" || c == "_" {
                if Emphasis.toggles(chars, at: i, italic: italic, openedWith: italicMarker) {
                    emit()
                    italic.toggle()
                    italicMarker = c
                    i += 1
                    continue
                }
            }
            if c == "[", let close = chars[(i + 1)...].firstIndex(of: "]"), close + 1 < chars.count, chars[close + 1] == "(",
               let paren = chars[(close + 1)...].firstIndex(of: ")") {
                emit()
                var link = style()
                link.underline = true
                line.append(String(chars[(i + 1)..<close]), link)
                chars.removeSubrange((close + 1)...paren)
                i = close + 1
                continue
            }
            current.append(c)
            i += 1
        }
        emit()
        return line
    }

    /// Word-wraps a styled line to `width` columns.
    func wrap(_ line: Line, width: Int) -> TextBlock {
        var block = TextBlock()
        var current = Line()
        var currentWidth = 0
        for run in line.runs {
            // Split runs into words, keeping spaces attached to the preceding word.
            var word = ""
            func place(_ w: String) {
                let trimmed = w.trimmingTrailingSpaces()
                if currentWidth > 0 && currentWidth + displayWidth(trimmed) > width {
                    block.append(current.trimmingTrailingSpaces())
                    current = Line()
                    currentWidth = 0
                }
                let text = currentWidth == 0 ? w.trimmingLeadingSpaces() : w
                current.append(text, run.style)
                currentWidth += displayWidth(text)
            }
            for ch in run.text {
                word.append(ch)
                if ch == " " {
                    place(word)
                    word = ""
                }
            }
            if !word.isEmpty { place(word) }
        }
        if currentWidth > 0 || block.lines.isEmpty { block.append(current.trimmingTrailingSpaces()) }
        return block
    }
}

extension Line {
    /// The line without spaces at its end (left by word wrapping).
    func trimmingTrailingSpaces() -> Line {
        var runs = self.runs
        while let last = runs.last, last.text.hasSuffix(" ") {
            let trimmed = last.text.trimmingTrailingSpaces()
            if trimmed.isEmpty { runs.removeLast() } else { runs[runs.count - 1].text = trimmed; break }
        }
        var line = Line()
        for run in runs { line.append(run.text, run.style) }
        return line
    }
}

extension String {
    func trimmingLeadingSpaces() -> String { String(drop(while: { $0 == " " || $0 == "\t" })) }
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}


/// Markdown's single-marker emphasis as lessons use it, shared by the terminal and the
/// HTML handout so both read the same text the same way.
public enum Emphasis {
    /// Whether the `*` or `_` at `i` opens emphasis (when none is open) or closes the one
    /// `openedWith` opened. Emphasis opens before a word, only after a space or an opening
    /// bracket or quote, and closes after one; an `_` inside a name (h_m, W_encode,
    /// A_{m→t}, h′_p) is a subscript and stays as written.
    public static func toggles(_ chars: [Character], at i: Int, italic: Bool, openedWith marker: Character) -> Bool {
        let c = chars[i]
        let before: Character? = i > 0 ? chars[i - 1] : nil
        let after: Character? = i + 1 < chars.count ? chars[i + 1] : nil
        let opens = !italic && after.map { $0 != " " } == true
            && (before.map { " \t([{\"'“‘—".contains($0) } ?? true)
            && chars[(i + 1)...].contains(c)
        let closes = italic && marker == c && before.map { $0 != " " } == true
            && (after.map { !$0.isLetter && !$0.isNumber } ?? true)
        return opens || closes
    }
}
