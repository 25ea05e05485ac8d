@preconcurrency import CEditLine
import REPL

#if canImport(Glibc)
import Glibc
#endif

/// Line editing with libedit on a terminal: arrows, history across runs, Tab completion,
/// UTF-8 (Δ, σ, emoji).
///
/// libedit's readline-compatible calls are enough (its variadic `el_set` is not callable
/// from Swift). Its C globals are touched only on the main thread, between prompts.
final class EditLineReader: LineReader {
    private let historyPath: String

    var completer: ((String, String) -> [String])? {
        didSet { activeCompleter = completer }
    }

    init(historyPath: String) {
        self.historyPath = historyPath
        EditLineReader.useUTF8Locale()
        rl_readline_name = UnsafePointer(strdup("huddle"))
        // Words for completion: `attn.Wq` and `:load` are single words, so '.' and ':' are not breaks.
        rl_completer_word_break_characters = strdup(" \t\n\"'`()[]{},=+-*/@%<>!&|;")
        rl_attempted_completion_function = attemptCompletion
        rl_getc_function = KeyboardBytes.getc  // before libedit starts (using_history starts it)
        using_history()
        stifle_history(2000)
        keepsHistory = EditLineReader.loadHistory(historyPath)
    }

    /// False when the history file could be neither read nor moved aside: then it is left
    /// alone and this run's lines are not written over it.
    private let keepsHistory: Bool

    /// Reads the history file. One that is there but cannot be read (another program's,
    /// damaged, not readable) is renamed aside and the student told, never overwritten:
    /// 5,000 lines of a foreign history were lost that way.
    private static func loadHistory(_ path: String) -> Bool {
        var status = stat()
        // A missing file is the first run; an empty one has nothing to lose.
        guard stat(path, &status) == 0, status.st_size > 0, read_history(path) != 0 else { return true }
        clear_history()
        var aside = path + ".unreadable"
        var n = 1
        while access(aside, F_OK) == 0 {
            n += 1
            aside = path + ".unreadable.\(n)"
        }
        if rename(path, aside) == 0 {
            Terminal.writeError("huddle: the history file \(path) could not be read as libedit's; it was kept as \(aside), and a new one begins\n")
            return true
        }
        Terminal.writeError("huddle: the history file \(path) could not be read, nor moved aside (\(String(cString: strerror(errno)))); it is left as it is, and this run's lines will not be saved\n")
        return false
    }

    /// libedit reads multi-byte characters only under a UTF-8 locale; tmux and minimal
    /// systems often start with none (LANG unset means "C").
    static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        let ctype = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        if !ctype.uppercased().contains("UTF-8") && !ctype.uppercased().contains("UTF8") {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }

    func readLine(prompt: String) -> LineInput {
        while true {
            _ = Interrupt.consume()
            KeyboardBytes.sawInvalidUTF8 = false
            guard let raw = readline(prompt) else {
                // readline gives NULL both for Ctrl-D and for Ctrl-C; the flag tells them apart.
                return Interrupt.consume() ? .interrupt : .end
            }
            defer { free(raw) }
            guard !KeyboardBytes.sawInvalidUTF8 else {
                Terminal.write("that line was not valid UTF-8 text (shown as �), so nothing was done; type it again\n")
                continue
            }
            // libedit leaves a space after a completed word; the REPL trims input.
            return .line(String(cString: raw))
        }
    }

    func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        _ = add_history(line)
    }

    /// Writes history to a temporary file and renames it over the old one, so a crash
    /// mid-write leaves the previous history intact.
    func close() {
        guard keepsHistory else { return }
        let temporary = historyPath + ".tmp.\(getpid())"
        if write_history(temporary) == 0 {
            rename(temporary, historyPath)
        } else {
            unlink(temporary)
        }
    }
}

/// The completer libedit's C callback consults; set by the reader on the main thread.
nonisolated(unsafe) private var activeCompleter: ((String, String) -> [String])?

/// libedit's attempted-completion hook: returns a malloc'd, NULL-terminated array whose
/// first entry replaces the word (the matches' common prefix) and whose rest are listed
/// as choices. `rl_attempted_completion_over` stops libedit from falling back to file names.
private let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, _ in
    rl_attempted_completion_over = 1
    let word = text.map { String(cString: $0) } ?? ""
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    let matches = Array(Set(activeCompleter?(line, word) ?? [])).sorted()
    guard !matches.isEmpty else { return nil }
    let prefix = matches.dropFirst().reduce(matches[0]) { common, next in
        String(zip(common, next).prefix { $0 == $1 }.map(\.0))
    }
    let entries = [prefix] + (matches.count > 1 ? matches : [])
    guard let array = malloc((entries.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)?
        .assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self) else { return nil }
    for (i, entry) in entries.enumerated() { array[i] = strdup(entry) }
    array[entries.count] = nil
    return array
}
