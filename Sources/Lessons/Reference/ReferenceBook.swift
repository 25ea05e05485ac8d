import Language
import Tensor
import Trace

/// The reference an instructor writes lessons from, generated from the declarations:
/// the language topics (`LanguageReference`), the lesson file (`LessonFormatReference`),
/// every builtin with its declared parameters and help, what each model builtin returns
/// (members read off a real one, `ReferenceExamples`), and every kind of traced step
/// from its schema. `huddle reference --write docs` writes it; a test fails when the
/// checked-in files differ, or when something has no help.
public enum ReferenceBook {
    public struct Page {
        public var file: String
        public var text: String
    }

    static let generatedNote = "<!-- Written by `huddle reference --write docs` from the declarations in the code; edit those, not this file. -->"

    public static func pages() -> [Page] {
        [
            Page(file: "language.md", text: topicsPage(
                title: "The lesson language",
                intro: "A small Python-flavoured language for lesson cells. `:help language` lists these topics in the REPL; `:help NAME` (or `help(\"NAME\")` in code) prints one.",
                LanguageReference.topics)),
            Page(file: "lesson-format.md", text: topicsPage(
                title: "The lesson file",
                intro: "How a lesson is written: cells, pinned outputs, settings, data. Exercises have a page of their own, [exercises.md](exercises.md); the language is in [language.md](language.md), the functions in [builtins.md](builtins.md), the kinds of step in [events.md](events.md).",
                LessonFormatReference.topics)),
            Page(file: "builtins.md", text: builtinsPage()),
            Page(file: "events.md", text: eventsPage()),
        ]
    }

    /// Writes every page into `folder`.
    public static func write(to folder: String) throws {
        for page in pages() { try PinRewriter.write(page.text, to: folder + "/" + page.file) }
    }

    /// The pages in `folder` that are missing or differ from what the code declares.
    public static func stale(in folder: String) -> [String] {
        pages().filter { page in (try? LessonFiles.readFile(folder + "/" + page.file)) != page.text }.map(\.file)
    }

    /// A topic's text for `:help NAME`: "language" lists the topics; a language or lesson
    /// topic prints itself.
    public static func topic(_ name: String) -> String? {
        let key = name.lowercased()
        if key == "language" || key == "topics" {
            return (["Topics (:help NAME prints one):"] + (LanguageReference.topics + LessonFormatReference.topics)
                .map { "  \($0.name) — \($0.title)" }
                + ["  exercises — the kinds of exercise and their fields", "  events — the kinds of traced step", "  builtins — every function, by what it is for"])
                .joined(separator: "\n")
        }
        let found = LanguageReference.topic(named: key)
            ?? LessonFormatReference.topics.first { $0.name == key || $0.aliases.contains(key) }
        if let found { return "\(found.name) — \(found.title)\n\n" + found.text }
        switch key {
        case "exercises", "exercise":
            return "exercises — questions the lesson asks (docs/exercises.md has the whole format)\n"
                + "```exercise KIND``` blocks; KIND is " + Exercise.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                + ".\nFields: " + ExerciseParser.fields.joined(separator: ", ")
                + ".\nEvery kind but choice needs a `wrong: ANSWER -> message` line; `huddle test` runs each solution and each wrong answer."
        case "events", "steps", "kinds":
            return (["events — the kinds of traced step (docs/events.md; :help event KIND in the REPL)"]
                + EventKind.allCases.map { "  \($0.rawValue) — \($0.schema.summary)" }).joined(separator: "\n")
        case "builtins", "functions":
            return (["builtins — every function (docs/builtins.md; help(NAME) for one)"]
                + groups.map { "  \($0.title): " + $0.builtins.map(\.name).joined(separator: ", ") }).joined(separator: "\n")
        default:
            return nil
        }
    }

    static func topicsPage(title: String, intro: String, _ topics: [LanguageReference.Topic]) -> String {
        var out = ["# \(title)", "", generatedNote, "", intro, ""]
        out.append(topics.map { "[\($0.name)](#\($0.name))" }.joined(separator: " · "))
        for topic in topics {
            out += ["", "## \(topic.name)", "", "*\(topic.title)*" + (topic.aliases.isEmpty ? "" : " — also `:help " + topic.aliases[0] + "`"), "", topic.text]
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: builtins

    /// The builtins by what they are for, each family of models on its own.
    static var groups: [(title: String, builtins: [Builtin])] {
        var out: [(String, [Builtin])] = [
            ("Language", LanguageReference.coreBuiltins),
            ("Tensors", TensorBuiltins.all),
            ("Files", FileBuiltins.all(files: LessonFiles(root: "."))),
            ("Weights and arrays in files", CheckpointBuiltins.all(files: LessonFiles(root: "."))),
        ]
        for family in ModelBindings.families { out.append((familyTitle(family), family.builtins)) }
        out.append(("Training", TrainingBuiltins.all))
        out.append(("Patching a message", PatchBuiltins.all(board: PatchBoard())))
        return out
    }

    static func familyTitle(_ family: any BindingFamily.Type) -> String {
        let name = String(describing: family).replacingOccurrences(of: "Bindings", with: "")
        let titles = ["Dense": "Dense models (MLP, Linear)", "Local": "Local models (CNN, ResNet, a team)",
                      "Recurrent": "Recurrent models (RNN, LSTM)", "Word": "Words (vocabulary, embeddings, word2vec, BPE)",
                      "Diffusion": "Diffusion", "Attention": "Attention and transformer blocks", "Transformer": "GPT and BERT"]
        return titles[name] ?? name
    }

    static func builtinsPage() -> String {
        var out = ["# Builtins and models", "", generatedNote, "",
                   "Every function a lesson can call, with its parameters and defaults (`help(NAME)` in code, `:help NAME` in the REPL prints the same). A model builtin lists what it returns: its weights (shapes for the example call shown), parts, members and methods. Keywords are written `name: value` or `name=value`.", ""]
        let groups = groups
        out.append(groups.map { "[\($0.title)](#\(anchor($0.title)))" }.joined(separator: " · "))
        for group in groups {
            out += ["", "## \(group.title)", ""]
            for builtin in group.builtins.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
                out += ["### `\(builtin.signature)`", "", builtin.help.prefix(1).uppercased() + builtin.help.dropFirst(), ""]
                if let returned = returns(builtin.name) { out += returned + [""] }
            }
        }
        out += ["## Members of a tensor", "", "| member | |", "|---|---|"]
        for name in TensorMethods.properties { out.append("| `.\(name)` | \(cell(TensorMethods.propertyHelp[name] ?? "")) |") }
        for f in TensorFunctions.all { out.append("| `.\(f.method(of: TensorValue(Tensor(0))).signature)` | \(cell(f.help)) |") }
        return out.joined(separator: "\n") + "\n"
    }

    /// "Returns a GPT — …" with a table of its members, from the example's value.
    static func returns(_ name: String) -> [String]? {
        guard let value = ReferenceExamples.value(for: name), case .host(let host) = value else { return nil }
        let call = ReferenceExamples.calls.first { $0.key == name }?.value ?? name
        var out = ["Returns `\(host.typeName)`. For example `\(call)`: \(host.description)", ""]
        let members = ValueReference.members(of: value)
        guard !members.isEmpty else { return out }
        out += ["| member | |", "|---|---|"]
        out += members.map { "| `\($0.display)` | \(cell($0.help)) |" }
        return out
    }

    /// The same, as `help(GPT)` prints it after the one line.
    static func returnsText(_ name: String) -> String? {
        guard let value = ReferenceExamples.value(for: name), case .host(let host) = value else { return nil }
        let members = ValueReference.members(of: value)
        let width = min(36, members.map(\.display.count).max() ?? 0)
        return (["returns \(host.typeName); its members (for \(ReferenceExamples.calls.first { $0.key == name }?.value ?? name)):"]
            + members.map { "  " + $0.display.padding(toLength: max(width, $0.display.count), withPad: " ", startingAt: 0) + "  " + $0.help })
            .joined(separator: "\n")
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    static func anchor(_ title: String) -> String {
        String(title.lowercased().compactMap { $0.isLetter || $0.isNumber ? $0 : $0 == " " || $0 == "-" ? "-" : nil })
    }

    // MARK: events

    static func eventsPage() -> String {
        var out = ["# Kinds of traced step", "", generatedNote, "",
                   "Every kind of message-passing step a `trace` records, from its schema. At a step's picture each tensor is a variable under every name listed (the key, the symbol when it is a name, ASCII spellings); `:break KIND` stops at a kind; `:next` moves by the index entries marked *round*. A tensor marked *patch* is a message the next computation reads: `:patch NAME[row] = …` at its picture, or `patch(\"NAME\", …)` in code, changes it for that step and the rest of the trace follows (a patch holds for traced runs of its cell only; an untraced call computes as the model does).", ""]
        out.append(EventKind.allCases.map { "[\($0.rawValue)](#\($0.rawValue))" }.joined(separator: " · "))
        for kind in EventKind.allCases {
            let schema = kind.schema
            out += ["", "## \(kind.rawValue)", "", schema.summary, "", "| names | symbol | what it is | shape | patch |", "|---|---|---|---|---|"]
            for t in schema.tensors {
                let shared = t.role == .weight ? "; a weight every agent shares" : ""
                out.append("| " + t.names.map { "`\($0)`" }.joined(separator: ", ") + " | \(cell(t.symbol)) | \(cell(t.meaning + shared)) | \(cell(t.shape)) | \(t.isPatchable ? "yes" : "") |")
            }
            if !schema.index.isEmpty {
                out += ["", "Where it happened (index): " + schema.index.map { "`\($0.key)` \($0.meaning)" + ($0.isRound ? " (*round*)" : "") }.joined(separator: "; ") + "."]
            }
            if let rows = schema.focusRows { out += ["", "`:focus` picks a row of `\(rows.key)`."] }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
