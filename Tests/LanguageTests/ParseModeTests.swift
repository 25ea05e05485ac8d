import Testing
@testable import Language

/// A REPL keeps reading lines while the input is incomplete, and reports an error as
/// soon as no further line could fix it.
@Suite("Incomplete versus wrong input")
struct ParseModeTests {
    enum Outcome: Equatable { case complete, incomplete, failure }

    static func outcome(_ text: String, _ mode: ParseMode = .interactive) -> Outcome {
        switch Parser.parse(Source(name: "<repl>", text: text), mode: mode) {
        case .complete: return .complete
        case .incomplete: return .incomplete
        case .failure: return .failure
        }
    }

    @Test("incomplete: more lines would make it valid", arguments: [
        "x = (1 +",
        "f(a,\n  b",
        "x = [1,\n\n",
        "if x:",
        "if x:\n    y = 1",
        "for i in range(3):\n    if i:\n        print(i)",
        "for i in range(2):\n    if i > 0:",
        "def f():\n    for x in y:\n        while x:",
        "if x:\n    y = 1\nelse:",
        "def f(a, b):",
        "x = 1 + \\",
        "s = \"\"\"first line",
        "s = '''first\nsecond",
        "while true: pass",
        "if x:\n    y = (1 +\n",
    ])
    func incomplete(_ text: String) {
        #expect(Self.outcome(text) == .incomplete)
    }

    @Test("complete", arguments: [
        "x = 1",
        "print(x)",
        "",
        "# only a comment",
        "if x:\n    y = 1\n",
        "def f():\n    return 1\n\n",
        "s = \"\"\"one\ntwo\"\"\"",
        "x = [1,\n 2]",
        "x = 1 + \\\n  2",
    ])
    func complete(_ text: String) {
        #expect(Self.outcome(text) == .complete)
    }

    @Test("wrong: no further line could fix it", arguments: [
        "x = 1 +",
        "x = )",
        "y = 'abc",
        "x = 1\n  y = 2",
        "if x:\n\n",
        "for i in range(2):\n    if i > 0:\n",
        "f(a b",
        "1 = x",
        "x = 1 · 2",
        "if x = 1:",
        "def f(a, a):",
    ])
    func wrong(_ text: String) {
        #expect(Self.outcome(text) == .failure)
    }

    @Test("in file mode the end of the text ends everything")
    func fileMode() {
        #expect(Self.outcome("x = (1 +", .file) == .failure)
        #expect(Self.outcome("if x:", .file) == .failure)
        #expect(Self.outcome("if x:\n    y = 1", .file) == .complete)
        #expect(Self.outcome("s = \"\"\"open", .file) == .failure)
    }

    @Test("an unclosed bracket at the end of a file names where it was opened")
    func unclosedAtEndOfFile() throws {
        guard case .failure(let diagnostics) = Parser.parse(Source(name: "cell", text: "out = f(1,\n  2,\n  3")) else {
            Issue.record("expected a failure")
            return
        }
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message == "expected ')' to close '(' opened at 1:8")
        #expect(diagnostic.location == SourceLocation(line: 3, column: 4))
        #expect(diagnostic.notes.first?.message == "'(' opened here")
        #expect(diagnostic.notes.first?.location == SourceLocation(line: 1, column: 8))
    }
}
