/// How the text being parsed will be used.
public enum ParseMode: Sendable {
    /// A whole file or lesson cell: the end of the text ends everything.
    case file
    /// Lines typed at a prompt. Text that more lines could complete is `.incomplete`
    /// rather than an error, and — as in Python's REPL — an indented block only ends
    /// when the text's last line is blank. Join typed lines with "\n" and no trailing
    /// newline: `"if x:\n    y = 1"` is incomplete, `"if x:\n    y = 1\n"` complete.
    case interactive
}

public enum ParseResult: Sendable {
    case complete(Program)
    /// More lines would make the text valid: an open bracket, a header ending in `:`
    /// without its block, a trailing `\`, an unterminated triple-quoted string, or (in
    /// interactive mode) a block not yet ended by a blank line.
    case incomplete
    case failure([Diagnostic])
}

/// A recursive-descent parser over the scanner's tokens.
///
/// It stops at the first syntax error, as Python does: later errors are usually echoes
/// of the first. Recursion is bounded (`maxDepth`) so no input can exhaust the stack,
/// here or later in the interpreter.
public struct Parser {
    /// Deepest nesting of brackets, operators or blocks accepted.
    static let maxDepth = 200

    struct Failure: Error {
        var diagnostic: Diagnostic
        /// The error was found at the end of the text, so more text might fix it.
        var atEnd: Bool
    }

    let source: Source
    let tokens: [Token]
    let scanError: Diagnostic?
    let scanOpenAtEnd: Bool
    let characters: [Character]
    var position = 0
    var depth = 0
    var functionDepth = 0
    var loopDepth = 0

    init(_ source: Source, scan: Scanner.Result) {
        self.source = source
        self.tokens = scan.tokens
        self.scanError = scan.error
        self.scanOpenAtEnd = scan.openAtEnd
        self.characters = Array(source.text)
    }

    /// Scans and parses `source`.
    public static func parse(_ source: Source, mode: ParseMode = .file) -> ParseResult {
        let scan = Scanner.scan(source)
        var parser = Parser(source, scan: scan)
        let endsWithBlankLine = (source.lines.last ?? "").allSatisfy { $0 == " " || $0 == "\t" } && source.lines.count > 1
        do {
            let statements = try parser.parseProgram()
            if mode == .interactive {
                if scan.openAtEnd { return .incomplete }
                if let last = statements.last, last.isCompound, !endsWithBlankLine { return .incomplete }
            }
            return .complete(Program(source: source, statements: statements))
        } catch let failure as Failure {
            if mode == .interactive, failure.atEnd, scan.openAtEnd || !endsWithBlankLine {
                return .incomplete
            }
            return .failure([failure.diagnostic])
        } catch {
            let location = SourceLocation(line: source.firstLine, column: 1)
            return .failure([Diagnostic(.syntaxError, String(describing: error), in: source, at: location)])
        }
    }

    // MARK: Tokens

    var current: Token { tokens[min(position, tokens.count - 1)] }

    /// The current token's kind.
    var currentKind: TokenKind { tokens[min(position, tokens.count - 1)].kind }

    var previous: Token? { position > 0 ? tokens[min(position - 1, tokens.count - 1)] : nil }

    func peekKind(_ ahead: Int) -> TokenKind {
        tokens[min(position + ahead, tokens.count - 1)].kind
    }

    func check(_ kind: TokenKind) -> Bool { currentKind == kind }

    @discardableResult
    mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    @discardableResult
    mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    /// Consumes a token of `kind` or fails with `problem`.
    @discardableResult
    mutating func expect(_ kind: TokenKind, _ problem: SyntaxProblem) throws -> Token {
        if check(kind) { return advance() }
        throw failure(problem)
    }

    /// A failure at the current token. At the end of a line or of the text, the error
    /// points just past the previous token, where the missing thing belongs.
    @inline(never)
    func failure(_ problem: SyntaxProblem) -> Failure {
        let token = current
        if token.kind == .error, let scanError {
            return Failure(diagnostic: scanError, atEnd: scanOpenAtEnd)
        }
        var location = token.start
        var end: SourceLocation? = token.end
        if [.newline, .endOfInput, .dedent].contains(token.kind), let before = lastSubstantialToken() {
            location = before.end
            end = nil
        }
        let message = problem.message(found: token.display)
        let diagnostic = Diagnostic(.syntaxError, message, in: source, at: location, end: end, hint: problem.hint)
        return Failure(diagnostic: diagnostic, atEnd: onlyLayoutRemains)
    }

    /// Nothing but the dedents that close open blocks is left: the text stopped here,
    /// so more lines might fix it (`for …:\n    if …:` wants its block). A line end is
    /// not the end: `x = 1 +` is wrong, as in Python.
    var onlyLayoutRemains: Bool {
        tokens[min(position, tokens.count - 1)...].allSatisfy { [.dedent, .endOfInput].contains($0.kind) }
    }

    static func isLayout(_ kind: TokenKind) -> Bool {
        [.newline, .endOfInput, .dedent, .indent].contains(kind)
    }

    /// The last token before the current one that is not layout.
    func lastSubstantialToken() -> Token? {
        var index = min(position, tokens.count) - 1
        while index >= 0 {
            if !Parser.isLayout(tokens[index].kind) { return tokens[index] }
            index -= 1
        }
        return nil
    }

    /// A failure covering a stretch of text, such as an invalid assignment target.
    @inline(never)
    func failure(_ problem: SyntaxProblem, from start: SourceLocation, to end: SourceLocation) -> Failure {
        let message = problem.message(found: current.display)
        let diagnostic = Diagnostic(.syntaxError, message, in: source, at: start, end: end, hint: problem.hint)
        return Failure(diagnostic: diagnostic, atEnd: false)
    }

    /// Counts one level of nesting; callers pair it with `depth -= 1`.
    mutating func enter() throws {
        depth += 1
        if depth > Parser.maxDepth { throw failure(.nestedTooDeeply) }
    }

    /// The source text between two token offsets, with line breaks and the indentation
    /// after them collapsed to single spaces, for labels and check reports.
    func text(from start: Int, to end: Int) -> String {
        guard start < end, end <= characters.count else { return "" }
        var result = ""
        var index = start
        var pendingSpace = false
        while index < end {
            let character = characters[index]
            index += 1
            let continuation = character == "\\" && index < end && characters[index].isLineBreak
            if character.isLineBreak || continuation {
                if continuation { index += 1 }
                pendingSpace = true
                while index < end, characters[index] == " " || characters[index] == "\t" { index += 1 }
                continue
            }
            if pendingSpace {
                while result.last == " " { result.removeLast() }
                result.append(" ")
                pendingSpace = false
            }
            result.append(character)
        }
        return result
    }

    /// The text of everything from `startToken` up to the last consumed token.
    func textSince(_ startToken: Token) -> String {
        text(from: startToken.startOffset, to: previous?.endOffset ?? startToken.endOffset)
    }
}

extension Stmt {
    var isCompound: Bool {
        switch kind {
        case .conditional, .whileLoop, .forLoop, .function: return true
        default: return false
        }
    }
}
