import Render
import Testing
import Trace

/// A hand-made attention event: 4 agents, d = 2, with A's rows summing to 1.
func attentionEvent() -> TraceEvent {
    let a: [Float] = [0.7, 0.1, 0.1, 0.1, 0.25, 0.25, 0.25, 0.25, 0.05, 0.05, 0.85, 0.05, 0.4, 0.3, 0.2, 0.1]
    let v: [Float] = [1, 0, 0, 1, -1, 0, 0.5, 0.5]
    var delta = [Float](repeating: 0, count: 8)
    for m in 0..<4 { for t in 0..<4 { for j in 0..<2 { delta[m * 2 + j] += a[m * 4 + t] * v[t * 2 + j] } } }
    let before: [Float] = [0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8]
    let after = zip(before, delta).map { $0 + $1 }
    return TraceEvent(kind: .attention, formula: "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d)",
                      index: [("layer", .int(1)), ("head", .int(1))], labels: ["I", "love", "machine", "learning"],
                      tensors: [("A", Snapshot(shape: [4, 4], data: a)), ("v", Snapshot(shape: [4, 2], data: v)),
                                ("delta", Snapshot(shape: [4, 2], data: delta)),
                                ("update", Snapshot(shape: [4, 2], data: delta)),
                                ("h_before", Snapshot(shape: [4, 2], data: before)),
                                ("h_after", Snapshot(shape: [4, 2], data: after))])
}

@Suite struct EventPictureTests {
    @Test("every kind draws within the width, colour or not", arguments: EventKind.allCases)
    func everyKindFits(kind: EventKind) {
        var event = attentionEvent()
        event.kind = kind
        for options in [RenderOptions(color: .none, width: 60), RenderOptions(color: .ansi256, width: 100)] {
            let block = EventPicture(event, total: 12).block(options)
            #expect(block.lines.allSatisfy { $0.width <= options.width })
            let text = block.rendered(options)
            #expect(text.contains("\u{1B}") == options.usesColor)
        }
    }

    @Test func attentionShowsWhoListensToWhomAndTheFocusAgentsSums() {
        let text = EventPicture(attentionEvent(), focus: 1, total: 24).block(RenderOptions(color: .none, width: 100))
            .lines.map(\.plainText)
        #expect(text[0] == "step 1/24 · attention · layer 1 · head 1 · agent \"love\"")
        #expect(text[1] == "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d)")
        #expect(text.contains { $0.contains("machine") && $0.contains("learning") })
        // Δ_love = Σ_t A_{love→t} v_t, with the largest weights first.
        #expect(text.contains { $0.hasPrefix("Δ_love = 0.25·v_I + 0.25·v_love") && $0.hasSuffix("= [0.13, 0.38]") })
        #expect(text.contains { $0.hasPrefix("h_love ← [-0.30, 0.40] + [0.13, 0.38] = [-0.18, 0.77]") })
    }

    @Test func theDefaultFocusIsTheMostDecisiveListener() {
        let text = EventPicture(attentionEvent()).block(RenderOptions(color: .none, width: 100)).lines.map(\.plainText)
        #expect(text.contains { $0.hasPrefix("Δ_machine = 0.85·v_machine") })
    }

    @Test func diffusionDrawsBothCloudsAndTheSizesOfDriftAndNoise() {
        let x = Snapshot(shape: [3, 2], data: [0, 0, 1, 1, -1, 2])
        let event = TraceEvent(kind: .diffusion, formula: "x_{t−Δt} = x_t + σ²Δt ∇ₓlog p(x_t) + σ√Δt z",
                               index: [("step", .int(1)), ("t", .number(1)), ("dt", .number(0.25)), ("sigma", .number(2))],
                               tensors: [("x", x), ("score", Snapshot(shape: [3, 2], data: [1, 0, 1, 0, 1, 0])),
                                         ("z", Snapshot(shape: [3, 2], data: [0, 2, 0, 2, 0, 2])), ("x_next", x)])
        let text = EventPicture(event).block(RenderOptions(color: .none, width: 80)).lines.map(\.plainText)
        // drift = σ²Δt·|score| = 4·0.25·1 = 1; noise = σ√Δt·|z| = 2·0.5·2 = 2
        #expect(text.contains { $0.contains("drift σ²Δt·score 1.000") })
        #expect(text.contains { $0.contains("noise σ√Δt·z     2.000") })
        #expect(text.contains { $0.contains("⠁") || $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } })
    }

    /// A loss picture and its explanation name the loss the model computed: BERT's sum
    /// over the chosen positions is not GPT's sum over a prefix.
    @Test func aLossIsNamedByItsOwnFormula() {
        let event = TraceEvent(kind: .loss, formula: "−log p(x_masked | x̃) = −Σ_{m chosen} log p(x_m | x̃)",
                               labels: ["a", "b"],
                               tensors: [("p", Snapshot(shape: [2], data: [0.5, 0.25])),
                                         ("losses", Snapshot(shape: [2], data: [0.6931, 1.3863])),
                                         ("total", Snapshot(shape: [], data: [2.0794]))])
        let text = EventPicture(event).block(RenderOptions(color: .none, width: 100)).lines.map(\.plainText)
        #expect(text.contains("total −log p(x_masked | x̃) = 2.079"))
        #expect(text.contains { $0.hasPrefix("mean over the 2 positions = 1.040") })
        let words = Explanation.text(for: event)
        #expect(words.contains("−Σ_{m chosen} log p(x_m | x̃)") && words.contains("−log p(x_masked | x̃) = 2.079"))
        #expect(!words.contains("y_<t"))
    }

    @Test func explanationsRoundTheirIndexNumbersAndLeaveOutFalseFlags() {
        let event = TraceEvent(kind: .diffusion, formula: "x ← x + σ²Δt ∇log p(x) + σ√Δt z",
                               index: [("step", .int(3)), ("t", .number(0.004444445017725229)), ("denoise", .bool(false))],
                               tensors: [("x", Snapshot(shape: [1, 2], data: [0, 0]))])
        let words = Explanation.text(for: event)
        #expect(words.contains("t 0.0044") && !words.contains("0.004444445") && !words.contains("denoise"))
    }

    /// The picture and :explain quote the same share, for the same named agent: here
    /// ‖[3, 4]‖ / ‖[0, 2.5]‖ = 200% for "b", the last row (no focus), 50% for "a".
    @Test func anUpdatesShareIsOneAgentsAndTheSameInPictureAndWords() {
        let event = TraceEvent(kind: .feedforward, formula: "h_m ← h_m + MLP(h_m)", labels: ["a", "b"],
                               tensors: [("h_before", Snapshot(shape: [2, 2], data: [2, 0, 0, 2.5])),
                                         ("delta", Snapshot(shape: [2, 2], data: [0, 1, 3, 4])),
                                         ("h_after", Snapshot(shape: [2, 2], data: [2, 1, 3, 6.5]))])
        let options = RenderOptions(color: .none, width: 100)
        let picture = EventPicture(event).block(options).lines.map(\.plainText)
        #expect(picture.contains("the update is 200% of ‖h_b‖"))
        #expect(Explanation.text(for: event).contains("(here 200% of ‖h_b‖)"))
        let focused = EventPicture(event, focus: 0).block(options).lines.map(\.plainText)
        #expect(focused.contains("the update is 50% of ‖h_a‖"))
        #expect(Explanation.text(for: event, focus: 0).contains("(here 50% of ‖h_a‖)"))
    }

    /// A batch of 1-D signals shows every signal, a row each; image channels that do not
    /// fit side by side go on to the next row instead of being cut off; :focus picks the
    /// image of a batch.
    @Test func convolutionPicturesShowEverySignalAndEveryChannel() {
        let signals = TraceEvent(kind: .conv, formula: "h′_p = Σ_δ W_δ h_{p+δ} + b",
                                 tensors: [("input", Snapshot(shape: [2, 1, 4], data: [1, 0, 0, 0, 0, 0, 0, 1])),
                                           ("W", Snapshot(shape: [1, 1, 3], data: [-1, 0, 1])),
                                           ("output", Snapshot(shape: [2, 1, 4], data: [0, -1, 0, 0, 0, 0, 1, 0]))])
        let text = EventPicture(signals).block(RenderOptions(color: .none, width: 80)).rendered(RenderOptions(color: .none, width: 80))
        #expect(text.contains("signal 0") && text.contains("signal 1"))

        let plane = [Float](repeating: 0.5, count: 36)
        let images = TraceEvent(kind: .conv, formula: "h′_p = relu(Σ_δ W_δ h_{p+δ} + b)",
                                tensors: [("input", Snapshot(shape: [2, 1, 6, 6], data: plane + plane.map { -$0 })),
                                          ("W", Snapshot(shape: [4, 1, 1, 1], data: [1, 2, 3, 4])),
                                          ("output", Snapshot(shape: [1, 4, 6, 6], data: plane + plane + plane + plane))])
        let options = RenderOptions(color: .none, width: 60)
        let lines = EventPicture(images).block(options).lines.map(\.plainText)
        #expect(lines.contains { $0.contains("channel 3") })
        #expect(lines.allSatisfy { !$0.hasSuffix("…") })
        #expect(lines.contains("input (2, 1, 6, 6) — item 0 of items 0 to 1 (:focus N)"))
        let second = EventPicture(images, focus: 1).block(options).lines.map(\.plainText)
        #expect(second.contains("input (2, 1, 6, 6) — item 1 of items 0 to 1 (:focus N)") && second.contains { $0.contains("-0.50") })
    }

    /// On a narrow terminal the filled-in formulas break before " = " rather than lose
    /// their results at the edge.
    @Test func narrowFormulasKeepTheirResults() {
        let lines = EventPicture(attentionEvent(), focus: 1).block(RenderOptions(color: .none, width: 44)).lines.map(\.plainText)
        #expect(lines.allSatisfy { displayWidth($0) <= 44 })
        #expect(lines.contains("    = [0.13, 0.38]"))
        #expect(lines.contains("    = [-0.18, 0.77]"))
    }

    /// The LSTM of 1997 has no forget gate: its explanation does not talk of one.
    @Test func anLSTMWithoutAForgetGateIsExplainedWithout() {
        let half = Snapshot(shape: [1, 2], data: [0.5, 0.5])
        let event = TraceEvent(kind: .lstm, formula: "c_t = c_{t−1} + Δc_t, Δc_t = i⊙g",
                               index: [("t", .int(1)), ("forget_gate", .bool(false))],
                               tensors: [("f", Snapshot(shape: [1, 2], data: [1, 1])), ("i", half), ("g", half), ("o", half)])
        let words = Explanation.text(for: event)
        #expect(words.contains("Δc_t = i⊙g") && !words.contains("forget gate f"))
    }
}


/// What a student taking the lessons found in the pictures' words, kept fixed.
@Suite struct PictureWordingTests {
    func embed(rows: Int, layout: String?) -> TraceEvent {
        let classes = 16
        var oneHot = [Float](repeating: 0, count: rows * classes)
        for r in 0..<rows { oneHot[r * classes + r] = 1 }
        let labels = (0..<rows).map { "w\($0)" }
        return TraceEvent(EmbedStep.self, formula: "h_m = W_encode·e_{x_m}", index: layout.map { [(EmbedStep.layout, .text($0))] } ?? [],
                          labels: labels, tensors: [(EmbedStep.oneHot, Snapshot(shape: [rows, classes], data: oneHot)),
                                                    (EmbedStep.h, Snapshot(shape: [rows, 2], data: Array(repeating: 0.5, count: rows * 2)))])
    }

    /// A (V, d) table is read by rows (GPT's, BERT's); the lecture's W_encode (d, V) by
    /// columns; rows past the eighth are counted, not dropped silently.
    @Test func anEmbeddingSaysWhichPartOfTheTableItPicks() {
        let options = RenderOptions(color: .none, width: 100)
        let gpt = EventPicture(embed(rows: 13, layout: "row")).block(options).rendered(options)
        #expect(gpt.contains("one-hot: the 1 is at index 3 of 16  →  row 3 of W_encode"))
        #expect(!gpt.contains("layout"))  // said by the picture and the formula, not as a header entry
        #expect(gpt.contains("… and 5 more, one per token"))
        #expect(Explanation.text(for: embed(rows: 13, layout: "row")).contains("picks out row w"))
        let words = EventPicture(embed(rows: 3, layout: nil)).block(options).rendered(options)
        #expect(words.contains("→  column 2 of W_encode") && !words.contains("more, one per"))
        #expect(Explanation.text(for: embed(rows: 3, layout: nil)).contains("picks out column w of W_encode"))
    }

    /// Under the causal mask the first word hears only itself: no "then" for a weight of 0.
    @Test func attentionsWordsNameNoOneAMaskHides() {
        var event = attentionEvent()
        event.tensors[0].value = Snapshot(shape: [4, 4], data: [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.2, 0.3, 0.5, 0, 0.1, 0.2, 0.3, 0.4])
        event.tensors.insert(("q", Snapshot(shape: [4, 2], data: Array(repeating: 0, count: 8))), at: 0)
        let first = Explanation.text(for: event, focus: 0)
        #expect(first.contains("'I' listens only to itself (1.00)."), "\(first)")
        #expect(!first.contains("then"))
        #expect(Explanation.text(for: event, focus: 2).contains("'machine' listens most to 'machine' (0.50), then 'love' (0.30)"))
    }

    /// f − 1 is negative: the forget gate's term takes away (1 − f) of the old total.
    @Test func theForgetGatesTermIsToldWithItsSign() {
        let s = { (v: Float) in Snapshot(shape: [2], data: [v, v]) }
        let event = TraceEvent(LSTMStep.self, formula: "c_t = c_{t−1} + Δc_t", index: [(LSTMStep.t, .int(1)), (LSTMStep.forgetGate, .bool(true))],
                               tensors: [(LSTMStep.cPrev, s(1)), (LSTMStep.f, s(0.75)), (LSTMStep.i, s(0.5)), (LSTMStep.g, s(0.2)),
                                         (LSTMStep.o, s(0.5)), (LSTMStep.deltaC, s(-0.15)), (LSTMStep.c, s(0.85)), (LSTMStep.h, s(0.3))])
        let words = Explanation.text(for: event)
        #expect(words.contains("The forget gate f (on average over its units 75%) keeps that share of the old total and lets the rest go"))
        #expect(words.contains("takes away (1 − f)⊙c_{t−1}") && !words.contains("removes (f − 1)"))
    }
}

/// On a narrow terminal the lecture's formula is wrapped between its equations, never cut
/// (at 70 columns attention's lost "W·Δ_m", the point of the line).
@Suite struct NarrowFormulaTests {
    @Test(arguments: [40, 50, 60, 70])
    func aFormulaIsWrappedNotCut(width: Int) {
        var event = attentionEvent()
        event.formula = "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d); Δ_m = Σ_t A_{m→t} v_t; h_m ← h_m + W·Δ_m; A_{m→t} = 0 for t > m"
        let options = RenderOptions(color: .none, width: width)
        let lines = EventPicture(event).block(options).lines.map(\.plainText)
        #expect(lines.allSatisfy { displayWidth($0) <= width })
        let formula = lines.dropFirst().prefix { !$0.isEmpty }.joined(separator: " ")
        for equation in ["A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d);", "Δ_m = Σ_t A_{m→t} v_t;", "h_m ← h_m + W·Δ_m;", "A_{m→t} = 0 for t > m"] {
            #expect(formula.contains(equation), "\(width): \(lines.prefix(5))")
        }
    }
}

@Suite struct MonochromeAndMaskTests {
    func diffusion() -> TraceEvent {
        let x: [Float] = [0, 0, 1, 1, -1, 2, 2, -1], next: [Float] = [0.1, 0, 0.9, 1, -0.8, 1.8, 1.7, -0.9]
        return TraceEvent(DiffusionStep.self, formula: "x ← x + σ²Δt∇log p(x) + σ√Δt z",
                          index: [(DiffusionStep.step, .int(1)), (DiffusionStep.dt, .number(0.1)), (DiffusionStep.sigma, .number(1))],
                          tensors: [(DiffusionStep.x, Snapshot(shape: [4, 2], data: x)), (DiffusionStep.xNext, Snapshot(shape: [4, 2], data: next))])
    }

    /// Without colour the two clouds are drawn apart (the same dots could not tell them
    /// apart); with colour, on one plot in two colours.
    @Test func withoutColourTheCloudsAreDrawnApart() {
        let plain = RenderOptions(color: .none, width: 80)
        let mono = EventPicture(diffusion()).block(plain).rendered(plain)
        #expect(mono.contains("before (left) → after (right), same frame"))
        #expect(EventPicture(diffusion()).block(plain).lines.allSatisfy { $0.width <= 80 })
        let colour = RenderOptions(color: .ansi256, width: 100)
        #expect(EventPicture(diffusion()).block(colour).lines.map(\.plainText).contains { $0.contains("· before  · after") })
    }

    /// Δ_m lists only those m hears: a weight of 0 (masked) adds no "0.00·v" term.
    @Test func deltaListsOnlyTheHeard() {
        var event = attentionEvent()
        event.tensors[0].value = Snapshot(shape: [4, 4], data: [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.2, 0.3, 0.5, 0, 0.1, 0.2, 0.3, 0.4])
        let options = RenderOptions(color: .none, width: 120)
        let text = EventPicture(event, focus: 1).block(options).rendered(options)
        #expect(text.contains("Δ_love = 0.50·v_I + 0.50·v_love = "), "\(text)")
        #expect(!text.contains("0.00·v_"))
    }
}

/// The picture defects a student's pass found, kept fixed.
@Suite struct PictureLayoutTests {
    func lstm(forget: Bool) -> TraceEvent {
        let s = { (a: Float, b: Float) in Snapshot(shape: [2], data: [a, b]) }
        return TraceEvent(LSTMStep.self, formula: "c_t = c_{t−1} + Δc_t", index: [(LSTMStep.t, .int(2)), (LSTMStep.forgetGate, .bool(forget))],
                          tensors: [(LSTMStep.cPrev, s(1, -2)), (LSTMStep.f, s(0.5, 0.75)), (LSTMStep.i, s(0.5, 1)), (LSTMStep.g, s(-0.72, 0.5)),
                                    (LSTMStep.o, s(0.5, 0.5)), (LSTMStep.deltaC, s(-0.86, 1)), (LSTMStep.c, s(0.14, -1)), (LSTMStep.h, s(0.1, -0.4))])
    }

    /// The gates' columns line up whatever their signs, and Δc_t is shown as its two terms.
    @Test func anLSTMPicturesGatesAlignAndDeltaCIsSplit() {
        let options = RenderOptions(color: .none, width: 100)
        let lines = EventPicture(lstm(forget: true)).block(options).lines.map(\.plainText)
        let names = ["f forget", "i input", "g candidate", "o output"]
        let gates = lines.filter { line in names.contains { line.hasPrefix($0) } }
        #expect(gates.count == 4)
        #expect(Set(gates.map(\.count)).count == 1, "\(gates)")
        #expect(lines[0].hasSuffix("· t 2 · with a forget gate"), "\(lines[0])")  // not a bare "forget_gate"
        #expect(lines.contains { $0.contains("Δc_t = (f − 1)⊙c_{t−1} + i⊙g = [-0.50, 0.50] + [-0.36, 0.50] = [-0.86, 1.00]") }, "\(lines)")
        #expect(!EventPicture(lstm(forget: false)).block(options).rendered(options).contains("] + ["))
    }

    /// A patched c_t is not c_{t−1} + Δc_t: the picture drew "= 0.00 0.00" under a sum
    /// of −0.60; it now draws "→" and says what the sum would be. (This event's c is the
    /// sum; the line is drawn whenever c or Δc is patched.)
    @Test func aPatchedCellIsNotDrawnAsTheSum() {
        let options = RenderOptions(color: .none, width: 100)
        var event = lstm(forget: true)
        #expect(EventPicture(event).block(options).lines.contains { $0.plainText.contains("+") && $0.plainText.contains("=") })
        event.patched = ["c"]
        let lines = EventPicture(event).block(options).lines.map(\.plainText)
        #expect(lines.contains { $0.hasPrefix("c_{t−1}") && $0.contains("→") && !$0.contains("=") }, "\(lines)")
        #expect(lines.contains("c_t is patched: c_{t−1} + Δc_t would be [0.14, -1.00]; c_t is [0.14, -1.00]"), "\(lines)")
    }

    /// What the causal mask hides is drawn empty, not as 0.00.
    @Test func aCausalMaskLeavesTheUpperTriangleEmpty() {
        var event = attentionEvent()
        event.index.append(("causal", .bool(true)))
        event.tensors[0].value = Snapshot(shape: [4, 4], data: [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.2, 0.3, 0.5, 0, 0.1, 0.2, 0.3, 0.4])
        let options = RenderOptions(color: .none, width: 120)
        let lines = EventPicture(event).block(options).lines.map(\.plainText)
        let first = lines.first { $0.hasPrefix("I ") } ?? ""
        #expect(first.contains("1.00") && !first.contains("0.00"), "\(lines)")
        let last = lines.first { $0.hasPrefix("learning") } ?? ""
        #expect(last.contains("0.10") && last.contains("0.40"))
    }

    /// On a narrow terminal the parts of h before + W·Δ = h after are stacked, each with
    /// the row names, so their rows line up.
    @Test func stackedPartsKeepTheirRowNames() {
        let options = RenderOptions(color: .none, width: 40)
        let text = EventPicture(attentionEvent(), focus: 1).block(options).lines.map(\.plainText)
        let love = text.filter { $0.hasPrefix("love") }
        #expect(love.count >= 4, "\(text)")  // in A, h before, W·Δ and h after
    }

    /// A heatmap of many rows and columns draws what a terminal holds — the first and
    /// last rows, the one in focus, the columns that fit — and says what it left out (a
    /// (3000, 3000) attention was drawn whole, for 69 s).
    @Test func aHugeHeatmapShowsWhatFitsAndSaysWhatItLeftOut() {
        let big = Snapshot(shape: [300, 300], data: (0..<90_000).map { Float($0 % 7) })
        var map = Heatmap(big, rowLabels: (1...300).map { "#\($0)" }, highlightRow: 150)
        map.blankAboveDiagonal = true
        let text = map.block(RenderOptions(color: .none, width: 80)).lines.map(\.plainText)
        #expect(text.count == 16 + 1 + 1 + 1 + 16 + 2, "\(text)")
        #expect(text[16] == "⋮ 134 rows not shown")
        #expect(text[17].hasPrefix("#151 ") && text[17].hasSuffix("… ◀"))
        #expect(text[18] == "⋮ 133 rows not shown")
        #expect(text.dropLast().allSatisfy { $0.count <= 80 })
        #expect(text[text.count - 2] == "(264 of 300 columns not shown)", "\(text)")
        // 36 cells of 2 columns fit beside the labels; the rest is cut. Row 1's one cell
        // left of the diagonal is 0, so the row is blank.
        #expect(text[0] == "#1" + String(repeating: " ", count: 75) + "…")
        #expect(text[1].hasPrefix("#2   ██      "))
    }

    /// A heatmap too wide for its numbers says how to read its shades.
    @Test func aHeatmapWithoutNumbersSaysHowToReadIt() {
        let wide = Snapshot(shape: [2, 40], data: (0..<80).map { Float($0) / 10 })
        let text = Heatmap(wide).block(RenderOptions(color: .none, width: 60)).lines.map(\.plainText)
        #expect(text.last?.contains("too wide for its numbers: the darker, the larger |x|, up to 7.9") == true, "\(text)")
    }
}

/// Printed text wraps flush left, so a wrapped line adds no characters that were not printed.
@Suite struct WrappingTests {
    @Test func printedTextWrapsFlushLeft() {
        let text = String(repeating: "word ", count: 30)
        let flush = text.wrappingLongLines(width: 40, indent: 0).split(separator: "\n")
        #expect(flush.count > 1 && flush.allSatisfy { !$0.hasPrefix(" ") })
        #expect(text.wrappingLongLines(width: 40).split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix("  ") })
    }
}
