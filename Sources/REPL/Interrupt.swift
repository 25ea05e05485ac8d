#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Ctrl-C, as a flag that long computations poll.
///
/// The SIGINT handler only stores into an atomic flag (all a signal handler may safely
/// do). It is installed without SA_RESTART, so a blocking read at the prompt returns and
/// the REPL sees the flag; a training loop checks `isRequested` each step and stops with
/// everything computed so far intact.
public enum Interrupt {
    static let flag = Atomic<Bool>(false)

    /// Installs the SIGINT handler, and ignores SIGPIPE so that a closed output pipe
    /// shows up as a failed write (ended quietly) instead of killing the process.
    public static func install() {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in Interrupt.flag.store(true, ordering: .relaxed) }
        #else
        action.__sigaction_u.__sa_handler = { _ in Interrupt.flag.store(true, ordering: .relaxed) }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Whether Ctrl-C was pressed since the last `clear()`.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Forgets earlier presses; call before starting a computation.
    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// Reads and clears the flag.
    public static func consume() -> Bool { flag.exchange(false, ordering: .relaxed) }

    /// Simulates a press (tests).
    public static func request() { flag.store(true, ordering: .relaxed) }
}
