/// How a run ended.
public enum RunResult {
    case finished
    /// A syntax or runtime error stopped it; statements before the error have run.
    case failed(Diagnostic)

    public var diagnostic: Diagnostic? {
        if case .failed(let diagnostic) = self { return diagnostic }
        return nil
    }
}

/// Walks the syntax tree and runs it against an environment, talking to a host.
///
/// Nothing a program does may crash the process: every failure becomes a `Diagnostic`
/// returned from `run`. Runaway programs are stopped by a step budget (for scripted
/// runs, where nobody can press Ctrl-C) and by `Host.checkInterrupt` (for people), and
/// recursion is bounded by `maxCallDepth`.
public final class Interpreter {
    public struct Options: Sendable {
        /// Evaluation steps (one per expression node and statement) allowed per `run`.
        public var stepBudget: Int
        /// Nested function calls allowed.
        public var maxCallDepth: Int
        /// Nested evaluations allowed (expressions inside expressions, across calls): the
        /// guard that keeps deep recursion of deep expressions off the end of the stack.
        public var maxNesting: Int

        public init(stepBudget: Int = 50_000_000, maxCallDepth: Int = 200, maxNesting: Int = 1_000) {
            self.stepBudget = stepBudget
            self.maxCallDepth = maxCallDepth
            self.maxNesting = maxNesting
        }
    }

    public let environment: Environment
    public let host: any Host
    public var options: Options

    var steps = 0
    var callDepth = 0
    /// Current depth of `evaluate`/`execute` recursion.
    var nesting = 0
    /// Variables in effect: globals, or a function call's locals.
    var scope: Scope
    /// The text being run, which changes when a call enters a function defined elsewhere.
    var source: Source
    private var runDepth = 0

    public init(environment: Environment = Environment(), host: any Host, options: Options = Options()) {
        self.environment = environment
        self.host = host
        self.options = options
        self.scope = environment.globals
        self.source = Source(name: "<none>", text: "")
    }

    /// Parses `source` as a file or lesson cell and runs it.
    public func run(_ source: Source) -> RunResult {
        switch Parser.parse(source, mode: .file) {
        case .complete(let program): return run(program)
        case .failure(let diagnostics):
            guard let first = diagnostics.first else { return .finished }
            return .failed(first)
        case .incomplete: return .finished
        }
    }

    /// Runs a parsed program in the global scope. The step budget starts afresh.
    public func run(_ program: Program) -> RunResult {
        guarded(program) { _ = try execute(program.statements) }
    }

    /// Runs a parsed program like `run(_:)`; after each top-level statement that binds
    /// names, `after` may give more code to run right then (its errors point into its own
    /// source) — the lesson runner makes a student's change to a model again there.
    public func run(_ program: Program, after: ([String]) -> Program?) -> RunResult {
        guarded(program) {
            for statement in program.statements {
                _ = try execute([statement])
                let names = statement.boundNames
                if !names.isEmpty, let extra = after(names) {
                    try atTopLevel(of: extra.source) { _ = try execute(extra.statements) }
                }
            }
        }
    }

    /// Runs `body` at the top level of `program`, its errors made diagnostics.
    private func guarded(_ program: Program, _ body: () throws -> Void) -> RunResult {
        do {
            try atTopLevel(of: program.source, body)
            return .finished
        } catch let diagnostic as Diagnostic {
            return .failed(diagnostic)
        } catch {
            let location = SourceLocation(line: program.source.firstLine, column: 1)
            return .failed(Diagnostic(.runtimeError, String(describing: error), in: program.source, at: location))
        }
    }

    /// Evaluates a single expression in the global scope and returns its value without
    /// showing it: for a debugger's watch expressions or a REPL command such as `:print`.
    public func evaluate(_ source: Source) -> Result<Value, Diagnostic> {
        let start = SourceLocation(line: source.firstLine, column: 1)
        let program: Program
        switch Parser.parse(source, mode: .file) {
        case .complete(let parsed): program = parsed
        case .failure(let diagnostics):
            return .failure(diagnostics.first ?? Diagnostic(.syntaxError, "expected an expression", in: source, at: start))
        case .incomplete:
            return .failure(Diagnostic(.syntaxError, "incomplete expression", in: source, at: start))
        }
        guard program.statements.count == 1, let statement = program.statements.first,
              case .expression(let expr, _) = statement.kind else {
            let location = program.statements.first?.start ?? start
            return .failure(Diagnostic(.syntaxError, "expected a single expression", in: source, at: location))
        }
        do {
            return .success(try atTopLevel(of: source) { try evaluate(expr) })
        } catch let diagnostic as Diagnostic {
            return .failure(diagnostic)
        } catch {
            return .failure(Diagnostic(.runtimeError, String(describing: error), in: source, at: expr.start))
        }
    }

    /// Runs `body` in the global scope of `source`. The step budget starts afresh unless
    /// this is a nested run (host code running a program from inside a builtin).
    func atTopLevel<T>(of source: Source, _ body: () throws -> T) throws -> T {
        let saved = (scope, self.source, callDepth)
        if runDepth == 0 {
            steps = 0
            nesting = 0
        }
        runDepth += 1
        scope = environment.globals
        self.source = source
        callDepth = 0
        defer {
            (scope, self.source, callDepth) = saved
            runDepth -= 1
        }
        return try body()
    }

    /// Calls a function value (user-defined, builtin or callable host object) from host
    /// code, for example a builtin that takes a function argument. Errors are located at
    /// `context`'s call.
    public func call(_ callee: Value, _ arguments: Arguments, context: CallContext) throws -> Value {
        try call(callee, arguments, from: context.start, to: context.end)
    }

    // MARK: Errors

    /// A runtime error at a stretch of the current source.
    func failure(_ message: String, from start: SourceLocation, to end: SourceLocation, hint: String? = nil) -> Diagnostic {
        Diagnostic(.runtimeError, message, in: source, at: start, end: end, hint: hint)
    }

    func failure(_ message: String, at expr: Expr, hint: String? = nil) -> Diagnostic {
        failure(message, from: expr.focus, to: expr.focusEnd, hint: hint)
    }

    /// Runs `body` (an operation, a builtin, host code) and turns whatever it throws into
    /// a diagnostic at the given stretch. Diagnostics pass through unchanged: they are
    /// already located (an error inside a function the host called back, say).
    func located<T>(_ start: SourceLocation, _ end: SourceLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch let error as RuntimeError {
            throw failure(error.message, from: start, to: end, hint: error.hint)
        } catch {
            throw failure(String(describing: error), from: start, to: end)
        }
    }

    func located<T>(_ expr: Expr, _ body: () throws -> T) throws -> T {
        try located(expr.focus, expr.focusEnd, body)
    }

    /// Counts a step, stopping the run when the budget is spent.
    @inline(__always)
    func tick(_ start: SourceLocation, _ end: SourceLocation) throws {
        steps += 1
        if steps > options.stepBudget {
            throw failure("stopped after \(options.stepBudget) steps: the program ran too long", from: start, to: end,
                          hint: "is there a loop that never ends, such as a 'while' whose condition stays true?")
        }
    }

    func tooDeep(_ start: SourceLocation, _ end: SourceLocation) -> Diagnostic {
        failure("the computation is nested too deeply (more than \(options.maxNesting) levels)", from: start, to: end,
                hint: "is there a recursion that never stops? Otherwise split the work into smaller steps")
    }

    func interruptCheck(_ start: SourceLocation, _ end: SourceLocation) throws {
        try located(start, end) { try host.checkInterrupt() }
    }

    func span(_ start: SourceLocation, _ end: SourceLocation, text: String) -> SourceSpan {
        SourceSpan(file: source.name, start: start, end: end, text: text)
    }
}

/// What a builtin or a callable host object gets besides its arguments: the
/// interpreter (to call back into the program or print through the host) and where the
/// call is.
public struct CallContext {
    public let interpreter: Interpreter
    /// The call expression's source.
    public let span: SourceSpan
    let start: SourceLocation
    let end: SourceLocation

    public var host: any Host { interpreter.host }
    public var environment: Environment { interpreter.environment }

    /// Calls a function value with these arguments.
    public func call(_ callee: Value, _ arguments: Arguments) throws -> Value {
        try interpreter.call(callee, arguments, context: self)
    }

    /// Binds arguments to a parameter list, as builtins' arguments are bound.
    public func bind(_ arguments: Arguments, to parameters: [Parameter], variadic: String? = nil, callee: String) throws -> BoundArguments {
        try arguments.bind(to: parameters, variadic: variadic, callee: callee, context: self)
    }
}
