#if canImport(Glibc)
import Glibc
#endif

/// Files the user asked for on the command line (`--trace-json`), written whole.
enum OutputFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw Failure(description: String(cString: strerror(errno))) }
        defer { fclose(file) }
        var copy = text
        let ok = copy.withUTF8 { bytes in fwrite(bytes.baseAddress, 1, bytes.count, file) == bytes.count }
        if !ok { throw Failure(description: String(cString: strerror(errno))) }
    }
}
