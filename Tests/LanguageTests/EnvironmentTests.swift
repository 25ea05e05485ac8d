import Testing
@testable import Language

@Suite("Environment: snapshots, variables, completion")
struct EnvironmentTests {
    func run(_ interpreter: Interpreter, _ text: String) {
        let result = interpreter.run(Source(name: "cell", text: text))
        #expect(result.diagnostic == nil, Comment(rawValue: result.diagnostic?.render() ?? ""))
    }

    @Test("restore puts globals back and keeps two names bound to one object")
    func aliasing() throws {
        let host = TestHost(convertsLiterals: true)
        let interpreter = makeInterpreter(host)
        run(interpreter, "a = Counter()\nb = a\nv = [1, 2]\nxs = [a, \"label\"]")
        let snapshot = interpreter.environment.snapshot()
        run(interpreter, "a.count = 5\nv[0] = 100\nw = 1\nxs = []")
        interpreter.environment.restore(snapshot)
        run(interpreter, "print(a.count, b.count, v, xs)\nb.count = 7\nprint(a.count, a is b, xs[0] is a)")
        #expect(host.output == "0 0 Vec(1, 2) [Counter(count: 0), \"label\"]\n7 true true\n")
        #expect(interpreter.environment["w"] == nil)
        #expect(snapshot.names == ["a", "b", "v", "xs"])
    }

    /// Found by the fuzzer: `s = s + s,` 98 times makes a list whose two items are one
    /// list, 98 deep. Copied item by item that is 2⁹⁸ lists: the snapshot before the next
    /// cell held 19 GB and never ended, past every budget. A list is copied once however
    /// often it is shared, and the copy shares as the original did; a host object inside
    /// is copied once too.
    @Test("a list shared many times over is copied once, not once per path to it")
    func sharedLists() throws {
        let host = TestHost()
        let interpreter = makeInterpreter(host)
        run(interpreter, "c = Counter()\ns = [c]\nfor i in range(98):\n    s = s + s,\nt = s")
        let snapshot = interpreter.environment.snapshot()
        run(interpreter, "c.count = 4\ns = 0")
        interpreter.environment.restore(snapshot)
        run(interpreter, "x = s\nfor i in range(98):\n    x = x[0]\nprint(len(x), x[0] is x[1], x[0].count, x[0] is c)")
        #expect(host.output == "2 true 0 true\n")
    }

    @Test("a snapshot can be restored again after the restored state changed")
    func restoreTwice() {
        let host = TestHost()
        let interpreter = makeInterpreter(host)
        run(interpreter, "c = Counter()")
        let snapshot = interpreter.environment.snapshot()
        interpreter.environment.restore(snapshot)
        run(interpreter, "c.count = 3")
        interpreter.environment.restore(snapshot)
        run(interpreter, "print(c.count)")
        #expect(host.output == "0\n")
    }

    @Test("objects referring to each other in a cycle are copied once each")
    func cycles() {
        let host = TestHost()
        let interpreter = makeInterpreter(host)
        run(interpreter, "a = Counter()\nb = Counter(5)\na.partner = b\nb.partner = a\nself_loop = Counter()\nself_loop.partner = self_loop")
        let snapshot = interpreter.environment.snapshot()
        interpreter.environment.restore(snapshot)
        run(interpreter, "print(a.partner is b, b.partner is a, self_loop.partner is self_loop, b.count)")
        #expect(host.output == "true true true 5\n")
    }

    @Test("functions defined before a snapshot see the restored globals")
    func functionsAfterRestore() {
        let host = TestHost()
        let interpreter = makeInterpreter(host)
        run(interpreter, "scale = 2\ndef f(x):\n    return scale * x")
        let snapshot = interpreter.environment.snapshot()
        run(interpreter, "scale = 10")
        interpreter.environment.restore(snapshot)
        run(interpreter, "print(f(3))")
        #expect(host.output == "6\n")
    }

    @Test("variables are listed in the order they were defined")
    func variables() {
        let environment = Environment(builtins: TestHost.builtins)
        let interpreter = Interpreter(environment: environment, host: TestHost())
        run(interpreter, "zeta = 1\nalpha = \"a\"\nzeta = 2\ndef f():\n    local = 3")
        #expect(environment.variableNames == ["zeta", "alpha", "f"])
        #expect(environment.variables.map(\.value.repr) == ["2", "\"a\"", "<function f()>"])
        environment["extra"] = .number(4)
        #expect(environment.resolve("extra")?.number == 4)
        #expect(environment.resolve("print") != nil)
        environment["extra"] = nil
        #expect(environment.variableNames == ["zeta", "alpha", "f"])
    }

    @Test("host builtins replace core builtins of the same name")
    func overriding() {
        let custom = Builtin(name: "abs", parameters: [Parameter("x")], help: "custom") { _ in .string("custom") }
        let host = TestHost()
        let interpreter = Interpreter(environment: Environment(builtins: [custom]), host: host)
        run(interpreter, "print(abs(-1))")
        #expect(host.output == "custom\n")
        #expect(interpreter.environment.builtinNames.filter { $0 == "abs" }.count == 1)
    }

    @Test("completion offers names, keywords and members without running calls")
    func completion() {
        let interpreter = makeInterpreter(TestHost())
        run(interpreter, "attn = Counter()\nattention_weights = 1\nattn.partner = Counter()")
        let environment = interpreter.environment
        #expect(environment.completions(for: "out = att") == Completion(fragment: "att", candidates: ["attention_weights", "attn"]))
        #expect(environment.completions(for: "attn.c") == Completion(fragment: "c", candidates: ["count"]))
        #expect(environment.completions(for: "attn.").candidates == ["count", "partner", "v"])
        #expect(environment.completions(for: "attn.partner.p").candidates == ["partner"])
        #expect(environment.completions(for: "whi").candidates == ["while"])
        #expect(environment.completions(for: "pri").candidates == ["print"])
        #expect(environment.completions(for: "nothing.x").candidates == [])
        #expect(environment.completions(for: "attention_weights.x").candidates == [])
    }
}
