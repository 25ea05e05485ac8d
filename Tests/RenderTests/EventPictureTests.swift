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
}
