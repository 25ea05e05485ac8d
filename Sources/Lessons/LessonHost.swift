import Language
import Models
import Render
import Tensor
import Trace

/// The lesson's side of the language: tensors from list literals, tolerant comparison of
/// tensors, tracing, and collecting what a cell prints, shows and checks.
final class LessonHost: Host {
    var result = CellResult()
    var options: RenderOptions
    /// Asked at every loop iteration and call; true after Ctrl-C.
    var interruptRequested: () -> Bool = { false }
    /// How long the lesson may run (`huddle test` and `huddle run`, `--timeout`), and the
    /// clock started when it began; checked wherever Ctrl-C is.
    /// The time budget: seconds from `since`, and what sets it when not `--timeout`.
    var timeLimit: (seconds: Double, since: Stopwatch, source: String?)?
    /// Told after each step of a training loop (the REPL draws a progress bar).
    var progress: ((TrainingProgress) -> Void)?
    /// The patches every `trace` applies (set by `patch(…)` and `:patch`).
    let patches = PatchBoard()
    /// The cell running (from 1), nil for code typed at the prompt; and how many traces
    /// the session has run, so every event can say which trace made it.
    var cell: Int?
    private var traces = 0
    /// Started when a long computation reports its start: the one clock behind every
    /// progress bar's seconds and steps per second.
    private var progressClock = Stopwatch()

    init(options: RenderOptions) {
        self.options = options
    }

    struct Interrupted: Error, CustomStringConvertible {
        var description: String { "interrupted (Ctrl-C); everything computed so far is kept" }
    }

    /// The lesson ran past its time limit: a failure, located where it stopped.
    struct OutOfTime: Error, CustomStringConvertible {
        let seconds: Double
        var source: String? = nil
        var description: String {
            let shown = seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : NumberFormat.fixed(Float(seconds), decimals: 1)
            return "stopped here after \(shown) s, " + (source ?? "the time limit for one lesson (--timeout SECONDS changes it)")
        }
    }

    /// `[[1, 2], [3, 4]]` is a tensor. A literal whose parts have different shapes — the
    /// LSTM's `[h, x]` — stays a list of tensors (for `concat`); `tensor(...)` reports it.
    func arrayLiteral(_ elements: [Value]) throws -> Value? {
        guard Conversions.isNumeric(elements), let t = try? Conversions.nested(elements, what: "tensor literal") else { return nil }
        return .host(TensorValue(t))
    }

    /// `a ≈ b` for tensors (and numbers against tensors): shapes must match after
    /// broadcasting, and every element must be within the tolerance.
    func approxEqual(_ a: Value, _ b: Value, tolerance: Tolerance) throws -> ApproxResult? {
        guard a.tensorValue != nil || b.tensorValue != nil else { return nil }
        let x = try Conversions.tensor(a, what: "left side of ≈"), y = try Conversions.tensor(b, what: "right side of ≈")
        let shape: [Int]
        do {
            shape = try (x.detached() + y.detached()).shape
        } catch {
            return ApproxResult(isClose: false, detail: "shapes \(formatShape(x.shape)) and \(formatShape(y.shape)) differ")
        }
        let xs = try x.broadcast(to: shape).scalars, ys = try y.broadcast(to: shape).scalars
        var worst: (Int, Double)? = nil
        for i in xs.indices where !tolerance.isClose(Double(xs[i]), Double(ys[i])) {
            let diff = abs(Double(xs[i]) - Double(ys[i]))
            // The first NaN, else the largest difference.
            if worst?.1.isNaN != true, diff.isNaN || diff > (worst?.1 ?? -1) { worst = (i, diff) }
        }
        guard let (index, diff) = worst else { return ApproxResult(isClose: true) }
        let position = shape.isEmpty ? "" : " at " + LessonHost.position(index, shape: shape)
        if diff.isNaN {
            // Not a difference to report: NaN is close to nothing, itself included.
            let nans = xs.indices.filter { xs[$0].isNaN || ys[$0].isNaN }.count
            let sides = xs[index].isNaN && ys[index].isNaN ? "on both sides" : xs[index].isNaN ? "on the left" : "on the right"
            let count = nans == 1 || shape.isEmpty ? "" : " (\(nans) of \(xs.count) places hold NaN)"
            return ApproxResult(isClose: false, detail: "NaN\(position) \(sides)\(count); NaN is close to nothing, not even NaN: find the step that made it (a log of 0, 0/0, an overflow)")
        }
        let pair = shape.isEmpty ? "" : ": \(NumberFormat.short(xs[index])) where \(NumberFormat.short(ys[index])) was expected"
        return ApproxResult(isClose: false, detail: "largest difference \(NumberFormat.short(Float(diff)))\(position)\(pair)")
    }

    static func position(_ flat: Int, shape: [Int]) -> String {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return "[" + index.map(String.init).joined(separator: ", ") + "]"
    }

    func trace(_ span: SourceSpan, _ body: () throws -> Value) throws -> Value {
        let recorder = TraceRecorder.withinBudget()
        traces += 1
        let origin = TraceEvent.Origin(trace: traces, cell: cell, line: span.start.line)
        defer {
            // Number this trace's events after those the cell already recorded.
            let offset = result.events.count
            result.events += recorder.events.map { event in
                var numbered = event
                numbered.step += offset
                numbered.origin = origin
                return numbered
            }
            if recorder.dropped > 0 {
                let kept = recorder.events.count
                let why = kept < recorder.limit ? ", which hold \(MemoryBudget.formatBytes(recorder.bytes)) of numbers" : ""
                write("(only the first \(kept) steps were recorded\(why); \(recorder.dropped) more were not — trace something smaller)\n")
            }
        }
        let value = try Tracing.recording(into: recorder) { try Patching.with(patches.active(inCell: cell), body) }
        // Silence here would read as "nothing happened"; say why there is nothing to step through.
        if recorder.events.isEmpty {
            write("(`trace \(span.text)` recorded no steps: only the lecture's models record steps, and none ran inside it; "
                  + "code of your own runs untraced — help(\"trace\"))\n")
        }
        return value
    }

    /// How much of what one cell prints and shows is kept (bytes of text). A loop that
    /// prints on every turn would otherwise hold all of it and then put all of it on the
    /// terminal; past the limit prints, shown values and checks' lines are counted, not
    /// kept (nor drawn), and `finishOutput` says so at the end. Checks still count.
    var outputLimit = LessonHost.outputLimit
    static let outputLimit = 1_000_000

    func show(_ value: Value, span: SourceSpan) {
        guard result.cutOutputs == 0 else { return result.cutOutputs += 1 }
        let picture = ValueDisplay.picture(of: value, name: nil, options: options)
        let bytes = picture.lines.reduce(0) { total, line in total + line.runs.reduce(1) { $0 + $1.text.utf8.count } }
        guard keeps(bytes) else { return }
        result.outputs.append(.picture(picture))
    }

    func write(_ text: String) {
        guard result.cutOutputs == 0 else { return result.cutOutputs += 1 }
        if keeps(text.utf8.count) { append(text) }
    }

    /// Whether `bytes` more fit in the cell's output; counts them either way.
    private func keeps(_ bytes: Int) -> Bool {
        guard result.outputBytes + bytes <= outputLimit else {
            result.cutOutputs += 1
            return false
        }
        result.outputBytes += bytes
        return true
    }

    /// Text added to the cell's last text, in place: a print in a loop appends to one
    /// string rather than copying all printed so far on every turn.
    private func append(_ text: String) {
        if case .text(var previous)? = result.outputs.last {
            result.outputs.removeLast()  // `previous` is now the string's only owner
            previous += text
            result.outputs.append(.text(previous))
        } else {
            result.outputs.append(.text(text))
        }
    }

    /// Ends the cell's output: says what was not kept, if anything.
    func finishOutput() {
        guard result.cutOutputs > 0 else { return }
        let count = result.cutOutputs, limit = MemoryBudget.formatBytes(outputLimit)
        let more = count == 1 ? "1 more print, shown value or check was" : "\(count) more prints, shown values and checks were"
        if case .text(let last)? = result.outputs.last, !last.hasSuffix("\n") { append("\n") }
        append("(the output stops here: a cell keeps \(limit) of output; \(more) not kept, though checks still count — print less, or a part: x[0:10])\n")
    }

    /// Every check is counted and kept for the lesson's test; its line in the output is
    /// under the output limit like a print.
    func report(_ check: CheckResult) {
        if result.cutOutputs > 0 {
            result.cutOutputs += 1
        } else if keeps(check.span.text.utf8.count + check.message.utf8.count + 12) {
            result.outputs.append(.check(result.checks.count))
        }
        result.checks.append(CheckOutcome(passed: check.passed, source: check.span.text,
                                          location: check.span.description, message: check.message))
    }

    func checkInterrupt() throws {
        if interruptRequested() { throw Interrupted() }
        if let timeLimit, timeLimit.since.seconds > timeLimit.seconds { throw OutOfTime(seconds: timeLimit.seconds, source: timeLimit.source) }
    }

    /// Starts the clock on a computation's start; passes every later report on to
    /// `progress` with the seconds since.
    func reportProgress(_ report: ProgressReport) {
        if report.isStart {
            progressClock = Stopwatch()
            return
        }
        progress?(TrainingProgress(step: report.step, total: report.total, loss: report.value.map { Float($0) },
                                   seconds: progressClock.seconds, finished: report.finished, unit: report.unit))
    }
}

/// What a training loop reports after each step, for a progress bar.
public struct TrainingProgress: Sendable {
    public let step: Int
    public let total: Int
    public let loss: Float?
    /// Since the loop started.
    public let seconds: Double
    /// The last report of this loop (finished or interrupted).
    public let finished: Bool
    /// What one step is: "step", or "epoch" for word2vec's passes over a corpus.
    public var unit: String = "step"
}

/// How any value is shown at the prompt and in transcripts.
enum ValueDisplay {
    static func picture(of value: Value, name: String?, options: RenderOptions) -> TextBlock {
        switch value {
        case .host(let host):
            if let t = host as? TensorValue {
                return ValuePicture(t.tensor.detached().snapshot, labels: t.labels, name: name).block(options)
            }
            if let described = host as? any PictureProviding { return described.picture(options) }
            return TextBlock([Line(host.description)])
        case .list(let items) where !items.isEmpty && items.count <= 8 && items.allSatisfy({ $0.tensorValue != nil }):
            // `hh, cc = lstm.run(x)` returns two tensors: show each as a tensor is shown.
            var block = TextBlock()
            for (i, item) in items.enumerated() {
                block.append(Line("[\(i)]", Theme.label))
                block.append(picture(of: item, name: nil, options: options))
            }
            return block
        default:
            // One line, cut to the terminal's width when drawn: eight bytes a column is
            // plenty (a `while` showing a 4 MB string each turn quoted all of it each time).
            return TextBlock([Line((name.map { "\($0) = " } ?? "") + value.repr(limit: Swift.max(256, 8 * options.width)))])
        }
    }
}

/// Host values that draw themselves (models: their parameters and shapes).
protocol PictureProviding {
    func picture(_ options: RenderOptions) -> TextBlock
}

extension TraceRecorder {
    /// A recorder for a lesson's trace: its snapshots may take a quarter of the memory
    /// budget in force (at most 1 GiB), so a traced loop cannot take the rest of it.
    static func withinBudget() -> TraceRecorder {
        TraceRecorder(byteLimit: min(1 << 30, MemoryBudget.limit / 4))
    }
}
