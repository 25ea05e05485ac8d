import Testing
@testable import Language

/// Deep input near and past the limits: a clear message, never a crash.
@Suite("Limits")
struct LimitsTests {
    func outcome(_ text: String) -> (String, String?) {
        let host = TestHost()
        let result = makeInterpreter(host, budget: 10_000_000).run(Source(name: "deep", text: text))
        return (host.output, result.diagnostic?.message)
    }

    @Test func reprQuotesStringsAndStopsAtItsLimit() {
        #expect(Value.string("a\"b\\c\nd\te\rf").repr == "\"a\\\"b\\\\c\\nd\\te\\rf\"")
        #expect(Value.string("line\r\nnext").repr == "\"line\\r\\nnext\"")   // CRLF: two escapes, not kept raw
        #expect(Value.string("héllo ✓ 🙂").repr == "\"héllo ✓ 🙂\"")
        #expect(Value.list([.string("a"), .number(2), .list([.string("b\"")])]).repr == "[\"a\", 2, [\"b\\\"\"]]")
        // A picture's one line needs only its start: 64 kB of a 4 MB string, cut with "…".
        let long = Value.string(String(repeating: "x", count: 4_000_000))
        let cut = long.repr(limit: 1 << 16)
        #expect(cut.hasPrefix("\"xxx") && cut.hasSuffix("x…") && cut.utf8.count <= (1 << 16) + 4)
        #expect(long.repr.utf8.count == 4_000_002)   // within the 10 MB limit: whole
    }

    @Test("nesting just under the parser's limit parses and runs", arguments: [
        "print(" + String(repeating: "(", count: 190) + "1" + String(repeating: ")", count: 190) + ")",
        "print(" + String(repeating: "-", count: 190) + "1)",
        "print(" + String(repeating: "not ", count: 190) + "true)",
        "print(" + String(repeating: "2 ** ", count: 150) + "1)",
        "print(1" + String(repeating: " + 1", count: 190) + ")",
    ])
    func underTheLimit(_ text: String) {
        let (output, error) = outcome(text)
        #expect(error == nil)
        #expect(!output.isEmpty)
    }

    @Test("nesting past the parser's limit is a syntax error", arguments: [
        "x = " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500),
        "x = " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500),
        "x = " + String(repeating: "-", count: 5000) + "1",
        "x = " + String(repeating: "not ", count: 500) + "1",
        "x = 1" + String(repeating: " + 1", count: 5000),
        "x = f" + String(repeating: "(1)", count: 500),
        "x = a" + String(repeating: ".b", count: 500),
        "x = 2" + String(repeating: " ** 2", count: 500),
        "x = " + String(repeating: "trace ", count: 500) + "1",
    ])
    func pastTheLimit(_ text: String) {
        let (_, error) = outcome(text)
        #expect(error?.contains("nested too deeply") == true)
    }

    @Test("blocks nested past the limit are a syntax error")
    func deepBlocks() {
        var text = ""
        for level in 0..<250 { text += String(repeating: " ", count: level) + "if true:\n" }
        text += String(repeating: " ", count: 250) + "pass\n"
        #expect(outcome(text).1?.contains("nested too deeply") == true)
    }

    @Test("deep recursion of deep expressions stops with a message")
    func deepRecursion() {
        let body = String(repeating: "-(", count: 90) + "f(n + 1)" + String(repeating: ")", count: 90)
        let (_, error) = outcome("def f(n):\n    return \(body)\nf(0)")
        #expect(error == "the computation is nested too deeply (more than 1000 levels)")
    }

    @Test("ordinary recursion goes 200 calls deep")
    func recursionDepth() {
        #expect(outcome("def f(n):\n    if n == 0:\n        return 0\n    return 1 + f(n - 1)\nprint(f(190))").0 == "190\n")
        #expect(outcome("def f(n):\n    return f(n + 1)\nf(0)").1 == "too many nested calls (more than 200) in 'f'")
    }

    @Test("slices with extreme bounds and steps stay in range")
    func extremeSlices() {
        let (output, error) = outcome("xs = range(2000)\nprint(len(xs[1500::9223372036854774784]), len(xs[::-9223372036854774784]), xs[-9e18:2], xs[9e18:])")
        #expect(error == nil)
        #expect(output == "1 1 [0, 1] []\n")
    }

    /// Forty rounds of `x = [x, x]` make forty lists but 2⁴⁰ paths through them: the
    /// nesting check, `==` and printing must look at each list once (the nesting check
    /// took 0.28/1.07/3.7/14.1 s at 20/22/24/26 rounds), so this runs in milliseconds or
    /// not at all.
    @Test("lists that share their parts are checked, compared and printed in linear time")
    func sharedLists() {
        let doubled = "x = \"a\"\nfor i in range(40):\n    x = [x, x]\n"
        let clock = ContinuousClock()
        let started = clock.now
        #expect(outcome(doubled + "print(len(x), x == x, x == [x[0], x[1]], x == [x[0], x[0][0]])") == ("2 true true false\n", nil))
        #expect(outcome(doubled + "print(x)").1 == "this list would print as more than 10 MB of text")
        #expect(outcome(doubled + "s = str(x)").1 == "this list would print as more than 10 MB of text")
        #expect(outcome("x = [\"a\"]\nfor i in range(200):\n    x = [x, x]").1 == "lists nested more than 100 deep are not supported")
        #expect(clock.now - started < .seconds(20))
    }

    @Test("a long list is printed whole, and its text ends where the limit would cut it")
    func longPrint() {
        let (output, error) = outcome("print(range(1000000)[999998:])\ns = str(range(1000000))\nprint(len(s))")
        #expect(error == nil)
        #expect(output == "[999998, 999999]\n7888890\n")
    }
}
