/// Atoms and what follows them: calls, subscripts, member access; and assignment targets.
extension Parser {
    mutating func parsePostfix() throws -> Expr {
        var expr = try parseAtom()
        while true {
            switch current.kind {
            case .leftParen:
                expr = try parseCall(expr)
            case .leftBracket:
                expr = try parseSubscript(expr)
            case .dot:
                let dot = advance()
                let name = try expect(.name, .expected("a member name after '.'"))
                expr = try make(.member(expr, name.text), expr.start, name.end, focus: dot.start, focusEnd: name.end,
                                children: [expr])
            default:
                return expr
            }
        }
    }

    /// Brackets recurse; everything else is a leaf, built in `parseLeaf` so that this
    /// frame, on the path of every nested bracket, stays small.
    mutating func parseAtom() throws -> Expr {
        switch currentKind {
        case .leftParen: return try parseParenthesized()
        case .leftBracket: return try parseListLiteral()
        default: return try parseLeaf()
        }
    }

    mutating func parseListLiteral() throws -> Expr {
        let open = advance()
        let items = try parseItems(closing: .rightBracket)
        let close = try expectClose(.rightBracket, opened: open)
        return try make(.list(items), open.start, close.end, children: items)
    }

    mutating func parseLeaf() throws -> Expr {
        let token = current
        switch token.kind {
        case .number:
            advance()
            return try make(.number(token.number), token.start, token.end)
        case .string:
            advance()
            return try make(.string(token.text), token.start, token.end)
        case .true, .false:
            advance()
            return try make(.bool(token.kind == .true), token.start, token.end)
        case .none:
            advance()
            return try make(.none, token.start, token.end)
        case .name:
            advance()
            return try make(.name(token.text), token.start, token.end)
        default:
            throw atomFailure()
        }
    }

    @inline(never)
    func atomFailure() -> Failure {
        if currentKind == .trace { return failure(.traceNotFirst) }
        if LanguageReference.statementKeywords.contains(current.lexeme) { return failure(.statementAsValue(current.lexeme)) }
        if let previous, ![.newline, .indent, .dedent].contains(previous.kind) {
            return failure(.expectedExpression(after: previous.lexeme))
        }
        return failure(.expectedExpression(after: nil))
    }

    /// `(e)` is e itself; `()` and `(a, b)` are tuples (plain lists).
    mutating func parseParenthesized() throws -> Expr {
        let open = advance()
        if check(.rightParen) {
            let close = advance()
            return try make(.tuple([]), open.start, close.end)
        }
        let first = try parseExpression()
        if !check(.comma) {
            try expectClose(.rightParen, opened: open)
            return first
        }
        var items = [first]
        while match(.comma) {
            if check(.rightParen) { break }
            items.append(try parseExpression())
        }
        let close = try expectClose(.rightParen, opened: open)
        return try make(.tuple(items), open.start, close.end, children: items)
    }

    /// Comma-separated expressions up to (not including) `closing`; a trailing comma is fine.
    mutating func parseItems(closing: TokenKind) throws -> [Expr] {
        var items: [Expr] = []
        while !check(closing) {
            items.append(try parseExpression())
            if check(.for) { throw failure(.comprehension) }
            if !match(.comma) { break }
        }
        return items
    }

    /// Arguments: positional first, then keywords written `name: value` or `name=value`.
    mutating func parseCall(_ callee: Expr) throws -> Expr {
        let open = advance()
        var arguments: [Argument] = []
        var seenKeyword = false
        while !check(.rightParen) {
            let start = current
            if currentKind == .name, peekKind(1) == .assign || peekKind(1) == .colon {
                advance()
                advance()
                if arguments.contains(where: { $0.name == start.text }) {
                    throw failure(.keywordTwice(start.text), from: start.start, to: start.end)
                }
                try requireOperand(after: previous ?? start)
                let value = try parseExpression()
                arguments.append(Argument(name: start.text, value: value, nameLocation: start.start))
                seenKeyword = true
            } else {
                let value = try parseExpression()
                if seenKeyword { throw failure(.positionalAfterKeyword, from: value.start, to: value.end) }
                arguments.append(Argument(name: nil, value: value, nameLocation: value.start))
            }
            if !match(.comma) { break }
        }
        let close = try expectClose(.rightParen, opened: open)
        return try make(.call(callee, arguments), callee.start, close.end, children: [callee] + arguments.map(\.value))
    }

    /// `a[i]`, `a[1:3]`, `a[::-1]`, `A[0, 1:3]`, `A[:, 0]`.
    mutating func parseSubscript(_ base: Expr) throws -> Expr {
        let open = advance()
        var parts: [SubscriptExpr] = []
        var children = [base]
        if check(.rightBracket) { throw failure(.emptySubscript) }
        repeat {
            if check(.rightBracket) { break }
            var start: Expr?
            if !check(.colon) {
                let index = try parseExpression()
                start = index
                children.append(index)
            }
            if match(.colon) {
                let stop = try parseSliceBound()
                var step: Expr?
                if match(.colon) { step = try parseSliceBound() }
                children += [stop, step].compactMap { $0 }
                parts.append(.slice(start: start, stop: stop, step: step))
            } else if let start {
                parts.append(.index(start))
            }
        } while match(.comma)
        let close = try expectClose(.rightBracket, opened: open)
        return try make(.subscripted(base, parts), base.start, close.end, focus: open.start, focusEnd: close.end,
                        children: children)
    }

    private mutating func parseSliceBound() throws -> Expr? {
        if check(.colon) || check(.comma) || check(.rightBracket) { return nil }
        return try parseExpression()
    }

    // MARK: Targets

    /// Checks that an expression can be assigned to, and turns it into a target.
    func target(from expr: Expr) throws -> Target {
        switch expr.kind {
        case .name(let name):
            return Target(kind: .name(name), start: expr.start, end: expr.end, focus: expr.start, focusEnd: expr.end)
        case .member(let object, let name):
            return Target(kind: .member(object, name), start: expr.start, end: expr.end, focus: expr.focus, focusEnd: expr.focusEnd)
        case .subscripted(let base, let parts):
            let baseTarget = try target(from: base)
            return Target(kind: .subscripted(baseTarget, parts), start: expr.start, end: expr.end,
                          focus: expr.focus, focusEnd: expr.focusEnd)
        case .tuple(let items), .list(let items):
            var targets: [Target] = []
            for item in items { targets.append(try target(from: item)) }
            return Target(kind: .tuple(targets), start: expr.start, end: expr.end, focus: expr.start, focusEnd: expr.end)
        case .call:
            throw failure(.cannotAssignCall, from: expr.start, to: expr.end)
        case .number, .string, .bool, .none:
            throw failure(.cannotAssignLiteral, from: expr.start, to: expr.end)
        default:
            throw failure(.cannotAssignExpression, from: expr.start, to: expr.end)
        }
    }
}
