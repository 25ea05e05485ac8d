import Render
import Trace

/// Everything one cell (or one line typed at the prompt) produced, in order.
public struct CellResult {
    public enum Output {
        /// Text from `print` and `help`.
        case text(String)
        /// A value shown because it was the value of an expression statement.
        case picture(TextBlock)
        /// The check `checks[n]`, at the point of the cell where it was made.
        case check(Int)
    }

    public var outputs: [Output] = []
    /// Bytes of text and pictures kept in `outputs`, and how many prints and shows were
    /// not kept once they reached the host's `outputLimit`.
    var outputBytes = 0
    public internal(set) var cutOutputs = 0
    /// The message-passing events recorded by `trace` in this cell.
    public var events: [TraceEvent] = []
    public var checks: [CheckOutcome] = []
    /// How the cell ended.
    public var outcome = Outcome.ran

    /// How a cell ended: a value, so no one has to read the words of its message.
    public enum Outcome: Equatable, Sendable {
        case ran
        /// An error stopped it; rendered compiler-style with a caret. A syntax error means
        /// the cell did not run at all.
        case failed(diagnostic: String, isSyntaxError: Bool)
        /// Ctrl-C stopped it; what it computed until then is kept.
        case interrupted(diagnostic: String)
    }

    /// The error that stopped the cell, rendered compiler-style with a caret.
    public var error: String? {
        switch outcome {
        case .ran: nil
        case .failed(let diagnostic, _), .interrupted(let diagnostic): diagnostic
        }
    }

    /// Whether the error was a syntax error (the cell did not run at all).
    public var isSyntaxError: Bool { outcome == .failed(diagnostic: error ?? "", isSyntaxError: true) }

    /// Whether Ctrl-C stopped the cell (what it computed until then is kept).
    public var wasInterrupted: Bool {
        if case .interrupted = outcome { true } else { false }
    }
    /// Names of the picture's messages whose entries the input changed (`A[7] = 0` at an
    /// attention step): they became the student's own variables, the picture unchanged.
    public var reboundPictureNames: [String] = []
    /// Wall-clock seconds the cell took.
    public var seconds: Double = 0

    public var failedChecks: [CheckOutcome] { checks.filter { !$0.passed } }
}

/// One `expect` check, as a lesson test reports it.
public struct CheckOutcome: Sendable, Equatable {
    public let passed: Bool
    /// The checked expression's source.
    public let source: String
    /// `Lessons/09-self-attention.md:23:8`.
    public let location: String
    /// "expected 0.5, got 0.49 (largest difference 0.01 at [2])".
    public let message: String
}
