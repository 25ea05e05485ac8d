import Debugger
import Lessons
import Render

/// `:lessons` and `:load`: the lessons beside this one, and opening another (or this one
/// again) in the same REPL.
extension REPL {
    func listLessons() {
        let saved = progressStore?.load() ?? [:]
        let lessons = LessonCatalog.lessons(in: configuration.lessonsFolder)
        if lessons.isEmpty { return say("no lessons in \(configuration.lessonsFolder)/") }
        for lesson in lessons {
            let here = ProgressStore.identity(lesson.path) == ProgressStore.identity(lessonPath)
            let mark = here ? "▶" : " "
            let records = exerciseStore?.records(forLesson: lesson.path) ?? [:]
            let solved = lesson.exercises.filter { records[$0.key]?.solved == true }.count
            let asked = lesson.exercises.isEmpty ? "" : "  \(solved)/\(lesson.exercises.count) exercises"
            let where_ = (saved[ProgressStore.identity(lesson.path)].map { "  step \($0.position + 1)" } ?? "") + asked
            write("\(mark) \(lesson.number.map { String($0).leftPadded(to: 2) } ?? "  ")  \(lesson.title)" + Line(where_, Theme.muted).rendered(options.color) + "\n")
        }
    }

    func loadLesson(_ argument: String) {
        guard !argument.isEmpty else { return complain("usage: :load FILE or :load N (see :lessons)") }
        if let n = Int(argument), let lesson = LessonCatalog.lesson(number: n, in: configuration.lessonsFolder) {
            return load(lesson.path, position: nil)
        }
        load(argument, position: nil)
    }

    /// Opens a lesson (or the same one again, re-read) and moves to `position` if given.
    func load(_ path: String, position: Int?) {
        do {
            let fresh = try LessonSession.open(path: path, options: options)
            saveProgress()
            session = fresh
            runner = SessionRunner(session: fresh)
            debugger = Debugger(sections: REPL.timelineSections(fresh.document))
            lessonPath = path
            loadExerciseRecords()
            predictionNotes = [:]
            summarizedAt = nil
            focus = nil
            offScript = nil
            offScriptNotes = [:]
            connect()
            greet()
            if let position, position >= 0 {
                replay(to: position)
            } else if !offerResume() {
                (finished, leftAtResume) = (true, true)
            }
        } catch {
            complain("cannot open \(path): \(error)")
        }
    }
}
