#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `huddle test --update`: writes what cells print now into their ```` ```output ````
/// blocks, and touches no other line of the file, so `git diff` after an update shows
/// only the pinned outputs.
enum PinRewriter {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func rewrite(path: String, _ rewrites: [(pin: PinnedOutput, lines: [String])]) throws {
        let text = try LessonFiles.readFile(path, limit: LessonFiles.lessonLimit)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let crlf = lines.first?.hasSuffix("\r") == true
        // From the bottom up, so earlier line numbers stay where they are.
        for (pin, new) in rewrites.sorted(by: { $0.pin.fenceLine > $1.pin.fenceLine }) {
            let start = pin.fenceLine  // the fence is line fenceLine (1-based): its text starts at index fenceLine
            let end = start + pin.lines.count
            guard end <= lines.count else { throw Failure(description: "the file changed while it was tested") }
            lines.replaceSubrange(start..<end, with: new.map { crlf ? $0 + "\r" : $0 })
        }
        try write(lines.joined(separator: "\n"), to: path)
    }

    /// Writes beside the file and renames over it, so an interrupted update leaves the
    /// old file whole.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".huddle-update"
        guard let file = fopen(temporary, "wb") else {
            throw Failure(description: String(cString: strerror(errno)))
        }
        var copy = text
        let ok = copy.withUTF8 { bytes in fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count }
        let closed = fclose(file) == 0
        guard ok, closed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: reason)
        }
    }
}
