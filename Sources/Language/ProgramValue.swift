/// What a program's last expression came to, for a host that asks questions of the
/// program's state (a lesson exercise's goal, `party(tags); argmax(party.weights[1]) == 2`):
/// the value, and — when that expression is a comparison — each side's text and value, so
/// a "not yet" can say what the left side is now instead of only "false".
public struct ProgramValue {
    public struct Comparison {
        public var left: String
        public var op: String
        public var right: String
        public var leftValue: Value
        public var rightValue: Value
    }

    /// The last statement's value if it is an expression (not shown), else nil.
    public var value: Value?
    public var comparison: Comparison?
}

extension Interpreter {
    /// Runs `program` in the global scope; its last statement, if an expression, is
    /// evaluated but not shown, and its value returned.
    public func value(of program: Program) -> Result<ProgramValue, Diagnostic> {
        do {
            var result = ProgramValue()
            try atTopLevel(of: program.source) {
                let statements = program.statements
                guard let last = statements.last, case .expression(let expr, _) = last.kind else {
                    _ = try execute(statements)
                    return
                }
                _ = try execute(Array(statements.dropLast()))
                result = try evaluateExplaining(expr, in: program.source)
            }
            return .success(result)
        } catch let diagnostic as Diagnostic {
            return .failure(diagnostic)
        } catch {
            let location = SourceLocation(line: program.source.firstLine, column: 1)
            return .failure(Diagnostic(.runtimeError, String(describing: error), in: program.source, at: location))
        }
    }

    /// `a ≈ b` with `tolerance`, as `expect … within t` compares: for a host comparing
    /// a student's answer with the right one.
    public func approximatelyEqual(_ a: Value, _ b: Value, tolerance: Tolerance) throws -> ApproxResult {
        try approx(a, b, tolerance)
    }

    /// The value of `expr`; for a comparison, each side evaluated once and kept; for
    /// `a and b`, the first side that is false, explained.
    private func evaluateExplaining(_ expr: Expr, in source: Source) throws -> ProgramValue {
        func text(_ e: Expr) -> String {
            guard e.start.line == e.end.line, let line = source.lineText(e.start.line) else { return "the left side" }
            let characters = Array(line)
            let from = max(0, min(e.start.column - 1, characters.count)), to = max(from, min(e.end.column - 1, characters.count))
            return String(characters[from..<to]).trimmingCharacters(in: " ")
        }
        switch expr.kind {
        case .binary(let op, let left, let right) where op.isComparison:
            let a = try evaluate(left), b = try evaluate(right)
            let value = try located(expr) { try Operations.binary(op, a, b) }
            return ProgramValue(value: value, comparison: .init(left: text(left), op: op.rawValue, right: text(right), leftValue: a, rightValue: b))
        case .approx(let left, let right):
            let a = try evaluate(left), b = try evaluate(right)
            let value = Value.bool(try located(expr) { try approx(a, b, .standard) }.isClose)
            return ProgramValue(value: value, comparison: .init(left: text(left), op: "≈", right: text(right), leftValue: a, rightValue: b))
        case .and(let left, let right):
            // `a and b`: the part that does not hold yet is the one to tell about.
            let first = try evaluateExplaining(left, in: source)
            guard let value = first.value, try value.truthiness() else { return first }
            return try evaluateExplaining(right, in: source)
        default:
            return ProgramValue(value: try evaluate(expr))
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}
