import Lessons
@testable import REPL
import Render
import Testing

/// What the REPL tells a student after a cell stops: Ctrl-C is not a mistake to fix.
@Suite struct SessionRunnerTests {
    func runner(_ script: String) throws -> SessionRunner {
        SessionRunner(session: try LessonSession(document: LessonDocument(path: "runner.hud", script: script),
                                                 options: RenderOptions()))
    }

    @Test func ctrlCInACellIsToldApartFromAnError() throws {
        let stopped = try runner("m = MLP([1, 1], seed: 1)\ndef loss():\n    return sum(m([[1]]))\nl = train(m, loss, steps: 50)")
        stopped.session.interruptRequested = { true }
        #expect(stopped.run(cell: 0) == nil)
        let advice = stopped.adviceAfterFailure(ofCell: 0)
        #expect(advice.hasPrefix("Ctrl-C stopped the cell") && advice.contains(":back, then Enter"))

        let wrong = try runner("x = undefined_name")
        #expect(wrong.run(cell: 0) == nil)
        #expect(wrong.adviceAfterFailure(ofCell: 0) == SessionRunner.adviceAfterError)
    }
}
