#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lessons
import Render

/// `huddle present --notes LESSON`, in a second terminal the audience does not see: it
/// follows the presentation (`PresentationState`) and shows the speaker notes of the
/// step it is at, what comes next, and the clock. Ctrl-C or the end of the presentation
/// ends it.
public final class NotesWindow {
    let document: LessonDocument
    let lessonPath: String
    let state: PresentationState
    let options: RenderOptions
    let write: (String) -> Void
    let clears: Bool

    public init(lessonPath: String, statePath: String, options: RenderOptions, clears: Bool, write: @escaping (String) -> Void) throws {
        let text = try LessonFiles.readFile(lessonPath)
        document = LessonDocument(path: lessonPath, text: text)
        self.lessonPath = lessonPath
        state = PresentationState(path: statePath)
        self.options = options
        self.clears = clears
        self.write = write
    }

    /// Polls the presentation's place a few times a second and redraws when it moves or
    /// the minute changes. `rounds` bounds it (tests); nil runs until Ctrl-C or the end.
    public func run(rounds: Int? = nil) {
        var shown: (PresentationState.Place?, String)? = nil
        var round = 0
        while rounds.map({ round < $0 }) ?? true {
            round += 1
            if Interrupt.isRequested { break }
            let place = state.read().flatMap { $0.lesson == ProgressStore.identity(lessonPath) ? $0 : nil }
            let elapsed = place.map { Int(time(nil)) - $0.started } ?? 0
            let key = (place, "\(elapsed / 60)")
            if shown == nil || shown!.0 != key.0 || shown!.1 != key.1 {
                shown = key
                draw(place, elapsed: elapsed)
            }
            if place?.ended == true { break }
            usleep(250_000)
        }
    }

    func draw(_ place: PresentationState.Place?, elapsed: Int) {
        var out = clears ? "\u{1B}[H\u{1B}[2J" : ""
        out += Line("Speaker notes · " + document.title, Theme.heading).rendered(options.color) + "\n"
        guard let place else {
            return write(out + "waiting for `huddle present \(lessonPath)` in another terminal…\n")
        }
        let clock = twoDigits(elapsed / 60) + ":" + twoDigits(elapsed % 60)
        out += Line("step \(place.position + 1)/\(place.total) · \(clock) elapsed · \(PresentationState.wallClock())" + (place.ended ? " · the presentation ended" : ""),
                    Theme.muted).rendered(options.color) + "\n\n"
        if let section = place.section, let notes = document.notes(forSection: section) {
            out += Prose(notes).block(options).rendered(options) + "\n"
        } else {
            out += Line("(no notes for this step)", Theme.muted).rendered(options.color) + "\n"
        }
        if let section = place.section, let next = preview(after: section) {
            out += "\n" + Line("next: " + next, Theme.muted).rendered(options.color) + "\n"
        }
        write(out)
    }

    /// The first line of the section after `section`, as a reminder of what comes.
    func preview(after section: Int) -> String? {
        guard document.sections.indices.contains(section + 1) else { return nil }
        let text: String
        switch document.sections[section + 1] {
        case .prose(let t, _): text = t
        case .cell(let code, _): text = "code: " + code
        case .exercise(let e): text = "exercise: " + e.question
        }
        let first = text.split(separator: "\n").first.map(String.init) ?? ""
        return first.count > options.width - 8 ? String(first.prefix(options.width - 9)) + "…" : first
    }
}
