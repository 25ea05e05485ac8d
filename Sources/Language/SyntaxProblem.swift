/// Every syntax error the parser reports, with its wording in one place.
///
/// The parser's methods are recursive, and in unoptimised builds each string
/// interpolation written inside one of them grows the stack frame paid at every level
/// of nesting. Naming the problem here and composing the text out of line keeps those
/// frames small, so deep input gets a message instead of a stack overflow.
enum SyntaxProblem {
    /// "expected <what>, found <current token>".
    case expected(String, hint: String? = nil)
    case expectedExpression(after: String?)
    case unclosed(closing: String, opening: String, at: SourceLocation, found: Bool, hint: Bool)
    case traceNotFirst
    case chainedComparison
    case keywordTwice(String)
    case positionalAfterKeyword
    case emptySubscript
    case cannotAssignCall, cannotAssignLiteral, cannotAssignExpression
    case nestedTooDeeply
    case expressionTooDeep
    case unexpectedIndent
    case orphan(String)
    case expectedLineEnd(hint: Bool)
    case outsideLoop(String)
    case returnOutsideFunction
    case unsupported(String, hint: String)
    case expectedValue(after: String)
    case singleTarget(String)
    case expectedClaim
    case withinNeedsApprox
    case expectedTolerance
    case expectedBlock(header: String, line: Int, hint: Bool)
    case compoundAfterColon(String)
    case expectedLoopVariable
    case duplicateParameter(String)
    case defaultOrder(String)
    case comprehension
    case statementAsValue(String)

    /// The message; `found` describes the current token for the "found …" part.
    func message(found: String) -> String {
        switch self {
        case .expected(let what, _): return "expected \(what), found \(found)"
        case .expectedExpression(let after?): return "expected an expression after '\(after)', found \(found)"
        case .expectedExpression(nil): return "expected an expression, found \(found)"
        case .unclosed(let closing, let opening, let at, let showFound, _):
            let message = "expected '\(closing)' to close '\(opening)' opened at \(at)"
            return showFound ? message + ", found \(found)" : message
        case .traceNotFirst: return "'trace' must start an expression"
        case .chainedComparison: return "comparisons cannot be chained"
        case .keywordTwice(let name): return "keyword argument '\(name)' is given twice"
        case .positionalAfterKeyword: return "positional argument after keyword arguments"
        case .emptySubscript: return "expected an index inside '[ ]', found \(found)"
        case .cannotAssignCall: return "cannot assign to a function call"
        case .cannotAssignLiteral: return "cannot assign to a literal"
        case .cannotAssignExpression: return "cannot assign to an expression"
        case .nestedTooDeeply: return "this is nested too deeply (more than \(Parser.maxDepth) levels)"
        case .expressionTooDeep: return "this expression is nested too deeply (more than \(Parser.maxDepth) levels)"
        case .unexpectedIndent: return "unexpected indent"
        case .orphan(let keyword): return "'\(keyword)' without a matching 'if'"
        case .expectedLineEnd: return "expected end of line, found \(found)"
        case .outsideLoop(let keyword): return "'\(keyword)' outside a loop"
        case .returnOutsideFunction: return "'return' outside a function"
        case .unsupported(let keyword, _): return "'\(keyword)' is not part of Huddle's language"
        case .comprehension: return "list comprehensions ([… for x in …]) are not part of Huddle's language"
        case .statementAsValue(let keyword): return "'\(keyword)' starts a statement; it is not a value"
        case .expectedValue(let after): return "expected a value after '\(after)', found \(found)"
        case .singleTarget(let op): return "'\(op)' needs a single target"
        case .expectedClaim: return "expected a claim to check after 'expect', found \(found)"
        case .withinNeedsApprox: return "'within' applies only to a '≈' comparison"
        case .expectedTolerance: return "expected a tolerance after 'within', found \(found)"
        case .expectedBlock(let header, let line, _): return "expected an indented block after '\(header)' on line \(line)"
        case .compoundAfterColon(let keyword): return "'\(keyword)' cannot follow ':' on the same line"
        case .expectedLoopVariable: return "expected a loop variable after 'for', found \(found)"
        case .duplicateParameter(let name): return "duplicate parameter '\(name)'"
        case .defaultOrder(let name): return "parameter '\(name)' without a default follows one with a default"
        }
    }

    var hint: String? {
        let assignable = "the left side of '=' must be a name, a member (a.b) or a subscript (a[i])"
        let splitUp = "split it into smaller steps with intermediate variables"
        switch self {
        case .expected(_, let hint): return hint
        case .unclosed(_, _, _, _, let hint): return hint ? "separate items with ','" : nil
        case .traceNotFirst: return "put it in parentheses: (trace …)"
        case .chainedComparison: return "write 'a < b and b < c'"
        case .positionalAfterKeyword: return "put positional arguments before keyword arguments"
        case .cannotAssignCall: return "to compare, use '=='"
        case .cannotAssignLiteral, .cannotAssignExpression: return assignable
        case .nestedTooDeeply, .expressionTooDeep: return splitUp
        case .unexpectedIndent: return "indent a line only after a line ending in ':' (if, for, while, def)"
        case .orphan(let keyword): return "'\(keyword)' must line up with its 'if'"
        case .expectedLineEnd(let hint):
            return hint ? "put an operator between them, such as '*' to multiply, or a ',' between list items" : nil
        case .outsideLoop(let keyword): return "'\(keyword)' can only be used inside 'for' or 'while'"
        case .unsupported(_, let hint): return hint
        case .expectedClaim: return "for example: expect sum(p) ≈ 1"
        case .withinNeedsApprox: return "write: expect a ≈ b within 0.01"
        case .expectedBlock(let header, _, let hint): return hint ? "indent the lines that belong to the '\(header)' (four spaces)" : nil
        case .compoundAfterColon: return "start it on a new line, indented"
        case .defaultOrder: return "put parameters with defaults last"
        case .comprehension: return "build the list in a loop: ys = [] then for x in xs: ys += [f(x)]"
        case .statementAsValue(let keyword): return "for what it does, type help(\"\(keyword)\") or :help \(keyword)"
        default: return nil
        }
    }
}
