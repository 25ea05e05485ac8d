/// Statements and blocks.
extension Parser {
    /// Python keywords Huddle does not have, with what to do instead.
    static let unsupported: [String: String] = [
        "import": "everything a lesson needs is already available; type help() to list it",
        "from": "everything a lesson needs is already available; type help() to list it",
        "class": "define functions with 'def'; models come ready-made",
        "lambda": "define a named function with 'def' instead, as in: def double(x): return 2 * x",
        "try": "errors stop the cell; fix the cause and run it again",
        "with": "write the statements directly",
        "global": "return the value from the function and assign it outside",
        "nonlocal": "return the value from the function and assign it outside",
        "yield": "collect the values in a list and return it",
        "del": "assign a new value instead",
        "assert": "use 'expect' to check a claim",
        "raise": "errors cannot be raised by hand; use 'expect' to check a claim",
    ]

    mutating func parseProgram() throws -> [Stmt] {
        var statements: [Stmt] = []
        while !check(.endOfInput) {
            if check(.newline) || check(.dedent) {
                advance()
                continue
            }
            statements += try parseStatement()
        }
        return statements
    }

    /// One compound statement, or a line of simple statements.
    mutating func parseStatement() throws -> [Stmt] {
        switch currentKind {
        case .if: return [try parseIf()]
        case .while: return [try parseWhile()]
        case .for: return [try parseFor()]
        case .def: return [try parseDef()]
        case .indent: throw failure(.unexpectedIndent)
        case .elif, .else: throw failure(.orphan(current.lexeme))
        default: return try parseSimpleLine()
        }
    }

    /// One or more simple statements separated by `;`, then the end of the line.
    mutating func parseSimpleLine() throws -> [Stmt] {
        var statements = [try parseSimple()]
        while match(.semicolon) {
            if check(.newline) || check(.endOfInput) { break }
            statements.append(try parseSimple())
        }
        try expectLineEnd()
        return statements
    }

    mutating func expectLineEnd() throws {
        if match(.newline) || check(.endOfInput) || check(.dedent) { return }
        // `f = lambda x: x` reads `lambda` as a name and stops at `x`: name the keyword,
        // not the missing operator.
        if let word = previous, word.kind == .name, let hint = Parser.unsupported[word.text],
           [.name, .colon, .number, .string].contains(currentKind) {
            throw failure(.unsupported(word.text, hint: hint), from: word.start, to: word.end)
        }
        let adjacent: Set<TokenKind> = [.name, .number]
        throw failure(.expectedLineEnd(hint: adjacent.contains(currentKind) && adjacent.contains(previous?.kind ?? .newline)))
    }

    mutating func parseSimple() throws -> Stmt {
        let first = current
        switch first.kind {
        case .pass:
            advance()
            return Stmt(kind: .pass, start: first.start, end: first.end)
        case .break, .continue:
            advance()
            guard loopDepth > 0 else { throw failure(.outsideLoop(first.lexeme), from: first.start, to: first.end) }
            return Stmt(kind: first.kind == .break ? .breakLoop : .continueLoop, start: first.start, end: first.end)
        case .return:
            advance()
            guard functionDepth > 0 else { throw failure(.returnOutsideFunction, from: first.start, to: first.end) }
            var value: Expr?
            if ![.newline, .endOfInput, .semicolon, .dedent].contains(currentKind) {
                value = try parseExpressionList()
            }
            return Stmt(kind: .returnValue(value), start: first.start, end: previous?.end ?? first.end)
        case .expect:
            return try parseExpect()
        case .name:
            if let hint = Parser.unsupported[first.text], [.name, .colon, .number, .string, .newline].contains(peekKind(1)) {
                throw failure(.unsupported(first.text, hint: hint), from: first.start, to: first.end)
            }
        default:
            break
        }
        return try parseAssignmentOrExpression()
    }

    mutating func parseAssignmentOrExpression() throws -> Stmt {
        let first = current
        let expression = try parseExpressionList()
        if check(.assign) {
            var targets = [try target(from: expression)]
            var value = expression
            while match(.assign) {
                if check(.newline) || check(.endOfInput) { throw failure(.expectedValue(after: "=")) }
                value = try parseExpressionList()
                if check(.assign) { targets.append(try target(from: value)) }
            }
            return Stmt(kind: .assign(targets, value), start: first.start, end: value.end)
        }
        if let op = augmentedOperator() {
            let opToken = advance()
            let target = try target(from: expression)
            if case .tuple = target.kind {
                throw failure(.singleTarget(opToken.lexeme), from: expression.start, to: expression.end)
            }
            if check(.newline) || check(.endOfInput) { throw failure(.expectedValue(after: opToken.lexeme)) }
            let value = try parseExpressionList()
            return Stmt(kind: .augmented(target, op, value), start: first.start, end: value.end)
        }
        return Stmt(kind: .expression(expression, text: textSince(first)), start: first.start, end: expression.end)
    }

    func augmentedOperator() -> BinaryOperator? {
        switch currentKind {
        case .plusAssign: return .add
        case .minusAssign: return .subtract
        case .starAssign: return .multiply
        case .slashAssign: return .divide
        default: return nil
        }
    }

    mutating func parseExpect() throws -> Stmt {
        let keyword = advance()
        let conditionStart = current
        if check(.newline) || check(.endOfInput) { throw failure(.expectedClaim) }
        let condition = try parseExpression()
        let text = textSince(conditionStart)
        var tolerance: Expr?
        if currentKind == .name && current.text == "within" {
            let within = advance()
            guard case .approx = condition.kind else { throw failure(.withinNeedsApprox, from: within.start, to: within.end) }
            if check(.newline) || check(.endOfInput) { throw failure(.expectedTolerance) }
            tolerance = try parseExpression()
        }
        // A tolerance is part of the claim as reported: `a ≈ b within 0.01`.
        let decl = ExpectDecl(condition: condition, tolerance: tolerance, text: tolerance == nil ? text : textSince(conditionStart))
        return Stmt(kind: .expect(decl), start: keyword.start, end: previous?.end ?? keyword.end)
    }

    // MARK: Compound statements

    /// The `:` after a header, with a hint for the classic `if x = 1:` mistake.
    mutating func expectColon(after what: String) throws {
        if check(.colon) {
            advance()
            return
        }
        throw colonFailure(after: what)
    }

    @inline(never)
    func colonFailure(after what: String) -> Failure {
        failure(.expected("':' after \(what)", hint: check(.assign) ? "use '==' to compare" : nil))
    }

    /// A block: an indented run of statements on the following lines, or simple
    /// statements on the rest of the header's line.
    mutating func parseBlock(for header: Token) throws -> [Stmt] {
        try enter()
        defer { depth -= 1 }
        guard match(.newline) else {
            if check(.endOfInput) {
                throw failure(.expectedBlock(header: header.lexeme, line: header.start.line, hint: false))
            }
            if [.if, .for, .while, .def].contains(currentKind) { throw failure(.compoundAfterColon(current.lexeme)) }
            return try parseSimpleLine()
        }
        guard match(.indent) else {
            throw failure(.expectedBlock(header: header.lexeme, line: header.start.line, hint: true))
        }
        var body: [Stmt] = []
        while !check(.dedent) && !check(.endOfInput) {
            if match(.newline) { continue }
            body += try parseStatement()
        }
        match(.dedent)
        return body
    }

    mutating func parseIf() throws -> Stmt {
        let header = advance()
        var branches: [Branch] = []
        var keyword = header
        while true {
            let condition = try parseExpression()
            try expectColon(after: keyword.kind == .if ? "the condition of 'if'" : "the condition of 'elif'")
            branches.append(Branch(condition: condition, body: try parseBlock(for: keyword)))
            guard check(.elif) else { break }
            keyword = advance()
        }
        var otherwise: [Stmt] = []
        if check(.else) {
            let elseToken = advance()
            try expectColon(after: "'else'")
            otherwise = try parseBlock(for: elseToken)
        }
        return Stmt(kind: .conditional(branches, otherwise: otherwise), start: header.start, end: previous?.end ?? header.end)
    }

    mutating func parseWhile() throws -> Stmt {
        let header = advance()
        let condition = try parseExpression()
        try expectColon(after: "the condition of 'while'")
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock(for: header)
        return Stmt(kind: .whileLoop(condition, body), start: header.start, end: previous?.end ?? header.end)
    }

    mutating func parseFor() throws -> Stmt {
        let header = advance()
        var items: [Expr] = []
        repeat {
            guard check(.name) || check(.leftParen) || check(.leftBracket) else { throw failure(.expectedLoopVariable) }
            items.append(try parsePostfix())
        } while match(.comma) && !check(.in)
        let variables = items.count == 1 ? items[0] : tupleExpr(items)
        let target = try target(from: variables)
        try expect(.in, .expected("'in' after the loop variable"))
        let iterable = try parseExpressionList()
        try expectColon(after: "the 'for' header")
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock(for: header)
        return Stmt(kind: .forLoop(target, iterable, body), start: header.start, end: previous?.end ?? header.end)
    }

    mutating func parseDef() throws -> Stmt {
        let header = advance()
        let name = try expect(.name, .expected("a function name after 'def'"))
        let open = try expect(.leftParen, .expected("'(' after the function name"))
        var parameters: [ParameterDecl] = []
        while !check(.rightParen) {
            let parameter = try expect(.name, .expected("a parameter name"))
            if parameters.contains(where: { $0.name == parameter.text }) {
                throw failure(.duplicateParameter(parameter.text), from: parameter.start, to: parameter.end)
            }
            var defaultValue: Expr?
            if match(.assign) {
                defaultValue = try parseExpression()
            } else if parameters.last?.defaultValue != nil {
                throw failure(.defaultOrder(parameter.text), from: parameter.start, to: parameter.end)
            }
            parameters.append(ParameterDecl(name: parameter.text, defaultValue: defaultValue))
            if !match(.comma) { break }
        }
        try expectClose(.rightParen, opened: open)
        try expectColon(after: "the parameters of '\(name.text)'")
        let savedLoops = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer {
            functionDepth -= 1
            loopDepth = savedLoops
        }
        let body = try parseBlock(for: header)
        var doc: String?
        if let first = body.first, case .expression(let expr, _) = first.kind, case .string(let text) = expr.kind {
            doc = text
        }
        let decl = FunctionDecl(name: name.text, parameters: parameters, body: body, doc: doc)
        return Stmt(kind: .function(decl), start: header.start, end: previous?.end ?? header.end)
    }
}
