import Debugger
import Lessons
import Render
import Trace

/// `:patch`, `:unpatch` and what they show: a message changed at a picture, the cell run
/// again with it, and what moved.
extension REPL {
    /// `:patch NAME[i] = EXPR` at a picture: keeps the patch, runs the picture's cell again
    /// from its start with it, comes back to this step, and says what changed after it.
    func patch(_ argument: String) {
        let text = argument.trimmingWhitespace()
        if text.isEmpty { return listPatches() }
        guard let event = debugger.currentEvent, let cell = debugger.currentCell else {
            return complain("step to a picture first: :patch changes one of its messages, e.g. :patch A[1] = [0, 0, 1, 0]")
        }
        switch session.patch(text, at: event, inCell: cell) {
        case .failure(let problem):
            complaints += 1
            write(Line(problem.description.wrappingLongLines(width: options.width), Theme.error).rendered(options.color) + "\n")
        case .success(let patch):
            say("patched \(patch); running cell \(cell + 1) again with it")
            runAgain(cell: cell)
            summarizeChanges(cell: cell, after: event.step)
        }
    }

    func unpatch(_ argument: String) {
        let text = argument.trimmingWhitespace()
        guard !session.picturePatches.isEmpty else { return complain("no patches to end (a patch(…) made in code ends with unpatch())") }
        if text.isEmpty {
            session.unpatch()
        } else {
            guard let n = Int(text), session.unpatch(n) else { return complain("no patch \(text): :patch lists them") }
        }
        say(text.isEmpty ? "every patch ended" : "patch \(text) ended")
        if let cell = debugger.currentCell, debugger.currentEvent != nil { runAgain(cell: cell) }
    }

    func listPatches() {
        let pictures = session.picturePatches
        let code = session.patches.count - pictures.count
        guard !session.patches.isEmpty else {
            return say("no patches; at a picture, :patch A[1] = [0, 0, 1, 0] changes a message and runs the rest from it")
        }
        for (i, entry) in pictures.enumerated() { say("\(i + 1): \(entry.patch) — in cell \(entry.cell + 1)'s runs") }
        if code > 0 { say("and \(code) made in code by patch(…), until unpatch()") }
    }

    /// The cell run again as `:rerun` runs it (in the variables as they are now, the
    /// student's changes to its models kept), back to the step shown now; of its output
    /// only what went wrong is shown.
    func runAgain(cell: Int) {
        let here = debugger.position
        var happened: [Display] = []
        _ = perform(.rerun) { happened.append($0) }
        let ended = perform(.goto(here)) { happened.append($0) }
        showWhatWentWrong(happened, then: ended)
    }

    /// After a patch: how many later steps of the trace changed, and the largest move of
    /// one agent's vector among them, against the run without patches.
    func summarizeChanges(cell: Int, after step: Int) {
        guard let clean = runner.cleanEvents[cell], let now = debugger.timeline.events[cell], clean.count == now.count else { return }
        var changed = 0
        var largest: (amount: Float, text: String)?
        for (was, event) in zip(clean, now) where event.step > step {
            guard was != event else { continue }
            changed += 1
            for (schema, value) in event.declaredTensors where schema == event.kind.schema.result {
                guard let old = was[declared: schema], old.shape == value.shape, value.shape.count == 2 else { continue }
                for r in 0..<value.shape[0] {
                    let move = zip(old.row(r), value.row(r)).map { ($1 - $0) * ($1 - $0) }.reduce(0, +).squareRoot()
                    guard move > (largest?.amount ?? 0) else { continue }
                    let who = event.rowLabels(for: schema.key).map { "'\($0[r])'" } ?? "row \(r)"
                    let place = event.placeWords(only: \.identifiesStep).joined(separator: " · ")
                    largest = (move, "\(schema.key) of \(who) moved by \(NumberFormat.short(move)) at \(event.kind.rawValue) \(place) (step \(event.step + 1))")
                }
            }
        }
        if changed == 0 { return say("no later step of this trace changed") }
        say("\(changed) later step\(changed == 1 ? "" : "s") changed" + (largest.map { "; the most: \($0.text)" } ?? "") + " — :diff at a step shows how")
    }
}
