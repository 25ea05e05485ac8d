import Testing
@testable import Tensor

/// The C layer norm (layer_norm.c) against the Swift loops it replaced, written out here
/// as they were: the same bits forward and backward, with and without γ and β, for row
/// lengths around the four partial sums and values from 1e-20 to 1e20.
@Suite struct LayerNormBitsTests {
    /// Σ term(j) in double: four partial sums over j mod 4, (s₀ + s₁) + (s₂ + s₃), then the tail.
    static func rowSum(_ n: Int, _ term: (Int) -> Double) -> Double {
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        var j = 0
        while j + 4 <= n {
            s0 += term(j); s1 += term(j + 1); s2 += term(j + 2); s3 += term(j + 3)
            j += 4
        }
        var total = (s0 + s1) + (s2 + s3)
        while j < n { total += term(j); j += 1 }
        return total
    }

    struct Reference { var out: [Float], dx: [Float], dGamma: [Float], dBeta: [Float] }

    static func reference(_ x: [Float], _ g: [Float], gamma: [Float]?, beta: [Float]?, d: Int, epsilon: Float) -> Reference {
        let rows = x.count / d
        var xhat = [Float](repeating: 0, count: x.count), out = xhat, spread = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let row = Array(x[(r * d)..<((r + 1) * d)])
            let mu = Float(Double(Float(rowSum(d) { Double(row[$0]) })) / Double(d))
            let squares = rowSum(d) { j -> Double in let c = row[j] - mu; return Double(c * c) }
            let s = (Float(squares) / Float(d) + epsilon).squareRoot()
            spread[r] = s
            for j in 0..<d {
                let v = (row[j] - mu) / s
                xhat[r * d + j] = v
                switch (gamma, beta) {
                case (let gm?, let b?): out[r * d + j] = v * gm[j] + b[j]
                case (let gm?, nil): out[r * d + j] = v * gm[j]
                case (nil, let b?): out[r * d + j] = v + b[j]
                case (nil, nil): out[r * d + j] = v
                }
            }
        }
        var dx = [Float](repeating: 0, count: x.count), dGamma = [Float](repeating: 0, count: d), dBeta = dGamma
        for r in 0..<rows {
            let base = r * d
            func gHat(_ j: Int) -> Float { gamma.map { g[base + j] * $0[j] } ?? g[base + j] }
            let a = Float(rowSum(d) { Double(gHat($0)) } / Double(d))
            let b = Float(rowSum(d) { Double(gHat($0) * xhat[base + $0]) } / Double(d))
            for j in 0..<d {
                dx[base + j] = (gHat(j) - a - xhat[base + j] * b) / spread[r]
                dGamma[j] += g[base + j] * xhat[base + j]
                dBeta[j] += g[base + j]
            }
        }
        return Reference(out: out, dx: dx, dGamma: dGamma, dBeta: dBeta)
    }

    @Test(arguments: [1, 3, 4, 5, 8, 64, 67])
    func sameBitsAsTheLoopsItReplaced(d: Int) throws {
        var rng = SplitMix64(seed: UInt64(d))
        func value() -> Float {
            let magnitude = Float.pow(10, Float(rng.next() % 41) - 20)
            return (rng.next() % 2 == 0 ? magnitude : -magnitude) * Float(rng.next() % 1000 + 1) / 1000
        }
        let rows = 7
        let x = (0..<(rows * d)).map { _ in value() }, g = (0..<(rows * d)).map { _ in value() }
        let gammaValues = (0..<d).map { _ in value() }, betaValues = (0..<d).map { _ in value() }
        for (useGamma, useBeta) in [(true, true), (true, false), (false, true), (false, false)] {
            let input = Parameter("x", try Tensor(shape: [rows, d], scalars: x))
            let gamma = useGamma ? Parameter("γ", Tensor(gammaValues)) : nil
            let beta = useBeta ? Parameter("β", Tensor(betaValues)) : nil
            let y = try input.value.layerNorm(gamma: gamma?.value, beta: beta?.value, epsilon: 1e-5)
            try (y * Tensor(shape: [rows, d], scalars: g)).sum().backward()
            let want = Self.reference(x, g, gamma: useGamma ? gammaValues : nil, beta: useBeta ? betaValues : nil, d: d, epsilon: 1e-5)
            let what = "d = \(d), γ \(useGamma), β \(useBeta)"
            #expect(y.scalars.map(\.bitPattern) == want.out.map(\.bitPattern), "\(what): forward")
            #expect(input.grad?.scalars.map(\.bitPattern) == want.dx.map(\.bitPattern), "\(what): dx")
            if let gamma { #expect(gamma.grad?.scalars.map(\.bitPattern) == want.dGamma.map(\.bitPattern), "\(what): dγ") }
            if let beta { #expect(beta.grad?.scalars.map(\.bitPattern) == want.dBeta.map(\.bitPattern), "\(what): dβ") }
        }
    }
}

/// A bias's gradient, `summed(toShape:)` from (rows, width) or (B, T, width) to (width,):
/// each entry the sum of its column in row order, the bits of the plain loop.
@Suite struct BiasGradientBitsTests {
    @Test(arguments: [[7, 1], [5, 3], [512, 64], [4, 33, 17]])
    func columnSumsInRowOrder(shape: [Int]) throws {
        var rng = SplitMix64(seed: UInt64(shape.reduce(1, *)))
        let values = (0..<shape.reduce(1, *)).map { _ in Float(Int(rng.next() % 2_000_001) - 1_000_000) * Float.pow(10, Float(rng.next() % 13) - 6) }
        let width = shape.last!
        let summed = try Tensor(shape: shape, scalars: values).summed(toShape: [width])
        var want = [Float](repeating: 0, count: width)
        for start in stride(from: 0, to: values.count, by: width) {
            for j in 0..<width { want[j] += values[start + j] }
        }
        #expect(summed.shape == [width])
        #expect(summed.scalars.map(\.bitPattern) == want.map(\.bitPattern))
    }
}
