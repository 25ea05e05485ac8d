import Testing
@testable import Language

/// Every path between the interpreter and a host, through the fake `Vec` value and
/// `Counter` object.
@Suite("Host bridge")
struct HostBridgeTests {
    func run(_ text: String, host: TestHost = TestHost(convertsLiterals: true), name: String = "lesson.md", firstLine: Int = 1) -> (TestHost, RunResult) {
        let result = makeInterpreter(host).run(Source(name: name, text: text, firstLine: firstLine))
        return (host, result)
    }

    /// Messages name a value with the article it is read with.
    @Test("an MLP, an LSTM, a GPT, a Tensor, an object")
    func articles() {
        struct Named: HostValue {
            let typeName: String
            var description: String { typeName }
            func truthiness() throws -> Bool { true }
            func copy(using copier: Copier) -> any HostValue { self }
        }
        let phrases = ["MLP", "LSTM", "RNN", "GPT", "BERT", "Tensor", "object", "Vocabulary"].map { Value.host(Named(typeName: $0)).kindPhrase }
        #expect(phrases == ["an MLP", "an LSTM", "an RNN", "a GPT", "a BERT", "a Tensor", "an object", "a Vocabulary"])
    }

    @Test("checks carry pass or fail, both sides' values, source text and location")
    func checkResults() throws {
        let (host, result) = run("x = 0.49\nexpect x ≈ 0.5\nexpect   x ≈ 0.49\nexpect [1, 2] ≈ [1, 3] within 0.1", firstLine: 40)
        #expect(result.diagnostic == nil)
        try #require(host.checks.count == 3)
        let failed = host.checks[0]
        #expect(!failed.passed)
        #expect(failed.span.text == "x ≈ 0.5")
        #expect(failed.span.file == "lesson.md")
        #expect(failed.span.start == SourceLocation(line: 41, column: 8))
        #expect(failed.span.description == "lesson.md:41:8")
        #expect(failed.message == "expected 0.5, got 0.49 (difference 0.01)")
        guard case .approx(let actual, let expected, let tolerance) = failed.kind else {
            Issue.record("expected an approximate check")
            return
        }
        #expect(actual.number == 0.49 && expected.number == 0.5)
        #expect(tolerance == .standard)
        #expect(host.checks[1].passed)
        #expect(host.checks[1].span.start.column == 10)
        guard case .approx(_, _, let within) = host.checks[2].kind else {
            Issue.record("expected an approximate check")
            return
        }
        #expect(within == Tolerance(relative: 0.1, absolute: 0.1))
        #expect(host.checks[2].detail == "largest difference 1 at [1]")
    }

    @Test("comparison and truth checks record their values")
    func otherChecks() throws {
        let (host, _) = run("expect 3 < 2\nexpect len([1]) == 1\nexpect none")
        try #require(host.checks.count == 3)
        guard case .comparison(.less, let left, let right) = host.checks[0].kind else {
            Issue.record("expected a comparison check")
            return
        }
        #expect(left.number == 3 && right.number == 2)
        #expect(host.checks[0].message == "3 < 2 is false")
        #expect(host.checks[1].passed)
        guard case .truth(let value) = host.checks[2].kind else {
            Issue.record("expected a truth check")
            return
        }
        #expect(value.isNone && !host.checks[2].passed)
        #expect(host.checks[2].message == "none is none")
    }

    @Test("the trace hook wraps the evaluation and is labelled with its source")
    func trace() {
        let (host, result) = run("c = Counter()\nout = trace c(by: 3)\nprint(out)", firstLine: 5)
        #expect(result.diagnostic == nil)
        #expect(host.traces.map(\.text) == ["c(by: 3)"])
        #expect(host.traces.first?.start == SourceLocation(line: 6, column: 7))
        #expect(host.output == "trace: c(by: 3)\n3\n")
    }

    @Test("expression statements are shown with their source; none and function bodies are not")
    func show() {
        let (host, _) = run("v = [1, 2]\nv\nprint(1)\ndef f():\n    v\n    return 2\nf()")
        #expect(host.shown.map(\.span.text) == ["v", "f()"])
        #expect(host.shown.map(\.value.repr) == ["Vec(1, 2)", "2"])
        #expect(host.shown.first?.span.start == SourceLocation(line: 2, column: 1))
    }

    @Test("array literals are offered to the host; tuples are not")
    func arrayLiterals() {
        let (host, _) = run("print([1, 2], (1, 2), [[1], [2]], [\"a\"])")
        #expect(host.output == "Vec(1, 2) [1, 2] [Vec(1), Vec(2)] [\"a\"]\n")
    }

    @Test("host errors of any Swift type become located diagnostics")
    func hostErrors() throws {
        let (_, result) = run("x = 1\nw = [1, 2] + [1, 2, 3]")
        let d = try #require(result.diagnostic)
        #expect(d.kind == .runtimeError)
        #expect(d.message == "Vec lengths differ: 2 and 3")
        #expect(d.location == SourceLocation(line: 2, column: 12))
        #expect(d.end == SourceLocation(line: 2, column: 13))
    }

    @Test("operators reach the host value on either side")
    func operatorSides() {
        let (host, _) = run("v = [1, 2]\nprint(v - 1, 1 - v, v * v, 2 * v, v @ v)")
        #expect(host.output == "Vec(0, 1) Vec(0, -1) Vec(1, 4) Vec(2, 4) 5\n")
    }

    @Test("subscript assignment through members writes back to the object")
    func memberPaths() {
        let (host, _) = run("c = Counter()\nd = c\nc.v[1] = 5\nc.v[0] += 2\nprint(d.v)\nsnapshot = c.v\nc.v[2] = 9\nprint(snapshot, c.v)")
        #expect(host.output == "Vec(2, 5, 0)\nVec(2, 5, 0) Vec(2, 5, 9)\n")
    }

    @Test("builtins and host objects can call back into user functions")
    func callbacks() throws {
        let (host, result) = run("def double(x):\n    return 2 * x\nprint(apply(double, 21))\nc = Counter()\nprint(apply(c, 4))")
        #expect(result.diagnostic == nil)
        #expect(host.output == "42\n4\n")
        let (_, failing) = run("def bad(x):\n    return x + \"s\"\ny = apply(bad, 1)")
        let d = try #require(failing.diagnostic)
        #expect(d.location == SourceLocation(line: 2, column: 14))
        #expect(d.notes.first?.location == SourceLocation(line: 3, column: 5))
    }

    @Test("builtins bind keywords by either spelling and report binding errors by name")
    func binding() throws {
        let (host, _) = run("m = SelfAttention(dim: 4, heads=2)\nprint(m.count)")
        #expect(host.output == "42\n")
        let context = CallContext(interpreter: makeInterpreter(TestHost()), span: SourceSpan(file: "f", start: .init(line: 1, column: 1), end: .init(line: 1, column: 1), text: ""), start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
        let parameters = [Parameter("dim"), Parameter("seed", default: 0)]
        let bound = try Arguments([4], keywords: [("seed", 18)]).bind(to: parameters, callee: "embed", context: context)
        #expect(try bound.integer("dim") == 4)
        #expect(try bound.number("seed") == 18)
        #expect(throws: RuntimeError.self) { try bound.string("dim") }
        do {
            _ = try bound.string("dim")
        } catch let error as RuntimeError {
            #expect(error.message == "embed() expects 'dim' to be a string, got 4")
        }
        let defaulted = try Arguments([1]).bind(to: parameters, callee: "embed", context: context)
        #expect(defaulted["seed"].number == 0)
        #expect(Builtin(name: "embed", parameters: parameters, variadic: "rest", help: "") { _ in .none }.signature == "embed(dim, seed=0, *rest)")
    }

    @Test("a single expression can be evaluated for its value, without being shown")
    func evaluateExpression() throws {
        let host = TestHost(convertsLiterals: true)
        let interpreter = makeInterpreter(host)
        _ = interpreter.run(Source(name: "cell", text: "v = [1, 2]\nattn = Counter()"))
        let value = try interpreter.evaluate(Source(name: "watch", text: "v * 3")).get()
        #expect(value.repr == "Vec(3, 6)")
        #expect(host.shown.isEmpty)
        guard case .failure(let notExpression) = interpreter.evaluate(Source(name: "watch", text: "w = 1")) else {
            Issue.record("an assignment is not an expression")
            return
        }
        #expect(notExpression.message == "expected a single expression")
        guard case .failure(let undefined) = interpreter.evaluate(Source(name: "watch", text: "atn.count")) else {
            Issue.record("expected an error")
            return
        }
        #expect(undefined.message == "name 'atn' is not defined — did you mean 'attn'?")
        #expect(undefined.file == "watch")
        #expect(interpreter.environment["w"] == nil)
    }

    @Test("Ctrl-C reaches a running loop through checkInterrupt")
    func interrupt() throws {
        let host = TestHost()
        host.interruptAfter = 100
        let (_, result) = run("n = 0\nwhile true:\n    n += 1", host: host)
        let d = try #require(result.diagnostic)
        #expect(d.message == "interrupted")
        #expect(d.location.line == 2)
    }

    @Test("the step budget stops a runaway loop")
    func stepBudget() throws {
        let host = TestHost()
        let interpreter = Interpreter(environment: Environment(), host: host, options: .init(stepBudget: 1_000))
        let d = try #require(interpreter.run(Source(name: "t", text: "while true:\n    pass")).diagnostic)
        #expect(d.message == "stopped after 1000 steps: the program ran too long")
        // The budget is per run: the next run starts afresh.
        #expect(interpreter.run(Source(name: "t", text: "x = 1")).diagnostic == nil)
    }
}
