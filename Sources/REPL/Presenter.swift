#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Debugger
import Lessons
import Render

/// `huddle present LESSON`: the lesson as slides for a live demo — one step per key on a
/// cleared screen, with the REPL's own stepping (so a demo and a student's session show
/// the same pictures), a status line with the step and a clock, and the REPL a key away
/// (`:` drops into it, `:present` comes back). Where it is goes to a small file that
/// `huddle present --notes` in a second terminal follows.
public final class Presenter {
    let repl: REPL
    let keys: KeyReader
    /// Clears the screen before each step (off for tests that read the whole output).
    let clears: Bool
    let state: PresentationState?
    let started: time_t
    var showingKeys = false

    public init(repl: REPL, keys: KeyReader, clears: Bool, statePath: String?) {
        self.repl = repl
        self.keys = keys
        self.clears = clears
        self.state = statePath.map(PresentationState.init(path:))
        started = time(nil)
        repl.presenting = true
    }

    static let keyHelp = "Enter/Space/→ next · b/← back · n next round · k past this trace · s solution · : REPL (:present returns) · q quit"

    public func run() {
        slide { self.titleSlide() }
        while let key = keys.readKey() {
            switch key {
            case .step: slide { self.repl.move(.step) }
            case .back: slide { self.repl.move(.back) }
            case .next: slide { self.repl.move(.next) }
            case .skip: slide { self.repl.move(.skipTrace) }
            case .solution:
                slide { self.repl.openExercise == nil ? self.repl.say("no exercise waits here") : self.repl.solution() }
            case .repl:
                dropIntoREPL()
            case .help:
                showingKeys.toggle()
                slide { self.repl.redisplayCurrent() }
            case .quit:
                finish()
                return
            case .other:
                continue
            }
            repl.saveProgress()
            if repl.finished { break }
        }
        finish()
    }

    /// Clears the screen, draws what `body` writes, then the status line; tells the notes.
    func slide(_ body: () -> Void) {
        repl.followWidth()
        if clears { repl.write("\u{1B}[H\u{1B}[2J\u{1B}[3J") }
        Terminal.quietInput(body)
        repl.write("\n" + Line(status(), Theme.muted).rendered(repl.options.color) + "\n")
        state?.write(lesson: repl.lessonPath, position: repl.debugger.position, total: repl.debugger.timeline.count,
                     section: repl.currentSection, started: started)
    }

    /// `step 7/42 · 03:12 · 14:05` and what the keys do (all of them after `h`).
    func status() -> String {
        let elapsed = Int(time(nil) - started)
        let clock = twoDigits(elapsed / 60) + ":" + twoDigits(elapsed % 60)
        let step = "step \(max(repl.debugger.position + 1, 0))/\(repl.debugger.timeline.count)"
        let waiting = repl.openExercise != nil ? " · an exercise waits: s shows its solution, : answers in the REPL" : ""
        let keys = showingKeys ? "\n" + Self.keyHelp : " · h keys"
        return step + " · " + clock + " elapsed · " + PresentationState.wallClock() + waiting + keys
    }

    /// The lesson's title, large enough to read from the back: a heading and the keys.
    func titleSlide() {
        repl.write("\n\n" + Line("  " + repl.session.document.title, Theme.heading).rendered(repl.options.color) + "\n\n"
                   + Line("  Enter or Space to begin · h for the keys", Theme.muted).rendered(repl.options.color) + "\n")
    }

    func dropIntoREPL() {
        repl.write("\n" + Line("the REPL, here at step \(repl.debugger.position + 1): type code or commands; :present goes back to the slides", Theme.accent)
            .rendered(repl.options.color) + "\n")
        repl.returnsToPresenter = false
        repl.readLines()
        repl.returnsToPresenter = false
        if !repl.finished { slide { self.repl.redisplayCurrent() } }
    }

    func finish() {
        repl.saveProgress()
        state?.end()
        repl.reader.close()
        repl.write("\n")
    }
}

/// Two digits: 7 → "07", for clocks.
func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : String(value)
}

/// The presentation's place, in a small file the notes window reads: lesson, step,
/// section, start time — one tab-separated line, replaced whole at each step.
public struct PresentationState: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public struct Place: Equatable, Sendable {
        public var lesson: String
        public var position: Int
        public var total: Int
        public var section: Int?
        public var started: Int
        public var ended: Bool
    }

    func write(lesson: String, position: Int, total: Int, section: Int?, started: time_t) {
        save("\(ProgressStore.identity(lesson))\t\(position)\t\(total)\t\(section.map(String.init) ?? "-")\t\(started)\tpresenting\n")
    }

    func end() {
        guard var place = read() else { return }
        place.ended = true
        save("\(place.lesson)\t\(place.position)\t\(place.total)\t\(place.section.map(String.init) ?? "-")\t\(place.started)\tended\n")
    }

    public func read() -> Place? {
        guard let text = try? LessonFiles.readFile(path, limit: 1 << 16) else { return nil }
        let fields = text.trimmingWhitespace().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, let position = Int(fields[1]), let total = Int(fields[2]), let started = Int(fields[4]) else { return nil }
        return Place(lesson: fields[0], position: position, total: total, section: Int(fields[3]), started: started, ended: fields[5] == "ended")
    }

    private func save(_ line: String) {
        let temporary = path + ".new"
        guard let file = fopen(temporary, "w") else { return }
        fputs(line, file)
        fclose(file)
        rename(temporary, path)
    }

    /// The time of day, `14:05`.
    static func wallClock() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return twoDigits(Int(parts.tm_hour)) + ":" + twoDigits(Int(parts.tm_min))
    }
}

/// What the slides ask of the REPL beyond what a student's session does.
extension REPL {
    /// The section of the lesson the current step belongs to (an event's is its cell's).
    var currentSection: Int? {
        guard debugger.timeline.entries.indices.contains(debugger.position) else { return nil }
        switch debugger.timeline.entries[debugger.position] {
        case .prose(let section), .cell(_, let section), .exercise(_, let section): return section
        case .event(let cell, _):
            return debugger.timeline.entries.lazy.compactMap { entry -> Int? in
                if case .cell(cell, let section) = entry { section } else { nil }
            }.first
        }
    }

    /// Draws the current step again, as arriving at it drew it.
    func redisplayCurrent() {
        let position = debugger.position
        guard debugger.timeline.entries.indices.contains(position) else { return greet() }
        switch debugger.timeline.entries[position] {
        case .prose(let section): write(render(.prose(section: section)))
        case .cell(let cell, _): write(render(.cellRevisited(cell: cell, position: position)))
        case .event(let cell, _):
            if let event = debugger.currentEvent { write(render(.event(event, cell: cell, position: position))) }
        case .exercise(let exercise, _): write(render(.exercise(exercise: exercise, position: position)))
        }
    }
}
