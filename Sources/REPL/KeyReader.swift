#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A key the presentation obeys. The keys are the REPL's: Enter steps, `b` goes back
/// (`:back`), `n` is `:next`, `k` is `:skip`; arrows and page keys do the same, as a
/// presenter's clicker sends them.
public enum Key: Equatable, Sendable {
    case step, back, next, skip, solution, repl, help, quit, other
}

/// Where the presentation's keys come from: the terminal, one key at a time, or a list
/// (tests).
public protocol KeyReader: AnyObject {
    /// The next key; nil at the end of input.
    func readKey() -> Key?
}

/// Keys from a terminal in raw mode — only while waiting for one, so a cell that runs
/// meanwhile (training) still gets Ctrl-C as a signal, and the REPL dropped into gets
/// the terminal as libedit expects it.
public final class TerminalKeyReader: KeyReader {
    public init() {}

    public func readKey() -> Key? {
        var saved = termios()
        let isTerminal = tcgetattr(0, &saved) == 0
        if isTerminal {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            tcsetattr(0, TCSANOW, &raw)
        }
        defer { if isTerminal { tcsetattr(0, TCSANOW, &saved) } }
        guard let byte = readByte() else { return nil }
        switch byte {
        case 0x1B:
            // An escape sequence: arrows (ESC [ C or ESC O C), page keys (ESC [ 5 ~); a lone Escape is nothing.
            guard let second = readByte(timeoutMilliseconds: 30), second == UInt8(ascii: "[") || second == UInt8(ascii: "O"),
                  let final = readByte(timeoutMilliseconds: 30) else { return .other }
            switch final {
            case UInt8(ascii: "C"), UInt8(ascii: "B"): return .step
            case UInt8(ascii: "D"), UInt8(ascii: "A"): return .back
            case UInt8(ascii: "6"): _ = readByte(timeoutMilliseconds: 30); return .step
            case UInt8(ascii: "5"): _ = readByte(timeoutMilliseconds: 30); return .back
            default: return .other
            }
        default:
            return Self.key(for: byte)
        }
    }

    /// A single byte's key.
    static func key(for byte: UInt8) -> Key {
        switch byte {
        case 0x0D, 0x0A, UInt8(ascii: " "): return .step
        case UInt8(ascii: "b"), 0x7F, 0x08: return .back
        case UInt8(ascii: "n"): return .next
        case UInt8(ascii: "k"): return .skip
        case UInt8(ascii: "s"): return .solution
        case UInt8(ascii: ":"), UInt8(ascii: "r"): return .repl
        case UInt8(ascii: "h"), UInt8(ascii: "?"): return .help
        case UInt8(ascii: "q"), 0x04: return .quit  // q, Ctrl-D
        default: return .other
        }
    }

    /// One byte from standard input; nil at its end (or when the wait runs out).
    private func readByte(timeoutMilliseconds: Int32? = nil) -> UInt8? {
        if let timeoutMilliseconds {
            var poller = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return nil }
        }
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n == 1 { return byte }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }
}

/// Keys from a string, one character each (tests, and piped input).
public final class ScriptedKeyReader: KeyReader {
    private var bytes: [UInt8]

    public init(_ keys: String) {
        bytes = Array(keys.utf8)
    }

    public func readKey() -> Key? {
        guard !bytes.isEmpty else { return nil }
        return TerminalKeyReader.key(for: bytes.removeFirst())
    }
}
