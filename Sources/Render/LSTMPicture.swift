import Trace

/// An LSTM step read as a running total: the gates (how much to forget, to write, to
/// show), the change Δc_t, and c_t = c_{t−1} + Δc_t.
struct LSTMPicture {
    let event: TraceEvent

    func block(_ options: RenderOptions) -> TextBlock {
        guard let cPrev = event["c_prev"], let delta = event["delta_c"], let c = event["c"] else {
            return Fallback(event: event).block(options)
        }
        var block = TextBlock()
        let gates = [("f", "forget"), ("i", "input"), ("g", "candidate"), ("o", "output")].compactMap { name, meaning in
            event[name].map { (name: name, meaning: meaning, value: $0) }
        }
        block.append(Line("gates (f, i, o ∈ (0, 1); g ∈ (−1, 1))", Theme.muted))
        for gate in gates {
            let palette: Palette = gate.name == "g" ? .diverging : .sequential
            let row = Heatmap(flat(gate.value), palette: palette, limit: 1).block(options)
            var line = Line("\(gate.name) \(gate.meaning)".padded(to: 12), Theme.label)
            line.append(row.lines.first ?? Line())
            block.append(line)
        }
        block.blank()
        block.append(PictureParts.equation([("c_{t−1}", flat(cPrev)), ("Δc_t", flat(delta)), ("c_t", flat(c))],
                                           operators: ["+", "="], labels: nil, highlightRow: nil, options: options))
        block.blank()
        let forgets = event.index("forget_gate") != .bool(false)
        var line = Line("Δc_t = ", Theme.formula)
        line.append(forgets ? "(f − 1)⊙c_{t−1} + i⊙g" : "i⊙g  (no forget gate: the 1997 LSTM)")
        line.append(" = " + PictureParts.vector(delta.data))
        block.append(line)
        if let h = event["h"] {
            block.append(Line("h_t = o⊙tanh(c_t) = ", Theme.formula) + Line(PictureParts.vector(h.data)))
        }
        return block
    }

    /// One row per batch item; a single sequence's (1, d) or (d,) as one row.
    func flat(_ s: Snapshot) -> Snapshot {
        s.shape.count == 2 ? s : Snapshot(shape: [1, s.count], data: s.data)
    }
}

