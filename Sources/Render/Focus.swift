import Trace

/// Whose numbers a picture fills its formulas in for: a row, counted from 0 as the code
/// counts (-1 the last), or an agent by name. A name holds across pictures: `:focus love`
/// follows *love* through every later step that has it, whatever its row there.
public enum Focus: Equatable, Sendable {
    case row(Int)
    case agent(String)

    /// The row of `event` this focus picks, or nil when the event has no such row (the
    /// picture then chooses for itself).
    public func row(in event: TraceEvent) -> Int? {
        switch self {
        case .agent(let name):
            return Focus.agents(of: event)?.firstIndex(of: name)
        case .row(let n):
            guard let rows = Focus.rows(of: event) else { return n >= 0 ? n : nil }
            let r = n < 0 ? rows + n : n
            return (0..<rows).contains(r) ? r : nil
        }
    }

    /// How many rows a focus can choose from in the event: agents or tokens, or the items
    /// of a batch of signals or images; nil for kinds whose pictures show one fixed row
    /// or none. Each kind's schema declares which tensor's rows these are.
    public static func rows(of event: TraceEvent) -> Int? {
        event.focusRowCount
    }

    /// The names of those rows, when the event's labels name them (a recurrent or conv
    /// step's labels name time steps or positions instead).
    public static func agents(of event: TraceEvent) -> [String]? {
        guard let labels = event.labels, let rows = rows(of: event), labels.count == rows else { return nil }
        return labels
    }
}
