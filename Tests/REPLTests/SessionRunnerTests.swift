import Debugger
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
        guard case .interrupted(let diagnostic) = stopped.run(cell: 0) else {
            Issue.record("Ctrl-C in a cell is an interrupted outcome")
            return
        }
        #expect(diagnostic.contains("Ctrl-C"))
        // A stop the student asked for is labelled as one, not as an error to fix.
        #expect(diagnostic.contains(": stopped: ") && !diagnostic.contains("error:"), "\(diagnostic)")
        let advice = REPL.advice(interrupted: true)
        #expect(advice.hasPrefix("Ctrl-C stopped the cell") && advice.contains(":back, then Enter"))

        let wrong = try runner("x = undefined_name")
        guard case .failed(let error) = wrong.run(cell: 0) else {
            Issue.record("an error in a cell is a failed outcome")
            return
        }
        #expect(error.contains("name 'undefined_name' is not defined"))
        #expect(REPL.advice(interrupted: false) == REPL.adviceAfterError)
    }
}
