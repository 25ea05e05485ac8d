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

    /// The vectorised update (hk_adam_update) gives the bits of the scalar loop written out
    /// here, the one it replaced: each value's m, v and θ after five steps, with and
    /// without weight decay, decoupled or not, over values from 1e-30 to 1e30 and zeros.
    @Test(arguments: [(Float(0), false), (Float(0.01), false), (Float(0.1), true)])
    func adamIsTheScalarLoopBitForBit(weightDecay: Float, decoupled: Bool) throws {
        let n = 1037  // not a multiple of any vector width
        var rng = SplitMix64(seed: 7)
        func value() -> Float {
            let magnitude = Float.pow(10, Float(rng.next() % 61) - 30)
            return rng.next() % 9 == 0 ? 0 : (rng.next() % 2 == 0 ? magnitude : -magnitude) * Float(rng.next() % 1000 + 1) / 1000
        }
        var theta = (0..<n).map { _ in value() }
        let p = Parameter("θ", Tensor(theta))
        let adam = Adam([p], learningRate: 0.003, weightDecay: weightDecay, decoupled: decoupled)
        var m = [Float](repeating: 0, count: n), v = m
        let (b1, b2, eps, lr, wd) = (Float(0.9), Float(0.999), Float(1e-8), Float(0.003), weightDecay)
        for step in 1...5 {
            let g = (0..<n).map { _ in value() }
            adam.zeroGrad()
            try (p.value * Tensor(g)).sum().backward()
            adam.step()
            let correction1 = 1 - Float.pow(b1, Float(step)), correction2 = 1 - Float.pow(b2, Float(step))
            for i in 0..<n {
                var gi = g[i]
                if decoupled { theta[i] -= lr * wd * theta[i] } else { gi += wd * theta[i] }
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                let mHat = m[i] / correction1, vHat = v[i] / correction2
                theta[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
            let differs = (0..<n).first { p.value.scalars[$0].bitPattern != theta[$0].bitPattern }
            #expect(differs == nil, "step \(step): θ[\(differs ?? 0)] is \(p.value.scalars[differs ?? 0]), the loop gives \(theta[differs ?? 0])")
        }
    }

    @Test func clippingScalesTheGlobalNorm() throws {
        let a = try parameter([0, 0], gradient: [3, 0]), b = try parameter([0], gradient: [4])
        let norm = clipGradNorm([a, b], maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(a.grad!.scalars[0] - 0.6) < 1e-6 && abs(b.grad!.scalars[0] - 0.8) < 1e-6)
        #expect(clipGradNorm([a, b], maxNorm: 10) < 1.0001)  // already small: unchanged
    }

    /// The norm of gradients of every length (tails of the eight lanes included) is the
    /// exact √(Σ g²) rounded to Float, or one ulp from it: the squares are exact in Double
    /// and the sum's rounding is far below a Float's. The exact sum is taken in integers
    /// (each g an integer multiple of 2⁻¹², so each g² one of 2⁻²⁴).
    @Test func theGradientNormIsTheExactNormToAFloatsRounding() throws {
        var rng = SplitMix64(seed: 5)
        let sizes = [1, 7, 8, 9, 64, 1000, 4097]
        let params = try sizes.map { n in
            try parameter([Float](repeating: 0, count: n), gradient: (0..<n).map { _ in Float(rng.int(below: 8193) - 4096) / 4096 })
        }
        var exact = 0  // Σ (4096·g)², exactly
        for g in params.flatMap({ $0.grad!.scalars }) {
            let units = Int((g * 4096).rounded())
            exact += units * units
        }
        let want = (Double(exact) / Double(1 << 24)).squareRoot()
        let norm = gradientNorm(params)
        #expect(abs(Double(norm) - want) <= Double(norm.ulp), "\(norm) against \(want)")
        #expect(gradientNorm([]) == 0)
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
