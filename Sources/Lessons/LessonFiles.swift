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
        try LessonFiles.refuseNUL(relative)
        if relative.hasPrefix("/") {
            throw Refusal(description: "'\(relative)' is an absolute path; lessons may read only files in their own folder — give a path relative to it, like \"data/words.txt\"")
        }
        // Nothing here expands "~", but a lesson's author who writes it means a home folder.
        if relative.hasPrefix("~") {
            throw Refusal(description: "'\(relative)' names a home folder ('~'); lessons may read only files in their own folder — give a path relative to it, like \"data/words.txt\"")
        }
        if relative.split(separator: "/").contains("..") {
            throw Refusal(description: "'\(relative)' leads out of the lesson's folder ('..'); lessons may read only files in their own folder")
        }
        guard let resolved = LessonFiles.realPath(root + "/" + relative) else {
            // realpath's errno tells a loop of links (which would otherwise read as "no file").
            if errno == ELOOP {
                throw Refusal(description: "'\(relative)' is a link that leads to itself (a loop of links); give the name of a plain file")
            }
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
        try LessonFiles.readFile(try readablePath(relative), named: "'\(relative)'", limit: limit)
    }

    /// The bytes of a model or data file in the folder (checkpoints, arrays), at most
    /// `limit` bytes.
    public func readBytes(_ relative: String, limit: Int = 256 << 20) throws -> [UInt8] {
        try LessonFiles.readBytes(try readablePath(relative), named: "'\(relative)'", limit: limit)
    }

    /// The resolved path of `relative` when every reader may open it: inside the folder,
    /// a regular file (a FIFO would block the reader for ever; a device or folder is no
    /// lesson data) with one name (a hard link can lead out of the folder, and no
    /// resolving of paths can see it).
    public func readablePath(_ relative: String) throws -> String {
        let path = try resolve(relative)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Refusal(description: "cannot read '\(relative)': \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Refusal(description: "'\(relative)' is a folder; give the name of a file in it")
        default: throw Refusal(description: "'\(relative)' is not a regular file (a pipe, socket or device); lessons read only plain files")
        }
        try LessonFiles.refuseHardLink(path, relative)
        return path
    }

    /// Writes `bytes` to `relative` inside the folder, replacing the file there (written
    /// beside it and renamed over it, so a failure leaves the old one whole). The folder
    /// it goes in must lie inside the lesson's; an existing file must be a plain file
    /// with one name, not a link.
    public func writeBytes(_ relative: String, _ bytes: [UInt8]) throws {
        let path = try writablePath(relative)
        let temporary = path + ".huddle-new"
        guard let file = fopen(temporary, "wbx") else {
            throw Refusal(description: "cannot write '\(relative)': \(String(cString: strerror(errno)))")
        }
        let ok = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) == $0.count }
        let closed = fclose(file) == 0
        guard ok, closed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Refusal(description: "cannot write '\(relative)': \(reason)")
        }
    }

    /// Where `relative` may be written: its folder resolved inside the lesson's, its name
    /// not a link. The path, fully resolved.
    public func writablePath(_ relative: String) throws -> String {
        guard !relative.isEmpty, !relative.hasSuffix("/") else { throw Refusal(description: "a file name is needed") }
        try LessonFiles.refuseNUL(relative)
        if relative.hasPrefix("/") || relative.hasPrefix("~") || relative.split(separator: "/").contains("..") {
            throw Refusal(description: "'\(relative)' is outside the lesson's folder; lessons may write only files in their own folder — give a path relative to it, like \"data/model.safetensors\"")
        }
        let parts = relative.split(separator: "/")
        let folder = parts.dropLast().joined(separator: "/")
        guard let resolvedFolder = LessonFiles.realPath(folder.isEmpty ? root : root + "/" + folder) else {
            throw Refusal(description: "no folder '\(folder)' in the lesson's folder to write '\(relative)' into")
        }
        guard resolvedFolder == root || resolvedFolder.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw Refusal(description: "'\(folder)' is a link that leads out of the lesson's folder; lessons may write only in their own folder")
        }
        let path = resolvedFolder + "/" + parts.last!
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw Refusal(description: "'\(relative)' is a link or a folder, not a file Huddle wrote; lessons do not write through links")
            }
            try LessonFiles.refuseHardLink(path, relative)
        }
        return path
    }

    /// The system's calls end a name at its first NUL: "lesson.md\0.npy" passed the check of
    /// its ending and then wrote, or read as an archive, the file "lesson.md".
    static func refuseNUL(_ relative: String) throws {
        if relative.utf8.contains(0) {
            throw Refusal(description: "'\(relative)' holds a NUL character (\\0), which no file name can; name the file without it")
        }
    }

    static func refuseHardLink(_ path: String, _ relative: String) throws {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink > 1 {
            throw Refusal(description: "'\(relative)' has \(info.st_nlink) names (a hard link), so it may be a file outside the lesson's folder; lessons use only files of their own — copy it in instead")
        }
    }

    /// The files under `path` (itself, if it is a file), sorted; hidden files skipped.
    /// Links are followed, but a folder or file already listed under another name is not
    /// listed again: two links to `.` had made `huddle test` walk for ever (589 MB in
    /// 30 s) and test one lesson 41 times.
    public static func listFiles(_ path: String) -> [String] {
        var seen = Set<FileIdentity>()
        return listFiles(path, seen: &seen)
    }

    /// A file's device and inode: the same file, whatever name it is reached by.
    private struct FileIdentity: Hashable {
        let device: UInt64, inode: UInt64
    }

    private static func listFiles(_ path: String, seen: inout Set<FileIdentity>) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [path] }  // let the reader report it
        guard seen.insert(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else { return [] }
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
        return names.sorted().flatMap { listFiles(base + "/" + $0, seen: &seen) }
    }

    /// The largest lesson file read: far past any lesson written by hand, and a 70 MB
    /// generated one still loads (in seconds); data files keep the smaller default.
    public static let lessonLimit = 128 << 20

    /// Reads a file (UTF-8) of at most `limit` bytes: a lesson named on the command line,
    /// or — through `readText` — a data file inside the lesson's folder.
    public static func readFile(_ path: String, named name: String? = nil, limit: Int = 64 << 20) throws -> String {
        String(decoding: try readBytes(path, named: name, limit: limit), as: UTF8.self)
    }

    /// The bytes of a regular file of at most `limit` bytes. It is opened without waiting
    /// and looked at before anything is read: a FIFO named `x.md` had blocked
    /// `huddle test` for ever, and a device never ends.
    public static func readBytes(_ path: String, named name: String? = nil, limit: Int = 64 << 20) throws -> [UInt8] {
        let name = name ?? path
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Refusal(description: "cannot read \(name): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = (info.st_mode & S_IFMT) == S_IFDIR ? "a folder" : "not a regular file (a pipe, socket or device)"
            close(descriptor)
            throw Refusal(description: "cannot read \(name): it is \(kind); lessons are read from plain files")
        }
        guard info.st_size <= limit else {
            close(descriptor)
            throw Refusal(description: "\(name) is larger than \(limit >> 20) MiB; lessons read small files")
        }
        _ = fcntl(descriptor, F_SETFL, 0)  // a plain file: reads may block as usual
        guard let file = fdopen(descriptor, "rb") else {
            close(descriptor)
            throw Refusal(description: "cannot read \(name): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > limit {
                throw Refusal(description: "\(name) is larger than \(limit >> 20) MiB; lessons read small files")
            }
        }
        if ferror(file) != 0 { throw Refusal(description: "cannot read \(name): \(String(cString: strerror(errno)))") }
        return bytes
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

