/// Calls: user functions, builtins and callable host objects.
extension Interpreter {
    /// Notes "called from here" added to an error as it leaves nested calls; more would
    /// bury the error itself.
    static let maxCallNotes = 4

    func evaluateCall(_ expr: Expr) throws -> Value {
        guard case .call(let calleeExpr, let arguments) = expr.kind else { return .none }
        let callee = try evaluate(calleeExpr)
        var positional: [Value] = []
        var keywords: [(name: String, value: Value)] = []
        for argument in arguments {
            let value = try evaluate(argument.value)
            if let name = argument.name {
                keywords.append((name, value))
            } else {
                positional.append(value)
            }
        }
        return try call(callee, Arguments(positional, keywords: keywords), from: expr.start, to: expr.end)
    }

    func call(_ callee: Value, _ arguments: Arguments, from start: SourceLocation, to end: SourceLocation) throws -> Value {
        try interruptCheck(start, end)
        switch callee {
        case .function(let function):
            return try callUser(function, arguments, from: start, to: end)
        case .builtin(let builtin):
            let context = callContext(start, end)
            return try located(start, end) {
                let bound = try arguments.bind(
                    to: builtin.parameters, variadic: builtin.variadic, callee: builtin.name, context: context)
                return try builtin.body(bound)
            }
        case .host(let object):
            let context = callContext(start, end)
            return try located(start, end) { try object.call(arguments, context: context) }
        default:
            let hint: String? = callee.number != nil ? "to multiply, write '*' between the number and the parentheses" : nil
            throw failure("\(callee.kindPhrase) cannot be called", from: start, to: end, hint: hint)
        }
    }

    func callContext(_ start: SourceLocation, _ end: SourceLocation) -> CallContext {
        let text = source.lineText(start.line).map { line -> String in
            let characters = Array(line)
            let from = min(max(start.column - 1, 0), characters.count)
            let to = end.line == start.line ? min(max(end.column - 1, from), characters.count) : characters.count
            return String(characters[from..<to])
        } ?? ""
        return CallContext(interpreter: self, span: span(start, end, text: text), start: start, end: end)
    }

    func callUser(_ function: UserFunction, _ arguments: Arguments, from start: SourceLocation, to end: SourceLocation) throws -> Value {
        guard callDepth < options.maxCallDepth else {
            throw failure("too many nested calls (more than \(options.maxCallDepth)) in '\(function.name)'",
                          from: start, to: end, hint: "does the function call itself without ever stopping?")
        }
        let context = callContext(start, end)
        let bound = try located(start, end) {
            try arguments.bind(to: function.parameters, callee: function.name, context: context)
        }
        let locals = Scope(parent: function.closure)
        for (name, value) in bound.all { locals.assign(name, value) }

        let saved = (scope, source)
        scope = locals
        source = function.source
        callDepth += 1
        defer {
            (scope, source) = saved
            callDepth -= 1
        }
        do {
            if case .returned(let value) = try execute(function.body) { return value }
            return .none
        } catch var diagnostic as Diagnostic {
            if diagnostic.notes.count < Interpreter.maxCallNotes {
                diagnostic.notes.append(Diagnostic.Note(
                    message: "in '\(function.name)', called from here", file: saved.1.name, location: start,
                    lineText: saved.1.lineText(start.line)))
            }
            throw diagnostic
        }
    }
}
