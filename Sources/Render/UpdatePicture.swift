import Trace

/// The three tensors of a step of the form h ← h + something, whatever its kind: the
/// vectors before, what is added (with the title the picture gives it) and the vectors
/// after. Nil for other kinds, or when the event lacks one of them.
struct UpdateStep {
    let before: Snapshot
    let added: Snapshot
    let addedTitle: String
    let after: Snapshot

    init?(_ event: TraceEvent) {
        let parts: (Snapshot?, Snapshot?, String, Snapshot?)
        switch event.kind {
        case .residual:
            typealias S = ResidualStep
            let scaled = event.number(S.epsilon).map { $0 != 1 } ?? false
            parts = (event[S.hBefore], event[S.f], scaled ? "ε·" + S.f.symbol : S.f.symbol, event[S.hAfter])
        case .position:
            typealias S = PositionStep
            parts = (event[S.hBefore], event[S.P], S.P.symbol, event[S.hAfter])
        case .feedforward:
            typealias S = FeedForwardStep
            parts = (event[S.hBefore], event[S.delta], event[S.x] == nil ? S.delta.symbol : "MLP(LN(h))", event[S.hAfter])
        default:
            return nil
        }
        guard let before = parts.0, let added = parts.1, let after = parts.3 else { return nil }
        (self.before, self.added, addedTitle, self.after) = (before, added, parts.2, after)
    }
}

/// Steps of the form h ← h + something: residual updates h ← h + f(h), position
/// embeddings h_m ← h_m + P_m, and each person thinking alone h_m ← h_m + MLP(h_m).
struct UpdatePicture: StepPicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        guard let step = UpdateStep(event) else { return Fallback(event: event).block(options) }
        let (before, delta, after) = (step.before, step.added, step.after)
        let rows = PictureParts.rowCount(before)
        let m = min(focus ?? rows - 1, rows - 1)
        var block = TextBlock()
        block.append(PictureParts.equation([(ResidualStep.hBefore.symbol, before), (step.addedTitle, delta), (ResidualStep.hAfter.symbol, after)],
                                           operators: ["+", "="], labels: event.labels,
                                           highlightRow: rows > 1 ? m : nil, options: options))
        block.blank()
        let who = rows > 1 ? "_" + PictureParts.name(event.labels, m) : ""
        var line = Line("h\(who) ← ", Theme.formula)
        line.append(PictureParts.vector(PictureParts.row(before, m)) + " + " + PictureParts.vector(PictureParts.row(delta, m))
                    + " = " + PictureParts.vector(PictureParts.row(after, m)))
        block.append(PictureParts.wrapped(line, width: options.width))
        if let share = PictureParts.updateShare(event, focus: focus) {
            block.append(Line("the update is \(share.percent) of \(share.of)", Theme.muted))
        }
        return block
    }

    func explanation(place: String) -> String {
        switch event.kind {
        case .residual:
            let share = PictureParts.updateShare(event, focus: focus)
            return "A residual step\(place): the vector is not replaced — it receives a message f(h) and adds it, h ← h + f(h). "
                + "Stacked, these small updates add up" + (share.map { "; this one is \($0.percent) of \($0.of)." } ?? ".")
        case .position:
            return "Position\(place): attention alone cannot tell \"I love machine learning\" from the same words shuffled, "
                + "so each position m adds its own vector: h_m ← h_m + P_m."
        default:
            let share = PictureParts.updateShare(event, focus: focus)
            return "Part 2 of the block\(place): after the meeting, each person thinks alone — the same small MLP is applied to "
                + "each vector separately and its output is added, h_m ← h_m + \(event[FeedForwardStep.x] == nil ? "MLP(h_m)" : "MLP(LN(h_m))")"
                + (share.map { " (here \($0.percent) of \($0.of))." } ?? ".")
        }
    }
}
