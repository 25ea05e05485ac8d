/// Expressions, by precedence climbing. Levels, lowest first:
///
/// | level | operators |
/// |---|---|
/// | 1 | `or` |
/// | 2 | `and` |
/// | 3 | `not` (prefix) |
/// | 4 | `== != < <= > >= ≈ in not-in is is-not` (not chained) |
/// | 5 | `+ -` |
/// | 6 | `* / // % @` |
/// | 7 | unary `- +` (prefix) |
/// | 8 | `**`, right-associative, its right side at level 7 (`2**-1`) |
///
/// then calls, subscripts and members. `trace` sits below them all and covers the rest
/// of the expression. One function handles every binary level, which keeps the Swift
/// recursion per level of nesting (and so the stack used by deep input) small.
extension Parser {
    enum Level {
        static let or = 1, and = 2, not = 3, comparison = 4, sum = 5, product = 6, unary = 7, power = 8
    }

    /// A binary operator at the current position: its node, level and token count
    /// (`not in` and `is not` take two tokens).
    enum Operator {
        case binary(BinaryOperator), and, or, approx, identical, notIn, notIdentical
    }

    func operatorAhead() -> (op: Operator, level: Int, length: Int)? {
        switch currentKind {
        case .or: return (.or, Level.or, 1)
        case .and: return (.and, Level.and, 1)
        case .equal: return (.binary(.equal), Level.comparison, 1)
        case .notEqual: return (.binary(.notEqual), Level.comparison, 1)
        case .less: return (.binary(.less), Level.comparison, 1)
        case .lessEqual: return (.binary(.lessEqual), Level.comparison, 1)
        case .greater: return (.binary(.greater), Level.comparison, 1)
        case .greaterEqual: return (.binary(.greaterEqual), Level.comparison, 1)
        case .approx: return (.approx, Level.comparison, 1)
        case .in: return (.binary(.contains), Level.comparison, 1)
        case .not where peekKind(1) == .in: return (.notIn, Level.comparison, 2)
        case .is where peekKind(1) == .not: return (.notIdentical, Level.comparison, 2)
        case .is: return (.identical, Level.comparison, 1)
        case .plus: return (.binary(.add), Level.sum, 1)
        case .minus: return (.binary(.subtract), Level.sum, 1)
        case .star: return (.binary(.multiply), Level.product, 1)
        case .slash: return (.binary(.divide), Level.product, 1)
        case .slashSlash: return (.binary(.floorDivide), Level.product, 1)
        case .percent: return (.binary(.modulo), Level.product, 1)
        case .at: return (.binary(.matmul), Level.product, 1)
        case .starStar: return (.binary(.power), Level.power, 1)
        default: return nil
        }
    }

    /// Builds a node, refusing trees deeper than `maxDepth` (long chains such as
    /// `1+1+1+…` grow depth without nesting brackets).
    func make(_ kind: Expr.Kind, _ start: SourceLocation, _ end: SourceLocation,
              focus: SourceLocation? = nil, focusEnd: SourceLocation? = nil, children: [Expr] = []) throws -> Expr {
        var depth = 0
        for child in children where child.depth > depth { depth = child.depth }
        depth += 1
        if depth > Parser.maxDepth { throw failure(.expressionTooDeep, from: start, to: end) }
        return Expr(kind: kind, start: start, end: end, focus: focus ?? start, focusEnd: focusEnd ?? end, depth: depth)
    }

    func tupleExpr(_ items: [Expr]) -> Expr {
        let start = items.first?.start ?? current.start
        let end = items.last?.end ?? start
        let depth = 1 + items.reduce(0) { max($0, $1.depth) }
        return Expr(kind: .tuple(items), start: start, end: end, focus: start, focusEnd: end, depth: depth)
    }

    /// The closing bracket for `open`, or an error naming where it was opened.
    @discardableResult
    mutating func expectClose(_ kind: TokenKind, opened open: Token) throws -> Token {
        if check(kind) { return advance() }
        throw unclosed(kind, open)
    }

    @inline(never)
    func unclosed(_ kind: TokenKind, _ open: Token) -> Failure {
        let atEnd = currentKind == .endOfInput
        let problem = SyntaxProblem.unclosed(
            closing: kind == .rightParen ? ")" : "]", opening: open.lexeme, at: open.start,
            found: !atEnd, hint: !atEnd && current.startsExpression)
        var failure = failure(problem)
        if failure.diagnostic.location.line != open.start.line {
            failure.diagnostic.notes.append(Diagnostic.Note(
                message: "'\(open.lexeme)' opened here", file: source.name, location: open.start,
                lineText: source.lineText(open.start.line)))
        }
        return failure
    }

    /// `a, b, c` becomes a tuple; a single expression stays itself.
    mutating func parseExpressionList() throws -> Expr {
        let first = try parseExpression()
        guard check(.comma) else { return first }
        var items = [first]
        while match(.comma) {
            if !current.startsExpression { break }
            items.append(try parseExpression())
        }
        return tupleExpr(items)
    }

    mutating func parseExpression() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        if check(.trace) { return try parseTrace() }
        return try parseBinary(Level.or)
    }

    mutating func parseTrace() throws -> Expr {
        let keyword = advance()
        let labelStart = current
        let traced = try parseExpression()
        let label = textSince(labelStart)
        return try make(.trace(traced, label: label), keyword.start, traced.end, focusEnd: keyword.end, children: [traced])
    }

    /// An expression whose operators all bind at least as tightly as `minimum`.
    mutating func parseBinary(_ minimum: Int) throws -> Expr {
        var left = try parsePrefix(minimum)
        while let (op, level, length) = operatorAhead(), level >= minimum {
            let opToken = advance()
            if length == 2 { advance() }
            let opEnd = previous?.end ?? opToken.end
            try requireOperand(after: previous ?? opToken)
            let right: Expr
            if level == Level.power {
                try enter()
                defer { depth -= 1 }
                right = try parseBinary(Level.unary)
            } else {
                right = try parseBinary(level + 1)
            }
            if level == Level.comparison, let (_, nextLevel, _) = operatorAhead(), nextLevel == Level.comparison {
                throw failure(.chainedComparison)
            }
            left = try combine(op, left, right, opToken.start, opEnd)
        }
        return left
    }

    func combine(_ op: Operator, _ left: Expr, _ right: Expr, _ opStart: SourceLocation, _ opEnd: SourceLocation) throws -> Expr {
        let kind: Expr.Kind
        switch op {
        case .binary(let binary): kind = .binary(binary, left, right)
        case .and: kind = .and(left, right)
        case .or: kind = .or(left, right)
        case .approx: kind = .approx(left, right)
        case .identical: kind = .identical(left, right)
        case .notIn, .notIdentical:
            let inner: Expr.Kind = op == .notIn ? .binary(.contains, left, right) : .identical(left, right)
            let positive = try make(inner, left.start, right.end, focus: opStart, focusEnd: opEnd, children: [left, right])
            return try make(.not(positive), left.start, right.end, focus: opStart, focusEnd: opEnd, children: [positive])
        }
        return try make(kind, left.start, right.end, focus: opStart, focusEnd: opEnd, children: [left, right])
    }

    /// `not x` (when `not` is allowed at this level), `-x`, `+x`, or a postfix expression.
    mutating func parsePrefix(_ minimum: Int) throws -> Expr {
        let kind = currentKind
        let isNot = kind == .not && minimum <= Level.not
        let isSign = (kind == .minus || kind == .plus) && minimum <= Level.unary
        guard isNot || isSign else { return try parsePostfix() }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        try requireOperand(after: op)
        let operand = try parseBinary(isNot ? Level.not : Level.unary)
        let node: Expr.Kind = isNot ? .not(operand) : .unary(kind == .minus ? .negate : .plus, operand)
        return try make(node, op.start, operand.end, focusEnd: op.end, children: [operand])
    }

    /// "expected an expression after '+', found end of line" rather than a vaguer error
    /// further on.
    func requireOperand(after token: Token) throws {
        if current.startsExpression { return }
        throw operandFailure(after: token)
    }

    @inline(never)
    func operandFailure(after token: Token) -> Failure {
        if currentKind == .trace { return failure(.traceNotFirst) }
        return failure(.expectedExpression(after: token.lexeme))
    }
}

extension Parser.Operator: Equatable {}
