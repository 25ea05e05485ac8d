import Trace

/// An LSTM step read as a running total: the gates (how much to forget, to write, to
/// show), the change Δc_t, and c_t = c_{t−1} + Δc_t.
struct LSTMPicture: StepPicture {
    let event: TraceEvent

    init(event: TraceEvent, focus: Int?) {
        self.event = event
    }

    func block(_ options: RenderOptions) -> TextBlock {
        typealias S = LSTMStep
        guard let cPrev = event[S.cPrev], let delta = event[S.deltaC], let c = event[S.c] else {
            return Fallback(event: event).block(options)
        }
        var block = TextBlock()
        let gates = [(S.f, "forget"), (S.i, "input"), (S.g, "candidate"), (S.o, "output")].compactMap { key, meaning in
            event[key].map { (key: key.schema, meaning: meaning, value: $0) }
        }
        block.append(Line("gates (f, i, o ∈ (0, 1); g ∈ (−1, 1))", Theme.muted))
        for gate in gates {
            let palette: Palette = gate.key.palette == .probability ? .sequential : .diverging
            var map = Heatmap(flat(gate.value), palette: palette, limit: 1)
            map.minimumNumberWidth = 5  // "-0.72": every gate's columns line up with g's
            let row = map.block(options)
            var line = Line("\(gate.key.symbol) \(gate.meaning)".padded(to: 12), Theme.label)
            line.append(row.lines.first ?? Line())
            block.append(line)
        }
        block.blank()
        // A patched c_t (or Δc_t) is the student's number, not the sum: "=" would be false.
        let patched = Set(event.patched)
        let sumReplaced = patched.contains(S.c.key) || patched.contains(S.deltaC.key)
        block.append(PictureParts.equation([(S.cPrev.symbol, flat(cPrev)), (S.deltaC.symbol, flat(delta)), (S.c.symbol, flat(c))],
                                           operators: ["+", sumReplaced ? "→" : "="], labels: nil, highlightRow: nil, options: options))
        if sumReplaced, cPrev.count == delta.count {
            let sum = zip(cPrev.data, delta.data).map { $0 + $1 }
            let which = patched.contains(S.c.key) ? "c_t" : "Δc_t"
            block.append(PictureParts.wrapped(Line("\(which) is patched: c_{t−1} + Δc_t would be " + PictureParts.vector(sum)
                                                   + "; c_t is " + PictureParts.vector(c.data), Theme.error), width: options.width))
        }
        block.blank()
        let forgets = event[S.forgetGate] != .bool(false)
        var line = Line("Δc_t = ", Theme.formula)
        line.append(forgets ? "(f − 1)⊙c_{t−1} + i⊙g" : "i⊙g  (no forget gate: the 1997 LSTM)")
        // Its two terms apart: what the forget gate takes away, and what is written.
        if forgets, let f = event[S.f], let i = event[S.i], let g = event[S.g], f.count == cPrev.count, i.count == g.count {
            let kept = zip(f.data, cPrev.data).map { ($0 - 1) * $1 }, written = zip(i.data, g.data).map { $0 * $1 }
            line.append(" = " + PictureParts.vector(kept) + " + " + PictureParts.vector(written))
        }
        line.append(" = " + PictureParts.vector(delta.data))
        block.append(PictureParts.wrapped(line, width: options.width))
        if let h = event[S.h] {
            block.append(Line("h_t = o⊙tanh(c_t) = ", Theme.formula) + Line(PictureParts.vector(h.data)))
        }
        return block
    }

    /// One row per batch item; a single sequence's (1, d) or (d,) as one row.
    func flat(_ s: Snapshot) -> Snapshot {
        s.shape.count == 2 ? s : Snapshot(shape: [1, s.count], data: s.data)
    }

    func explanation(place: String) -> String {
        let f = PictureParts.mean(event[LSTMStep.f]), i = PictureParts.mean(event[LSTMStep.i]), o = PictureParts.mean(event[LSTMStep.o])
        if event[LSTMStep.forgetGate] == .bool(false) {
            return "An LSTM time step\(place), the original of 1997: the cell c is a running total, c_t = c_{t−1} + Δc_t, "
                + "and with no forget gate nothing is taken away — Δc_t = i⊙g, the candidate g let in by the input gate i "
                + "(\(PictureParts.percent(i))). The output gate o (\(PictureParts.percent(o))) decides how much of tanh(c_t) shows in h_t."
        }
        return "An LSTM time step\(place): the cell c is a running total, c_t = c_{t−1} + Δc_t. "
            + "The forget gate f (on average over its units \(PictureParts.percent(f))) keeps that share of the old total and lets the rest go: it adds (f − 1)⊙c_{t−1}, which takes away (1 − f)⊙c_{t−1}; "
            + "the input gate i (\(PictureParts.percent(i)) on average) lets in the candidate g: Δc_t = (f − 1)⊙c_{t−1} + i⊙g. "
            + "The output gate o (\(PictureParts.percent(o))) decides how much of tanh(c_t) shows in h_t."
    }
}

