#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Facts about the terminal the REPL talks to, and writing to it.
public enum Terminal {
    public static var stdinIsTerminal: Bool { isatty(0) == 1 }
    public static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Columns of the terminal: its window size, else $COLUMNS, else 80.
    public static func width(environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// The process environment as a dictionary.
    public static var environment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }

    /// Runs `body` (a cell, a training loop) with the keyboard quiet: keys pressed meanwhile
    /// are not echoed, which would break a progress bar drawn in place. When `body` took
    /// long (training), they are also dropped, so the Enters a student presses while
    /// waiting do not step the lesson on afterwards; after a quick step they are kept, as
    /// typing ahead is. Ctrl-C still arrives as a signal.
    public static func quietInput<R>(_ body: () -> R) -> R {
        guard stdinIsTerminal else { return body() }
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { return body() }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ICANON)
        tcsetattr(0, TCSANOW, &quiet)
        let start = ContinuousClock.now
        defer {
            if ContinuousClock.now - start > longComputation { tcflush(0, TCIFLUSH) }
            tcsetattr(0, TCSANOW, &saved)
        }
        return body()
    }

    /// Seconds after which keys typed during a computation count as impatience, not as
    /// typing ahead.
    static let longComputation = Duration.milliseconds(500)

    /// Writes text to standard output. When its reader goes away (`huddle test … | head
    /// -1`), what follows is dropped and the work goes on: a lesson tested later may fail,
    /// and `--trace-json` still has a file to finish. `huddle` then exits with the
    /// failure's status, or 141 (as a process killed by SIGPIPE) when nothing failed —
    /// never 0, which had turned a later failure into a pass.
    public static func write(_ text: String) {
        guard !outputClosed.load(ordering: .relaxed) else { return }
        writeAll(1, text)
    }

    /// Whether standard output's reader went away (a write failed with EPIPE).
    public static var isOutputClosed: Bool { outputClosed.load(ordering: .relaxed) }

    /// The status for a closed pipe when nothing else failed: 128 + SIGPIPE.
    public static let closedPipeStatus: Int32 = 141

    private static let outputClosed = Atomic<Bool>(false)

    /// Writes text to standard error.
    public static func writeError(_ text: String) {
        writeAll(2, text)
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            guard var pointer = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = systemWrite(fd, pointer, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE, fd == 1 { outputClosed.store(true, ordering: .relaxed) }
                    return
                }
                pointer += n
                left -= n
            }
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif
