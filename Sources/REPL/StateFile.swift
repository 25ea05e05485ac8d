#if canImport(Glibc)
import Glibc
#endif

/// Writing one of the student's state files (progress, exercises) whole or not at all.
enum StateFile {
    /// Writes `path` through a temporary file renamed over it, so that a crash never
    /// leaves half a file. Returns why it could not be written (a folder that is not
    /// writable, a full disk), or nil: the student is told once, not told "saved".
    static func replace(_ path: String, write: (UnsafeMutablePointer<FILE>) -> Void) -> String? {
        let temporary = path + ".tmp.\(getpid())"
        guard let file = fopen(temporary, "w") else { return reason() }
        write(file)
        var failure = ferror(file) != 0 ? reason() : nil
        if fclose(file) != 0, failure == nil { failure = reason() }  // a full disk shows here
        if failure == nil, rename(temporary, path) != 0 { failure = reason() }
        if failure != nil { unlink(temporary) }
        return failure
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
