/// Turns source text into tokens, making Python-style layout explicit.
///
/// Newlines inside brackets and after a trailing `\` are ignored; other line ends become
/// `newline` tokens, and changes of indentation become `indent`/`dedent`. The scanner
/// stops at its first error and leaves an `error` token there, so that the parser, which
/// reads left to right, reports whichever problem comes first in the text.
struct Scanner {
    struct Result {
        var tokens: [Token]
        /// The scanner's error, reported when the parser reaches the `error` token.
        var error: Diagnostic?
        /// The text ended inside brackets, a triple-quoted string or after a trailing `\`:
        /// more lines could complete it.
        var openAtEnd: Bool
    }

    let source: Source
    let characters: [Character]
    var index = 0
    var line: Int
    var column = 1
    var tokens: [Token] = []
    var error: Diagnostic?
    var openAtEnd = false
    var bracketDepth = 0
    /// The indentation of each open block, as written; `[""]` at top level. Comparing the
    /// written strings (rather than widths) is what catches tabs and spaces mixed
    /// inconsistently.
    var indents = [""]

    /// The text's UTF-8 bytes, and where each character starts in them (one more entry
    /// for the end): a token's text is cut from the bytes, since making a String of a
    /// slice of Characters, one at a time, was most of a 100,000-line cell's scan.
    let bytes: [UInt8]
    let offsets: [Int]

    init(_ source: Source) {
        self.source = source
        self.characters = Array(source.text)
        self.line = source.firstLine
        bytes = Array(source.text.utf8)
        var offsets = [Int](), offset = 0
        offsets.reserveCapacity(characters.count + 1)
        for character in characters {
            offsets.append(offset)
            offset += character.utf8.count
        }
        offsets.append(offset)
        self.offsets = offsets
    }

    /// The text of characters `start..<end`.
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[offsets[start]..<offsets[end]], as: UTF8.self)
    }

    static func scan(_ source: Source) -> Result {
        var scanner = Scanner(source)
        scanner.run()
        return Result(tokens: scanner.tokens, error: scanner.error, openAtEnd: scanner.openAtEnd)
    }

    var here: SourceLocation { SourceLocation(line: line, column: column) }

    func peek(_ ahead: Int = 0) -> Character? {
        let position = index + ahead
        return position < characters.count ? characters[position] : nil
    }

    mutating func advance() {
        guard index < characters.count else { return }
        if characters[index].isLineBreak {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func run() {
        var atLineStart = true
        while error == nil {
            if atLineStart && bracketDepth == 0 {
                if !scanIndentation() { break }
                atLineStart = false
                continue
            }
            guard let character = peek() else { break }
            switch character {
            case " ", "\t":
                advance()
            case "#":
                while let next = peek(), !next.isLineBreak { advance() }
            case _ where character.isLineBreak:
                if bracketDepth == 0 {
                    add(.newline, from: index, at: here, length: 1)
                    atLineStart = true
                }
                advance()
            case "\\":
                scanContinuation()
            default:
                scanToken(character)
            }
        }
        finish()
    }

    /// Reads a line's leading whitespace and emits `indent`/`dedent` as needed. Blank and
    /// comment-only lines do not count. Returns false at the end of the text.
    private mutating func scanIndentation() -> Bool {
        while true {
            let startOfLine = index
            var written = ""
            while let next = peek(), next == " " || next == "\t" {
                written.append(next)
                advance()
            }
            guard let next = peek() else { return false }
            if next == "#" {
                while let c = peek(), !c.isLineBreak { advance() }
                continue
            }
            if next.isLineBreak {
                advance()
                continue
            }
            applyIndentation(written, lineStart: startOfLine)
            return true
        }
    }

    private mutating func applyIndentation(_ written: String, lineStart: Int) {
        let current = indents.last ?? ""
        let location = here
        if written == current { return }
        if written.hasPrefix(current) {
            indents.append(written)
            add(.indent, from: lineStart, at: SourceLocation(line: line, column: 1), length: 0)
            return
        }
        if current.hasPrefix(written) {
            while let last = indents.last, last != written, last.hasPrefix(written), indents.count > 1 {
                indents.removeLast()
                add(.dedent, from: index, at: location, length: 0)
            }
            if indents.last == written { return }
            fail("unindent does not match any outer indentation level", at: SourceLocation(line: line, column: 1),
                 hint: "indent this line exactly like the block it belongs to")
            return
        }
        fail("inconsistent use of tabs and spaces in indentation", at: SourceLocation(line: line, column: 1),
             hint: "indent with spaces only (four per level)")
    }

    private mutating func scanContinuation() {
        let location = here
        advance()
        guard let next = peek() else {
            openAtEnd = true
            return
        }
        if next.isLineBreak {
            advance()
        } else {
            fail("unexpected character after line continuation '\\'", at: location,
                 hint: "a '\\' continues a line only as the line's last character")
        }
    }

    private mutating func finish() {
        let end = here
        if error != nil {
            add(.error, from: index, at: error?.location ?? end, length: 0)
        } else {
            if bracketDepth > 0 { openAtEnd = true }
            // Text left open ends without closing the line or its blocks, so that the
            // parser meets the end of input right where more text was expected.
            if !openAtEnd {
                if let last = tokens.last?.kind, last != .newline {
                    add(.newline, from: index, at: end, length: 0)
                }
                for _ in indents.dropFirst() { add(.dedent, from: index, at: end, length: 0) }
            }
        }
        add(.endOfInput, from: index, at: end, length: 0)
    }

    // MARK: Tokens

    mutating func add(_ kind: TokenKind, from start: Int, at location: SourceLocation, length: Int, text: String = "", number: Double = 0) {
        let endIndex = min(start + length, characters.count)
        let lexeme = start < endIndex ? self.text(start, endIndex) : ""
        let end = SourceLocation(line: location.line, column: location.column + length)
        tokens.append(Token(
            kind: kind, lexeme: lexeme, text: text, number: number, start: location, end: end,
            startOffset: start, endOffset: endIndex))
    }

    /// Adds a token spanning from `start` to the current position (which may be on a
    /// later line, for triple-quoted strings).
    mutating func addSpanning(_ kind: TokenKind, from start: Int, at location: SourceLocation, text: String = "", number: Double = 0) {
        let lexeme = self.text(start, index)
        tokens.append(Token(
            kind: kind, lexeme: lexeme, text: text, number: number, start: location, end: here,
            startOffset: start, endOffset: index))
    }

    mutating func fail(_ message: String, at location: SourceLocation, hint: String? = nil, end: SourceLocation? = nil) {
        guard error == nil else { return }
        error = Diagnostic(.syntaxError, message, in: source, at: location, end: end, hint: hint)
    }

    private mutating func scanToken(_ character: Character) {
        let start = index
        let location = here
        if character.isASCIIDigit || (character == "." && (peek(1)?.isASCIIDigit ?? false)) {
            scanNumber(from: start, at: location)
        } else if character == "\"" || character == "'" {
            scanString(quote: character, from: start, at: location)
        } else if Scanner.startsName(character) {
            scanName(from: start, at: location)
        } else {
            scanOperator(character, from: start, at: location)
        }
    }

    mutating func advance(by count: Int) {
        for _ in 0..<count { advance() }
    }
}

extension Character {
    /// Read from the ASCII value: Unicode's number property, asked of every character,
    /// was a good part of a long cell's scan.
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
