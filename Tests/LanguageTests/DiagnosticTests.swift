import Testing
@testable import Language

@Suite("Diagnostics")
struct DiagnosticTests {
    /// The diagnostic from running `text` (syntax or runtime).
    func diagnostic(_ text: String, name: String = "cell.hud", firstLine: Int = 1) -> Diagnostic? {
        makeInterpreter(TestHost()).run(Source(name: name, text: text, firstLine: firstLine)).diagnostic
    }

    @Test("compiler-style rendering with the caret under the column")
    func rendering() throws {
        let d = try #require(diagnostic("h = 1\nout = attn(h, mask"))
        #expect(d.render() == """
            cell.hud:2:19: error: expected ')' to close '(' opened at 2:11
               2 | out = attn(h, mask
                 |                   ^
            """)
    }

    @Test("a character that does not show as itself is named by its code point")
    func invisibleCharacters() throws {
        for (text, named) in [("x = 1\u{200B}", "U+200B"), ("\u{FEFF}x = 1", "U+FEFF"), ("x = \u{202E}1", "U+202E"),
                              ("x\u{00A0}= 1", "U+00A0"), ("x = 1\u{2028}", "U+2028")] {
            let d = try #require(diagnostic(text))
            #expect(d.message == "unexpected character \(named), which does not show as itself", "\(text.unicodeScalars.map(\.value))")
        }
        // Visible ones keep their quotes; control characters are drawn as signs later.
        #expect(try #require(diagnostic("x = 1 ¤ 2")).message == "unexpected character '¤'")
        #expect(try #require(diagnostic("x = 1 \u{1B} 2")).message == "unexpected character '\u{1B}'")
    }

    @Test("columns count characters, so the caret is right after Unicode names")
    func unicodeColumns() throws {
        let d = try #require(diagnostic("Δσ = 1\nΔσ + atn"))
        #expect(d.location == SourceLocation(line: 2, column: 6))
        #expect(d.message == "name 'atn' is not defined")
        #expect(d.render().hasSuffix("   2 | Δσ + atn\n     |      ^~~"))
    }

    @Test("tabs are expanded in the quoted line and under it alike")
    func tabs() throws {
        let d = try #require(diagnostic("if true:\n\tx = atn"))
        #expect(d.location == SourceLocation(line: 2, column: 6))
        #expect(d.render().hasSuffix("   2 |     x = atn\n     |         ^~~"))
    }

    @Test("wide characters take two columns")
    func wideCharacters() throws {
        let d = try #require(diagnostic("字 = 1 + \"a\""))
        #expect(d.location == SourceLocation(line: 1, column: 7))
        #expect(d.render().contains("   1 | 字 = 1 + \"a\"\n     |        ^"))
    }

    @Test("a cell inside a lesson file reports the file's line numbers")
    func lineOffset() throws {
        let syntax = try #require(diagnostic("x = 1\ny = (2 +", name: "Lessons/09-self-attention.md", firstLine: 37))
        #expect(syntax.description == "Lessons/09-self-attention.md:38:9: error: expected an expression after '+', found end of input")
        #expect(syntax.render().contains("  38 | y = (2 +"))
        let runtime = try #require(diagnostic("x = 1\n\nprint(y)", name: "Lessons/09-self-attention.md", firstLine: 37))
        #expect(runtime.location == SourceLocation(line: 39, column: 7))
        #expect(runtime.lineText == "print(y)")
    }

    @Test("an error inside a function defined in an earlier cell points into that cell")
    func errorsAcrossCells() throws {
        let host = TestHost()
        let interpreter = makeInterpreter(host)
        let first = interpreter.run(Source(name: "lesson.md", text: "def half(x):\n    return x / 0", firstLine: 10))
        #expect(first.diagnostic == nil)
        let d = try #require(interpreter.run(Source(name: "lesson.md", text: "y = half(4)", firstLine: 20)).diagnostic)
        #expect(d.location == SourceLocation(line: 11, column: 14))
        #expect(d.lineText == "    return x / 0")
        #expect(d.notes.first?.location == SourceLocation(line: 20, column: 5))
        #expect(d.notes.first?.lineText == "y = half(4)")
        #expect(d.render().contains("lesson.md:20:5: note: in 'half', called from here"))
    }

    @Test("hints render on their own line")
    func hints() throws {
        let d = try #require(diagnostic("x = 2 @ 3"))
        #expect(d.render().hasSuffix("hint: to multiply numbers, use '*'"))
        #expect(d.kind == .runtimeError)
    }

    @Test("suggestions come from variables and builtins by edit distance")
    func suggestions() {
        #expect(Suggestion.closest(to: "atn", among: ["attn", "h", "out"]) == "attn")
        #expect(Suggestion.closest(to: "tarce", among: ["trace", "range"]) == "trace")
        #expect(Suggestion.closest(to: "x", among: ["y", "z"]) == nil)
        #expect(Suggestion.closest(to: "Print", among: ["print"]) == "print")
        #expect(Suggestion.closest(to: "completely", among: ["different"]) == nil)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    }
}
