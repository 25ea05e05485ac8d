import Trace

/// Where `:continue` stops: on every event of a kind (`:break attention`), or where a
/// condition on the current event holds (`:break when max(A) > 0.9`).
public struct Breakpoint: Sendable, Equatable {
    public enum Condition: Sendable, Equatable {
        case kind(EventKind)
        /// Source text of an expression; the language evaluates it at each event.
        case expression(String)
    }

    /// Stable number shown by `:breaks` and used by `:delete N`.
    public let number: Int
    public let condition: Condition

    public var description: String {
        switch condition {
        case .kind(let kind): "break on \(kind.rawValue)"
        case .expression(let source): "break when \(source)"
        }
    }
}

/// An expression reprinted whenever its value changes as the student steps (`:watch`).
public struct Watch: Sendable, Equatable {
    public let number: Int
    public let expression: String
    /// The value as last shown, to tell whether it changed.
    public var lastShown: String?
}
