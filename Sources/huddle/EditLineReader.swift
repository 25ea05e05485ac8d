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
        using_history()
        stifle_history(2000)
        _ = read_history(historyPath)  // a missing file (first run) is fine
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
        _ = Interrupt.consume()
        guard let raw = readline(prompt) else {
            // readline gives NULL both for Ctrl-D and for Ctrl-C; the flag tells them apart.
            return Interrupt.consume() ? .interrupt : .end
        }
        defer { free(raw) }
        // libedit leaves a space after a completed word; the REPL trims input.
        return .line(String(cString: raw))
    }

    func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        _ = add_history(line)
    }

    /// Writes history to a temporary file and renames it over the old one, so a crash
    /// mid-write leaves the previous history intact.
    func close() {
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
