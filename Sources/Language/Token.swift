/// The kinds of token the scanner produces.
///
/// Layout is made explicit the way Python does it: `newline` ends a logical line, and
/// `indent`/`dedent` open and close blocks, so the parser never looks at whitespace.
enum TokenKind: Equatable, Sendable {
    case name, number, string
    // Keywords.
    case and, or, not, `in`, `is`, `if`, elif, `else`, `for`, `while`, `break`, `continue`
    case pass, def, `return`, `true`, `false`, none, trace, expect
    // Brackets and punctuation.
    case leftParen, rightParen, leftBracket, rightBracket, comma, colon, semicolon, dot
    // Operators.
    case plus, minus, star, slash, slashSlash, percent, at, starStar
    case assign, plusAssign, minusAssign, starAssign, slashAssign
    case equal, notEqual, less, lessEqual, greater, greaterEqual, approx
    // Layout.
    case newline, indent, dedent, endOfInput
    /// A scanning error; the scanner stops after it and the parser reports it when it
    /// gets there, so an earlier syntax error is still reported first.
    case error

    /// Reserved words, including the capitalised spellings Python students type.
    static let keywords: [String: TokenKind] = [
        "and": .and, "or": .or, "not": .not, "in": .in, "is": .is,
        "if": .if, "elif": .elif, "else": .else, "for": .for, "while": .while,
        "break": .break, "continue": .continue, "pass": .pass, "def": .def, "return": .return,
        "true": .true, "True": .true, "false": .false, "False": .false,
        "none": .none, "None": .none, "trace": .trace, "expect": .expect,
    ]
}

/// One token, with where it is and what it looked like.
///
/// A class so that the parser's many token temporaries are single references: in
/// unoptimised builds each temporary gets its own stack slot, and the parser recurses.
final class Token: Sendable {
    let kind: TokenKind
    /// The text as written.
    let lexeme: String
    /// A name's spelling or a string literal's decoded contents.
    let text: String
    /// A number literal's value.
    let number: Double
    let start: SourceLocation
    let end: SourceLocation
    /// Character offsets into the source text, for quoting an expression's source.
    let startOffset: Int
    let endOffset: Int

    init(kind: TokenKind, lexeme: String, text: String, number: Double, start: SourceLocation, end: SourceLocation,
         startOffset: Int, endOffset: Int) {
        self.kind = kind
        self.lexeme = lexeme
        self.text = text
        self.number = number
        self.start = start
        self.end = end
        self.startOffset = startOffset
        self.endOffset = endOffset
    }

    /// How the token is named in "found …" messages.
    var display: String {
        switch kind {
        case .newline: return "end of line"
        case .endOfInput: return "end of input"
        case .indent: return "an indented line"
        case .dedent: return "the end of the indented block"
        case .string: return "a string"
        case .number: return "the number \(lexeme)"
        case .name: return "the name '\(lexeme)'"
        case .error: return "'\(lexeme)'"
        default: return "'\(lexeme)'"
        }
    }

    /// True for tokens that can start an expression; used to word error messages.
    var startsExpression: Bool {
        switch kind {
        case .name, .number, .string, .true, .false, .none, .leftParen, .leftBracket,
            .minus, .plus, .not, .trace:
            return true
        default:
            return false
        }
    }
}
