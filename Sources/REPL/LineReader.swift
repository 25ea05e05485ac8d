/// What reading one line of input gave.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// Ctrl-C at the prompt: the line is dropped and a fresh prompt shown.
    case interrupt
    /// Ctrl-D or the end of piped input: time to leave.
    case end
}

/// Where the REPL's input comes from: libedit on a terminal (with history and
/// completion), plain lines otherwise. Kept behind a protocol so that everything but
/// the executable works — and is tested — without libedit.
public protocol LineReader: AnyObject {
    /// Reads one line after showing `prompt` (the plain reader shows none).
    func readLine(prompt: String) -> LineInput
    /// Remembers an entered line for the up arrow (and the history file).
    func addHistory(_ line: String)
    /// Offers completions; called with the whole line and the word being completed.
    var completer: ((_ line: String, _ word: String) -> [String])? { get set }
    /// Saves history (the plain reader has none).
    func close()
}

/// Reads lines from standard input with no decoration: for pipes, files and tests
/// (`printf '\n\n:back\n' | huddle lesson.md`).
public final class PlainLineReader: LineReader {
    public var completer: ((String, String) -> [String])?
    private let source: () -> String?

    /// Reads from standard input.
    public convenience init() {
        self.init { Swift.readLine(strippingNewline: true) }
    }

    /// Reads from any source of lines (tests).
    public init(lines source: @escaping () -> String?) {
        self.source = source
    }

    public func readLine(prompt: String) -> LineInput {
        guard let line = source() else { return .end }
        if Interrupt.consume() { return .interrupt }
        return .line(line)
    }

    public func addHistory(_ line: String) {}
    public func close() {}
}
