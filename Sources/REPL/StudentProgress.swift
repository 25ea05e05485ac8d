import Lessons
import Trace

/// `huddle progress`: every lesson of a folder with where the student left it and how
/// each exercise went — as text for the student, as JSON for a teacher who collects them.
public enum StudentProgress {
    struct Lesson {
        let path: String
        let number: Int?
        let title: String
        let position: Int?
        let furthest: Int?
        let exercises: [(exercise: Exercise, record: ExerciseRecord)]
    }

    static func lessons(in folder: String, state: StatePaths) -> [Lesson] {
        let places = ProgressStore(path: state.progress).load()
        let records = ExerciseStore(path: state.exercises).load()
        return LessonCatalog.lessons(in: folder).map { entry in
            let identity = ProgressStore.identity(entry.path)
            let saved = records[identity] ?? [:]
            let exercises = entry.exercises.map { ($0, saved[$0.key] ?? ExerciseRecord()) }
            return Lesson(path: entry.path, number: entry.number, title: entry.title, position: places[identity]?.position,
                          furthest: places[identity]?.furthest, exercises: exercises)
        }
    }

    /// One line per lesson, then one per exercise tried.
    public static func text(lessonsFolder folder: String, state: StatePaths) -> String {
        let all = lessons(in: folder, state: state)
        guard !all.isEmpty else { return "no lessons in \(folder)/\n" }
        var out = ""
        var solved = 0, total = 0
        for lesson in all {
            let number = lesson.number.map { String($0).leftPadded(to: 2) } ?? "  "
            let place = lesson.furthest.map { "furthest step \($0 + 1)" } ?? "not started"
            let done = lesson.exercises.filter(\.record.solved).count
            solved += done
            total += lesson.exercises.count
            let asked = lesson.exercises.isEmpty ? "" : "  ·  \(done)/\(lesson.exercises.count) exercises solved"
            let title = lesson.title.count > 36 ? String(lesson.title.prefix(35)) + "…" : lesson.title
            out += "\(number)  \(title.padded(to: 36))  \(place)\(asked)\n"
            for (i, (e, r)) in lesson.exercises.enumerated() where r != ExerciseRecord() {
                let tries = "\(r.attempts) attempt\(r.attempts == 1 ? "" : "s"), \(r.hintsUsed) hint\(r.hintsUsed == 1 ? "" : "s")"
                out += "      \(i + 1). \(r.status.padded(to: 22)) \(tries.padded(to: 22)) \(e.title)\n"
            }
        }
        out += "\n\(solved) of \(total) exercises solved\n"
        return out
    }

    /// `{"lessons": [{"path": …, "exercises": [{"key": …, "solved": true, …}]}]}`.
    public static func json(lessonsFolder folder: String, state: StatePaths) -> String {
        let items = lessons(in: folder, state: state).map { lesson in
            let exercises = lesson.exercises.enumerated().map { i, pair in
                let (e, r) = pair
                return "{\"number\": \(i + 1), \"key\": \(JSONLines.string(e.key)), \"kind\": \"\(e.kind.rawValue)\", "
                    + "\"question\": \(JSONLines.string(e.question)), \"solved\": \(r.solved), \"solution_shown\": \(r.solutionShown), "
                    + "\"predicted\": \(r.predicted), \"attempts\": \(r.attempts), \"hints_used\": \(r.hintsUsed)}"
            }
            return "{\"path\": \(JSONLines.string(lesson.path)), \"number\": \(lesson.number.map(String.init) ?? "null"), "
                + "\"title\": \(JSONLines.string(lesson.title)), \"position\": \(lesson.position.map { String($0 + 1) } ?? "null"), "
                + "\"furthest\": \(lesson.furthest.map { String($0 + 1) } ?? "null"), \"exercises\": [\(exercises.joined(separator: ", "))]}"
        }
        return "{\"lessons\": [\n  " + items.joined(separator: ",\n  ") + "\n]}\n"
    }
}
