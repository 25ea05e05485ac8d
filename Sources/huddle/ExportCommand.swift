#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Lessons
import REPL
import Render

/// `huddle export FILE --to html|md`: the lesson as a handout to read, print or put on
/// a course page — run from start to end as `huddle run` runs it, every traced step
/// drawn as an SVG figure.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a lesson as a handout: one self-contained HTML page, or Markdown with SVG figures.",
        discussion: """
            --to html (the default) writes one page that needs nothing else: prose, code, output, checks, \
            every traced step as an SVG figure, exercises with hints and solutions folded. --to md writes \
            Markdown and a folder NAME-figures/ of .svg files beside it. \
            Exit status: 0 all checks pass, 1 a check failed, 64 a bad option, 65 a syntax error, \
            70 a runtime error, 74 an unreadable lesson or an unwritable output.
            """)

    @Argument(help: "The lesson (.md) or script (.hud) to export.")
    var file: String

    @Option(name: .customLong("to"), help: "html (one self-contained page) or md (Markdown and a folder of SVG figures).")
    var format = "html"

    @Option(name: .shortAndLong, help: "The file to write (default: the lesson's name with .html or .md, in the current folder).")
    var output: String?

    enum Format: String {
        case html, md
    }

    func run() throws {
        Interrupt.install()
        guard let format = Format(rawValue: format.lowercased()) else {
            fail("unknown format '\(format)' for --to: use html or md", .usage)
        }
        let html = format == .html
        // HTML shows the terminal's colours; Markdown's plain fences read as `--color never`.
        let options = RenderOptions(color: html ? .truecolor : .none, width: html ? 96 : 80)
        let session: LessonSession
        do {
            session = try LessonSession.open(path: file, options: options)
        } catch {
            fail("\(error)", .unreadable)
        }
        let target = output ?? Handout.baseName(of: file) + "." + format.rawValue
        if let problem = HandoutFiles.problem(writing: target, lesson: file) { fail(problem.message, problem.code) }
        session.interruptRequested = { Interrupt.isRequested }

        let clock = Stopwatch()
        let handout = Handout(running: session)
        let figures = handout.figures.count
        do {
            if html {
                try OutputFile.write(HTMLHandout.page(handout), to: target)
            } else {
                let folder = HandoutFiles.figuresFolder(for: target)
                let page = MarkdownHandout.render(handout, figuresFolder: HandoutFiles.fileName(folder), options: options)
                try HandoutFiles.replaceFigures(in: folder, with: page.figures.map { ($0.name, $0.svg) })
                try OutputFile.write(page.markdown, to: target)
            }
        } catch {
            fail("cannot write \(target): \(error)", .unreadable)
        }
        let seconds = NumberFormat.fixed(Float(clock.seconds), decimals: 1)
        Terminal.write("wrote \(target): \(figures) figure\(figures == 1 ? "" : "s") of \(handout.events.count) traced steps (\(seconds) s)\n")
        switch handout.exit {
        case .success: return
        case .checkFailed: Terminal.writeError("huddle export: a check failed in \(file); the handout shows which\n")
        default: Terminal.writeError("huddle export: \(file) stopped with an error; the handout shows it and ends there\n")
        }
        throw ExitCode(handout.exit.rawValue)
    }

    func fail(_ message: String, _ code: LessonTester.ExitCode) -> Never {
        Terminal.writeError("huddle export: \(message)\n")
        Export.exit(withError: ExitCode(code.rawValue))
    }
}

/// Where a handout is written: checked before the lesson runs (which can take a while),
/// and the Markdown's figures folder kept to this export's figures.
enum HandoutFiles {
    /// Why `target` cannot be written, with the exit code; nil when it can.
    static func problem(writing target: String, lesson: String) -> (message: String, code: LessonTester.ExitCode)? {
        var info = stat()
        if stat(target, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return ("cannot write \(target): it is a folder", .unreadable) }
            if let a = realPath(target), let b = realPath(lesson), a == b {
                return ("\(target) is the lesson itself; choose another file with -o", .usage)
            }
            if access(target, W_OK) != 0 { return ("cannot write \(target): \(String(cString: strerror(errno)))", .unreadable) }
            return nil
        }
        let folder = parent(of: target)
        if access(folder, W_OK) != 0 { return ("cannot write \(target): \(String(cString: strerror(errno)))", .unreadable) }
        return nil
    }

    /// `handouts/09-self-attention.md` → `handouts/09-self-attention-figures`.
    static func figuresFolder(for target: String) -> String {
        let base = target.hasSuffix(".md") ? String(target.dropLast(3)) : target
        return base + "-figures"
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Writes the figures into `folder` (made if missing), and removes figures an earlier
    /// export left there that this one did not write.
    static func replaceFigures(in folder: String, with files: [(name: String, text: String)]) throws {
        if mkdir(folder, 0o755) != 0 && errno != EEXIST { throw OutputFile.Failure(description: String(cString: strerror(errno))) }
        let written = Set(files.map(\.name))
        for old in LessonFiles.listFiles(folder) {
            let name = fileName(old)
            if (name.hasPrefix("step-") || name.hasPrefix("steps-")) && name.hasSuffix(".svg") && !written.contains(name) { unlink(old) }
        }
        for file in files { try OutputFile.write(file.text, to: folder + "/" + file.name) }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
