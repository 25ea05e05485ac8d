/// Evaluating expressions.
extension Interpreter {
    /// Dispatches on the node kind. Each composite kind has its own method so this
    /// frame, which every level of nesting pays for, stays small.
    func evaluate(_ expr: Expr) throws -> Value {
        try tick(expr.focus, expr.focusEnd)
        nesting += 1
        defer { nesting -= 1 }
        if nesting > options.maxNesting { throw tooDeep(expr.focus, expr.focusEnd) }
        switch expr.kind {
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .none: return .none
        case .name(let name): return try lookup(name, at: expr)
        case .list, .tuple: return try evaluateList(expr)
        case .unary, .not: return try evaluateUnary(expr)
        case .binary, .approx, .identical: return try evaluateBinary(expr)
        case .and, .or: return try evaluateLogical(expr)
        case .call: return try evaluateCall(expr)
        case .subscripted, .member: return try evaluateAccess(expr)
        case .trace: return try evaluateTrace(expr)
        }
    }

    private func evaluateList(_ expr: Expr) throws -> Value {
        switch expr.kind {
        case .list(let items):
            let values = try evaluate(items)
            return try located(expr) {
                try Limits.checkNesting(values)
                if let converted = try host.arrayLiteral(values) { return converted }
                return .list(values)
            }
        case .tuple(let items):
            let values = try evaluate(items)
            try located(expr) { try Limits.checkNesting(values) }
            return .list(values)
        default:
            return .none
        }
    }

    private func evaluateUnary(_ expr: Expr) throws -> Value {
        switch expr.kind {
        case .unary(let op, let operand):
            let value = try evaluate(operand)
            return try located(expr) { try Operations.unary(op, value) }
        case .not(let operand):
            let value = try evaluate(operand)
            return .bool(!(try truthy(value, at: operand)))
        default:
            return .none
        }
    }

    private func evaluateBinary(_ expr: Expr) throws -> Value {
        switch expr.kind {
        case .binary(let op, let left, let right):
            let a = try evaluate(left)
            let b = try evaluate(right)
            return try located(expr) { try Operations.binary(op, a, b) }
        case .approx(let left, let right):
            let a = try evaluate(left)
            let b = try evaluate(right)
            return .bool(try located(expr) { try approx(a, b, .standard) }.isClose)
        case .identical(let left, let right):
            let a = try evaluate(left)
            let b = try evaluate(right)
            return .bool(Operations.identical(a, b))
        default:
            return .none
        }
    }

    private func evaluateLogical(_ expr: Expr) throws -> Value {
        switch expr.kind {
        case .and(let left, let right):
            let a = try evaluate(left)
            return try truthy(a, at: left) ? try evaluate(right) : a
        case .or(let left, let right):
            let a = try evaluate(left)
            return try truthy(a, at: left) ? a : try evaluate(right)
        default:
            return .none
        }
    }

    private func evaluateAccess(_ expr: Expr) throws -> Value {
        switch expr.kind {
        case .subscripted(let base, let parts):
            let container = try evaluate(base)
            let evaluated = try evaluate(parts)
            return try located(expr) { try Subscripts.get(container, evaluated) }
        case .member(let object, let name):
            let value = try evaluate(object)
            return try located(expr) { try Operations.member(value, name) }
        default:
            return .none
        }
    }

    private func evaluateTrace(_ expr: Expr) throws -> Value {
        guard case .trace(let traced, let label) = expr.kind else { return .none }
        let span = span(expr.start, expr.end, text: label)
        return try located(expr) { try host.trace(span) { try evaluate(traced) } }
    }

    func evaluate(_ exprs: [Expr]) throws -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(exprs.count)
        for expr in exprs { values.append(try evaluate(expr)) }
        return values
    }

    func evaluate(_ parts: [SubscriptExpr]) throws -> [SubscriptPart] {
        var result: [SubscriptPart] = []
        for part in parts {
            switch part {
            case .index(let expr):
                let value = try evaluate(expr)
                result.append(try located(expr.start, expr.end) { try Subscripts.part(index: value) })
            case .slice(let start, let stop, let step):
                let bounds = try [start, stop, step].map { try $0.map(evaluate) }
                let at = start ?? stop ?? step
                result.append(try located(at?.start ?? SourceLocation(line: 1, column: 1), at?.end ?? SourceLocation(line: 1, column: 1)) {
                    try Subscripts.part(start: bounds[0], stop: bounds[1], step: bounds[2])
                })
            }
        }
        return result
    }

    /// A variable, then a builtin; otherwise an error suggesting the closest name.
    func lookup(_ name: String, at expr: Expr) throws -> Value {
        if let value = scope.lookup(name) { return value }
        if let builtin = environment.builtin(named: name) { return .builtin(builtin) }
        let suggestion = Suggestion.phrase(for: name, among: scope.visibleNames + environment.builtinNames)
        throw failure("name '\(name)' is not defined\(suggestion)", at: expr)
    }

    func truthy(_ value: Value, at expr: Expr) throws -> Bool {
        if case .bool(let flag) = value { return flag }
        return try located(expr.start, expr.end) { try Operations.truthy(value) }
    }

    /// `a ≈ b`: the host decides first; Language compares numbers and lists of numbers
    /// (elementwise, a number against every element of a list).
    func approx(_ a: Value, _ b: Value, _ tolerance: Tolerance) throws -> ApproxResult {
        if let result = try host.approxEqual(a, b, tolerance: tolerance) { return result }
        return try approxFallback(a, b, tolerance, path: "")
    }

    private func approxFallback(_ a: Value, _ b: Value, _ tolerance: Tolerance, path: String) throws -> ApproxResult {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            if tolerance.isClose(x, y) { return ApproxResult(isClose: true) }
            let at = path.isEmpty ? "" : " at \(path)"
            return ApproxResult(isClose: false, detail: "difference \(Value.formatRoughly(abs(x - y)))\(at)")
        case (.list(let xs), .list(let ys)):
            guard xs.count == ys.count else {
                return ApproxResult(isClose: false, detail: "lengths differ: \(xs.count) and \(ys.count)")
            }
            for (index, (x, y)) in zip(xs, ys).enumerated() {
                let result = try approx(x, y, tolerance, path: path + "[\(index)]")
                if !result.isClose { return result }
            }
            return ApproxResult(isClose: true)
        case (.list(let xs), .number):
            for (index, x) in xs.enumerated() {
                let result = try approx(x, b, tolerance, path: path + "[\(index)]")
                if !result.isClose { return result }
            }
            return ApproxResult(isClose: true)
        case (.number, .list(let ys)):
            for (index, y) in ys.enumerated() {
                let result = try approx(a, y, tolerance, path: path + "[\(index)]")
                if !result.isClose { return result }
            }
            return ApproxResult(isClose: true)
        default:
            throw RuntimeError("cannot compare \(a.kindPhrase) and \(b.kindPhrase) with '≈'",
                               hint: "'≈' compares numbers, lists of numbers and tensors")
        }
    }

    private func approx(_ a: Value, _ b: Value, _ tolerance: Tolerance, path: String) throws -> ApproxResult {
        if let result = try host.approxEqual(a, b, tolerance: tolerance) { return result }
        return try approxFallback(a, b, tolerance, path: path)
    }
}
