/// Something wrong with a program, told the way a compiler tells it: where, what was
/// expected, what was found, and what to do about it.
///
/// A diagnostic is a plain value. The parser returns syntax errors as diagnostics and the
/// interpreter returns the runtime error that stopped a run as one; nothing is printed
/// here, so a REPL, a lesson runner and the tests can each decide what to do with it.
/// It conforms to `Error` so it can travel through host code that calls back into the
/// interpreter and arrive unchanged.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The text could not be scanned or parsed; nothing of it ran.
        case syntaxError
        /// The program was running and stopped here.
        case runtimeError
        /// The program was stopped here on purpose (Ctrl-C): not a mistake to fix.
        case interrupted

        /// The word that labels it: `error`, or `stopped` for an interruption.
        var label: String { self == .interrupted ? "stopped" : "error" }
    }

    /// A secondary remark with its own location, such as "'(' opened here" or the call
    /// site of the function in which a runtime error happened.
    public struct Note: Equatable, Sendable {
        public var message: String
        public var file: String
        public var location: SourceLocation?
        /// The quoted line, captured when the note was made.
        public var lineText: String?

        public init(message: String, file: String, location: SourceLocation? = nil, lineText: String? = nil) {
            self.message = message
            self.file = file
            self.location = location
            self.lineText = lineText
        }
    }

    public var kind: Kind
    public var message: String
    /// The source's name, as given to `Source`.
    public var file: String
    public var location: SourceLocation
    /// Just past the end of the offending stretch, when there is one; rendered as `^~~~`.
    public var end: SourceLocation?
    /// The quoted line. Captured when the diagnostic is made, so it stays a self-contained
    /// value even after the cell it came from has been replaced.
    public var lineText: String?
    public var notes: [Note]
    /// What to do about it, in one line.
    public var hint: String?

    public init(
        kind: Kind, message: String, file: String, location: SourceLocation,
        end: SourceLocation? = nil, lineText: String? = nil, notes: [Note] = [], hint: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.file = file
        self.location = location
        self.end = end
        self.lineText = lineText
        self.notes = notes
        self.hint = hint
    }

    /// Makes a diagnostic quoting its line from `source`.
    init(
        _ kind: Kind, _ message: String, in source: Source, at location: SourceLocation,
        end: SourceLocation? = nil, hint: String? = nil
    ) {
        self.init(
            kind: kind, message: message, file: source.name, location: location, end: end,
            lineText: source.lineText(location.line), hint: hint)
    }

    /// The first line of the rendered form: `file:line:column: error: message`
    /// (`stopped:` for an interruption).
    public var description: String {
        "\(file):\(location.line):\(location.column): \(kind.label): \(message)"
    }

    /// Compiler-style text with the offending line quoted and a caret under the exact
    /// column (tabs expanded, wide characters counted twice), notes and hint after it.
    public func render() -> String {
        var lines = [description]
        let gutter = gutterWidth()
        if let lineText {
            lines += Diagnostic.quote(lineText, line: location.line, from: location, to: end, gutter: gutter)
        }
        for note in notes {
            if let noteLocation = note.location {
                lines.append("\(note.file):\(noteLocation.line):\(noteLocation.column): note: \(note.message)")
                if let text = note.lineText {
                    lines += Diagnostic.quote(text, line: noteLocation.line, from: noteLocation, to: nil, gutter: gutter)
                }
            } else {
                lines.append("note: \(note.message)")
            }
        }
        if let hint { lines.append("hint: \(hint)") }
        return lines.joined(separator: "\n")
    }

    private func gutterWidth() -> Int {
        let largest = notes.compactMap { $0.location?.line }.reduce(location.line, max)
        return max(4, String(largest).count)
    }

    /// The quoted line and the caret line beneath it.
    static func quote(_ text: String, line: Int, from start: SourceLocation, to end: SourceLocation?, gutter: Int) -> [String] {
        let number = String(line)
        let padding = String(repeating: " ", count: max(0, gutter - number.count))
        let characters = Array(text)
        let caretColumn = min(max(start.column - 1, 0), characters.count)
        var underline = 1
        if let end, end.line == start.line, end.column > start.column + 1 {
            underline = end.column - start.column
        }
        let lastColumn = min(caretColumn + underline, characters.count)
        let before = DisplayWidth.columns(of: characters[..<caretColumn], startingAt: 0)
        let marked = lastColumn > caretColumn
            ? DisplayWidth.columns(of: characters[caretColumn..<lastColumn], startingAt: before) : 1
        let caret = String(repeating: " ", count: before) + "^" + String(repeating: "~", count: max(0, marked - 1))
        let blank = String(repeating: " ", count: gutter)
        return [
            "\(padding)\(number) | \(DisplayWidth.expandTabs(characters))",
            "\(blank) | \(caret)",
        ]
    }
}

/// How many terminal columns text takes, so a caret lands under the right character.
enum DisplayWidth {
    /// Tab stops every four columns: lessons are indented by four.
    static let tabStop = 4

    static func columns(of characters: ArraySlice<Character>, startingAt start: Int) -> Int {
        var column = start
        for character in characters {
            column += width(of: character, at: column)
        }
        return column - start
    }

    static func expandTabs(_ characters: [Character]) -> String {
        var result = ""
        var column = 0
        for character in characters {
            let width = width(of: character, at: column)
            if character == "\t" {
                result += String(repeating: " ", count: width)
            } else {
                result.append(character)
            }
            column += width
        }
        return result
    }

    static func width(of character: Character, at column: Int) -> Int {
        if character == "\t" { return tabStop - column % tabStop }
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// East Asian wide and full-width ranges and the common emoji blocks.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
