import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Lessons
import Render
import Testing
import Trace

/// `huddle export`: a figure for every traced step (a run of training steps as one
/// curve), a page that fetches nothing, text that survives escaping, numbers that are
/// the tensors' own, and Markdown whose figures are files beside it.
@Suite struct ExportTests {
    static let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Lessons").standardized.path

    static func handout(_ path: String, color: RenderOptions.ColorMode = .truecolor) throws -> Handout {
        let session = try LessonSession.open(path: path, options: RenderOptions(color: color, width: 96))
        return Handout(running: session)
    }

    static func handout(lesson name: String) throws -> Handout {
        try handout(lessons + "/" + name)
    }

    /// How many figures the events make: one each, but one for each run of train events.
    static func expectedFigures(_ events: [TraceEvent]) -> Int {
        events.indices.filter { i in !(events[i].kind == .train && i > 0 && events[i - 1].kind == .train) }.count
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test(arguments: ["09-self-attention.md", "15-diffusion.md"])
    func everyTracedStepIsAFigure(lesson: String) throws {
        let handout = try Self.handout(lesson: lesson)
        #expect(handout.exit == .success)
        #expect(!handout.events.isEmpty)
        let html = HTMLHandout.page(handout)
        let expected = Self.expectedFigures(handout.events)
        #expect(expected == handout.events.count)  // neither lesson traces training
        #expect(Self.count("<svg", in: html) == expected)
        #expect(Self.count("<figure class=\"step\"", in: html) == expected)
        // Numbered across the lesson, as `huddle run` numbers them.
        #expect(handout.events.map(\.step) == Array(0..<handout.events.count))
        for event in handout.events { #expect(html.contains("id=\"step-\(event.step + 1)\"")) }
    }

    @Test func aRunOfTrainingStepsIsOneCurve() throws {
        let path = try temporaryLesson("""
            # Training

            ```huddle
            mlp = MLP([2, 3, 1], seed: 1)
            x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
            y = tensor([[0], [1], [1], [0]])
            def mse(model):
                def loss():
                    e = model(x) - y
                    return mean(e * e)
                return loss
            out = trace mlp(x)
            losses = trace train(mlp, mse(mlp), steps: 12, lr: 0.1)
            ```
            """)
        let handout = try Self.handout(path)
        #expect(handout.events.filter { $0.kind == .train }.count == 12)
        let figures = handout.figures
        #expect(figures.count == handout.events.count - 11)
        #expect(figures.count == Self.expectedFigures(handout.events))
        let curve = try #require(figures.last)
        #expect(curve.events.count == 12)
        #expect(curve.title.hasPrefix("steps 3–14 · train · 12 optimiser steps"))
        #expect(curve.svg().contains("<polyline"))
        #expect(Self.count("<svg", in: HTMLHandout.page(handout)) == figures.count)
    }

    @Test(arguments: ["09-self-attention.md", "15-diffusion.md"])
    func thePageFetchesNothing(lesson: String) throws {
        let html = HTMLHandout.page(try Self.handout(lesson: lesson))
        for forbidden in ["http:", "https:", "src=", "href=", "<link", "@import", "url(", "//cdn"] {
            #expect(!html.contains(forbidden), "the handout contains \(forbidden)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>") && html.contains("<script>"))
    }

    static let oddLesson = """
        # Odd <labels> & "quotes"

        Raw <b>HTML</b> & [a link](https://example.com) stay text.

        ```huddle
        words = ["<s>", "a&b", "\\"q\\"", "end"]
        h = embed(words, dim: 4, seed: 3)
        attn = SelfAttention(dim: 4, seed: 3)
        out = trace attn(h)
        ```
        """

    @Test func labelsWithMarkupCharactersSurviveAsText() throws {
        let handout = try Self.handout(try temporaryLesson(Self.oddLesson))
        let html = HTMLHandout.page(handout)
        #expect(!html.contains("<s>") && !html.contains("<b>") && !html.contains("<labels>"))
        #expect(html.contains("&lt;s&gt;") && html.contains("a&amp;b") && html.contains("&quot;q&quot;"))
        #expect(html.contains("Raw &lt;b&gt;HTML&lt;/b&gt; &amp; <span class=\"link\">a link</span> stay text."))
        #expect(html.contains("<title>Odd &lt;labels&gt; &amp; &quot;quotes&quot; — Huddle handout</title>"))
        // A standalone figure is well-formed XML whose text gives the labels back as written.
        let svg = try #require(handout.figures.first).svg(standalone: true)
        let text = try XMLText.of(svg)
        for label in ["<s>", "a&b", "\"q\""] { #expect(text.contains(label), "\(label) did not survive") }
    }

    @Test func aHeatmapCellPrintsTheTensorsEntry() throws {
        let handout = try Self.handout(lesson: "09-self-attention.md")
        let event = try #require(handout.events.first)
        let a = try #require(event[AttentionStep.A])
        let svg = try #require(handout.figures.first).svg()
        // The A heatmap's numbers, in row-major order.
        let start = try #require(svg.range(of: "data-key=\"A\""))
        let numbers = try #require(svg[start.upperBound...].range(of: "class=\"numbers\""))
        let end = try #require(svg[numbers.upperBound...].range(of: "</g>"))
        let texts = svg[numbers.upperBound..<end.lowerBound].components(separatedBy: "</text>").compactMap { piece in
            piece.split(separator: ">").last.flatMap { Double($0) }
        }
        #expect(texts.count == a.count)
        for (printed, value) in zip(texts, a.data) { #expect(abs(printed - Double(value)) <= 0.005 + 1e-9, "\(printed) is not \(value)") }
        #expect(svg.contains("data-shape=\"4,4\""))
    }

    @Test func notANumberIsAMarkedCellAndTheDocumentStaysValid() throws {
        let path = try temporaryLesson("# NaN\n\n```huddle\nx = tensor([[1, 2], [3, 4]])\ny = trace MLP([2, 3, 1], seed: 2)(x * sqrt(-1))\n```\n")
        let handout = try Self.handout(path)
        #expect(!handout.figures.isEmpty)
        for figure in handout.figures {
            let svg = figure.svg(standalone: true)
            _ = try XMLText.of(svg)
            #expect(svg.contains(">nan</text>"))
            // No coordinate, size or colour is a NaN or an infinity.
            let attributes = svg.components(separatedBy: "=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(!attributes.contains { $0.lowercased().contains("nan") || $0.lowercased().contains("inf") })
        }
    }

    @Test func markdownLinksEachFigureFileBesideIt() throws {
        let handout = try Self.handout(lesson: "09-self-attention.md")
        let page = MarkdownHandout.render(handout, figuresFolder: "09-self-attention-figures", options: RenderOptions(color: .none, width: 80))
        #expect(page.figures.count == handout.events.count)
        #expect(page.figures.map(\.name).first == "step-0001.svg")
        for figure in page.figures {
            #expect(page.markdown.contains("](09-self-attention-figures/\(figure.name))"))
            #expect(figure.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            _ = try XMLText.of(figure.svg)
        }
        #expect(page.markdown.hasPrefix("# Self-attention: a party of words"))
        #expect(page.markdown.contains("```huddle\nout = trace attn(h)"))
        #expect(page.markdown.contains("✓ expect sum(attn.weights, axis: 1) ≈ ones(4)"))
        #expect(page.markdown.contains("<details><summary>Hint 1</summary>"))
        #expect(page.markdown.contains("<details><summary>Solution</summary>"))
        #expect(!page.markdown.contains("\u{1B}["))
    }

    @Test func exercisesFoldTheirHintsAndSolution() throws {
        let handout = try Self.handout(lesson: "09-self-attention.md")
        let html = HTMLHandout.page(handout)
        let exercises = handout.sections.compactMap { if case .exercise(let e, _, _) = $0 { e } else { nil } }
        #expect(!exercises.isEmpty)
        #expect(Self.count("<section class=\"exercise\"", in: html) == exercises.count)
        #expect(Self.count("<details class=\"hint\">", in: html) == exercises.map(\.hints.count).reduce(0, +))
        #expect(Self.count("<details class=\"solution\">", in: html) == exercises.count)
        #expect(html.contains("Exercise 1 of \(exercises.count) · code"))
    }

    @Test func aFailedCheckIsMarkedAndSetsTheExitCode() throws {
        let path = try temporaryLesson("# Checks\n\n```huddle\nexpect 1 + 1 == 2\nexpect 1 == 2\n```\n")
        let handout = try Self.handout(path)
        #expect(handout.exit == .checkFailed)
        let html = HTMLHandout.page(handout)
        #expect(html.contains("<li class=\"pass\"><span class=\"mark\">✓</span> <code>expect 1 + 1 == 2</code></li>"))
        #expect(html.contains("<li class=\"fail\"><span class=\"mark\">✗</span> <code>expect 1 == 2</code>"))
    }
}

/// The Markdown of lesson prose as the page shows it.
@Suite struct ProseHTMLTests {
    @Test func headingsParagraphsAndEmphasis() {
        let html = ProseHTML.html("# A *party*\n\nEach h_m and A_{m→t} is **bold** and _this_ `code <x>`.\n")
        #expect(html.contains("<h1 id=\"a-party\">A <em>party</em></h1>"))
        #expect(html.contains("<p>Each h_m and A_{m→t} is <strong>bold</strong> and <em>this</em> <code>code &lt;x&gt;</code>.</p>"))
    }

    @Test func nestedListsAndTables() {
        let html = ProseHTML.html("1. one\n   - a\n   - b\n2. two\n\n| k | v |\n|---|--:|\n| x \\| y | 2 |\n")
        #expect(html.contains("<ol>\n<li>one\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</li>\n<li>two</li>\n</ol>"))
        #expect(html.contains("<thead><tr><th>k</th><th style=\"text-align:right\">v</th></tr>\n</thead>"))
        #expect(html.contains("<tr><td>x | y</td><td style=\"text-align:right\">2</td></tr>"))
    }

    @Test func linksKeepTheirWordsOnlyAndCommentsVanish() {
        let html = ProseHTML.html("<!-- huddle: no-skip -->\nSee [the lecture](https://example.com/x) and ![a plot](plot.png).\n")
        #expect(html == "<p>See <span class=\"link\">the lecture</span> and <span class=\"image\">[a plot]</span>.</p>\n")
    }
}

/// The text content of an XML document, parsed (so a document that is not well-formed
/// fails the test).
enum XMLText {
    final class Collector: NSObject, XMLParserDelegate {
        var text = ""
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func of(_ xml: String) throws -> String {
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw Invalid(description: "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")") }
        return collector.text
    }
}
