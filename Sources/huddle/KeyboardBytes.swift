#if canImport(Glibc)
import Glibc
#endif
@preconcurrency import CEditLine
import REPL

/// The keys libedit reads, decoded from UTF-8 here rather than by libedit, which drops a
/// byte that is not UTF-8 without a word: a lone 0x80 and Enter gave an empty line, and
/// an empty line steps the lesson. Here such a byte becomes U+FFFD and is remembered, so
/// the reader can say so and read the line again.
enum KeyboardBytes {
    /// Set when a key was not UTF-8; `EditLineReader` clears it before each line.
    nonisolated(unsafe) static var sawInvalidUTF8 = false
    nonisolated(unsafe) private static var decoder = KeyDecoder()

    /// libedit's `rl_getc_function`: one Unicode scalar per call, -1 at the end of input
    /// or on Ctrl-C (the interrupt flag tells which).
    static let getc: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
        switch decoder.next(readByte) {
        case .scalar(let scalar): return Int32(scalar.value)
        case .end: return -1
        case .invalid:
            sawInvalidUTF8 = true
            return 0xFFFD
        }
    }

    /// One byte of standard input; a signal other than Ctrl-C (a resized window) is not
    /// the end of input.
    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 { return byte }
            if count < 0, errno == EINTR, !Interrupt.isRequested { continue }
            return nil
        }
    }
}
