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
                let row = x.baseAddress! + base
                let sum = Tensor.rowSum(d) { Double(row[$0]) }
                let mu = Float(Double(Float(sum)) / Double(d))
                let squares = Tensor.rowSum(d) { j -> Double in
                    let c = row[j] - mu
                    return Double(c * c)
                }
                let s = (Float(squares) / Float(d) + epsilon).squareRoot()
                spread[r] = s
                // Plain loops over row pointers (no index arithmetic to check), so they
                // vectorise; x̂·γ + β rounds as the two operations one after the other.
                xhat.withUnsafeMutableBufferPointer { xh in
                    out.withUnsafeMutableBufferPointer { o in
                        let (xr, orow) = (xh.baseAddress! + base, o.baseAddress! + base)
                        for j in 0..<d { xr[j] = (row[j] - mu) / s }
                        switch (gammaValues, betaValues) {
                        case (let gv?, let bv?):
                            gv.withUnsafeBufferPointer { g in bv.withUnsafeBufferPointer { b in for j in 0..<d { orow[j] = xr[j] * g[j] + b[j] } } }
                        case (let gv?, nil):
                            gv.withUnsafeBufferPointer { g in for j in 0..<d { orow[j] = xr[j] * g[j] } }
                        case (nil, let bv?):
                            bv.withUnsafeBufferPointer { b in for j in 0..<d { orow[j] = xr[j] + b[j] } }
                        case (nil, nil):
                            orow.update(from: xr, count: d)
                        }
                    }
                }
            }
        }
        let y = Tensor(unchecked: shape, out)
        let normalised = xhat  // captured as a constant, not a boxed variable
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
                normalised.withUnsafeBufferPointer { xh in
                    gammaValues.withUnsafeBufferPointer { gm in
                        dx.withUnsafeMutableBufferPointer { out in
                            dGamma.withUnsafeMutableBufferPointer { dg in
                                dBeta.withUnsafeMutableBufferPointer { db in
                                    for r in 0..<rows {
                                        let base = r * d
                                        let (gRow, xRow, dxRow) = (gs.baseAddress! + base, xh.baseAddress! + base, out.baseAddress! + base)
                                        let meanG = Tensor.rowSum(d) { j in Double(hasGamma ? gRow[j] * gm[j] : gRow[j]) }
                                        let meanGX = Tensor.rowSum(d) { j in Double((hasGamma ? gRow[j] * gm[j] : gRow[j]) * xRow[j]) }
                                        let (a, b) = (Float(meanG / Double(d)), Float(meanGX / Double(d)))
                                        let s = spread[r]
                                        if hasGamma {
                                            for j in 0..<d { dxRow[j] = (gRow[j] * gm[j] - a - xRow[j] * b) / s }
                                            for j in 0..<d { dg[j] += gRow[j] * xRow[j] }
                                        } else {
                                            for j in 0..<d { dxRow[j] = (gRow[j] - a - xRow[j] * b) / s }
                                        }
                                        if hasBeta { for j in 0..<d { db[j] += gRow[j] } }
                                    }
                                }
                            }
                        }
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

extension Tensor {
    /// Σ term(j) for j in 0..<n, in double: four partial sums over j mod 4, added as
    /// (s₀ + s₁) + (s₂ + s₃), then the last n mod 4 terms in order. One fixed order on
    /// every machine, with four additions in flight instead of a chain of n.
    @inline(__always)
    static func rowSum(_ n: Int, _ term: (Int) -> Double) -> Double {
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        var j = 0
        while j + 4 <= n {
            s0 += term(j)
            s1 += term(j + 1)
            s2 += term(j + 2)
            s3 += term(j + 3)
            j += 4
        }
        var total = (s0 + s1) + (s2 + s3)
        while j < n {
            total += term(j)
            j += 1
        }
        return total
    }
}
