#if canImport(Glibc)
import Glibc
#endif

/// Where each lesson was left: its step and the furthest step reached, one line per
/// lesson (`position<TAB>furthest<TAB>path`), written to a temporary file and renamed so
/// that a crash never leaves half a file.
///
/// A lesson is known by its real path (links and `..` resolved, made absolute), so
/// `huddle Lessons/06-lstm.md`, `huddle /abs/…/06-lstm.md`, the menu and `--lesson 6`
/// all find the same place.
struct ProgressStore {
    struct Entry: Equatable {
        var position: Int
        var furthest: Int
    }

    let path: String

    /// More steps than any lesson's timeline could hold (the recorder stops far sooner).
    static let maxStep = 100_000_000

    func load() -> [String: Entry] {
        guard let file = fopen(path, "r") else { return [:] }
        defer { fclose(file) }
        var entries: [String: Entry] = [:]
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).trimmingTrailingNewlines().split(separator: "\t", maxSplits: 2).map(String.init)
            // Steps are indices into a lesson's timeline: a line with a negative or absurd
            // one (9223372036854775807 made "step \(position + 1)" trap) is not a place.
            guard fields.count == 3, let position = Int(fields[0]), let furthest = Int(fields[1]),
                  (0...ProgressStore.maxStep).contains(position), (0...ProgressStore.maxStep).contains(furthest) else { continue }
            // Older files may hold one lesson under two spellings: keep the one further on.
            let key = ProgressStore.identity(fields[2])
            if let other = entries[key], other.furthest > furthest { continue }
            entries[key] = Entry(position: position, furthest: furthest)
        }
        return entries
    }

    /// Where the lesson at `path` was left, however the path is spelled.
    func entry(for path: String) -> Entry? {
        load()[ProgressStore.identity(path)]
    }

    /// A lesson's identity: its real path, or (for a file that is gone) its absolute path
    /// with `.` and `..` folded.
    static func identity(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        var absolute = path
        if !path.hasPrefix("/"), let cwd = getcwd(nil, 0) {
            absolute = String(cString: cwd) + "/" + path
            free(cwd)
        }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Writes every entry; the reason it could not (HOME not writable, disk full), or nil.
    @discardableResult
    func save(_ entries: [String: Entry]) -> String? {
        StateFile.replace(path) { file in
            for (lesson, entry) in entries.sorted(by: { $0.key < $1.key }) {
                fputs("\(entry.position)\t\(entry.furthest)\t\(lesson)\n", file)
            }
        }
    }

    @discardableResult
    func update(lesson: String, position: Int) -> String? {
        var entries = load()
        let key = ProgressStore.identity(lesson)
        let furthest = max(entries[key]?.furthest ?? 0, position)
        entries[key] = Entry(position: position, furthest: furthest)
        return save(entries)
    }

    /// Creates the folder (and its parents) if needed.
    static func makeFolder(_ folder: String) {
        var path = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            path += "/" + part
            mkdir(path, 0o700)
        }
    }
}

