/// A line of text made of styled runs, so a picture can be measured (in terminal columns)
/// before it is turned into escapes.
public struct Line: Sendable, Equatable {
    public private(set) var runs: [(text: String, style: Style)] = []

    public init() {}

    public init(_ text: String, _ style: Style = .plain) {
        append(text, style)
    }

    /// Appends `text` in `style`; control characters in it are made visible (see
    /// `visibleText`): a line's escapes come only from its styles.
    public mutating func append(_ text: String, _ style: Style = .plain) {
        guard !text.isEmpty else { return }
        let text = visibleText(text)
        if let last = runs.last, last.style == style {
            runs[runs.count - 1].text += text
        } else {
            runs.append((text, style))
        }
    }

    public mutating func append(_ other: Line) {
        for run in other.runs { append(run.text, run.style) }
    }

    public static func + (a: Line, b: Line) -> Line {
        var c = a
        c.append(b)
        return c
    }

    /// Terminal columns this line takes.
    public var width: Int { runs.reduce(0) { $0 + displayWidth($1.text) } }

    public var plainText: String { runs.map(\.text).joined() }

    /// The line padded with spaces to `columns`.
    public func padded(to columns: Int) -> Line {
        var copy = self
        let missing = columns - width
        if missing > 0 { copy.append(String(repeating: " ", count: missing)) }
        return copy
    }

    /// The line cut to at most `columns`, with "…" marking the cut.
    public func truncated(to columns: Int) -> Line {
        guard width > columns, columns > 0 else { return self }
        var out = Line()
        var used = 0
        for run in runs {
            var kept = ""
            for ch in run.text {
                let w = displayWidth(String(ch))
                if used + w > columns - 1 { break }
                kept.append(ch)
                used += w
            }
            out.append(kept, run.style)
            if used >= columns - 1 { break }
        }
        out.append("…", .dim)
        return out
    }

    public func rendered(_ mode: RenderOptions.ColorMode) -> String {
        runs.map { run in
            let open = run.style.opening(mode)
            return open.isEmpty ? run.text : open + run.text + Style.reset
        }.joined()
    }

    public static func == (a: Line, b: Line) -> Bool {
        a.runs.count == b.runs.count && zip(a.runs, b.runs).allSatisfy { $0.text == $1.text && $0.style == $1.style }
    }
}

/// A picture: lines of styled text.
public struct TextBlock: Sendable, Equatable {
    public var lines: [Line]

    public init(_ lines: [Line] = []) {
        self.lines = lines
    }

    public var width: Int { lines.map(\.width).max() ?? 0 }
    public var height: Int { lines.count }

    public mutating func append(_ line: Line) { lines.append(line) }
    public mutating func append(_ text: String, _ style: Style = .plain) { lines.append(Line(text, style)) }
    public mutating func append(_ block: TextBlock) { lines += block.lines }
    public mutating func blank() { lines.append(Line()) }

    /// Blocks placed left to right with `gap` spaces between, top-aligned.
    public static func beside(_ blocks: [TextBlock], gap: Int = 2) -> TextBlock {
        let height = blocks.map(\.height).max() ?? 0
        var out = TextBlock()
        for row in 0..<height {
            var line = Line()
            for (i, block) in blocks.enumerated() {
                let part = row < block.height ? block.lines[row] : Line()
                line.append(i == blocks.count - 1 ? part : part.padded(to: block.width + gap))
            }
            out.append(line)
        }
        return out
    }

    /// Every line cut to `columns`.
    public func fitted(to columns: Int) -> TextBlock {
        TextBlock(lines.map { $0.truncated(to: columns) })
    }

    /// The text with escapes for the colour mode, one line per row, no trailing newline.
    public func rendered(_ options: RenderOptions) -> String {
        fitted(to: options.width).lines.map { $0.rendered(options.color) }.joined(separator: "\n")
    }
}

/// Columns a string takes in a terminal: combining marks take none, East Asian wide
/// characters and emoji take two, everything else one.
public func displayWidth(_ text: String) -> Int {
    var width = 0
    for ch in text {
        guard let first = ch.unicodeScalars.first else { continue }
        let v = first.value
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark || v == 0x200B {
            continue
        }
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        width += wide ? 2 : 1
    }
    return width
}

extension String {
    /// Plain text broken into lines of at most `width` columns at spaces (a word longer
    /// than a line gets a line of its own); continuation lines start with `indent` spaces.
    public func wordWrapped(width: Int, indent: Int = 0) -> [String] {
        var lines: [String] = []
        for paragraph in split(separator: "\n", omittingEmptySubsequences: false) {
            // A paragraph's own leading spaces are kept, and its continuation lines line up.
            let lead = String(paragraph.prefix(while: { $0 == " " }))
            let continuation = String(repeating: " ", count: Swift.max(indent, lead.count))
            var current = lead
            for word in paragraph.dropFirst(lead.count).split(separator: " ") {
                let candidate = current.trimmingLeadingSpaces().isEmpty ? current + word : current + " " + word
                if displayWidth(candidate) > width, !current.trimmingLeadingSpaces().isEmpty {
                    lines.append(current)
                    current = continuation + word
                } else {
                    current = candidate
                }
            }
            lines.append(current)
        }
        return lines
    }

    /// Lines wider than `width` broken at spaces (continuing two columns further in), so
    /// the terminal does not break them mid-word. The code and caret under a diagnostic
    /// (`   1 | x = …`, `     |   ^`) are left as they are: their columns mean something.
    /// `indent` is the continuation lines' extra indent (two spaces unless given).
    public func wrappingLongLines(width: Int, indent: Int = 2) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let text = String(line)
            let isSourceLine = text.drop { $0 == " " || $0.isNumber }.hasPrefix("|") || text.contains("│")
            guard displayWidth(text) > width, !isSourceLine else { return text }
            let lead = text.prefix { $0 == " " }.count
            return text.wordWrapped(width: width, indent: lead + indent).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The string followed by spaces up to `width` terminal columns.
    public func padded(to width: Int) -> String {
        self + String(repeating: " ", count: Swift.max(0, width - displayWidth(self)))
    }

    /// Spaces and then the string, `width` terminal columns in all (numbers in a column).
    public func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - displayWidth(self))) + self
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (Foundation-free, for the
    /// modules that do without it).
    public func trimmingWhitespace() -> String {
        // By index, not by reversing: the reversed copy, a Character at a time, was most
        // of the time loading a 60 MB lesson took.
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
