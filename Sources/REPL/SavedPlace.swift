import Debugger

/// Where the student left a lesson, between runs: offered back when the lesson opens
/// (`resume at step 12? [Y/n]`), reached again by running the cells up to it quietly,
/// and saved as they go.
extension REPL {
    /// Asks whether to go on from the saved step. Ctrl-D or Ctrl-C there is "not now":
    /// returns false, and the saved place is kept (it used to start the lesson over and
    /// save step 1 over it).
    func offerResume() -> Bool {
        guard configuration.interactive, let store = progressStore,
              let saved = store.entry(for: lessonPath), saved.position > 0 else { return true }
        guard case .line(let answer) = reader.readLine(prompt: "resume at step \(saved.position + 1)? [Y/n] ") else {
            write("\n")
            say("your place is kept: open this lesson again to go on from step \(saved.position + 1)")
            return false
        }
        if answer.trimmingWhitespace().lowercased().hasPrefix("n") {
            reopenUnsolvedExercises()
            return true
        }
        replay(to: saved.position)
        return true
    }

    /// Runs the cells up to `position` without printing them (resuming, reloading), then
    /// shows where that is — and any cell that failed on the way.
    func replay(to position: Int) {
        var happened: [Display] = []
        let ended = perform(.goto(position)) { happened.append($0) }
        let cells = happened.filter { if case .cellRan = $0 { true } else { false } }.count
        // An exercise not answered yet stops the way back there: say where it stopped.
        let reached = debugger.position + 1
        let stoppedEarly = reached < position + 1 && openExercise != nil ? " — an exercise on the way waits for your answer" : ""
        if cells > 0 { say("ran \(cells == 1 ? "1 cell" : "\(cells) cells") to get back to step \(reached)\(stoppedEarly)") }
        showWhatWentWrong(happened, then: ended)
    }

    /// Of cells run on the way somewhere (resuming, re-running with a patch), only what
    /// went wrong — their code and output were not asked for — then where it ended.
    func showWhatWentWrong(_ happened: [Display], then ended: [Display]) {
        show(happened.filter {
            switch $0 {
            case .cellRan(let cell, _): runner.results[cell].map { $0.error != nil || !$0.failedChecks.isEmpty } ?? false
            case .cellStarting: false
            default: true
            }
        } + ended)
    }

    var progressStore: ProgressStore? {
        configuration.state.map { ProgressStore(path: $0.progress) }
    }

    func saveProgress() {
        let failure = progressStore?.update(lesson: lessonPath, position: max(debugger.position, 0))
        if let failure, let store = progressStore { couldNotSave(store.path, failure) }
    }

    /// Says once that the student's state cannot be written (HOME not writable), and
    /// from then on never that it was saved.
    func couldNotSave(_ path: String, _ reason: String) {
        guard unsaved == nil else { return }
        unsaved = reason
        say("could not save your progress in \(path) (\(reason)); go on as you like, but it will not be remembered next time")
    }
}
