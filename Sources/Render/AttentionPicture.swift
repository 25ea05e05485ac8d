import Trace

/// Self-attention at the party: who listens to whom (A, rows ask and columns answer),
/// what the focus agent hears (Δ_m = Σ_t A_{m→t} v_t), and how every agent's vector
/// moves (h_m ← h_m + W·Δ_m).
struct AttentionPicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        typealias S = AttentionStep
        guard let a = event[S.A] else { return Fallback(event: event).block(options) }
        let labels = event.labels
        let rows = PictureParts.rowCount(a)
        let m = min(focus ?? 0, rows - 1)
        var block = TextBlock()
        block.append(Line("who listens to whom: row m asks, column t answers (A_{m→t}, each row sums to 1)", Theme.muted))
        block.append(Heatmap(a, rowLabels: labels ?? PictureParts.defaultLabels(a), columnLabels: labels,
                             palette: .sequential, highlightRow: m).block(options))
        block.blank()

        let who = PictureParts.name(labels, m)
        let weights = PictureParts.row(a, m)
        if let delta = event[S.delta] {
            let terms = weights.enumerated().sorted { $0.element > $1.element }.prefix(4)
                .map { "\(NumberFormat.fixed($0.element, decimals: 2))·v_\(PictureParts.name(labels, $0.offset))" }
            var line = Line("Δ_\(who) = ", Theme.formula)
            line.append(terms.joined(separator: " + ") + (weights.count > 4 ? " + …" : ""))
            line.append(" = " + PictureParts.vector(PictureParts.row(delta, m)))
            block.append(PictureParts.wrapped(line, width: options.width))
        }
        if let before = event[S.hBefore], let update = event[S.update], let after = event[S.hAfter] {
            var line = Line("h_\(who) ← ", Theme.formula)
            line.append(PictureParts.vector(PictureParts.row(before, m)) + " + " + PictureParts.vector(PictureParts.row(update, m))
                        + " = " + PictureParts.vector(PictureParts.row(after, m)))
            block.append(PictureParts.wrapped(line, width: options.width))
            block.blank()
            block.append(PictureParts.equation([(S.hBefore.symbol, before), (S.update.symbol, update), (S.hAfter.symbol, after)],
                                               operators: ["+", "="], labels: labels, highlightRow: m, options: options))
        }
        return block
    }
}

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
struct UpdatePicture {
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
}

/// Draws every tensor of an event by its shape, for kinds (or names) no picture knows.
struct Fallback {
    let event: TraceEvent

    func block(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock()
        for (name, value) in event.tensors {
            block.append(PictureParts.generic(name, value, schema: event.schema(ofTensor: name), labels: event.rowLabels(for: name),
                                              options: options))
        }
        return block
    }
}
