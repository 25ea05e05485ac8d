/// Where Huddle keeps what it remembers between runs: history and lesson progress, under
/// $XDG_STATE_HOME/huddle (default ~/.local/state/huddle), as the XDG base directory
/// specification says state belongs.
public struct StatePaths: Sendable, Equatable {
    public let folder: String

    public init(environment: [String: String]) {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            folder = state + "/huddle"
        } else {
            folder = (environment["HOME"] ?? ".") + "/.local/state/huddle"
        }
    }

    public var history: String { folder + "/history" }
    public var progress: String { folder + "/progress" }
    /// Each exercise's record: solved, attempts, hints, solution shown.
    public var exercises: String { folder + "/exercises" }
}
