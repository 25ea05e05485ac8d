#if canImport(Glibc)
import Glibc
#endif

/// Where each lesson was left: its step and the furthest step reached, one line per
/// lesson (`position<TAB>furthest<TAB>path`), written to a temporary file and renamed so
/// that a crash never leaves half a file.
struct ProgressStore {
    struct Entry: Equatable {
        var position: Int
        var furthest: Int
    }

    let path: String

    func load() -> [String: Entry] {
        guard let file = fopen(path, "r") else { return [:] }
        defer { fclose(file) }
        var entries: [String: Entry] = [:]
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).trimmingTrailingNewlines().split(separator: "\t", maxSplits: 2).map(String.init)
            guard fields.count == 3, let position = Int(fields[0]), let furthest = Int(fields[1]) else { continue }
            entries[fields[2]] = Entry(position: position, furthest: furthest)
        }
        return entries
    }

    func save(_ entries: [String: Entry]) {
        let temporary = path + ".tmp.\(getpid())"
        guard let file = fopen(temporary, "w") else { return }
        for (lesson, entry) in entries.sorted(by: { $0.key < $1.key }) {
            fputs("\(entry.position)\t\(entry.furthest)\t\(lesson)\n", file)
        }
        if fclose(file) == 0 { rename(temporary, path) } else { unlink(temporary) }
    }

    func update(lesson: String, position: Int) {
        var entries = load()
        let furthest = max(entries[lesson]?.furthest ?? 0, position)
        entries[lesson] = Entry(position: position, furthest: furthest)
        save(entries)
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

