/// What the instructor wants to remember at a step, written in the lesson where no
/// student sees it: `<!-- notes: … -->` (one line or several) or a ```` ```notes ````
/// block. `huddle present --notes` shows the notes of the step the presentation is at;
/// the REPL, `huddle run` and handouts leave them out.
public struct SpeakerNote: Sendable, Equatable {
    /// The section it belongs to: the paragraph, cell or exercise just before it (the
    /// first section, for a note above everything).
    public var section: Int
    public var line: Int
    public var text: String

    static let opening = "<!-- notes:"

    /// The text of a one-line note, or nil when `line` is not one.
    static func oneLine(_ line: Substring) -> String? {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix(opening), trimmed.hasSuffix("-->") else { return nil }
        return trimmed.dropFirst(opening.count).dropLast(3).trimmingWhitespace()
    }

    /// Whether `line` opens a note that goes on below it.
    static func opens(_ line: Substring) -> Bool {
        let trimmed = line.trimmingWhitespace()
        return trimmed.hasPrefix(opening) && !trimmed.contains("-->")
    }
}

extension LessonDocument {
    /// The notes of section `section`, joined.
    public func notes(forSection section: Int) -> String? {
        let found = notes.filter { $0.section == section }.map(\.text)
        return found.isEmpty ? nil : found.joined(separator: "\n\n")
    }
}
