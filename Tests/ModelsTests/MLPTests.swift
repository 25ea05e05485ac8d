import Models
import RealModule
import Tensor
import Testing
import Trace

@Suite struct MLPTests {
    @Test func forwardMatchesANaiveLoopAndEachLayerEmitsItsFormula() throws {
        let mlp = try MLP(sizes: [3, 4, 2], activation: .tanh, seed: 11)
        let x = try Tensor([[0.5, -1, 2], [1, 0, -0.5]])
        let (y, events) = try recording { try mlp(x) }

        // Independent: h1 = tanh(W1 x + b1), y = W2 h1 + b2, per row, in Double.
        let w1 = try #require(mlp.parameter("W1")).value, b1 = try #require(mlp.parameter("b1")).value
        let w2 = try #require(mlp.parameter("W2")).value, b2 = try #require(mlp.parameter("b2")).value
        for (r, row) in Naive.rows(x).enumerated() {
            let h1 = Naive.tanh(Naive.affine(w1.scalars, row, b1.scalars, out: 4))
            let out = Naive.affine(w2.scalars, h1, b2.scalars, out: 2)
            #expect(maxDifference(out, y.scalars[(r * 2)..<(r * 2 + 2)]) < 1e-5)
        }

        #expect(events.map(\.kind) == [.layer, .layer])
        #expect(events.map { $0.index("layer") } == [.int(1), .int(2)])
        for event in events {
            // pre = h_in Wᵀ + b and h_out = σ(pre), recomputed from the snapshots alone.
            let hIn = try #require(event["h_in"]).tensor, w = try #require(event["W"]).tensor
            let b = try #require(event["b"]).tensor, pre = try #require(event["pre"]).tensor
            let out = try #require(event["h_out"]).tensor
            for (r, row) in Naive.rows(hIn).enumerated() {
                let expected = Naive.affine(w.scalars, row, b.scalars, out: w.shape[0])
                #expect(maxDifference(expected, Naive.rows(pre)[r]) < 1e-5)
            }
            let activation = event.index("activation") == .text("tanh") ? Naive.tanh(pre.scalars.map(Double.init)) : pre.scalars.map(Double.init)
            #expect(maxDifference(activation, out.scalars) < 1e-6)
        }
        #expect(events[0].formula == "h⁽ˡ⁾ = tanh(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾)")
    }

    @Test func parametersAreNamedReadableAndAssignable() throws {
        let mlp = try MLP(sizes: [2, 3, 1], seed: 1)
        #expect(mlp.namedParameters.map(\.path) == ["W1", "b1", "W2", "b2"])
        #expect(mlp.parameter("W1")?.shape == [3, 2])
        #expect(mlp.parameterCount == 3 * 2 + 3 + 3 + 1)
        try #require(mlp.parameter("W2")).assign(Tensor([[1, 1, 1]]))
        try #require(mlp.parameter("W1")).assign(Tensor([[1, 0], [0, 1], [1, 1]]))
        // b = 0: y = Σ tanh(W1 x) = tanh(1) + tanh(2) + tanh(3) for x = (1, 2)
        let y = try mlp(Tensor([[1, 2]]))
        #expect(abs(try y.item() - (Float.tanh(1) + Float.tanh(2) + Float.tanh(3))) < 1e-6)
        #expect(throws: TensorError.self) { try mlp(Tensor([[1, 2, 3]])) }
    }

    @Test func gradientsThroughEveryParameterMatchFiniteDifferences() throws {
        let mlp = try MLP(sizes: [2, 3, 2], activation: .gelu, seed: 5)
        let x = try Tensor([[0.3, -0.7], [1.1, 0.4], [-0.2, 0.9]])
        let error = try worstGradientError(mlp.parameters) {
            try mlp(x).crossEntropy(targets: [0, 1, 1])
        }
        #expect(error < 1e-2)
    }

    @Test func checkpointAndRestoreRewindTraining() throws {
        let mlp = try MLP(sizes: [2, 4, 2], seed: 3)
        let saved = mlp.checkpoint()
        let adam = Adam(mlp.parameters, learningRate: 0.1)
        try mlp(Tensor([[1, 2]])).crossEntropy(targets: [1]).backward()
        adam.step()
        #expect(mlp.parameter("W1")?.value != saved["W1"])
        try mlp.restore(saved)
        #expect(mlp.parameter("W1")?.value == saved["W1"])
    }

    @Test func withoutARecorderNothingIsBuilt() throws {
        let mlp = try MLP(sizes: [2, 2], seed: 1)
        _ = try mlp(Tensor([[1, 2]]))
        #expect(!Tracing.isActive)
    }
}
