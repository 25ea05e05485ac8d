/// Numbers, strings, names and operators: the scanner's work within a line.
extension Scanner {
    /// Letters of any script and `_`; `∇` and `∂` too, because the lecture names
    /// gradients with them.
    static func startsName(_ c: Character) -> Bool {
        if let ascii = c.asciiValue { return (ascii | 0x20) >= 0x61 && (ascii | 0x20) <= 0x7A || ascii == 0x5F }
        return c.isLetter || c == "∇" || c == "∂"
    }

    /// After the first character: also digits of any kind (so subscripts `₁` and
    /// superscripts `²`), primes (`h′`), and the whole superscript/subscript block
    /// (`h⁽ˡ⁻¹⁾`).
    static func continuesName(_ c: Character) -> Bool {
        if let ascii = c.asciiValue { return startsName(c) || (ascii >= 0x30 && ascii <= 0x39) }
        if startsName(c) || c.isNumber { return true }
        guard let scalar = c.unicodeScalars.first?.value else { return false }
        return (0x2070...0x209F).contains(scalar) || (0x2032...0x2037).contains(scalar)
    }

    mutating func scanName(from start: Int, at location: SourceLocation) {
        while let next = peek(), Scanner.continuesName(next) { advance() }
        let name = text(start, index)
        if ["f", "F", "rf", "fr"].contains(name), let quote = peek(), quote == "\"" || quote == "'" {
            fail("f-strings are not part of Huddle's language", at: location,
                 hint: "join text with +, e.g. \"loss = \" + str(loss)", end: here)
            return
        }
        let kind = TokenKind.keywords[name] ?? .name
        add(kind, from: start, at: location, length: index - start, text: name)
    }

    mutating func scanNumber(from start: Int, at location: SourceLocation) {
        scanDigits()
        if peek() == ".", peek(1)?.isASCIIDigit ?? false {
            advance()
            scanDigits()
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
            if peek(1 + sign)?.isASCIIDigit ?? false {
                advance(by: 1 + sign)
                scanDigits()
            } else {
                advance()
                let text = self.text(start, index)
                fail("malformed number '\(text)': expected digits after the exponent 'e'", at: location,
                     hint: "write e.g. 1e-3 for 0.001", end: here)
                return
            }
        }
        if let next = peek(), Scanner.continuesName(next) {
            while let c = peek(), Scanner.continuesName(c) { advance() }
            let text = self.text(start, index)
            let digits = text.prefix { $0.isASCIIDigit || $0 == "." || $0 == "_" }
            let rest = text.dropFirst(digits.count)
            fail("invalid number '\(text)': a name cannot start with a digit", at: location,
                 hint: "to multiply, write '\(digits) * \(rest)'", end: here)
            return
        }
        let text = self.text(start, index)
        let cleaned = text.filter { $0 != "_" }
        guard let value = Double(cleaned) else {
            fail("malformed number '\(text)'", at: location, end: here)
            return
        }
        add(.number, from: start, at: location, length: index - start, number: value)
    }

    /// Digits with single underscores between them, as in `1_000_000`.
    private mutating func scanDigits() {
        while let c = peek() {
            if c.isASCIIDigit {
                advance()
            } else if c == "_", peek(1)?.isASCIIDigit ?? false {
                advance()
            } else {
                break
            }
        }
    }

    mutating func scanString(quote: Character, from start: Int, at location: SourceLocation) {
        let triple = peek(1) == quote && peek(2) == quote
        advance(by: triple ? 3 : 1)
        var value = ""
        while true {
            guard let c = peek() else {
                if triple {
                    openAtEnd = true
                    fail("unterminated triple-quoted string", at: location,
                         hint: "close it with \(String(repeating: quote, count: 3))")
                } else {
                    fail("unterminated string: missing closing \(quote)", at: location, hint: "add \(quote) at the end of the string")
                }
                return
            }
            if c == quote {
                if !triple {
                    advance()
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    advance(by: 3)
                    break
                }
            }
            if c.isLineBreak && !triple {
                fail("unterminated string: missing closing \(quote) before the end of the line", at: location,
                     hint: "close the string on the line it starts, or use \(String(repeating: quote, count: 3)) for text over several lines")
                return
            }
            if c == "\\" {
                guard scanEscape(into: &value) else { return }
                continue
            }
            value.append(c)
            advance()
        }
        addSpanning(.string, from: start, at: location, text: value)
    }

    /// Reads one escape sequence after a backslash; false after reporting a bad one.
    private mutating func scanEscape(into value: inout String) -> Bool {
        let location = here
        advance()
        guard let c = peek() else { return true }
        switch c {
        case "n": value.append("\n")
        case "t": value.append("\t")
        case "r": value.append("\r")
        case "0": value.append("\0")
        case "\\", "\"", "'": value.append(c)
        case _ where c.isLineBreak: break
        default:
            fail("unknown escape sequence '\\\(c)' in a string", at: location,
                 hint: "known escapes: \\n \\t \\\\ \\\" \\'; write \\\\ for a backslash", end: SourceLocation(line: location.line, column: location.column + 2))
            return false
        }
        advance()
        return true
    }

    /// Built once: as literals inside `scanOperator` they were built for every operator.
    static let operatorPairs: [String: TokenKind] = [
        "**": .starStar, "//": .slashSlash, "==": .equal, "!=": .notEqual, "<=": .lessEqual,
        ">=": .greaterEqual, "~=": .approx, "+=": .plusAssign, "-=": .minusAssign,
        "*=": .starAssign, "/=": .slashAssign,
    ]
    static let operatorSingles: [Character: TokenKind] = [
        "+": .plus, "-": .minus, "−": .minus, "*": .star, "/": .slash, "%": .percent, "@": .at,
        "=": .assign, "<": .less, ">": .greater, "≈": .approx, "≤": .lessEqual, "≥": .greaterEqual,
        "≠": .notEqual, "(": .leftParen, ")": .rightParen, "[": .leftBracket, "]": .rightBracket,
        ",": .comma, ":": .colon, ";": .semicolon, ".": .dot,
    ]

    /// Two-character operators first, then one-character ones, then friendly errors for
    /// characters that look like operators from other languages or from typeset maths.
    mutating func scanOperator(_ c: Character, from start: Int, at location: SourceLocation) {
        let next = peek(1)
        if let next, let kind = Scanner.operatorPairs[String([c, next])] {
            advance(by: 2)
            add(kind, from: start, at: location, length: 2)
            return
        }
        if let kind = Scanner.operatorSingles[c] {
            if kind == .leftParen || kind == .leftBracket { bracketDepth += 1 }
            if kind == .rightParen || kind == .rightBracket { bracketDepth = max(0, bracketDepth - 1) }
            advance()
            add(kind, from: start, at: location, length: 1)
            return
        }
        fail("unexpected character \(Scanner.describe(c))", at: location, hint: Scanner.hint(for: c, next: next))
    }

    /// The character in quotes, or by its code point when it would show as nothing or
    /// change the line around it: a zero-width space, a byte-order mark or a bidirectional
    /// override between quotes read as an empty '' (or reordered the line). Control
    /// characters keep their quotes: the terminal shows them as control pictures (␛).
    static func describe(_ c: Character) -> String {
        let invisible = c.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .privateUse, .unassigned: true
            default: false
            }
        }
        guard invisible else { return "'\(c)'" }
        let points = c.unicodeScalars.map { scalar -> String in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return points.joined(separator: " ") + ", which does not show as itself"
    }

    static func hint(for c: Character, next: Character?) -> String? {
        switch c {
        case "·", "×", "⋅": return "use '@' for a matrix product or '*' to multiply"
        case "÷": return "use '/' to divide"
        case "!": return "use 'not' for negation and '!=' for 'not equal'"
        case "&", "|": return "use 'and' / 'or'"
        case "{", "}": return "blocks are marked by indentation, and lists are written with [ ]"
        case "“", "”", "‘", "’", "«", "»": return "use straight quotes \" or ' around strings"
        case "~": return "'≈' can be written '~='"
        case "←", "→": return "use '=' to assign"
        default: return nil
        }
    }
}
