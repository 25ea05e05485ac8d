import Lessons

/// The lessons in a folder, in order, with their titles: for the menu `huddle` shows
/// with no arguments, `:lessons`, `:load` completion and `huddle --lesson N`.
enum LessonCatalog {
    struct Entry {
        let path: String
        let number: Int?
        let title: String
        let exercises: [Exercise]
    }

    static func lessons(in folder: String) -> [Entry] {
        LessonFiles.listFiles(folder).filter { $0.hasSuffix(".md") && !$0.hasSuffix("README.md") && !$0.dropFirst(folder.count).contains("/data/") }
            .map { path in
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let number = Int(name.prefix(while: \.isNumber))
                let text = (try? LessonFiles.readFile(path)) ?? ""
                let document = LessonDocument(path: path, text: text)
                return Entry(path: path, number: number, title: document.title, exercises: document.exercises)
            }
    }

    /// The lesson numbered `n` (its file name starts with that number).
    static func lesson(number n: Int, in folder: String) -> Entry? {
        lessons(in: folder).first { $0.number == n }
    }
}
