/// How a statement ended, so loops and functions can react to `break`, `continue`
/// and `return` without using Swift errors for control flow.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

/// Executing statements.
extension Interpreter {
    func execute(_ statements: [Stmt]) throws -> Flow {
        for statement in statements {
            let flow = try execute(statement)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    /// Dispatches on the statement kind; compound statements have their own methods so
    /// this frame, paid for at every level of nesting, stays small.
    func execute(_ statement: Stmt) throws -> Flow {
        try tick(statement.start, statement.end)
        nesting += 1
        defer { nesting -= 1 }
        if nesting > options.maxNesting { throw tooDeep(statement.start, statement.end) }
        switch statement.kind {
        case .expression, .assign, .augmented: try executeSimple(statement)
        case .conditional: return try executeConditional(statement)
        case .whileLoop: return try executeWhile(statement)
        case .forLoop: return try executeFor(statement)
        case .function: try define(statement)
        case .returnValue(let expr): return .returned(try expr.map(evaluate) ?? .none)
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        case .pass: break
        case .expect(let decl): try check(decl, statement)
        }
        return .normal
    }

    private func executeSimple(_ statement: Stmt) throws {
        switch statement.kind {
        case .expression(let expr, let text):
            let value = try evaluate(expr)
            if callDepth == 0, !value.isNone {
                host.show(value, span: span(expr.start, expr.end, text: text))
            }
        case .assign(let targets, let expr):
            let value = try evaluate(expr)
            for target in targets { try assign(target, value) }
        case .augmented(let target, let op, let expr):
            let operand = try evaluate(expr)
            try update(target) { current in
                try located(target.start, target.end) { try Operations.binary(op, current, operand) }
            }
        default:
            break
        }
    }

    private func executeConditional(_ statement: Stmt) throws -> Flow {
        guard case .conditional(let branches, let otherwise) = statement.kind else { return .normal }
        for branch in branches {
            if try truthy(try evaluate(branch.condition), at: branch.condition) {
                return try execute(branch.body)
            }
        }
        return try execute(otherwise)
    }

    private func executeWhile(_ statement: Stmt) throws -> Flow {
        guard case .whileLoop(let condition, let body) = statement.kind else { return .normal }
        while try truthy(try evaluate(condition), at: condition) {
            try interruptCheck(statement.start, condition.end)
            switch try execute(body) {
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    private func executeFor(_ statement: Stmt) throws -> Flow {
        guard case .forLoop(let target, let iterable, let body) = statement.kind else { return .normal }
        let sequence = try evaluate(iterable)
        let items = try located(iterable.start, iterable.end) { try Operations.iterate(sequence) }
        for item in items {
            try interruptCheck(statement.start, iterable.end)
            try assign(target, item)
            switch try execute(body) {
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// `def`: default values are evaluated now, once, as in Python.
    private func define(_ statement: Stmt) throws {
        guard case .function(let decl) = statement.kind else { return }
        var parameters: [Parameter] = []
        for parameter in decl.parameters {
            parameters.append(Parameter(name: parameter.name, defaultValue: try parameter.defaultValue.map(evaluate)))
        }
        let function = UserFunction(
            name: decl.name, parameters: parameters, doc: decl.doc, body: decl.body, closure: scope, source: source)
        scope.assign(decl.name, .function(function))
    }

    // MARK: Assignment

    func assign(_ target: Target, _ value: Value) throws {
        switch target.kind {
        case .name(let name):
            scope.assign(name, value)
        case .member(let objectExpr, let name):
            let object = try evaluate(objectExpr)
            try located(target.focus, target.focusEnd) { try Operations.setMember(object, name, value) }
        case .subscripted(let base, let partExprs):
            let parts = try evaluate(partExprs)
            try update(base) { container in
                try located(target.focus, target.focusEnd) { try Subscripts.set(container, parts, value) }
            }
        case .tuple(let targets):
            let items = try located(target.start, target.end) { try Operations.unpack(value, into: targets.count) }
            for (item, itemTarget) in zip(items, targets) { try assign(itemTarget, item) }
        }
    }

    /// Reads a target, transforms its value and writes the result back along the same
    /// path: `attn.Wq[0, 1] = 0.5` reads `attn.Wq`, makes the updated copy, and sets
    /// member `Wq` on `attn`. Each part of the path is evaluated once.
    func update(_ target: Target, _ transform: (Value) throws -> Value) throws {
        switch target.kind {
        case .name(let name):
            guard let current = scope.lookup(name) else {
                let suggestion = Suggestion.phrase(for: name, among: scope.visibleNames)
                throw failure("name '\(name)' is not defined\(suggestion)", from: target.focus, to: target.focusEnd)
            }
            scope.update(name, try transform(current))
        case .member(let objectExpr, let name):
            let object = try evaluate(objectExpr)
            let current = try located(target.focus, target.focusEnd) { try Operations.member(object, name) }
            let updated = try transform(current)
            try located(target.focus, target.focusEnd) { try Operations.setMember(object, name, updated) }
        case .subscripted(let base, let partExprs):
            let parts = try evaluate(partExprs)
            try update(base) { container in
                let current = try located(target.focus, target.focusEnd) { try Subscripts.get(container, parts) }
                let updated = try transform(current)
                return try located(target.focus, target.focusEnd) { try Subscripts.set(container, parts, updated) }
            }
        case .tuple:
            throw failure("cannot update several targets at once", from: target.start, to: target.end)
        }
    }

    // MARK: Checks

    /// Records an `expect` check with the host. A failed check does not stop the run.
    func check(_ decl: ExpectDecl, _ statement: Stmt) throws {
        let condition = decl.condition
        // The check reads as written, tolerance included: `a ≈ b within 0.01`.
        let span = span(condition.start, decl.tolerance?.end ?? condition.end, text: decl.text)
        var tolerance = Tolerance.standard
        if let toleranceExpr = decl.tolerance {
            let value = try evaluate(toleranceExpr)
            guard let t = value.number, t >= 0, t.isFinite else {
                throw failure("the tolerance after 'within' must be a number ≥ 0, got \(value.repr)", from: toleranceExpr.start, to: toleranceExpr.end)
            }
            tolerance = .within(t)
        }
        let result: CheckResult
        switch condition.kind {
        case .approx(let left, let right):
            let actual = try evaluate(left)
            let expected = try evaluate(right)
            let outcome = try located(condition) { try approx(actual, expected, tolerance) }
            result = CheckResult(passed: outcome.isClose, kind: .approx(actual: actual, expected: expected, tolerance: tolerance),
                                 span: span, detail: outcome.detail)
        case .binary(let op, let left, let right) where op.isComparison || op == .contains:
            let a = try evaluate(left)
            let b = try evaluate(right)
            let value = try located(condition) { try Operations.binary(op, a, b) }
            if case .host(let entries) = value, let outcome = entries.entrywiseCheck() {
                result = CheckResult(passed: outcome.passed, kind: .comparison(op, a, b), span: span,
                                     detail: outcome.passed ? nil : (op == .equal ? "they differ at " : "false at ") + outcome.failedAt)
            } else {
                result = CheckResult(passed: try truthy(value, at: condition), kind: .comparison(op, a, b), span: span)
            }
        default:
            let value = try evaluate(condition)
            result = CheckResult(passed: try truthy(value, at: condition), kind: .truth(value), span: span)
        }
        host.report(result)
    }
}
