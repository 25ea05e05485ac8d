import Trace

/// `:explain`: the current step's formula in words, in the lecture's story of a team of
/// vectors passing messages, with this step's own names and numbers.
public enum Explanation {
    public static func text(for event: TraceEvent, focus: Int? = nil) -> String {
        let where_ = event.index.filter { $0.value != .bool(false) }.map { $0.value.shown(as: $0.key) }.joined(separator: ", ")
        let place = where_.isEmpty ? "" : " (\(where_))"
        switch event.kind {
        case .attention: return attention(event, focus: focus, place: place)
        case .residual:
            let share = PictureParts.updateShare(event, focus: focus)
            return "A residual step\(place): the vector is not replaced — it receives a message f(h) and adds it, h ← h + f(h). "
                + "Stacked, these small updates add up" + (share.map { "; this one is \($0.percent) of \($0.of)." } ?? ".")
        case .lstm:
            let f = mean(event[LSTMStep.f]), i = mean(event[LSTMStep.i]), o = mean(event[LSTMStep.o])
            if event[LSTMStep.forgetGate] == .bool(false) {
                return "An LSTM time step\(place), the original of 1997: the cell c is a running total, c_t = c_{t−1} + Δc_t, "
                    + "and with no forget gate nothing is taken away — Δc_t = i⊙g, the candidate g let in by the input gate i "
                    + "(\(percent(i))). The output gate o (\(percent(o))) decides how much of tanh(c_t) shows in h_t."
            }
            return "An LSTM time step\(place): the cell c is a running total, c_t = c_{t−1} + Δc_t. "
                + "The forget gate f (on average \(percent(f))) keeps that share of the old total, so it removes (f − 1)⊙c_{t−1}; "
                + "the input gate i (\(percent(i))) lets in the candidate g: Δc_t = (f − 1)⊙c_{t−1} + i⊙g. "
                + "The output gate o (\(percent(o))) decides how much of tanh(c_t) shows in h_t."
        case .recurrent:
            return "A recurrent step\(place): the new state h_t hears a message from the past, W h_{t−1}, and from the present input, U x_t; "
                + "tanh keeps it in (−1, 1). The same W and U are used at every time step."
        case .layer:
            let squash = event[LayerStep.activation].map { "\($0)" }.flatMap { $0 == "identity" ? nil : $0 }
            return "A layer\(place): every unit hears every unit of the layer below — each row of W is how one unit listens — "
                + "and adds its bias b" + (squash.map { "; \($0) then squashes the sum." } ?? "; this last layer leaves the sum as it is (no σ).")
        case .conv:
            return "A convolution\(place): each output position hears only its window of neighbours, weighed by the kernel W, "
                + "and the same kernel is used at every position."
        case .embed:
            return "Words to vectors: a word is a one-hot vector e_w (all zeros, a single 1 at its number in the dictionary). "
                + "W_encode·e_w picks out column w of W_encode — the word's dense, distributed representation."
        case .decode:
            return "Vectors to words: the vector h is scored against every word (W_dec h), and softmax turns the scores into "
                + "probabilities p(w | h) that add up to 1; the likeliest word is the decoder's guess."
        case .position:
            return "Position\(place): attention alone cannot tell \"I love machine learning\" from the same words shuffled, "
                + "so each position m adds its own vector: h_m ← h_m + P_m."
        case .feedforward:
            let share = PictureParts.updateShare(event, focus: focus)
            return "Part 2 of the block\(place): after the meeting, each person thinks alone — the same small MLP is applied to "
                + "each vector separately and its output is added, h_m ← h_m + \(event[FeedForwardStep.x] == nil ? "MLP(h_m)" : "MLP(LN(h_m))")"
                + (share.map { " (here \($0.percent) of \($0.of))." } ?? ".")
        case .loss:
            let total = event[LossStep.total]?.data.first.map(NumberFormat.short) ?? "?"
            let formula = LossFormula(event.formula)
            return "The loss adds up −log p of each target, \(formula.sum): a confident right guess costs almost nothing, "
                + "a confident wrong one costs a lot. Here \(formula.total) = \(total)."
        case .diffusion: return diffusion(event, place: place)
        case .train:
            let loss = event[TrainStep.loss]?.data.first.map(NumberFormat.short) ?? "?"
            return "One training step\(place): every weight moves a little against its gradient, θ ← θ − η∇θL. The loss was \(loss)."
        }
    }

    static func attention(_ event: TraceEvent, focus: Int?, place: String) -> String {
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
        if let top = ranked.first {
            text += " \(name(m)) listens most to \(name(top.offset)) (\(NumberFormat.fixed(top.element, decimals: 2)))"
            if ranked.count > 1 { text += ", then \(name(ranked[1].offset)) (\(NumberFormat.fixed(ranked[1].element, decimals: 2)))" }
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

    static func diffusion(_ event: TraceEvent, place: String) -> String {
        var text = "A reverse diffusion step\(place): every point drifts along the score ∇ₓlog p (towards where data is likely) "
            + "by σ²Δt, and gets fresh noise σ√Δt·z: x ← x + σ²Δt·score + σ√Δt·z."
        if let sigma = event.number(DiffusionStep.sigma), let dt = event.number(DiffusionStep.dt),
           let score = event[DiffusionStep.score], let z = event[DiffusionStep.z] {
            let drift = Float(sigma * sigma * dt) * PictureParts.meanRowNorm(score), noise = Float(sigma * dt.squareRoot()) * PictureParts.meanRowNorm(z)
            text += " Here the drift moved points by \(NumberFormat.short(drift)) on average and the noise by \(NumberFormat.short(noise))."
        }
        return text
    }

    static func mean(_ s: Snapshot?) -> Float? {
        guard let s, !s.data.isEmpty else { return nil }
        return s.data.reduce(0, +) / Float(s.data.count)
    }

    static func percent(_ v: Float?) -> String {
        v.map { NumberFormat.fixed($0 * 100, decimals: 0) + "%" } ?? "?"
    }
}
