import Testing
import Lessons
import Render

/// A lesson file from someone else cannot command the terminal: OSC 52 (the clipboard),
/// OSC 0 (the window title), CSI (the cursor, the screen) and BEL, in prose, printed
/// strings, labels, errors, the test report and the handouts, are shown as signs (they
/// reached the terminal raw, even with --color never).
struct TerminalEscapeTests {
    static let lesson = """
        # Title \u{1B}]0;pwned\u{07}

        Prose \u{1B}]52;c;aGVsbG8=\u{07} and \u{9B}2J and \u{1B}[2J.

        ```huddle
        x = "\u{1B}]52;c;aGVsbG8=\u{07}"
        print(x)
        t = tensor([[1, 2]], labels: ["\u{1B}]0;t\u{07}"])
        t
        expect x == "\u{1B}"
        ```

        ```huddle
        y = undefined_\u{1B}[2Jname
        ```
        """

    /// The control characters a string holds, but for newline, tab and the SGR colour
    /// escapes (ESC [ digits ; m) that Huddle's own styles write.
    static func controls(in text: String) -> [UInt32] {
        var found: [UInt32] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let v = scalars[i].value
            if v == 0x1B, i + 1 < scalars.count, scalars[i + 1] == "[" {
                var j = i + 2
                while j < scalars.count, "0123456789;".unicodeScalars.contains(scalars[j]) { j += 1 }
                if j < scalars.count, scalars[j] == "m" { i = j + 1; continue }
            }
            if (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F..<0xA0).contains(v) { found.append(v) }
            i += 1
        }
        return found
    }

    @Test func theTranscriptTheReportAndTheHandoutsShowThemAsSigns() throws {
        let path = try temporaryLesson(Self.lesson)
        for color in [RenderOptions.ColorMode.none, .truecolor] {
            let session = try LessonSession.open(path: path, options: RenderOptions(color: color, width: 80))
            var out = ""
            _ = Transcript(options: session.options).run(session) { out += $0 }
            #expect(Self.controls(in: out).isEmpty, "\(out)")
            #expect(out.contains("Prose ␛]52;c;aGVsbG8=␇ and \\u{9B}2J and ␛[2J."))
            #expect(out.contains("␛]52;c;aGVsbG8=␇\n"))  // what print printed
            #expect(out.contains("␛]0;t␇"))                // the row's label
            #expect(out.contains("unexpected character '␛'"))
        }
        let report = LessonTester.test(path: path).lines().joined(separator: "\n")
        #expect(Self.controls(in: report).isEmpty, "\(report)")
        #expect(report.contains("expect x == \"␛\""))

        let handout = Handout(running: try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80)))
        let html = HTMLHandout.page(handout)
        #expect(Self.controls(in: html).isEmpty)
        let page = MarkdownHandout.render(handout, figuresFolder: "f", options: RenderOptions(color: .none, width: 80))
        #expect(Self.controls(in: page.markdown).isEmpty)
        #expect(page.figures.allSatisfy { Self.controls(in: $0.svg).isEmpty })
    }

    @Test func everyControlCharacterButNewlineAndTabBecomesASign() {
        for v in UInt32(0)..<0xA0 {
            let scalar = Unicode.Scalar(v)!
            let shown = visibleText("a" + String(scalar) + "b")
            switch v {
            case 0x09, 0x0A: #expect(shown == "a" + String(scalar) + "b")
            case 0x00..<0x20: #expect(shown == "a" + String(Unicode.Scalar(0x2400 + v)!) + "b")
            case 0x7F: #expect(shown == "a␡b")
            case 0x80...: #expect(shown == "a\\u{\(String(v, radix: 16, uppercase: true))}b")
            default: #expect(shown == "a" + String(scalar) + "b")
            }
        }
        #expect(visibleText("line\r\nnext\r") == "line\nnext␍")
        #expect(visibleText("é Δ 🙂 ©") == "é Δ 🙂 ©")  // 0xC2 starts © too: not a control
    }

    @Test func textThatWouldReorderOrBreakTheLineBecomesASign() {
        // A right-to-left override shows "abc‮fed" as "abcdef" (a trojan source); U+2028
        // starts a new line the file does not have.
        for v: UInt32 in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029] {
            let shown = visibleText("a" + String(Unicode.Scalar(v)!) + "b")
            #expect(shown == "a\\u{\(String(v, radix: 16, uppercase: true))}b")
        }
        // Other characters starting with the byte 0xE2 stay themselves.
        #expect(visibleText("— ≈ … ← ∂ ⊙ \u{2009}") == "— ≈ … ← ∂ ⊙ \u{2009}")
    }
}
