import Debugger
import Lessons
import Render
import Trace

/// The `:` commands. Each has its names (long and short), what it takes, and one line of
/// help; `:help` is generated from this table.
struct Command: Sendable {
    let names: [String]
    let arguments: String
    let help: String
    let run: @Sendable (REPL, String) -> Void
}

enum Commands {
    static let all: [Command] = [
        Command(names: ["step", "s"], arguments: "", help: "one step: the next paragraph, cell, or traced event (also: Enter)") { r, _ in
            r.move(.step)
        },
        Command(names: ["next", "n"], arguments: "", help: "to the next round of a trace (its next layer, time step, diffusion step); from a cell, its first round; between cells, the next step") { r, _ in
            r.move(.next)
        },
        Command(names: ["skip", "k"], arguments: "", help: "past the rest of this trace, to the paragraph or cell after it; at an exercise, its solution (shown and run)") { r, _ in
            if r.debugger.currentExercise != nil, r.openExercise != nil { return r.solution() }
            r.move(.skipTrace)
        },
        Command(names: ["hint"], arguments: "", help: "at an exercise, the next hint (one at a time)") { r, _ in r.hint() },
        Command(names: ["solution"], arguments: "", help: "at an exercise, show its answer and run it so the lesson can go on (recorded; a lesson or --no-skip may lock it)") { r, _ in
            r.solution()
        },
        Command(names: ["progress"], arguments: "", help: "this lesson's exercises: solved, attempts, hints") { r, _ in r.listExercises() },
        Command(names: ["continue", "c"], arguments: "", help: "on to the next breakpoint, or to the end") { r, _ in
            r.move(.continueToBreakpoint)
        },
        Command(names: ["back", "b"], arguments: "", help: "one step back; stepping back over a cell rewinds its variables") { r, _ in
            r.move(.back)
        },
        Command(names: ["goto", "g"], arguments: "N", help: "to step N of the timeline (forward runs cells, back rewinds)") { r, arg in
            guard let n = Int(arg.trimmingWhitespace()), n >= 0 else { return r.complain("usage: :goto N, a step number like 12") }
            r.move(.goto(n - 1))
        },
        Command(names: ["list", "l"], arguments: "", help: "the timeline around here") { r, _ in r.listTimeline() },
        Command(names: ["where", "w"], arguments: "", help: "where you are") { r, _ in r.where_() },
        Command(names: ["break"], arguments: "KIND | when EXPR",
                help: "stop :continue at every event of a kind (attention, lstm, …) or where EXPR holds (e.g. max(A[-1]) > 0.9: the last row listens mostly to one)") { r, arg in
            r.addBreakpoint(arg.trimmingWhitespace())
        },
        Command(names: ["breaks"], arguments: "", help: "list breakpoints and watches") { r, _ in r.listBreaks() },
        Command(names: ["delete", "d"], arguments: "N", help: "remove breakpoint or watch N") { r, arg in
            guard let n = Int(arg.trimmingWhitespace()) else { return r.complain("usage: :delete N (see :breaks)") }
            let deleted = r.debugger.delete(n)
            r.say(deleted ? "deleted \(n)" : "there is no breakpoint or watch \(n) (see :breaks)")
        },
        Command(names: ["watch"], arguments: "EXPR", help: "show EXPR again whenever its value changes as you step") { r, arg in
            let expression = arg.trimmingWhitespace()
            guard !expression.isEmpty else { return r.complain("usage: :watch EXPR, e.g. :watch h[0]") }
            r.show(r.debugger.addWatch(expression, &r.runner))
        },
        Command(names: ["unwatch"], arguments: "N", help: "stop watching N") { r, arg in
            guard let n = Int(arg.trimmingWhitespace()), r.debugger.watches.contains(where: { $0.number == n }) else {
                return r.complain("usage: :unwatch N, where N is a watch (see :breaks)")
            }
            _ = r.debugger.delete(n)
            r.say("stopped watching \(n)")
        },
        Command(names: ["explain", "e"], arguments: "", help: "the current step in words") { r, _ in r.explain() },
        Command(names: ["focus", "f"], arguments: "AGENT", help: "whose numbers pictures fill in: a token (love) or a row number counted from 0 (-1 the last); empty to reset") { r, arg in
            r.setFocus(arg.trimmingWhitespace())
        },
        Command(names: ["rerun", "r"], arguments: "", help: "run the current cell again in the variables as they are now, and compare with :diff; a change you typed to a model the cell makes anew (counter.Wg = …) is made again right after the line that makes it; :back forgets such changes") { r, _ in
            r.move(.rerun)
        },
        Command(names: ["patch"], arguments: "NAME[i] = EXPR",
                help: "at a picture, change one of its messages (A[1] = [0, 0, 1, 0], Δ[2] = 0, c = 0) and run the rest of the trace from it; :patch alone lists the patches") { r, arg in
            r.patch(arg)
        },
        Command(names: ["unpatch"], arguments: "[N]", help: "end patch N, or every patch: the trace runs as the model computes it again") { r, arg in
            r.unpatch(arg)
        },
        Command(names: ["diff"], arguments: "", help: "what changed in this step's numbers since the cell's previous run") { r, _ in r.diff() },
        Command(names: ["vars", "v"], arguments: "", help: "the lesson's variables") { r, _ in r.listVariables() },
        Command(names: ["help", "h", "?"], arguments: "[NAME]", help: "commands, or help on a command, builtin, variable or a picture's name; :help events for the kinds of step") { r, arg in
            r.help(arg.trimmingWhitespace())
        },
        Command(names: ["reset"], arguments: "", help: "forget all breakpoints and watches") { r, _ in
            for bp in r.debugger.breakpoints { _ = r.debugger.delete(bp.number) }
            for w in r.debugger.watches { _ = r.debugger.delete(w.number) }
            r.say("breakpoints and watches cleared")
        },
        Command(names: ["reload"], arguments: "", help: "read the lesson file again (after editing it) and return to this step") { r, _ in
            r.load(r.lessonPath, position: r.debugger.position)
        },
        Command(names: ["restart"], arguments: "", help: "start the lesson over (exercises not solved are open again)") { r, _ in
            r.reopenUnsolvedExercises()
            r.move(.restart)
        },
        Command(names: ["lessons"], arguments: "", help: "all lessons, with where you left each") { r, _ in r.listLessons() },
        Command(names: ["load"], arguments: "FILE | N", help: "open another lesson, by file or number") { r, arg in r.loadLesson(arg.trimmingWhitespace()) },
        Command(names: ["quit", "q", "exit"], arguments: "", help: "leave (also Ctrl-D); your place is saved") { r, _ in r.finished = true },
        Command(names: ["present"], arguments: "", help: "in huddle present, back to the slides from the REPL") { r, _ in
            r.presenting ? (r.returnsToPresenter = true) : r.complain("you are not presenting: `huddle present LESSON` shows a lesson as slides")
        },
    ]

    static func named(_ name: String) -> Command? {
        all.first { $0.names.contains(name) }
    }
}

extension REPL {
    func command(_ text: String) {
        let name = String(text.prefix(while: { !$0.isWhitespace }))
        let argument = String(text.dropFirst(name.count))
        guard let command = Commands.named(name) else {
            let suggestion = closest(to: name, among: Commands.all.flatMap(\.names)).map { " — did you mean :\($0)?" } ?? ""
            return complain("unknown command :\(name)\(suggestion) (:help lists them)")
        }
        command.run(self, argument)
    }

    func say(_ text: String) {
        write(Line(text.wrappingLongLines(width: options.width), Theme.muted).rendered(options.color) + "\n")
    }

    /// A command that could not do what was asked: said like `say`, and counted, so a
    /// lesson's check can tell that a command its prose suggests does not work there.
    func complain(_ text: String) {
        complaints += 1
        say(text)
    }

    func listTimeline() {
        let entries = debugger.timeline.entries
        guard !entries.isEmpty else { return say("the lesson is empty") }
        let here = max(debugger.position, 0)
        let range = max(0, here - 5)...min(entries.count - 1, here + 5)
        if range.lowerBound > 0 { say("… \(range.lowerBound) earlier steps") }
        for i in range {
            let marker = i == debugger.position ? "▶" : " "
            let style = i == debugger.position ? Theme.accent : (i < debugger.position ? Theme.muted : Style.plain)
            let text = "\(marker) \(String(i + 1).leftPadded(to: 3))  \(describe(entries[i]))"
            write(Line(text, style).truncated(to: max(options.width, 20)).rendered(options.color) + "\n")
        }
        if range.upperBound < entries.count - 1 { say("… \(entries.count - 1 - range.upperBound) later steps (:goto N to go to step N)") }
    }

    func describe(_ entry: Timeline.Entry) -> String {
        switch entry {
        case .prose(let section):
            guard case .prose(let text, _) = session.document.sections[section] else { return "prose" }
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            // As the student reads it: `**bold**` and `code` marks gone, headings bare.
            let shown = Prose(String(first.drop(while: { $0 == "#" || $0 == " " }))).block(RenderOptions(color: .none, width: 400))
                .lines.first?.plainText.trimmingWhitespace() ?? ""
            return "prose  " + Line(shown).truncated(to: 60).plainText
        case .cell(let cell, _):
            let first = session.document.cells[cell].code.split(separator: "\n").first.map(String.init) ?? ""
            return "cell \(String(cell + 1).leftPadded(to: 2))  " + Line(first).truncated(to: 60).plainText
        case .exercise(let exercise, _):
            let e = session.exercises[exercise]
            let done = runner.records[exercise].map { $0.solved ? "✓" : $0.solutionShown ? "·" : $0.predicted ? "✗" : "?" } ?? "?"
            return "exercise \(exercise + 1) \(done) \(e.kind.rawValue): " + Line(e.title).truncated(to: 50).plainText
        case .event(let cell, let index):
            guard let e = debugger.timeline.events[cell]?[index] else { return "event" }
            // As the picture's header says it: numbers rounded, false flags left out.
            let where_ = e.placeWords().joined(separator: " · ")
            return "  \(e.kind.rawValue)  \(where_)"
        }
    }

    func where_() {
        guard debugger.position >= 0 else { return say("at the start of \(session.document.title) — press Enter to begin") }
        say("step \(debugger.position + 1) of \(debugger.timeline.count): \(describe(debugger.timeline.entries[debugger.position]))")
    }

    /// The candidate within two edits of a mistyped word, for "did you mean".
    func closest(to word: String, among candidates: [String]) -> String? {
        candidates.min { editDistance($0, word) < editDistance($1, word) }.flatMap { editDistance($0, word) <= 2 ? $0 : nil }
    }

    func addBreakpoint(_ argument: String) {
        if argument.hasPrefix("when ") {
            let expression = String(argument.dropFirst(5)).trimmingWhitespace()
            let bp = debugger.addBreakpoint(.expression(expression))
            return say("breakpoint \(bp.number): \(bp.description)")
        }
        guard let kind = EventKind(rawValue: argument) else {
            let kinds = EventKind.allCases.map(\.rawValue)
            let suggestion = argument.isEmpty ? nil : closest(to: argument, among: kinds).map { "did you mean :break \($0)? " }
            return complain((suggestion ?? "") + "usage: :break KIND or :break when EXPR; kinds: " + kinds.joined(separator: ", "))
        }
        let had = debugger.breakpoints.count
        let bp = debugger.addBreakpoint(.kind(kind))
        say("breakpoint \(bp.number): \(bp.description)" + (debugger.breakpoints.count == had ? " (already set)" : "") + " — :continue to run to it")
    }

    func listBreaks() {
        if debugger.breakpoints.isEmpty && debugger.watches.isEmpty { return say("no breakpoints or watches") }
        // Breakpoints and watches share their numbers: list them in that order.
        let lines = debugger.breakpoints.map { ($0.number, $0.description) } + debugger.watches.map { ($0.number, "watch " + $0.expression) }
        for (number, text) in lines.sorted(by: { $0.0 < $1.0 }) { say("\(number)  \(text)") }
    }

    func explain() {
        guard let event = debugger.currentEvent else {
            return complain("step to a traced event first (Enter); :explain tells what a message-passing step does")
        }
        let wanted = focus ?? debugger.currentCell.flatMap { session.document.settings(forCell: $0).focus }
        write(Prose(Explanation.text(for: event, focus: wanted?.row(in: event))).block(options).rendered(options) + "\n")
    }

    func setFocus(_ argument: String) {
        guard !argument.isEmpty else {
            focus = nil
            return say("pictures choose whom to focus on")
        }
        let event = debugger.currentEvent
        // "−1" as printed in help, typed with the minus sign, is -1 too.
        let number = Int(argument.replacingMinusSign())
        let wanted: Focus = number.map(Focus.row) ?? .agent(argument)
        if let event, let rows = Focus.rows(of: event), wanted.row(in: event) == nil {
            let agents = Focus.agents(of: event).map { " — " + $0.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ") } ?? ""
            switch wanted {
            case .row(let n):
                return complain("this step has no row \(n): it has rows 0 to \(rows - 1)\(agents)")
            case .agent(let name):
                return complain("no agent named \(name) in this step; give one of its names or a row number\(agents)")
            }
        }
        focus = wanted
        guard let event, let cell = debugger.currentCell, Focus.rows(of: event) != nil else {
            return say("pictures from here on focus on \(argument)")
        }
        let drawn = session.document.settings(forCell: cell).options(options)
        write("\n" + EventPicture(event, focus: wanted.row(in: event), total: debugger.timeline.events[cell]?.count).block(drawn).rendered(drawn) + "\n")
    }

    func diff() {
        guard let event = debugger.currentEvent, let cell = debugger.currentCell else {
            return complain("step to a traced event first; :diff compares it with the same step before your last :rerun")
        }
        // In a patched run, against the run without patches; else against the last :rerun.
        let clean = session.patches(forCell: cell).isEmpty ? nil : runner.cleanEvents[cell]
        guard let old = clean ?? runner.previousEvents[cell], event.step < old.count else {
            return complain("nothing to compare yet: change something, :rerun the cell (or :patch a message), step to an event, then :diff")
        }
        say(clean != nil ? "compared with the run without patches" : "compared with this cell's run before your last :rerun")
        let before = old[event.step]
        var any = false
        for (name, now) in event.tensors {
            guard let was = before[name], was.shape == now.shape else { continue }
            // As the picture draws it too: "c_prev (c_{t−1})".
            let symbol = event.schema(ofTensor: name).map(\.symbol).flatMap { $0 == name ? nil : $0 }
            let title = symbol.map { "\(name) (\($0))" } ?? name
            let changes = zip(was.data, now.data).map { $1 - $0 }
            let largest = changes.map(abs).max() ?? 0
            guard largest > 0 else { continue }
            any = true
            write(Line("\(title): largest change \(NumberFormat.short(largest))", Theme.label).rendered(options.color) + "\n")
            if now.shape.count <= 2 && now.count <= 64 {
                let delta = Snapshot(shape: now.shape.count == 2 ? now.shape : [1, now.count], data: changes)
                write(Heatmap(delta, rowLabels: event.rowLabels(for: name), palette: .diverging, title: "now − before").block(options).rendered(options) + "\n")
            }
        }
        if !any { say("no numbers changed in this step") }
    }

    /// The lesson's variables; at a picture, first the names the picture brings, which
    /// cover variables of the same name while it is shown.
    func listVariables() {
        let vars = session.variables
        let picture = debugger.currentEvent?.pictureNames ?? []
        if vars.isEmpty && picture.isEmpty { return say("no variables yet") }
        let width = min((vars.map(\.name.count) + picture.map(\.name.count)).max() ?? 0, 16)
        if !picture.isEmpty {
            write(Line("this picture's names (they come first while it is shown):", Theme.muted).rendered(options.color) + "\n")
            for p in picture {
                write(Line(p.name.padded(to: width) + "  ", Theme.label).rendered(options.color) + p.summary + "\n")
            }
            if !vars.isEmpty { write(Line("the lesson's variables:", Theme.muted).rendered(options.color) + "\n") }
        }
        let covered = debugger.currentEvent.map(session.coveredVariables(at:)) ?? []
        for v in vars {
            let note = covered.contains(v.name) ? "  (covered by the picture's \(v.name) here; lesson.\(v.name) reaches it)" : ""
            // Wrapped at spaces, continuing under the summary.
            let text = (v.summary + note).wordWrapped(width: max(options.width - width - 2, 20), indent: 0)
            write(Line(v.name.padded(to: width) + "  ", Theme.label).rendered(options.color) + (text.first ?? "") + "\n")
            for more in text.dropFirst() { write(String(repeating: " ", count: width + 2) + more + "\n") }
        }
    }

    func help(_ name: String) {
        if name.isEmpty {
            write(Line("Commands (code you type runs in the lesson; Enter steps):", Theme.heading).rendered(options.color) + "\n")
            for c in Commands.all {
                let names = c.names.map { ":" + $0 }.joined(separator: " ")
                let head = (names + (c.arguments.isEmpty ? "" : " " + c.arguments)).padded(to: 26)
                let text = c.help.wordWrapped(width: max(options.width - 26, 20), indent: 0)
                write(Line(head, Theme.label).rendered(options.color) + text[0] + "\n")
                for more in text.dropFirst() { write(String(repeating: " ", count: 26) + more + "\n") }
            }
            return
        }
        let bare = name.hasPrefix(":") ? String(name.dropFirst()) : name
        if let c = Commands.named(bare) {
            let text = ":" + c.names[0] + " " + c.arguments + " — " + c.help
            write(text.wordWrapped(width: options.width, indent: 2).joined(separator: "\n") + "\n")
            // `:help load` is asked by someone who may mean the builtin load(model, file).
            guard !name.hasPrefix(":"), let builtin = session.help(name) else { return }
            write("\n" + Line("the builtin \(name):", Theme.heading).rendered(options.color) + "\n")
            let trimmed = builtin.hasSuffix("\n") ? String(builtin.dropLast()) : builtin
            return write(trimmed.wordWrapped(width: options.width, indent: 4).joined(separator: "\n") + "\n")
        }
        if let picture = debugger.currentEvent?.pictureNames.first(where: { $0.name == name }), let event = debugger.currentEvent {
            let text = "\(name) at this \(event.kind.rawValue) step: \(picture.summary)"
            return write(text.wordWrapped(width: options.width, indent: 4).joined(separator: "\n") + "\n")
        }
        if name == "events" {
            for line in EventReference.overview() { write(line.wordWrapped(width: options.width, indent: 4).joined(separator: "\n") + "\n") }
            return say("`:help event KIND` shows one kind's names; `:break KIND` stops at it")
        }
        let kindName = name.hasPrefix("event ") ? String(name.dropFirst(6)).trimmingWhitespace() : name
        if name.hasPrefix("event "), EventKind(rawValue: kindName) == nil {
            return complain("no kind of step called \(kindName): :help events lists them")
        }
        // A topic of the reference is Markdown: drawn as prose (code blocks, `code`), not as raw text.
        if let topic = session.topic(name) {
            return write(Prose(topic).block(options).rendered(options) + "\n")
        }
        if let text = session.help(name) {
            let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
            return write(trimmed.wordWrapped(width: options.width, indent: 4).joined(separator: "\n") + "\n")
        }
        if let kind = EventKind(rawValue: kindName) {
            return write(EventReference.text(for: kind).map { $0.wordWrapped(width: options.width, indent: 6).joined(separator: "\n") }
                .joined(separator: "\n") + "\n")
        }
        complain("no command, builtin or variable called \(name) (:help events lists the kinds of step)")
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where !b.isEmpty {
            let temp = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = temp
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
