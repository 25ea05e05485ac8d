import Language
import Models
import Render
import Tensor
import Trace

/// A lesson being taken: its document, the language interpreter with every builtin, and
/// the variables' state before each cell so that stepping back can rewind.
public final class LessonSession {
    public let document: LessonDocument
    public let files: LessonFiles
    let host: LessonHost
    let interpreter: Interpreter
    var environment: Environment { interpreter.environment }
    /// The variables just before each cell ran forward (not when it was rerun), so
    /// stepping back over it — or restarting — returns to that state.
    private var snapshots: [Int: Language.Snapshot] = [:]
    /// Cells that have run since the variables were last rewound to before them.
    private var ranCells = Set<Int>()
    /// Changes typed at the prompt to models' members, in order, since the last rewind.
    private var promptChanges: [PromptChange] = []
    /// The variables when each exercise was reached going forward, so stepping back over
    /// it undoes what the student changed there (a goal's attempts, a solution run).
    var exerciseSnapshots: [Int: Language.Snapshot] = [:]
    /// Each predict exercise's prediction, compared once its cell has run.
    var predictions: [Int: Value] = [:]
    /// `huddle test`: each predict exercise's solution and wrong answers, taken down
    /// before its cell ran, to be judged after.
    var predictionChecks: [Int: [(Exercise.Field, Result<Value, AnswerError>)]] = [:]

    /// `counter.Wg = …` typed at cell `cell` (from 0): made again when that cell is rerun.
    struct PromptChange {
        let objects: [String]
        let code: String
        let cell: Int
    }

    /// How pictures are drawn (colour, width); the REPL updates it when the terminal changes.
    public var options: RenderOptions {
        get { host.options }
        set { host.options = newValue }
    }

    /// Polled during long computations; the REPL connects it to Ctrl-C.
    public var interruptRequested: () -> Bool {
        get { host.interruptRequested }
        set { host.interruptRequested = newValue }
    }

    /// From now on, a cell still running `seconds` later stops with a located error (the
    /// time budget of `huddle test` and `huddle run`; the REPL has Ctrl-C instead).
    public func limitTime(to seconds: Double) {
        // The lesson's own `timeout` holds when it is the tighter one.
        if let own = document.timeLimit, own.seconds < seconds {
            host.timeLimit = (own.seconds, Stopwatch(), "the lesson's own limit, its `timeout` setting at line \(own.line)")
        } else {
            host.timeLimit = (seconds, Stopwatch(), nil)
        }
    }

    /// Told after each step of a training loop, for a progress bar.
    public var progress: ((TrainingProgress) -> Void)? {
        get { host.progress }
        set { host.progress = newValue }
    }

    /// Bytes of output one cell keeps (1 MB unless set); the rest is counted and said.
    public var outputLimit: Int {
        get { host.outputLimit }
        set { host.outputLimit = newValue }
    }

    /// A session for the lesson at `path` with text `text`.
    public convenience init(path: String, text: String, options: RenderOptions, stepBudget: Int = 200_000_000) throws {
        try self.init(document: LessonDocument(path: path, text: text), options: options, stepBudget: stepBudget)
    }

    /// A session for a parsed lesson (or a script: a document of one cell).
    public init(document: LessonDocument, options: RenderOptions, stepBudget: Int = 200_000_000) throws {
        self.document = document
        files = try LessonFiles(lessonPath: document.path)
        host = LessonHost(options: options)
        let environment = Environment(builtins: Builtins.all(files: files, patches: host.patches))
        interpreter = Interpreter(environment: environment, host: host,
                                  options: Interpreter.Options(stepBudget: stepBudget))
    }

    /// Reads and opens a lesson (`.md`) or a script (`.hud`: all code, one cell).
    public static func open(path: String, options: RenderOptions) throws -> LessonSession {
        let text = try LessonFiles.readFile(path, limit: LessonFiles.lessonLimit)
        let document = path.hasSuffix(".hud") ? LessonDocument(path: path, script: text) : LessonDocument(path: path, text: text)
        return try LessonSession(document: document, options: options)
    }

    public var cellCount: Int { document.cells.count }

    /// Runs cell `index` (0-based), first remembering the variables as they are.
    public func run(cell index: Int) -> CellResult {
        run(cell: index, reapplying: [])
    }

    /// Runs cell `index` again in the variables as they are now; a change typed at the
    /// prompt, at this cell, to a model's members (`counter.Wg = …`) is made again right
    /// after the cell's line that makes that model anew, so a cell that builds its own
    /// model does not throw the change away. The cell's output says which changes were
    /// made again.
    public func rerun(cell index: Int) -> CellResult {
        run(cell: index, reapplying: promptChanges.filter { $0.cell == index })
    }

    private func run(cell index: Int, reapplying changes: [PromptChange]) -> CellResult {
        guard document.cells.indices.contains(index) else {
            var result = CellResult()
            result.outcome = .failed(diagnostic: "there is no cell \(index + 1); the lesson has \(document.cells.count)", isSyntaxError: false)
            return result
        }
        if !ranCells.contains(index) { snapshots[index] = environment.snapshot() }
        ranCells.insert(index)
        let cell = document.cells[index]
        host.cell = index + 1
        defer {
            host.cell = nil
            // A patch made by the cell's code ends with the cell, even when the cell
            // stopped before its unpatch(): later cells, rewinds and reruns start clean.
            host.patches.code = []
        }
        return execute(Source(name: document.path, text: cell.code, firstLine: cell.line), reapplying: changes)
    }

    /// Puts the variables back to just before cell `index` ran forward.
    public func restore(beforeCell index: Int) {
        if let snapshot = snapshots[index] { environment.restore(snapshot) }
        promptChanges = []  // rewound: what was typed since is undone, and not made again
        snapshots = snapshots.filter { $0.key <= index }
        ranCells = ranCells.filter { $0 < index }
        let exercises = document.exercises
        exerciseSnapshots = exerciseSnapshots.filter { exercises[$0.key].cellsBefore <= index }
        predictions = predictions.filter { exercises[$0.key].cellsBefore <= index }
    }

    /// An exercise field's code (a goal's solution or wrong change) run as a student's
    /// would be, with an error located where the field is in the file.
    func evaluate(_ field: Exercise.Field) -> CellResult {
        execute(Source(name: document.path, text: field.text, firstLine: field.line),
                relocate: { [document] in field.relocated($0, fileLines: document.lines) })
    }

    /// Runs code typed at the prompt. Names of the current event's tensors (`A`, `q`,
    /// `h_before`) are visible while it runs, before variables of the same name (a
    /// builtin keeps its name).
    /// `cell` (from 0) is the cell the student is at, for `rerun` to make a change to a
    /// model again when that cell runs again.
    public func evaluate(_ code: String, at event: TraceEvent? = nil, name: String = "<input>", cell: Int? = nil) -> CellResult {
        var rebound: [String] = []
        let covering = event.map { e in e.pictureNames.filter { environment[$0.name] != nil && covers($0.name) } } ?? []
        var result = withEventNames(event, rebound: &rebound) { execute(Source(name: name, text: code)) }
        if case .failed(let diagnostic, isSyntaxError: false) = result.outcome {
            result.outcome = .failed(diagnostic: diagnostic + LessonSession.coverNotes(covering, usedIn: code), isSyntaxError: false)
        }
        guard result.error == nil, case .complete(let program) = Parser.parse(Source(name: name, text: code), mode: .interactive) else { return result }
        // Only an entry changed in place is a change meant for the picture (`x = A[1]` is not).
        result.reboundPictureNames = rebound.filter(program.subscriptedNames.contains)
        // Input that only changes models' members is kept, for `rerun` to make again.
        if let cell, program.onlyChangesObjects {
            promptChanges.append(PromptChange(objects: program.changedObjects, code: code, cell: cell))
        }
        return result
    }



    /// Whether typed input is complete, needs more lines, or is wrong.
    public func parse(_ code: String) -> ParseResult {
        Parser.parse(Source(name: "<input>", text: code), mode: .interactive)
    }

    /// The value of an expression as text for a watch, or nil when it cannot be
    /// evaluated here (its names may not exist yet).
    public func watchText(_ expression: String, at event: TraceEvent?) -> String? {
        guard case .success(let value) = value(of: expression, at: event, name: "watch") else { return nil }
        return ValueDisplay.picture(of: value, name: nil, options: options).rendered(options)
    }

    /// The value of `expression` with the event's names in scope.
    func value(of expression: String, at event: TraceEvent?, name: String = "<input>") -> Result<Value, Diagnostic> {
        withEventNames(event) { interpreter.evaluate(Source(name: name, text: expression)) }
    }

    /// Whether a breakpoint's condition holds at an event, or why it cannot be told (the
    /// caret points into the condition as the student typed it).
    public func condition(_ expression: String, at event: TraceEvent?) -> Result<Bool, ConditionError> {
        switch value(of: expression, at: event, name: "break when") {
        case .success(let value):
            do {
                return .success(try value.truthiness())
            } catch {
                return .failure(ConditionError(message: "break when \(expression): \(error)"))
            }
        case .failure(let diagnostic):
            return .failure(ConditionError(message: diagnostic.render()))
        }
    }

    public struct ConditionError: Error {
        public let message: String
    }

    /// Whole-word completions of `word` (as the line editor delimits it, e.g. `attn.W`)
    /// at the end of `line`: variables, builtins, keywords, members after a dot.
    /// At a picture its names are offered too (`c_t`, `Δc_t`, `h_before`).
    public func completions(line: String, word: String, at event: TraceEvent? = nil) -> [String] {
        let completion = environment.completions(for: line)
        let stem = word.hasSuffix(completion.fragment) ? String(word.dropLast(completion.fragment.count)) : ""
        var candidates = completion.candidates.filter { !$0.hasPrefix("__") }
        if let event, stem.isEmpty, !line.hasSuffix(".") {
            let picture = event.pictureNames.map(\.name).filter { $0.hasPrefix(completion.fragment) && !candidates.contains($0) }
            candidates = (candidates + picture).sorted()
        }
        return candidates.map { stem + $0 }
    }

    /// Variables and a one-line description of each (for `:vars`).
    public var variables: [(name: String, summary: String)] {
        environment.variables.filter { !$0.name.hasPrefix("__") }.map { ($0.name, LessonSession.summary($0.value)) }
    }

    static func summary(_ value: Value) -> String {
        switch value {
        case .host(let host):
            if let t = host as? TensorValue { return t.tensor.count == 1 ? t.description : "Tensor \(formatShape(t.tensor.shape))" }
            return host.typeName
        case .list(let items): return "list of \(items.count)"
        default:
            let text = value.repr
            return text.count > 60 ? String(text.prefix(59)) + "…" : text
        }
    }

    /// `help(name)`'s text for a builtin or variable, or nil.
    /// The reference topic `name` (Markdown), unless `name` is a variable or builtin.
    public func topic(_ name: String) -> String? {
        environment.resolve(name) == nil ? ReferenceBook.topic(name) : nil
    }

    public func help(_ name: String) -> String? {
        if environment.resolve(name) == nil, let topic = ReferenceBook.topic(name) { return topic }
        let result = evaluate("help(\(name))", name: "<help>")
        guard result.error == nil else { return ReferenceBook.topic(name) }
        return result.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
    }

    /// Runs `source`; with `changes`, each is made again after the names it touches are
    /// assigned.
    private func run(_ source: Source, reapplying changes: [PromptChange]) -> RunResult {
        if !changes.isEmpty, case .complete(let program) = Parser.parse(source, mode: .file) {
            return interpreter.run(program) { names in
                let due = changes.filter { !Set($0.objects).isDisjoint(with: names) }
                guard !due.isEmpty, case .complete(let extra) = Parser.parse(Source(name: "<your change>", text: due.map(\.code).joined(separator: "\n")))
                else { return nil }
                self.host.write("(made again after \(names.joined(separator: ", ")) = …: \(due.map(\.code).joined(separator: "; ")))\n")
                return extra
            }
        }
        return interpreter.run(source)
    }

    private func execute(_ source: Source, reapplying changes: [PromptChange] = [],
                         relocate: (Diagnostic) -> Diagnostic = { $0 }) -> CellResult {
        host.result = CellResult()
        let stopwatch = Stopwatch()
        // Ctrl-C and the time limit reach into the engine's ops and the models' loops too;
        // the lesson's own `max-memory` holds when it is the tighter limit.
        let memory = document.memoryLimit.flatMap { $0.bytes < MemoryBudget.limit ? $0 : nil }
        let outcome: RunResult = MemoryBudget.withLimit(memory?.bytes ?? MemoryBudget.limit,
                                                        source: memory.map { "the lesson's own limit, its `max-memory` setting at line \($0.line)" }) {
            Cancellation.withCheck(Cancellation.Check { [host] in try host.checkInterrupt() }) { run(source, reapplying: changes) }
        }
        if case .failed(let found) = outcome {
            let diagnostic = relocate(found)
            if host.interruptRequested() {
                var stopped = diagnostic
                stopped.kind = .interrupted  // the student asked for it: "stopped:", not "error:"
                host.result.outcome = .interrupted(diagnostic: stopped.render())
            } else {
                host.result.outcome = .failed(diagnostic: diagnostic.render(), isSyntaxError: diagnostic.kind == .syntaxError)
            }
        }
        host.finishOutput()
        host.result.seconds = stopwatch.seconds
        return host.result
    }

    /// Binds the event's tensors to their names around `body`, as a debugger shows a
    /// paused frame's locals before the globals: at a picture, `A` is the picture's A,
    /// even when an earlier cell made a variable `A`. The numbers of its index (`t`, `dt`,
    /// `sigma`, `layer`) come along, so a formula can be checked by hand. Builtins keep
    /// their names. Afterwards each name is put back as it was, unless the student
    /// assigned it meanwhile.
    private func withEventNames<R>(_ event: TraceEvent?, _ body: () -> R) -> R {
        var ignored: [String] = []
        return withEventNames(event, rebound: &ignored, body)
    }

    /// As above; `rebound` gets the picture's names the student assigned meanwhile.
    private func withEventNames<R>(_ event: TraceEvent?, rebound: inout [String], _ body: () -> R) -> R {
        guard let event else { return body() }
        var covered: [(name: String, injected: Value, previous: Value?)] = []
        // A picture's numbers cover data of the same name, never the student's functions
        // or models (`head(0)` still calls their `head` at a picture with a head number).
        for binding in event.pictureBindings where covers(binding.name.name) {
            let (name, value) = (binding.name.name, binding.value)
            covered.append((name, value, environment[name]))
            environment[name] = value
        }
        // What the picture covers stays reachable as `lesson.NAME`.
        let shadowed = covered.compactMap { entry in entry.previous.map { (entry.name, $0) } }
        if !shadowed.isEmpty, environment["lesson"] == nil, environment.builtin(named: "lesson") == nil {
            let lesson = Value.host(CoveredVariables(values: Dictionary(shadowed, uniquingKeysWith: { a, _ in a })))
            covered.append(("lesson", lesson, nil))
            environment["lesson"] = lesson
        }
        let result = body()
        for (name, injected, previous) in covered {
            if environment[name].map({ LessonSession.same($0, injected) }) == true {
                environment[name] = previous
            } else if name != "lesson" {
                rebound.append(name)
            }
        }
        return result
    }

    /// The lesson's variables the picture of `event` covers while it is shown (`:vars`
    /// marks them), by the rule the names are bound with.
    public func coveredVariables(at event: TraceEvent) -> Set<String> {
        Set(event.pictureNames.map(\.name).filter { environment[$0] != nil && covers($0) })
    }

    /// For an error at a picture: a note for each name the code used that the picture
    /// covers, since `c[5, 0]` failing "out of range" reads as a fault of the lesson's c
    /// when it was the picture's (1, 2) step that was indexed.
    private static func coverNotes(_ covering: [PictureName], usedIn code: String) -> String {
        guard !covering.isEmpty else { return "" }
        let used = Set(code.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        return covering.filter { used.contains($0.name) }.map {
            "\nnote: here \($0.name) is the picture's, \($0.summary); the lesson's \($0.name) is lesson.\($0.name)"
        }.joined()
    }

    /// Whether a picture's name is bound over whatever `name` holds now.
    private func covers(_ name: String) -> Bool {
        environment.builtin(named: name) == nil && LessonSession.mayCover(environment[name])
    }

    /// Whether a picture's name may cover what a variable holds: nothing, or data.
    private static func mayCover(_ value: Value?) -> Bool {
        switch value {
        case nil, .number?, .bool?, .string?, .list?, .none?: return true
        case .host(let host)?: return host is TensorValue
        case .function?, .builtin?: return false
        }
    }

    /// Whether a name still holds what was bound to it (a tensor or number equal to it).
    private static func same(_ a: Value, _ b: Value) -> Bool {
        if let x = a.tensorValue, let y = b.tensorValue { return x.tensor == y.tensor }
        if let x = a.number, let y = b.number { return x == y }
        if case .host(let x) = a, case .host(let y) = b, x is CoveredVariables, y is CoveredVariables { return true }
        return false
    }
}
