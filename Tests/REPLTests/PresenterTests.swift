import Foundation
@testable import Lessons
@testable import REPL
import Render
import Testing

/// `huddle present`: slides driven by keys, the REPL a key away, and the place written
/// for the notes window, which shows the notes of that step.
@Suite struct PresenterTests {
    static let lesson = """
        # Presenting

        A first paragraph.
        <!-- notes: say hello; ask who has seen attention before -->

        ```huddle
        stack = ResidualStack(dim: 2, steps: 2, epsilon: 0.1, seed: 0)
        h = tensor([[1, 0], [0, 1]], labels: ["a", "b"])
        out = trace stack(h)
        ```

        <!-- notes:
        Two steps follow.
        Point at the arrow.
        -->

        ```notes
        And breathe.
        ```

        A closing paragraph.
        """

    @Test func notesBelongToTheSectionBeforeThemAndAreNotProse() {
        let document = LessonDocument(path: "p.md", text: Self.lesson)
        #expect(document.problems.isEmpty)
        #expect(document.notes(forSection: 0) == "say hello; ask who has seen attention before")
        #expect(document.notes(forSection: 1) == "Two steps follow.\nPoint at the arrow.\n\nAnd breathe.")
        for case .prose(let text, _) in document.sections { #expect(!text.contains("notes")) }
        let open = LessonDocument(path: "p.md", text: "# P\n\n<!-- notes: one\nnever closed\n")
        #expect(open.problems.first?.contains("p.md:3:1: error: the speaker note opened here is never closed") == true)
    }

    func present(_ keys: String, lines: [String] = []) throws -> (output: String, state: PresentationState) {
        let path = try temporaryLessonFile(Self.lesson)
        var remaining = lines
        var output = ""
        let repl = try REPL(lessonPath: path, reader: PlainLineReader { remaining.isEmpty ? nil : remaining.removeFirst() },
                            configuration: .init(interactive: false, options: RenderOptions(width: 80), state: nil)) { output += $0 }
        let statePath = path + ".presenting"
        Presenter(repl: repl, keys: ScriptedKeyReader(keys), clears: false, statePath: statePath).run()
        return (output, PresentationState(path: statePath))
    }

    @Test func keysStepAndGoBackWithAStatusLineAndThePlaceIsWritten() throws {
        let (output, state) = try present("   b")
        #expect(output.contains("Presenting\n\n  Enter or Space to begin"))
        #expect(output.contains("step 1/3 · 00:00 elapsed"))
        #expect(output.contains("traced 2 steps (residual)"))
        #expect(output.contains("step 3/5 · "))          // the first residual step
        #expect(output.contains("step 1/2 · residual"))
        #expect(output.contains("↺") || output.contains("step 2/5 · "))
        let place = try #require(state.read())
        #expect(place.position == 1 && place.total == 5 && place.section == 1 && place.ended)
    }

    @Test func theREPLIsAKeyAwayAndPresentComesBack() throws {
        let (output, _) = try present("  : q", lines: ["x = 40 + 2", "x", ":present"])
        #expect(output.contains("the REPL, here at step 2: type code or commands; :present goes back to the slides"))
        #expect(output.contains("42"))
        // Back on the slides, the cell is drawn again.
        let after = output.components(separatedBy: ":present goes back to the slides").last ?? ""
        #expect(after.contains("out = trace stack(h)"))
        #expect(after.contains("step 2/"))
    }

    @Test func presentOutsideAPresentationIsRefused() throws {
        var output = ""
        let path = try temporaryLessonFile(Self.lesson)
        var lines = [":present"]
        let repl = try REPL(lessonPath: path, reader: PlainLineReader { lines.isEmpty ? nil : lines.removeFirst() },
                            configuration: .init(interactive: false, options: RenderOptions(width: 80), state: nil)) { output += $0 }
        repl.run()
        #expect(output.contains("you are not presenting"))
    }

    @Test func theNotesWindowShowsTheNotesOfThePlaceAndWhatComesNext() throws {
        let (_, state) = try present("  ")
        let path = state.path.replacingOccurrences(of: ".presenting", with: "")
        var shown = ""
        let window = try NotesWindow(lessonPath: path, statePath: state.path, options: RenderOptions(width: 80), clears: false) { shown += $0 }
        window.run(rounds: 1)
        #expect(shown.contains("Speaker notes · Presenting"))
        #expect(shown.contains("step 2/5"))
        #expect(shown.contains("Two steps follow. Point at the arrow."))
        #expect(shown.contains("next: A closing paragraph."))
        #expect(shown.contains("the presentation ended"))
    }
}

/// A lesson file in a fresh folder.
func temporaryLessonFile(_ text: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-present-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/01-presenting.md"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
