@testable import Render
import Testing
import Trace

@Suite struct RenderPrimitiveTests {
    @Test func numbersLineUpAndSpellOutSpecialValues() {
        #expect(NumberFormat.fixed(0.25, decimals: 2) == "0.25")
        #expect(NumberFormat.fixed(-1.005, decimals: 1) == "-1.0")
        #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0.00")  // no "-0.00"
        #expect(NumberFormat.fixed(12, decimals: 0) == "12")
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "nan")
        #expect(NumberFormat.fixed(-.infinity, decimals: 2) == "-inf")
        #expect(NumberFormat.scientific(1e-5) == "1e-05")
        #expect(NumberFormat.scientific(-3.2e8) == "-3e+08")
        #expect(NumberFormat.short(4.17438) == "4.174")
        #expect(NumberFormat.decimals(for: [0.1, -3]) == 2)
        #expect(NumberFormat.decimals(for: [250, 1]) == 0)
    }

    /// The widest number of a matrix, found without writing each one out, is the widest
    /// of them all written out: values of every size and sign, ones that round to 0,
    /// the edges of the scientific form, NaN and ±inf, at each number of decimals.
    @Test func theWidestNumberIsFoundWithoutWritingEachOut() {
        var state: UInt64 = 3
        func next(_ bound: Int) -> Int {  // a linear congruential generator: any spread of cases will do
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        let edges: [Float] = [0, -0.0, -0.004, 0.004, 9.995, -9.995, 99.95, 9_999_999, -9_999_999, 1e7, -1e7, 3e38, -3e38,
                              .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        for trial in 0..<300 {
            let count = 1 + next(12)
            let values: [Float] = (0..<count).map { _ in
                if next(4) == 0 { return edges[next(edges.count)] }
                var magnitude: Float = 1e-4
                for _ in 0..<next(12) { magnitude *= 10 }
                return (Float(next(2_000_001)) / 1_000_000 - 1) * magnitude
            }
            for decimals in 0...2 {
                let written = values.map { NumberFormat.fixed($0, decimals: decimals).count }.max()!
                #expect(NumberFormat.widestFixed(values, decimals: decimals) == written, "trial \(trial): \(values), \(decimals) decimals")
            }
        }
    }

    /// A curve through more values than its pixels is drawn a column at a time, with the
    /// dots the line through every value draws: a long walk, NaN breaking it, and values
    /// past the frame.
    @Test func aLongCurveHasTheDotsOfTheLineThroughEveryValue() {
        var state: UInt64 = 9
        func noise() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2001 - 1000) / 1000
        }
        var walk: Float = 0
        var values = (0..<(Plots.strokesPast + 50_001)).map { i -> Float in
            walk += noise()
            return i % 40_000 < 20_000 ? walk : walk * 0.1 + noise()
        }
        for i in stride(from: 7, to: values.count, by: 9_973) { values[i] = .nan }
        values[123_456] = .infinity
        let options = RenderOptions(color: .none, width: 80)
        let drawn = Plots.curve(values, options: options).lines.map(\.plainText)
        // The same, point by point.
        let finite = values.filter(\.isFinite)
        var canvas = BrailleCanvas(columns: 50, rows: 8)
        let b = PlotBounds(minX: 0, maxX: Float(values.count - 1), minY: finite.min()!, maxY: finite.max()!)
        var previous: (Int, Int)?
        for (i, v) in values.enumerated() {
            guard let p = b.pixel(Float(i), v, on: canvas) else { previous = nil; continue }
            if let q = previous { canvas.line(from: q, to: p) } else { canvas.set(p.0, p.1) }
            previous = p
        }
        let expected = canvas.block().lines.map(\.plainText)
        #expect(drawn.count == expected.count + 1)
        for (line, want) in zip(drawn, expected) { #expect(line.hasSuffix(want)) }
    }

    @Test func widthsCountTerminalColumns() {
        #expect(displayWidth("Δh_m") == 4)
        #expect(displayWidth("e\u{301}") == 1)  // e + combining acute
        #expect(displayWidth("日本") == 4)
        #expect(displayWidth("🙂") == 2)
    }

    @Test func colourFollowsTheUsersWishes() {
        let tty = ["TERM": "xterm-256color"]
        #expect(RenderOptions.colorMode(preference: "auto", environment: tty, isTerminal: true) == .ansi256)
        #expect(RenderOptions.colorMode(preference: "auto", environment: tty, isTerminal: false) == RenderOptions.ColorMode.none)
        #expect(RenderOptions.colorMode(preference: "auto", environment: ["NO_COLOR": "1"], isTerminal: true) == RenderOptions.ColorMode.none)
        #expect(RenderOptions.colorMode(preference: "always", environment: ["COLORTERM": "truecolor"], isTerminal: false) == .truecolor)
        #expect(RenderOptions.colorMode(preference: "never", environment: tty, isTerminal: true) == RenderOptions.ColorMode.none)
    }

    @Test func stylesBecomeEscapesOnlyWithColour() {
        let line = Line("hi", Style(foreground: RGB(255, 0, 0), bold: true))
        #expect(line.rendered(.none) == "hi")
        #expect(line.rendered(.ansi256) == "\u{1B}[1;38;5;196mhi\u{1B}[0m")
        #expect(line.rendered(.truecolor) == "\u{1B}[1;38;2;255;0;0mhi\u{1B}[0m")
    }

    @Test func linesAreCutWithAnEllipsis() {
        let line = Line("abcdefgh")
        #expect(line.truncated(to: 5).plainText == "abcd…")
        #expect(line.truncated(to: 20).plainText == "abcdefgh")
    }

    @Test func aHeatmapWithoutColourShowsNumbersAndShades() {
        let a = Snapshot(shape: [2, 2], data: [1, 0, 0.5, 0.5])
        let map = Heatmap(a, rowLabels: ["I", "love"], columnLabels: ["I", "love"], palette: .sequential)
        let text = map.block(RenderOptions(color: .none, width: 80)).lines.map { $0.plainText.trimmingTrailing() }
        #expect(text == [
            "         I  love",
            "I     1.00█ 0.00",
            "love  0.50▒ 0.50▒",
        ])
    }

    @Test func brailleDotsLandInTheRightCells() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.set(0, 0)  // dot 1 of cell 0
        canvas.set(3, 3)  // dot 8 of cell 1
        #expect(canvas.block().lines[0].plainText == "\u{2801}\u{2880}")
        canvas.set(99, 99)  // outside: ignored
        #expect(canvas.block().lines[0].plainText == "\u{2801}\u{2880}")
    }
}

extension String {
    func trimmingTrailing() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

@Suite struct ProseTests {
    func plain(_ markdown: String, width: Int = 40) -> [String] {
        Prose(markdown).block(RenderOptions(color: .none, width: width)).lines.map(\.plainText)
    }

    @Test func headingsParagraphsAndListsAreLaidOut() {
        let text = plain("""
            # Self-attention

            Four words arrive at a *party*: each holds a vector h_m and
            asks a question (`q_m`).

            - q_m: what do you want to know?
            - k_m: can you answer?
            """)
        #expect(text == [
            "Self-attention",
            "",
            "Four words arrive at a party: each holds",
            "a vector h_m and asks a question (q_m).",
            "",
            "• q_m: what do you want to know?",
            "• k_m: can you answer?",
        ])
    }

    @Test func stylesAreAppliedWithColour() {
        let line = Prose("**bold** and `code`").block(RenderOptions(color: .ansi256, width: 40)).lines[0]
        #expect(line.runs.first?.text == "bold" && line.runs.first?.style.bold == true)
        #expect(line.runs.last?.text == "code")
        #expect(line.rendered(.ansi256).contains("\u{1B}["))
    }

    @Test func underscoresInsideNamesAreSubscriptsNotEmphasis() {
        #expect(plain("W_encode maps e_w to a column") == ["W_encode maps e_w to a column"])
        #expect(plain("an _emphasised_ word") == ["an emphasised word"])
    }

    @Test func longWordsAndMathStayIntact() {
        let text = plain("The weight A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d) is how much m hears t", width: 40)
        #expect(text == ["The weight A_{m→t} =", "softmax_t(⟨q_m,k_t⟩/√d) is how much m", "hears t"])
    }
}

@Suite struct WordWrapTests {
    @Test func wrapsAtSpacesAndKeepsIndentation() {
        #expect("one two three four".wordWrapped(width: 9) == ["one two", "three", "four"])
        #expect("  indented text that wraps".wordWrapped(width: 14) == ["  indented", "  text that", "  wraps"])
        #expect("head\n  body goes on".wordWrapped(width: 9, indent: 4) == ["head", "  body", "    goes", "    on"])
        #expect("averyveryverylongword x".wordWrapped(width: 5) == ["averyveryverylongword", "x"])
    }

    /// Messages are wrapped at spaces; the code and caret of a diagnostic keep their columns.
    @Test func longMessagesWrapButSourceLinesDoNot() {
        let diagnostic = "<input>:1:5: error: inner sizes 3 and 4 differ\n   1 | x = ones([2, 3]) @ ones([4, 5])\n     |     ^"
        #expect(diagnostic.wrappingLongLines(width: 24).split(separator: "\n") == [
            "<input>:1:5: error:", "  inner sizes 3 and 4", "  differ", "   1 | x = ones([2, 3]) @ ones([4, 5])", "     |     ^"])
        #expect("short".wrappingLongLines(width: 24) == "short")
        #expect("  help text that goes on".wrappingLongLines(width: 12) == "  help text\n    that\n    goes on")
    }
}
