#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only way a lesson script touches the file system: reading files inside the
/// lesson's own folder.
///
/// Scripts get no shell and no network, and may read only files under the folder the
/// lesson file sits in. `..`, absolute paths and symbolic links that lead out are refused
/// — the check resolves the real path (following every link) and compares it with the
/// real path of the folder, so no spelling of a path gets around it.
public struct LessonFiles: Sendable {
    /// The lesson's folder, fully resolved.
    public let root: String

    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The sandbox for the lesson at `lessonPath` (its folder).
    public init(lessonPath: String) throws {
        var folder = lessonPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if folder.isEmpty { folder = lessonPath.hasPrefix("/") ? "/" : "." }
        guard let resolved = LessonFiles.realPath(folder) else {
            throw Refusal(description: "cannot open the lesson's folder \(folder)")
        }
        root = resolved
    }

    init(root: String) {
        self.root = root
    }

    /// The resolved path of `relative`, if it names an existing file inside the folder.
    public func resolve(_ relative: String) throws -> String {
        guard !relative.isEmpty else { throw Refusal(description: "a file name is needed") }
        if relative.hasPrefix("/") || relative.hasPrefix("~") {
            throw Refusal(description: "'\(relative)' is an absolute path; lessons may read only files in their own folder — give a path relative to it, like \"data/words.txt\"")
        }
        if relative.split(separator: "/").contains("..") {
            throw Refusal(description: "'\(relative)' leads out of the lesson's folder ('..'); lessons may read only files in their own folder")
        }
        guard let resolved = LessonFiles.realPath(root + "/" + relative) else {
            throw Refusal(description: "no file '\(relative)' in the lesson's folder")
        }
        guard resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw Refusal(description: "'\(relative)' is a link that leads out of the lesson's folder; lessons may read only files in their own folder")
        }
        return resolved
    }

    /// The text of a file in the folder (UTF-8), at most `limit` bytes.
    public func readText(_ relative: String, limit: Int = 16 << 20) throws -> String {
        // Messages name the file as the script did, not by its resolved path.
        try LessonFiles.readFile(try resolve(relative), named: "'\(relative)'", limit: limit)
    }

    /// The files under `path` (itself, if it is a file), sorted; hidden files skipped.
    public static func listFiles(_ path: String) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [path] }  // let the reader report it
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return names.sorted().flatMap { listFiles(base + "/" + $0) }
    }

    /// Reads a file (UTF-8) of at most `limit` bytes: a lesson named on the command line,
    /// or — through `readText` — a data file inside the lesson's folder.
    public static func readFile(_ path: String, named name: String? = nil, limit: Int = 64 << 20) throws -> String {
        let name = name ?? path
        guard let file = fopen(path, "rb") else {
            throw Refusal(description: "cannot read \(name): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > limit {
                throw Refusal(description: "\(name) is larger than \(limit >> 20) MiB; lessons read small files")
            }
        }
        if ferror(file) != 0 { throw Refusal(description: "cannot read \(name) (it may be a folder)") }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

