import Debugger
import Lessons
import Render
import Trace

/// The commands a lesson's prose tells the student to type (`:focus love`, `:patch c = 0`,
/// `:help events`), each tried where the student would type it — at the first picture of
/// the cell after its paragraph, or at the paragraph when no picture follows — so that
/// `huddle test` fails when one no longer works there.
public enum SuggestedCommands {
    public struct Problem: Sendable, Equatable {
        /// `Lessons/14-gpt.md:55`: the paragraph's line.
        public let location: String
        public let command: String
        /// What the REPL answered.
        public let reply: String
    }

    /// Commands that move through the lesson or leave it — or answer an exercise for the
    /// student (`:hint`, `:solution`, said at exercises): tried, they would change the
    /// walk the later suggestions are tried on.
    static let moving: Set<String> = ["step", "s", "next", "n", "skip", "k", "continue", "c", "back", "b", "goto", "g",
                                      "rerun", "r", "restart", "load", "reload", "quit", "q", "exit", "hint", "solution"]

    /// The words the command table writes for what the student fills in (`:focus AGENT`).
    static let placeholders: Set<String> = ["N", "KIND", "EXPR", "NAME", "FILE", "AGENT", "NAME[i]", "[N]", "[NAME]"]

    /// The inline `:command …` spans of a paragraph that can be tried as written (no
    /// placeholder such as N, KIND or EXPR, no moving command).
    public static func suggestions(in prose: String) -> [String] {
        var found: [String] = []
        var rest = Substring(prose)
        while let open = rest.firstIndex(of: "`") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "`") else { break }
            let span = String(after[..<close])
            rest = after[after.index(after: close)...]
            guard span.hasPrefix(":"), span.count > 1 else { continue }
            let words = span.dropFirst().split(separator: " ")
            guard let name = words.first, !moving.contains(String(name)),
                  !words.dropFirst().contains(where: { placeholders.contains(String($0)) })
            else { continue }
            found.append(span)
        }
        return found
    }

    /// Walks the lesson at `path` and tries every suggestion; the problems found.
    public static func check(lessonAt path: String) throws -> [Problem] {
        var output = ""
        let configuration = REPL.Configuration(interactive: false, options: RenderOptions(color: .none, width: 100), state: nil)
        let repl = try REPL(lessonPath: path, reader: PlainLineReader { nil }, configuration: configuration) { output += $0 }
        let sections = repl.session.document.sections
        // A lesson that suggests nothing need not be walked again; one that does is walked
        // as far as its last suggesting paragraph (a training cell after it is not rerun).
        var left = sections.filter { if case .prose(let text, _) = $0 { !suggestions(in: text).isEmpty } else { false } }.count
        var problems: [Problem] = []
        var visited: Set<Int> = []
        while !repl.debugger.isAtEnd, left > 0 {
            // An exercise is answered as a student who knows it would (its solution typed);
            // one whose solution is refused — `huddle test` says so — is passed as shown.
            // (A right answer steps on by itself: the paragraph it lands on is looked at too.)
            if let exercise = repl.openExercise {
                repl.handle(repl.session.exercises[exercise].solution.text.split(separator: "\n").joined(separator: "; "))
                if repl.openExercise == exercise {
                    repl.runner.records[exercise, default: ExerciseRecord()].solutionShown = true
                    continue
                }
            } else {
                repl.handle("")
            }
            guard !visited.contains(repl.debugger.position) else { continue }
            visited.insert(repl.debugger.position)
            guard repl.debugger.timeline.entries.indices.contains(repl.debugger.position),
                  case .prose(let section) = repl.debugger.timeline.entries[repl.debugger.position],
                  case .prose(let text, let line) = sections[section] else { continue }
            let tried = suggestions(in: text)
            guard !tried.isEmpty else { continue }
            left -= 1
            // To where the student would type them: the first picture of the next cell.
            let entries = repl.debugger.timeline.entries
            if repl.debugger.position + 1 < entries.count, case .cell = entries[repl.debugger.position + 1] {
                repl.handle("")
                let here = repl.debugger.position
                if here + 1 < repl.debugger.timeline.entries.count, case .event = repl.debugger.timeline.entries[here + 1] {
                    repl.handle("")
                }
            }
            // In the paragraph's order, as a student types them; a follow-up (`:diff`,
            // `:unpatch`) only after what it follows. Tidied up after the paragraph.
            var done: [String] = []
            for command in tried {
                // The paragraph's own line: the section's first line plus the lines before it.
                let offset = text.range(of: "`" + command + "`").map { text[..<$0.lowerBound].filter { $0 == "\n" }.count } ?? 0
                let name = self.name(of: command)
                if let leads = followUps[name], !done.contains(where: leads.contains) { continue }
                let (before, said) = (repl.complaints, output.count)
                repl.handle(command)
                if repl.complaints > before {
                    let reply = String(output.dropFirst(said)).trimmingWhitespace()
                    problems.append(Problem(location: "\(path):\(line + offset)", command: command, reply: reply))
                }
                done.append(name)
            }
            tidy(after: done, repl)
        }
        return problems
    }

    /// Commands that answer only after another: `:diff` compares with a patched run,
    /// `:unpatch` ends a patch, `:delete` a breakpoint.
    static let followUps: [String: [String]] = [
        "diff": ["patch"], "unpatch": ["patch"], "delete": ["break", "watch"], "unwatch": ["watch"],
    ]

    static func name(of command: String) -> String {
        command.dropFirst().split(separator: " ").first.map(String.init) ?? ""
    }

    /// Undoes what tried commands leave behind that would change later steps.
    static func tidy(after names: [String], _ repl: REPL) {
        if names.contains("patch"), !repl.session.picturePatches.isEmpty { repl.handle(":unpatch") }
        if names.contains("break") || names.contains("watch") { repl.handle(":reset") }
    }
}
