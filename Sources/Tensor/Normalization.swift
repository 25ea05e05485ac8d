/// Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis: each agent's vector
/// is centred and scaled to unit variance, then stretched by γ and shifted by β.
///
/// One op with its own backward: a forward pass per row and one backward pass, instead
/// of the ten broadcasting ops (and their gradients) that the formula spells out. The
/// forward rounds exactly as those ops did — μ and Σ(x − μ)² summed in double, then
/// (x − μ)/√(σ² + ε) in float — so the values are the same bits as before the fusion.
extension Tensor {
    /// (x − mean) / √(var + ε) · γ + β along the last axis; γ and β have the last axis's
    /// size (or are omitted: 1 and 0).
    public func layerNorm(gamma: Tensor? = nil, beta: Tensor? = nil, epsilon: Float = 1e-5) throws -> Tensor {
        guard rank >= 1 else { throw TensorError("layer_norm: needs at least one axis, got a scalar") }
        let d = shape[rank - 1]
        for (name, p) in [("gamma", gamma), ("beta", beta)] {
            if let p, p.shape != [d] {
                throw TensorError.shapes("layer_norm", shape, p.shape, "\(name) must have shape (\(d),), the size of the last axis")
            }
        }
        let rows = d == 0 ? 0 : count / d
        var xhat = [Float](repeating: 0, count: count)  // (rows, d): the normalised x
        var spread = [Float](repeating: 0, count: rows)  // √(σ² + ε) per row
        var out = [Float](repeating: 0, count: count)
        let gammaValues = gamma?.scalars, betaValues = beta?.scalars
        scalars.withUnsafeBufferPointer { x in
            for r in 0..<rows {
                let base = r * d
                var sum: Double = 0
                for j in 0..<d { sum += Double(x[base + j]) }
                let mu = Float(Double(Float(sum)) / Double(d))
                var squares: Double = 0
                for j in 0..<d {
                    let c = x[base + j] - mu
                    squares += Double(c * c)
                }
                let s = (Float(squares) / Float(d) + epsilon).squareRoot()
                spread[r] = s
                // Plain loops over raw pointers, so they vectorise.
                xhat.withUnsafeMutableBufferPointer { xh in
                    for j in 0..<d { xh[base + j] = (x[base + j] - mu) / s }
                    out.withUnsafeMutableBufferPointer { o in
                        for j in 0..<d { o[base + j] = xh[base + j] }
                        if let gammaValues { gammaValues.withUnsafeBufferPointer { g in for j in 0..<d { o[base + j] *= g[j] } } }
                        if let betaValues { betaValues.withUnsafeBufferPointer { b in for j in 0..<d { o[base + j] += b[j] } } }
                    }
                }
            }
        }
        let y = Tensor(unchecked: shape, out)
        var inputs = [self]
        if let gamma { inputs.append(gamma) }
        if let beta { inputs.append(beta) }
        let hasGamma = gamma != nil, hasBeta = beta != nil
        return Tensor.record(y, op: "layer_norm", inputs: inputs) { g, saved in
            // With ĝ = g·γ: dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + ε); dγ = Σ g·x̂; dβ = Σ g.
            var dx = [Float](repeating: 0, count: g.count)
            var dGamma = [Float](repeating: 0, count: hasGamma ? d : 0)
            var dBeta = [Float](repeating: 0, count: hasBeta ? d : 0)
            let gammaValues = hasGamma ? saved[1].scalars : []
            g.scalars.withUnsafeBufferPointer { gs in
                for r in 0..<rows {
                    let base = r * d
                    var meanG: Double = 0, meanGX: Double = 0
                    for j in 0..<d {
                        let gh = hasGamma ? gs[base + j] * gammaValues[j] : gs[base + j]
                        meanG += Double(gh)
                        meanGX += Double(gh * xhat[base + j])
                    }
                    let (a, b) = (Float(meanG / Double(d)), Float(meanGX / Double(d)))
                    let s = spread[r]
                    xhat.withUnsafeBufferPointer { xh in
                        dx.withUnsafeMutableBufferPointer { out in
                            if hasGamma {
                                gammaValues.withUnsafeBufferPointer { gm in
                                    for j in 0..<d { out[base + j] = (gs[base + j] * gm[j] - a - xh[base + j] * b) / s }
                                }
                            } else {
                                for j in 0..<d { out[base + j] = (gs[base + j] - a - xh[base + j] * b) / s }
                            }
                        }
                        if hasGamma { dGamma.withUnsafeMutableBufferPointer { dg in for j in 0..<d { dg[j] += gs[base + j] * xh[base + j] } } }
                        if hasBeta { dBeta.withUnsafeMutableBufferPointer { db in for j in 0..<d { db[j] += gs[base + j] } } }
                    }
                }
            }
            var grads: [Tensor?] = [Tensor(unchecked: g.shape, dx)]
            if hasGamma { grads.append(Tensor(unchecked: [d], dGamma)) }
            if hasBeta { grads.append(Tensor(unchecked: [d], dBeta)) }
            return grads
        }
    }
}

extension Tensor {
    // Scalar conveniences, so model code reads like the formulas: `h * 0.5`, `x - 1`.
    public static func + (a: Tensor, b: Float) throws -> Tensor { try a + Tensor(b) }
    public static func - (a: Tensor, b: Float) throws -> Tensor { try a - Tensor(b) }
    public static func * (a: Tensor, b: Float) throws -> Tensor { try a * Tensor(b) }
    public static func / (a: Tensor, b: Float) throws -> Tensor { try a / Tensor(b) }
    public static func + (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) + b }
    public static func - (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) - b }
    public static func * (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) * b }
    public static func / (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) / b }
}
