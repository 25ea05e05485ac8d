import ArgumentParser
import Lessons
import REPL

/// `huddle reference [TOPIC]`: the reference in the terminal, or `--write docs` to write
/// the Markdown pages the repository keeps (generated from the code, so they cannot drift).
struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the lesson-writing reference (a topic, or the list), or write it as Markdown with --write.",
        discussion: "Topics: the language (expect, trace, def, operators, …) and the lesson file (lesson, output, settings, data, lint). `huddle reference --write docs` writes language.md, lesson-format.md, builtins.md and events.md, generated from the declarations in the code.")

    @Argument(help: "A topic, such as expect or output (default: the list of topics).")
    var topic: String?

    @Option(help: "Write the reference pages into this folder instead of printing.")
    var write: String?

    func run() throws {
        if let write {
            do {
                try ReferenceBook.write(to: write)
            } catch {
                Terminal.writeError("huddle reference: cannot write into \(write): \(error)\n")
                throw ExitCode(LessonTester.ExitCode.unreadable.rawValue)
            }
            Terminal.write(ReferenceBook.pages().map { "wrote \(write)/\($0.file)\n" }.joined())
            return
        }
        guard let text = ReferenceBook.topic(topic ?? "language") else {
            Terminal.writeError("huddle reference: no topic called \(topic ?? "") (`huddle reference` lists them)\n")
            throw ExitCode(LessonTester.ExitCode.usage.rawValue)
        }
        Terminal.write(text + "\n")
    }
}
