import CKernels

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
        // One pass per row in C (layer_norm.c): the sums in double, four partial sums.
        withOptionalPointer(gamma?.scalars) { g in
            withOptionalPointer(beta?.scalars) { b in
                scalars.withUnsafeBufferPointer { x in
                    xhat.withUnsafeMutableBufferPointer { xh in
                        spread.withUnsafeMutableBufferPointer { sp in
                            out.withUnsafeMutableBufferPointer { o in
                                hk_layer_norm_forward(x.baseAddress, g, b, Int64(rows), Int64(d), epsilon,
                                                      xh.baseAddress, sp.baseAddress, o.baseAddress)
                            }
                        }
                    }
                }
            }
        }
        let y = Tensor(unchecked: shape, out)
        let normalised = xhat, spreads = spread  // captured as constants, not boxed variables
        var inputs = [self]
        if let gamma { inputs.append(gamma) }
        if let beta { inputs.append(beta) }
        let hasGamma = gamma != nil, hasBeta = beta != nil
        return Tensor.record(y, op: "layer_norm", inputs: inputs) { g, saved in
            // With ĝ = g·γ: dx = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / √(σ² + ε); dγ = Σ g·x̂; dβ = Σ g.
            var dx = [Float](repeating: 0, count: g.count)
            var dGamma = [Float](repeating: 0, count: hasGamma ? d : 0)
            var dBeta = [Float](repeating: 0, count: hasBeta ? d : 0)
            withOptionalPointer(hasGamma ? saved[1].scalars : nil) { gm in
                g.scalars.withUnsafeBufferPointer { gs in
                    normalised.withUnsafeBufferPointer { xh in
                        spreads.withUnsafeBufferPointer { sp in
                            dx.withUnsafeMutableBufferPointer { out in
                                dGamma.withUnsafeMutableBufferPointer { dg in
                                    dBeta.withUnsafeMutableBufferPointer { db in
                                        hk_layer_norm_backward(gs.baseAddress, xh.baseAddress, gm, sp.baseAddress, Int64(rows), Int64(d),
                                                               out.baseAddress, hasGamma ? dg.baseAddress : nil, hasBeta ? db.baseAddress : nil)
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

/// `body` with a pointer to the values, or nil when there are none to give (an omitted γ or β).
func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}
