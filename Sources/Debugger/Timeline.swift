import Trace

/// A lesson as a sequence of steps: prose to read, cells to run, and — once a cell has
/// run — the message-passing events it recorded, in order.
///
/// The timeline grows while the student moves: a cell's events are inserted after it
/// when it runs and removed when the student steps back over it (the cell will run again,
/// perhaps with changed weights, and record new events).
public struct Timeline: Sendable {
    public enum Entry: Sendable, Equatable {
        /// Prose section `section` of the lesson.
        case prose(section: Int)
        /// Cell number `cell` (0-based among cells), which is section `section`.
        case cell(cell: Int, section: Int)
        /// Event `index` recorded by cell `cell`.
        case event(cell: Int, index: Int)
        /// Exercise number `exercise` (0-based among exercises), which is section `section`:
        /// the lesson waits there until it is answered.
        case exercise(exercise: Int, section: Int)
    }

    /// What a section of the lesson is, as far as stepping goes.
    public enum Section: Sendable, Equatable {
        case prose, cell, exercise
    }

    public private(set) var entries: [Entry]
    /// Events recorded by each cell's latest run.
    public private(set) var events: [Int: [TraceEvent]] = [:]

    /// A timeline from the lesson's sections: `true` marks a cell, `false` prose.
    public init(sectionIsCell: [Bool]) {
        self.init(sections: sectionIsCell.map { $0 ? .cell : .prose })
    }

    public init(sections: [Section]) {
        var entries: [Entry] = []
        var cell = 0, exercise = 0
        for (section, kind) in sections.enumerated() {
            switch kind {
            case .cell:
                entries.append(.cell(cell: cell, section: section))
                cell += 1
            case .exercise:
                entries.append(.exercise(exercise: exercise, section: section))
                exercise += 1
            case .prose:
                entries.append(.prose(section: section))
            }
        }
        self.entries = entries
    }

    public var count: Int { entries.count }

    /// Where cell `cell`'s entry is.
    public func position(ofCell cell: Int) -> Int? {
        entries.firstIndex { if case .cell(cell, _) = $0 { true } else { false } }
    }

    /// The event shown at an entry, if it is an event.
    public func event(at position: Int) -> TraceEvent? {
        guard entries.indices.contains(position), case .event(let cell, let index) = entries[position] else { return nil }
        return events[cell]?[index]
    }

    /// Records the events of a cell that has just run, placing them right after it.
    mutating func insert(events newEvents: [TraceEvent], forCell cell: Int) {
        removeEvents(ofCell: cell)
        guard let at = position(ofCell: cell) else { return }
        events[cell] = newEvents
        entries.insert(contentsOf: newEvents.indices.map { Entry.event(cell: cell, index: $0) }, at: at + 1)
    }

    /// Forgets a cell's events (the student stepped back over it).
    mutating func removeEvents(ofCell cell: Int) {
        entries.removeAll { if case .event(cell, _) = $0 { true } else { false } }
        events[cell] = nil
    }
}
