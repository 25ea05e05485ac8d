#if canImport(Glibc)
import Glibc
#endif

/// How a student did at one exercise.
public struct ExerciseRecord: Equatable, Sendable {
    public var solved = false
    /// `:solution` (or `:skip`) showed the answer before it was solved.
    public var solutionShown = false
    /// A prediction was given (predict exercises are answered once, then judged).
    public var predicted = false
    /// Answers checked, errors included; statements run on the way are not counted.
    public var attempts = 0
    public var hintsUsed = 0

    public init() {}

    /// Whether the lesson may go on past it.
    public var done: Bool { solved || solutionShown || predicted }

    /// "solved", "solution shown", "predicted" or "open".
    public var status: String {
        solved ? "solved" : solutionShown ? "solution shown" : predicted ? "predicted (not right)" : attempts > 0 || hintsUsed > 0 ? "tried" : "open"
    }
}

/// Each lesson's exercise records, one line per exercise
/// (`attempts<TAB>hints<TAB>flags<TAB>key<TAB>lesson`), beside the progress file and kept
/// the same way: the lesson by its real path, written whole to a temporary file and
/// renamed. An exercise is known by its key (its `id:` or a hash of its question), so
/// editing other parts of a lesson keeps a student's record.
struct ExerciseStore {
    let path: String

    /// Lesson identity → exercise key → record.
    func load() -> [String: [String: ExerciseRecord]] {
        guard let file = fopen(path, "r") else { return [:] }
        defer { fclose(file) }
        var all: [String: [String: ExerciseRecord]] = [:]
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let fields = String(cString: line).trimmingTrailingNewlines().split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            // A line that is not ours (hand-edited, a huge number) is skipped, never trusted.
            guard fields.count == 5, let attempts = ExerciseStore.count(fields[0]), let hints = ExerciseStore.count(fields[1]) else { continue }
            var record = ExerciseRecord()
            record.attempts = attempts
            record.hintsUsed = hints
            let flags = Set(fields[2].split(separator: ","))
            record.solved = flags.contains("solved")
            record.solutionShown = flags.contains("shown")
            record.predicted = flags.contains("predicted")
            all[fields[4], default: [:]][fields[3]] = record
        }
        return all
    }

    /// A small non-negative count, or nil.
    static func count(_ text: String) -> Int? {
        guard text.count <= 9, let n = Int(text), n >= 0 else { return nil }
        return n
    }

    func records(forLesson lesson: String) -> [String: ExerciseRecord] {
        load()[ProgressStore.identity(lesson)] ?? [:]
    }

    /// Records one exercise; the reason it could not be saved, or nil.
    @discardableResult
    func update(lesson: String, key: String, record: ExerciseRecord) -> String? {
        var all = load()
        all[ProgressStore.identity(lesson), default: [:]][key] = record
        return save(all)
    }

    @discardableResult
    func save(_ all: [String: [String: ExerciseRecord]]) -> String? {
        StateFile.replace(path) { file in
            for (lesson, records) in all.sorted(by: { $0.key < $1.key }) {
                for (key, r) in records.sorted(by: { $0.key < $1.key }) {
                    let flags = [r.solved ? "solved" : nil, r.solutionShown ? "shown" : nil, r.predicted ? "predicted" : nil].compactMap { $0 }
                    fputs("\(r.attempts)\t\(r.hintsUsed)\t\(flags.isEmpty ? "-" : flags.joined(separator: ","))\t\(key)\t\(lesson)\n", file)
                }
            }
        }
    }
}
