import Foundation
import Testing

/// `huddle present` in a real terminal, as an instructor runs it: keys step the slides,
/// the REPL is a key away, and `huddle present --notes` in a second terminal follows.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: Terminal.tmuxAvailable, "needs tmux; scripts/test installs it"))
struct PresentTerminalTests {
    @Test func slidesWithTheNotesFollowingInASecondTerminal() async throws {
        let path = try temporaryLessonFile(PresenterTests.lesson)
        let folder = (path as NSString).deletingLastPathComponent
        let state = folder + "/state"
        try await Terminal.with(arguments: ["present", path], in: folder, state: state, ready: "Enter or Space to begin") { slides in
            try await Terminal.with(arguments: ["present", "--notes", path], in: folder, state: state, ready: "Speaker notes") { notes in
                try await slides.keys("Space")
                try await slides.waitFor("step 1/3")
                try await notes.waitFor("say hello; ask who has seen attention before")
                try await slides.keys("Enter")
                try await slides.waitFor("traced 2 steps (residual)")
                try await notes.waitFor("Two steps follow.")
                try await slides.keys("Right")
                try await slides.waitFor("step 1/2 · residual")
                try await slides.keys("b")
                try await slides.waitFor("this cell has run")
                try await slides.type(":")
                try await slides.waitFor("the REPL, here at step 2")
                try await slides.type("7 * 6")
                try await slides.keys("Enter")
                try await slides.waitFor("42")
                try await slides.type(":present")
                try await slides.keys("Enter")
                try await slides.waitFor("h keys")
                try await slides.type("q")
                try await notes.waitFor("the presentation ended")
            }
        }
    }
}
