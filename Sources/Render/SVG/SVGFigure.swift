import Trace

/// One figure of a handout: a traced step drawn as SVG — a heading with its place
/// (kind, layer, head, t), the lecture's formula, then its tensors drawn by what the
/// event schema says they are — or a run of training steps drawn as one loss curve.
public struct SVGFigure {
    public enum Content {
        case step(TraceEvent)
        /// Consecutive `train` events of one cell: a curve, not one picture per step.
        case training([TraceEvent])
    }

    public let content: Content

    public init(_ content: Content) {
        self.content = content
    }

    /// The widest a figure's content is laid out (a page column of about 1100 pixels).
    static let maxWidth = 1040.0
    static let margin = 12.0

    /// One figure per event, except that each run of consecutive train events is one.
    public static func figures(for events: [TraceEvent]) -> [SVGFigure] {
        var figures: [SVGFigure] = []
        var run: [TraceEvent] = []
        for event in events {
            if event.kind == .train {
                run.append(event)
                continue
            }
            if !run.isEmpty { figures.append(SVGFigure(.training(run))); run = [] }
            figures.append(SVGFigure(.step(event)))
        }
        if !run.isEmpty { figures.append(SVGFigure(.training(run))) }
        return figures
    }

    public var events: [TraceEvent] {
        switch content {
        case .step(let event): [event]
        case .training(let run): run
        }
    }

    /// The steps it shows (0-based, as numbered in the recording), first and last.
    public var steps: ClosedRange<Int> {
        let numbers = events.map(\.step)
        return (numbers.min() ?? 0)...(numbers.max() ?? 0)
    }

    /// `step 8 · attention · layer 1 · head 1`, or `steps 3–202 · train · 200 steps`.
    public var title: String {
        switch content {
        case .step(let event):
            return (["step \(event.step + 1)", event.kind.rawValue] + event.placeWords()).joined(separator: " · ")
        case .training(let run):
            let range = steps.lowerBound == steps.upperBound ? "step \(steps.lowerBound + 1)" : "steps \(steps.lowerBound + 1)–\(steps.upperBound + 1)"
            let settings = run.first?.placeWords { !$0.isRound } ?? []
            return ([range, "train", "\(run.count) optimiser step\(run.count == 1 ? "" : "s")"] + settings).joined(separator: " · ")
        }
    }

    /// The figure as an `<svg>` element; `standalone` for a file of its own.
    public func svg(standalone: Bool = false) -> String {
        let body: SVGPanel
        let first = events[0]
        switch content {
        case .step(let event): body = SVGStepContent(event: event).panel()
        case .training(let run): body = SVGTraining.panel(run)
        }
        var parts = [SVGPanel.lines([(title, SVGColors.ink)], size: 15, bold: true)]
        var notes: [(String, String)] = []
        if !first.patched.isEmpty, case .step = content {
            notes.append(("patched: " + first.patched.joined(separator: ", ") + " — these numbers are not the model's own", SVGColors.error))
        }
        if let origin = first.origin, let cell = origin.cell {
            notes.append(("recorded by the trace on line \(origin.line), in cell \(cell)", SVGColors.muted))
        }
        if !notes.isEmpty { parts.append(SVGPanel.lines(notes, size: 11)) }
        let columns = Int(Self.maxWidth / (0.6 * 13))
        let formula = EventPicture.wrapFormula(first.formula, width: columns).lines.map { ($0.plainText, SVGColors.formula) }
        parts.append(SVGPanel.lines(formula, size: 13))
        var column = SVGLayout.column(parts, gap: 4)
        column = SVGLayout.column([column, body], gap: 14)
        var canvas = SVGCanvas()
        canvas.place(column.canvas, dx: Self.margin, dy: Self.margin)
        return SVGDocument.render(canvas, width: column.width + 2 * Self.margin, height: column.height + 2 * Self.margin,
                                  title: title + ": " + first.formula, standalone: standalone)
    }
}
