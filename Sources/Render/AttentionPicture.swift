import Trace

/// Self-attention at the party: who listens to whom (A, rows ask and columns answer),
/// what the focus agent hears (Δ_m = Σ_t A_{m→t} v_t), and how every agent's vector
/// moves (h_m ← h_m + W·Δ_m).
struct AttentionPicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        guard let a = event["A"] else { return Fallback(event: event).block(options) }
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
        if let delta = event["delta"] {
            let terms = weights.enumerated().sorted { $0.element > $1.element }.prefix(4)
                .map { "\(NumberFormat.fixed($0.element, decimals: 2))·v_\(PictureParts.name(labels, $0.offset))" }
            var line = Line("Δ_\(who) = ", Theme.formula)
            line.append(terms.joined(separator: " + ") + (weights.count > 4 ? " + …" : ""))
            line.append(" = " + PictureParts.vector(PictureParts.row(delta, m)))
            block.append(PictureParts.wrapped(line, width: options.width))
        }
        if let before = event["h_before"], let update = event["update"], let after = event["h_after"] {
            var line = Line("h_\(who) ← ", Theme.formula)
            line.append(PictureParts.vector(PictureParts.row(before, m)) + " + " + PictureParts.vector(PictureParts.row(update, m))
                        + " = " + PictureParts.vector(PictureParts.row(after, m)))
            block.append(PictureParts.wrapped(line, width: options.width))
            block.blank()
            block.append(PictureParts.equation([("h before", before), ("W·Δ", update), ("h after", after)],
                                               operators: ["+", "="], labels: labels, highlightRow: m, options: options))
        }
        return block
    }
}

/// Steps of the form h ← h + something: residual updates h ← h + f(h), position
/// embeddings h_m ← h_m + P_m, and each person thinking alone h_m ← h_m + MLP(h_m).
struct UpdatePicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        let scaled = event.index("epsilon").map { $0 != .number(1) && $0 != .int(1) } ?? false
        let added: (name: String, title: String)? = switch event.kind {
        case .residual: ("f", scaled ? "ε·f(h)" : "f(h)")
        case .position: ("P", "P")
        default: ("delta", event["x"] == nil ? "MLP(h)" : "MLP(LN(h))")
        }
        guard let added, let before = event["h_before"], let delta = event[added.name], let after = event["h_after"] else {
            return Fallback(event: event).block(options)
        }
        let rows = PictureParts.rowCount(before)
        let m = min(focus ?? rows - 1, rows - 1)
        var block = TextBlock()
        block.append(PictureParts.equation([("h before", before), (added.title, delta), ("h after", after)],
                                           operators: ["+", "="], labels: event.labels,
                                           highlightRow: rows > 1 ? m : nil, options: options))
        block.blank()
        let who = rows > 1 ? "_" + PictureParts.name(event.labels, m) : ""
        var line = Line("h\(who) ← ", Theme.formula)
        line.append(PictureParts.vector(PictureParts.row(before, m)) + " + " + PictureParts.vector(PictureParts.row(delta, m))
                    + " = " + PictureParts.vector(PictureParts.row(after, m)))
        block.append(PictureParts.wrapped(line, width: options.width))
        if let share = PictureParts.updateShare(event, added: added.name, focus: focus) {
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
            block.append(PictureParts.generic(name, value, labels: event.rowLabels(for: name), options: options))
        }
        return block
    }
}
