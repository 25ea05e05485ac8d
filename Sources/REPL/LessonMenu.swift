import Lessons
import Render

/// The menu `huddle` shows with no lesson named: number, title, and where each was left.
public enum LessonMenu {
    public struct Entry {
        public let path: String
        public let number: Int?
        public let title: String
        let exercises: [Exercise]
    }

    public static func entries(in folder: String) -> [Entry] {
        LessonCatalog.lessons(in: folder).map { Entry(path: $0.path, number: $0.number, title: $0.title, exercises: $0.exercises) }
    }

    /// Prints the menu and reads a choice; nil on Ctrl-D or an empty folder.
    public static func choose(in folder: String, state: StatePaths) -> String? {
        let lessons = entries(in: folder)
        guard !lessons.isEmpty else {
            Terminal.writeError("huddle: no lessons found in \(folder)/\n")
            return nil
        }
        let saved = ProgressStore(path: state.progress).load()
        let records = ExerciseStore(path: state.exercises).load()
        Terminal.write("Lessons of Lecture 18 — a neural network is a team of vectors passing messages\n\n")
        for lesson in lessons {
            let identity = ProgressStore.identity(lesson.path)
            let solved = lesson.exercises.filter { records[identity]?[$0.key]?.solved == true }.count
            let asked = solved == 0 ? "" : " · \(solved)/\(lesson.exercises.count) exercises solved"
            let progress = saved[identity].map { "  (left at step \($0.position + 1)\(asked))" } ?? ""
            Terminal.write("  \(lesson.number.map { String($0).leftPadded(to: 2) } ?? "  ")  \(lesson.title)\(progress)\n")
        }
        while true {
            Terminal.write("\nlesson number (Enter for \(lessons[0].number ?? 0), Ctrl-D to leave): ")
            guard let answer = readLine() else { return nil }
            let text = answer.trimmingWhitespace()
            if text.isEmpty { return lessons[0].path }
            if let n = Int(text), let lesson = lessons.first(where: { $0.number == n }) { return lesson.path }
            Terminal.write("no lesson \(text); type one of the numbers above\n")
        }
    }
}

extension StatePaths {
    /// Creates the state folder (and its parents) if needed.
    public static func makeFolder(_ folder: String) {
        ProgressStore.makeFolder(folder)
    }
}
