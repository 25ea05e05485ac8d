import Trace

/// Self-attention at the party: who listens to whom (A, rows ask and columns answer),
/// what the focus agent hears (Δ_m = Σ_t A_{m→t} v_t), and how every agent's vector
/// moves (h_m ← h_m + W·Δ_m).
struct AttentionPicture: StepPicture {
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
        var map = Heatmap(a, rowLabels: labels ?? PictureParts.defaultLabels(a), columnLabels: labels,
                          palette: .sequential, highlightRow: m)
        // Under the causal mask the upper triangle is no message at all: left empty.
        if event[S.causal] == .bool(true), a.shape.count == 2, !event.patched.contains(S.A.key) {
            map.blankAboveDiagonal = true
        }
        block.append(map.block(options))
        block.blank()

        let who = PictureParts.name(labels, m)
        let weights = PictureParts.row(a, m)
        if let delta = event[S.delta] {
            // Those it does not hear (weight 0.00, as the causal mask makes them) add nothing.
            let heard = weights.enumerated().filter { abs($0.element) >= 0.005 }.sorted { $0.element > $1.element }
            let terms = heard.prefix(4).map { "\(NumberFormat.fixed($0.element, decimals: 2))·v_\(PictureParts.name(labels, $0.offset))" }
            var line = Line("Δ_\(who) = ", Theme.formula)
            line.append(terms.joined(separator: " + ") + (heard.count > 4 ? " + …" : ""))
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

    func explanation(place: String) -> String {
        guard event[AttentionStep.q] != nil else {
            return "A round of messages\(place): each agent m hears a mix of the others, Δ_m = Σ_t A_{m→t} v_t, with the weights "
                + "A_{m→t} given by the formation, and adds it to its own vector: h_m ← h_m + W·Δ_m."
        }
        var text = "Self-attention\(place): the party. Each word asks a question q_m (\"what do you want to know?\"), "
            + "offers a key k_t (\"can you answer?\") and a value v_t (\"what is your context?\"). "
            + "The weights A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d) say how much m listens to t; each row adds up to 1."
        guard let a = event[AttentionStep.A], a.shape.count == 2, a.shape[0] > 0 else { return text }
        let rows = a.shape[0]
        let m = min(focus ?? (0..<rows).max { (a.row($0).max() ?? 0) < (a.row($1).max() ?? 0) } ?? 0, rows - 1)
        let name = { (i: Int) in event.labels.flatMap { i < $0.count ? "'\($0[i])'" : nil } ?? "#\(i + 1)" }
        let ranked = a.row(m).enumerated().sorted { $0.element > $1.element }
        // Hearing one agent alone (the first word under the causal mask) is not "most".
        let heard = ranked.filter { abs($0.element) >= 0.005 }
        if let top = heard.first, heard.count == 1 {
            text += " \(name(m)) listens only to \(top.offset == m ? "itself" : name(top.offset)) (\(NumberFormat.fixed(top.element, decimals: 2)))."
        } else if let top = ranked.first {
            text += " \(name(m)) listens most to \(name(top.offset)) (\(NumberFormat.fixed(top.element, decimals: 2)))"
            // A weight of 0 (a word the causal mask hides) is no one it listens to.
            if ranked.count > 1, ranked[1].element >= 0.005 { text += ", then \(name(ranked[1].offset)) (\(NumberFormat.fixed(ranked[1].element, decimals: 2)))" }
            text += "."
        }
        text += " What it hears, Δ_m = Σ_t A_{m→t} v_t, is a weighted mix of the values; W turns it into an update that is added "
            + "to its own vector, h_m ← h_m + W·Δ_m"
        if let update = event[AttentionStep.update], let before = event[AttentionStep.hBefore], update.shape.count == 2 {
            text += " — moving it by \(NumberFormat.short(PictureParts.norm(update.row(m)))) (its length was \(NumberFormat.short(PictureParts.norm(before.row(m)))))"
        }
        text += "."
        if event[AttentionStep.causal] == .bool(true) {
            text += " With the causal mask a word listens only to itself and the words before it: A is zero above the diagonal."
        }
        return text
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
