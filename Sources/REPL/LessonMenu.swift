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

    /// Prints the menu and reads a choice from `reader` (libedit's on a terminal: with
    /// Swift's `readLine`, Ctrl-C left the process spinning in `getdelim`); nil on Ctrl-D,
    /// Ctrl-C or an empty folder.
    public static func choose(in folder: String, state: StatePaths, reader: LineReader) -> String? {
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
            Terminal.write("\n")
            guard case .line(let answer) = reader.readLine(prompt: "lesson number (Enter for \(lessons[0].number ?? 0), Ctrl-D to leave): ") else {
                Terminal.write("\n")
                return nil
            }
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
