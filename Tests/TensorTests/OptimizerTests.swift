import Testing
@testable import Tensor

/// One or two optimiser steps worked by hand from the published update rules.
@Suite struct OptimizerTests {
    /// A parameter whose gradient is set directly: loss = Σ g·θ has gradient g.
    func parameter(_ value: [Float], gradient: [Float]) throws -> Parameter {
        let p = Parameter("θ", Tensor(value))
        try (p.value * Tensor(gradient)).sum().backward()
        return p
    }

    @Test func sgdWithMomentum() throws {
        let p = try parameter([1, 2], gradient: [0.5, -1])
        let sgd = SGD([p], learningRate: 0.1, momentum: 0.9)
        sgd.step()  // v = g; θ = θ − 0.1·g
        #expect(p.value.scalars == [0.95, 2.1])
        sgd.step()  // v = 0.9g + g = 1.9g; θ −= 0.1·1.9g
        #expect(p.value.scalars == [Float(0.95) - 0.1 * (0.9 * 0.5 + 0.5), Float(2.1) - 0.1 * (0.9 * -1 + -1)])
    }

    @Test func adamFirstStepMovesEachWeightByTheLearningRate() throws {
        // With bias correction, step 1 gives m̂ = g, v̂ = g², so Δθ = −η·g/(|g| + ε) ≈ −η·sign(g).
        let p = try parameter([1, 2, 3], gradient: [0.5, -4, 1e-3])
        let adam = Adam([p], learningRate: 0.01)
        adam.step()
        let expected: [Float] = [1 - 0.01 * 0.5 / (0.5 + 1e-8), 2 + 0.01 * 4 / (4 + 1e-8), 3 - 0.01 * 1e-3 / (1e-3 + 1e-8)]
        for (a, b) in zip(p.value.scalars, expected) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func adamSecondStepByHand() throws {
        let p = try parameter([0], gradient: [1])
        let adam = Adam([p], learningRate: 0.1)
        adam.step()
        adam.step()  // same gradient again: m = 0.19, v = 0.001999; m̂ = 1, v̂ = 1
        #expect(abs(p.value.scalars[0] - (-0.2)) < 1e-6)
    }

    @Test func adamWDecaysWeightsDirectlyAndAdamThroughTheGradient() throws {
        let p = try parameter([2], gradient: [0])
        let adamW = Adam.adamW([p], learningRate: 0.1, weightDecay: 0.5)
        adamW.step()  // θ ← θ − ηλθ = 2 − 0.1; the Adam part sees g = 0
        #expect(abs(p.value.scalars[0] - 1.9) < 1e-6)
        let q = try parameter([2], gradient: [0])
        let adam = Adam([q], learningRate: 0.1, weightDecay: 0.5)
        adam.step()  // g = 0 + λθ = 1, first step moves by η·sign(g)
        #expect(abs(q.value.scalars[0] - 1.9) < 1e-6)
    }

    @Test func clippingScalesTheGlobalNorm() throws {
        let a = try parameter([0, 0], gradient: [3, 0]), b = try parameter([0], gradient: [4])
        let norm = clipGradNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.grad!.scalars[0] - 0.6) < 1e-6 && abs(b.grad!.scalars[0] - 0.8) < 1e-6)
        #expect(clipGradNorm([a, b], maxNorm: 10) < 1.0001)  // already small: unchanged
    }

    @Test func trainingALinearModelReducesTheLoss() throws {
        // y = 2x − 1 from eight points; Adam should fit it.
        let x = try Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 4 })
        let y = try x * 2 - 1
        let w = Parameter("w", try Tensor([[0]])), b = Parameter("b", Tensor([0]))
        let adam = Adam([w, b], learningRate: 0.1)
        var losses: [Float] = []
        for _ in 0..<300 {
            adam.zeroGrad()
            let pred = try x.matmul(w.value) + b.value
            let loss = try ((pred - y) * (pred - y)).mean()
            try loss.backward()
            adam.step()
            losses.append(try loss.item())
        }
        #expect(losses.last! < 1e-4 && losses.first! > 1)
        #expect(abs(w.value.scalars[0] - 2) < 0.02 && abs(b.value.scalars[0] + 1) < 0.02)
    }
}
