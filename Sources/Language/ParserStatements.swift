/// Statements and blocks.
extension Parser {
    /// Python keywords Huddle does not have, with what to do instead.
    static let unsupported: [String: String] = [
        "import": "everything a lesson needs is already available; type help() to list it",
        "from": "everything a lesson needs is already available; type help() to list it",
        "class": "define functions with 'def'; models come ready-made",
        "lambda": "define a named function with 'def'",
        "try": "errors stop the cell; fix the cause and run it again",
        "with": "write the statements directly",
        "global": "return the value from the function and assign it outside",
        "nonlocal": "return the value from the function and assign it outside",
        "yield": "collect the values in a list and return it",
        "del": "assign a new value instead",
        "assert": "use 'expect' to check a claim",
        "raise": "errors cannot be raised by hand; use 'expect' to check a claim",
    ]

    mutating func parseProgram() throws(Failure) -> [Stmt] {
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
    mutating func parseStatement() throws(Failure) -> [Stmt] {
        switch current.kind {
        case .if: return [try parseIf()]
        case .while: return [try parseWhile()]
        case .for: return [try parseFor()]
        case .def: return [try parseDef()]
        case .indent:
            throw failure("unexpected indent",
                          hint: "indent a line only after a line ending in ':' (if, for, while, def)")
        case .elif, .else:
            throw failure("'\(current.lexeme)' without a matching 'if'",
                          hint: "'\(current.lexeme)' must line up with its 'if'")
        case .error:
            throw failure("unexpected input")
        default:
            return try parseSimpleLine()
        }
    }

    /// One or more simple statements separated by `;`, then the end of the line.
    mutating func parseSimpleLine() throws(Failure) -> [Stmt] {
        var statements = [try parseSimple()]
        while match(.semicolon) {
            if check(.newline) || check(.endOfInput) { break }
            statements.append(try parseSimple())
        }
        try expectLineEnd()
        return statements
    }

    mutating func expectLineEnd() throws(Failure) {
        if match(.newline) || check(.endOfInput) || check(.dedent) { return }
        var hint: String?
        if current.kind == .name || current.kind == .number, previous?.kind == .name || previous?.kind == .number {
            hint = "put an operator between them, such as '*' to multiply, or a ',' between list items"
        }
        throw failure("expected end of line, found \(current.display)", hint: hint)
    }

    mutating func parseSimple() throws(Failure) -> Stmt {
        let first = current
        switch first.kind {
        case .pass:
            advance()
            return Stmt(kind: .pass, start: first.start, end: first.end)
        case .break, .continue:
            advance()
            guard loopDepth > 0 else {
                throw failure("'\(first.lexeme)' outside a loop", from: first.start, to: first.end,
                              hint: "'\(first.lexeme)' can only be used inside 'for' or 'while'")
            }
            return Stmt(kind: first.kind == .break ? .breakLoop : .continueLoop, start: first.start, end: first.end)
        case .return:
            advance()
            guard functionDepth > 0 else {
                throw failure("'return' outside a function", from: first.start, to: first.end)
            }
            var value: Expr?
            if ![.newline, .endOfInput, .semicolon, .dedent].contains(current.kind) {
                value = try parseExpressionList()
            }
            return Stmt(kind: .returnValue(value), start: first.start, end: previous?.end ?? first.end)
        case .expect:
            return try parseExpect()
        case .name:
            if let hint = Parser.unsupported[first.text], [.name, .colon, .number, .string, .newline].contains(peekKind(1)) {
                throw failure("'\(first.text)' is not part of Huddle's language", from: first.start, to: first.end, hint: hint)
            }
        default:
            break
        }
        return try parseAssignmentOrExpression()
    }

    mutating func parseAssignmentOrExpression() throws(Failure) -> Stmt {
        let first = current
        let expression = try parseExpressionList()
        let augmented: [TokenKind: BinaryOperator] = [
            .plusAssign: .add, .minusAssign: .subtract, .starAssign: .multiply, .slashAssign: .divide,
        ]
        if check(.assign) {
            var targets = [try target(from: expression)]
            var value = expression
            while match(.assign) {
                if [.newline, .endOfInput].contains(current.kind) {
                    throw failure("expected a value after '=', found \(current.display)")
                }
                value = try parseExpressionList()
                if check(.assign) { targets.append(try target(from: value)) }
            }
            return Stmt(kind: .assign(targets, value), start: first.start, end: value.end)
        }
        if let op = augmented[current.kind] {
            let opToken = advance()
            let target = try target(from: expression)
            if case .tuple = target.kind {
                throw failure("'\(opToken.lexeme)' needs a single target", from: expression.start, to: expression.end)
            }
            if [.newline, .endOfInput].contains(current.kind) {
                throw failure("expected a value after '\(opToken.lexeme)', found \(current.display)")
            }
            let value = try parseExpressionList()
            return Stmt(kind: .augmented(target, op, value), start: first.start, end: value.end)
        }
        return Stmt(kind: .expression(expression, text: textSince(first)), start: first.start, end: expression.end)
    }

    mutating func parseExpect() throws(Failure) -> Stmt {
        let keyword = advance()
        let conditionStart = current
        if [.newline, .endOfInput].contains(current.kind) {
            throw failure("expected a claim to check after 'expect', found \(current.display)",
                          hint: "for example: expect sum(p) ≈ 1")
        }
        let condition = try parseExpression()
        let text = textSince(conditionStart)
        var tolerance: Expr?
        if current.kind == .name && current.text == "within" {
            let within = advance()
            guard case .approx = condition.kind else {
                throw failure("'within' applies only to a '≈' comparison", from: within.start, to: within.end,
                              hint: "write: expect a ≈ b within 0.01")
            }
            if [.newline, .endOfInput].contains(current.kind) {
                throw failure("expected a tolerance after 'within', found \(current.display)")
            }
            tolerance = try parseExpression()
        }
        let decl = ExpectDecl(condition: condition, tolerance: tolerance, text: text)
        return Stmt(kind: .expect(decl), start: keyword.start, end: previous?.end ?? keyword.end)
    }

    // MARK: Compound statements

    /// The `:` after a header, with a hint for the classic `if x = 1:` mistake.
    mutating func expectColon(after what: String) throws(Failure) {
        let hint: String? = check(.assign) ? "use '==' to compare" : nil
        try expect(.colon, "':' after \(what)", hint: hint)
    }

    /// A block: an indented run of statements on the following lines, or simple
    /// statements on the rest of the header's line.
    mutating func parseBlock(for header: Token) throws(Failure) -> [Stmt] {
        try enter()
        defer { depth -= 1 }
        guard match(.newline) else {
            if check(.endOfInput) {
                throw failure("expected an indented block after '\(header.lexeme)' on line \(header.start.line)")
            }
            if [.if, .for, .while, .def].contains(current.kind) {
                throw failure("'\(current.lexeme)' cannot follow ':' on the same line", hint: "start it on a new line, indented")
            }
            return try parseSimpleLine()
        }
        guard match(.indent) else {
            throw failure("expected an indented block after '\(header.lexeme)' on line \(header.start.line)",
                          hint: "indent the lines that belong to the '\(header.lexeme)' (four spaces)")
        }
        var body: [Stmt] = []
        while !check(.dedent) && !check(.endOfInput) {
            if match(.newline) { continue }
            body += try parseStatement()
        }
        _ = match(.dedent)
        return body
    }

    mutating func parseIf() throws(Failure) -> Stmt {
        let header = advance()
        var branches: [Branch] = []
        var keyword = header
        while true {
            let condition = try parseExpression()
            try expectColon(after: "the condition of '\(keyword.lexeme)'")
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

    mutating func parseWhile() throws(Failure) -> Stmt {
        let header = advance()
        let condition = try parseExpression()
        try expectColon(after: "the condition of 'while'")
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock(for: header)
        return Stmt(kind: .whileLoop(condition, body), start: header.start, end: previous?.end ?? header.end)
    }

    mutating func parseFor() throws(Failure) -> Stmt {
        let header = advance()
        var items: [Expr] = []
        repeat {
            guard check(.name) || check(.leftParen) || check(.leftBracket) else {
                throw failure("expected a loop variable after 'for', found \(current.display)")
            }
            items.append(try parsePostfix())
        } while match(.comma) && !check(.in)
        let variables = items.count == 1 ? items[0] : tupleExpr(items)
        let target = try target(from: variables)
        try expect(.in, "'in' after the loop variable")
        let iterable = try parseExpressionList()
        try expectColon(after: "the 'for' header")
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock(for: header)
        return Stmt(kind: .forLoop(target, iterable, body), start: header.start, end: previous?.end ?? header.end)
    }

    mutating func parseDef() throws(Failure) -> Stmt {
        let header = advance()
        let name = try expect(.name, "a function name after 'def'")
        let open = try expect(.leftParen, "'(' after the function name")
        var parameters: [ParameterDecl] = []
        while !check(.rightParen) {
            let parameter = try expect(.name, "a parameter name")
            if parameters.contains(where: { $0.name == parameter.text }) {
                throw failure("duplicate parameter '\(parameter.text)'", from: parameter.start, to: parameter.end)
            }
            var defaultValue: Expr?
            if match(.assign) {
                defaultValue = try parseExpression()
            } else if parameters.last?.defaultValue != nil {
                throw failure("parameter '\(parameter.text)' without a default follows one with a default",
                              from: parameter.start, to: parameter.end,
                              hint: "put parameters with defaults last")
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
