/// Expressions, by precedence from lowest to highest:
/// `trace`; `or`; `and`; `not`; comparisons (`== != < <= > >= ≈ in not-in is`);
/// `+ -`; `* / // % @`; unary `- +`; `**` (right-associative); calls, subscripts, members.
extension Parser {
    /// Builds a node, refusing trees deeper than `maxDepth` (long chains such as
    /// `1+1+1+…` grow depth without nesting brackets).
    func make(_ kind: Expr.Kind, _ start: SourceLocation, _ end: SourceLocation,
              focus: SourceLocation? = nil, focusEnd: SourceLocation? = nil, children: [Expr] = []) throws(Failure) -> Expr {
        let depth = 1 + children.reduce(0) { max($0, $1.depth) }
        if depth > Parser.maxDepth {
            throw failure("this expression is nested too deeply (more than \(Parser.maxDepth) levels)",
                          from: start, to: end, hint: "split it into smaller steps with intermediate variables")
        }
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
    mutating func expectClose(_ kind: TokenKind, opened open: Token) throws(Failure) -> Token {
        if check(kind) { return advance() }
        let closing = kind == .rightParen ? ")" : "]"
        var message = "expected '\(closing)' to close '\(open.lexeme)' opened at \(open.start)"
        var hint: String?
        if current.kind != .endOfInput {
            message += ", found \(current.display)"
            if current.startsExpression { hint = "separate items with ','" }
        }
        var failure = failure(message, hint: hint)
        if failure.diagnostic.location.line != open.start.line {
            failure.diagnostic.notes.append(Diagnostic.Note(
                message: "'\(open.lexeme)' opened here", file: source.name, location: open.start,
                lineText: source.lineText(open.start.line)))
        }
        throw failure
    }

    /// `a, b, c` becomes a tuple; a single expression stays itself.
    mutating func parseExpressionList() throws(Failure) -> Expr {
        let first = try parseExpression()
        guard check(.comma) else { return first }
        var items = [first]
        while match(.comma) {
            if !current.startsExpression { break }
            items.append(try parseExpression())
        }
        return tupleExpr(items)
    }

    mutating func parseExpression() throws(Failure) -> Expr {
        try enter()
        defer { depth -= 1 }
        if check(.trace) {
            let keyword = advance()
            let labelStart = current
            let traced = try parseExpression()
            let label = textSince(labelStart)
            return try make(.trace(traced, label: label), keyword.start, traced.end,
                            focusEnd: keyword.end, children: [traced])
        }
        return try parseOr()
    }

    mutating func parseOr() throws(Failure) -> Expr {
        var left = try parseAnd()
        while check(.or) {
            let op = advance()
            try requireOperand(after: op)
            let right = try parseAnd()
            left = try make(.or(left, right), left.start, right.end, focus: op.start, focusEnd: op.end, children: [left, right])
        }
        return left
    }

    mutating func parseAnd() throws(Failure) -> Expr {
        var left = try parseNot()
        while check(.and) {
            let op = advance()
            try requireOperand(after: op)
            let right = try parseNot()
            left = try make(.and(left, right), left.start, right.end, focus: op.start, focusEnd: op.end, children: [left, right])
        }
        return left
    }

    mutating func parseNot() throws(Failure) -> Expr {
        guard check(.not) else { return try parseComparison() }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        try requireOperand(after: op)
        let operand = try parseNot()
        return try make(.not(operand), op.start, operand.end, focusEnd: op.end, children: [operand])
    }

    /// A comparison operator at the current position, and how many tokens it spans
    /// (`not in` and `is not` take two).
    func comparisonAhead() -> (kind: ComparisonKind, length: Int)? {
        switch current.kind {
        case .equal: return (.binary(.equal), 1)
        case .notEqual: return (.binary(.notEqual), 1)
        case .less: return (.binary(.less), 1)
        case .lessEqual: return (.binary(.lessEqual), 1)
        case .greater: return (.binary(.greater), 1)
        case .greaterEqual: return (.binary(.greaterEqual), 1)
        case .approx: return (.approx, 1)
        case .in: return (.binary(.contains), 1)
        case .not where peekKind(1) == .in: return (.notIn, 2)
        case .is where peekKind(1) == .not: return (.isNot, 2)
        case .is: return (.is, 1)
        default: return nil
        }
    }

    enum ComparisonKind: Equatable {
        case binary(BinaryOperator), approx, notIn, `is`, isNot
    }

    mutating func parseComparison() throws(Failure) -> Expr {
        let left = try parseArithmetic()
        guard let (kind, length) = comparisonAhead() else { return left }
        let op = advance()
        if length == 2 { advance() }
        let opEnd = previous?.end ?? op.end
        try requireOperand(after: previous ?? op)
        let right = try parseArithmetic()
        if comparisonAhead() != nil {
            throw failure("comparisons cannot be chained", hint: "write 'a < b and b < c'")
        }
        let children = [left, right]
        let node: Expr.Kind
        switch kind {
        case .binary(let binary): node = .binary(binary, left, right)
        case .approx: node = .approx(left, right)
        case .is: node = .identical(left, right)
        case .notIn, .isNot:
            let inner: Expr.Kind = kind == .notIn ? .binary(.contains, left, right) : .identical(left, right)
            let positive = try make(inner, left.start, right.end, focus: op.start, focusEnd: opEnd, children: children)
            return try make(.not(positive), left.start, right.end, focus: op.start, focusEnd: opEnd, children: [positive])
        }
        return try make(node, left.start, right.end, focus: op.start, focusEnd: opEnd, children: children)
    }

    mutating func parseArithmetic() throws(Failure) -> Expr {
        var left = try parseTerm()
        while let op = [TokenKind.plus: BinaryOperator.add, .minus: .subtract][current.kind] {
            left = try parseBinaryRest(left, op) { (parser: inout Parser) throws(Failure) in try parser.parseTerm() }
        }
        return left
    }

    mutating func parseTerm() throws(Failure) -> Expr {
        let operators: [TokenKind: BinaryOperator] = [
            .star: .multiply, .slash: .divide, .slashSlash: .floorDivide, .percent: .modulo, .at: .matmul,
        ]
        var left = try parseFactor()
        while let op = operators[current.kind] {
            left = try parseBinaryRest(left, op) { (parser: inout Parser) throws(Failure) in try parser.parseFactor() }
        }
        return left
    }

    /// Consumes the operator at the current token and the right operand.
    mutating func parseBinaryRest(
        _ left: Expr, _ op: BinaryOperator, _ operand: (inout Parser) throws(Failure) -> Expr
    ) throws(Failure) -> Expr {
        let token = advance()
        try requireOperand(after: token)
        let right = try operand(&self)
        return try make(.binary(op, left, right), left.start, right.end, focus: token.start, focusEnd: token.end,
                        children: [left, right])
    }

    /// "expected an expression after '+', found end of line" rather than a vaguer error
    /// further on.
    func requireOperand(after token: Token) throws(Failure) {
        if current.startsExpression { return }
        if current.kind == .trace {
            throw failure("'trace' must start an expression", hint: "put it in parentheses: (trace …)")
        }
        throw failure("expected an expression after '\(token.lexeme)', found \(current.display)")
    }

    mutating func parseFactor() throws(Failure) -> Expr {
        guard check(.minus) || check(.plus) else { return try parsePower() }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        try requireOperand(after: op)
        let operand = try parseFactor()
        let unary: UnaryOperator = op.kind == .minus ? .negate : .plus
        return try make(.unary(unary, operand), op.start, operand.end, focusEnd: op.end, children: [operand])
    }

    /// `**` binds tighter than a unary minus on its left (`-2**2` is -4) and takes a
    /// signed operand on its right (`2**-1`).
    mutating func parsePower() throws(Failure) -> Expr {
        let base = try parsePostfix()
        guard check(.starStar) else { return base }
        let op = advance()
        try enter()
        defer { depth -= 1 }
        try requireOperand(after: op)
        let exponent = try parseFactor()
        return try make(.binary(.power, base, exponent), base.start, exponent.end, focus: op.start, focusEnd: op.end,
                        children: [base, exponent])
    }
}
