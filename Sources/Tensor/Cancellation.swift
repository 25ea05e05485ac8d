/// Stopping a computation that runs inside the engine or a model, where the
/// interpreter's own checks (at every loop turn and call) never come:
/// `positions(10**6, 1000)` computed for 43 s, and `gpt.generate(10**9)` or a model of
/// 10⁹ layers ran past the time limit and Ctrl-C alike.
///
/// The host installs a check for the length of a cell (`withCheck`); ops call
/// `Cancellation.check()` before they allocate a result (in `Shape.validate`) and long
/// loops call it every few thousand turns. The check throws the host's own error (its
/// Ctrl-C or time-limit error), which carries its message to the cell's line.
public enum Cancellation {
    /// What to ask: it throws to stop. Boxed, so a task-local can hold it (and so that
    /// `withCheck` rethrows only what its body throws).
    public final class Check: @unchecked Sendable {
        let body: () throws -> Void
        public init(_ body: @escaping () throws -> Void) { self.body = body }
    }

    @TaskLocal static var current: Check?

    /// Runs `body` with `check` consulted by every op and long loop inside it.
    public static func withCheck<R>(_ check: Check, _ body: () throws -> R) rethrows -> R {
        try $current.withValue(check, operation: body)
    }

    /// Throws if the host asks to stop (Ctrl-C, the time limit).
    @inline(__always)
    public static func check() throws {
        if let current { try current.body() }
    }

    /// `check()` on the last of every `period` turns of a long loop (turn 0 counts as the
    /// first): often enough to stop within milliseconds, rarely enough to cost nothing.
    @inline(__always)
    public static func check(turn: Int, every period: Int) throws {
        if turn % period == period - 1 { try check() }
    }
}
