/// A piece of program text and where it came from.
///
/// Lesson cells are fenced blocks inside a Markdown file, so a cell's first line is
/// rarely line 1 of its file. `firstLine` lets every location the scanner, parser and
/// interpreter report be a line of the *file*, which is what a student or instructor
/// will look for in an editor.
public struct Source: Sendable {
    /// A file name or a label such as `<repl>`; printed in front of every diagnostic.
    public let name: String
    /// The text itself.
    public let text: String
    /// The file line on which `text` starts (1-based).
    public let firstLine: Int
    /// `text` split at line breaks, kept so diagnostics can quote the offending line.
    let lines: [String]

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = min(max(1, firstLine), Int.max / 2)
        self.lines = Source.splitLines(text)
    }

    /// The text of a file line, without its line break, or nil outside this source.
    public func lineText(_ line: Int) -> String? {
        let index = line - firstLine
        guard index >= 0, index < lines.count else { return nil }
        return lines[index]
    }

    /// Splits at "\n" and "\r\n" (`Character.isLineBreak`), as editors count lines; the
    /// lesson reader splits a file with this too, so both number lines alike (a lone "\r"
    /// or U+2028 had started a line here but not there). Split as bytes: walking the
    /// Characters of a 70 MB lesson is slow.
    public static func splitLines(_ text: String) -> [String] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes in
            String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes[...], as: UTF8.self)
        }
    }
}

/// A position in a source: 1-based file line and 1-based column.
///
/// Columns count Characters (grapheme clusters), so `Δ` or `é` is one column and a tab is
/// one column too; rendering expands tabs when it draws the caret.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A stretch of source text together with its file name: what a host needs to say *where*
/// a check, a traced call or a shown value came from, and what it looked like.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
    /// The source's name (usually a file path).
    public let file: String
    /// Where the stretch starts.
    public let start: SourceLocation
    /// Just past the stretch's last character.
    public let end: SourceLocation
    /// The source text of the stretch, with line breaks and indentation collapsed to spaces.
    public let text: String

    public init(file: String, start: SourceLocation, end: SourceLocation, text: String) {
        self.file = file
        self.start = start
        self.end = end
        self.text = text
    }

    /// `file:line:column`, the form editors and terminals recognise as a link.
    public var description: String { "\(file):\(start.line):\(start.column)" }
}

extension Character {
    /// Whether this ends a line of a lesson or a program: "\n", or "\r\n" from a file
    /// written on Windows. Other breaks (a lone "\r", U+2028, form feed) are characters
    /// on the line, so every part of Huddle numbers lines alike.
    public var isLineBreak: Bool { self == "\n" || self == "\r\n" }
}
