import CKernels
import RealModule

/// Softmax, log-softmax and cross-entropy: the lecture's attention weights
/// A_{m→t} = exp(s_t) / Σ_t' exp(s_t') and its loss −log p(y | x).
///
/// Each subtracts the lane's maximum before exponentiating (so large scores never
/// overflow) and sums the normaliser in Double. A lane that is −inf everywhere (a fully
/// masked row) gives NaN, as it must: there is nothing to attend to.
extension Tensor {
    /// exp(x − max) along `axis`, and log Σ exp(x − max) per lane.
    private func shiftedExponentials(_ r: Reduction) -> (exps: [Float], logNormalisers: [Double], maxima: [Float]) {
        var exps = [Float](repeating: 0, count: count)
        var logZ = [Double](repeating: 0, count: r.outer * r.inner)
        var maxima = [Float](repeating: 0, count: r.outer * r.inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<r.outer {
                for i in 0..<r.inner {
                    let base = o * r.length * r.inner + i
                    var m = -Float.infinity
                    for a in 0..<r.length { m = Swift.max(m, x[base + a * r.inner]) }
                    if m == -.infinity { m = 0 }  // all −inf: keep exp(−inf) = 0, not NaN from −inf − (−inf)
                    var z: Double = 0
                    if r.inner == 1 {
                        // A contiguous row: the vector kernel, the same e^(x − m) bits (x·1 is x).
                        exps.withUnsafeMutableBufferPointer { e in
                            hk_shifted_exp(x.baseAddress! + base, m, 1, e.baseAddress! + base, Int64(r.length))
                            for a in 0..<r.length { z += Double(e[base + a]) }
                        }
                    } else {
                        for a in 0..<r.length {
                            let e = hk_expf(x[base + a * r.inner] - m)
                            exps[base + a * r.inner] = e
                            z += Double(e)
                        }
                    }
                    logZ[o * r.inner + i] = Double.log(z)
                    maxima[o * r.inner + i] = m
                }
            }
        }
        return (exps, logZ, maxima)
    }

    /// exp(x) / Σ exp(x) along `axis` (default: the last).
    public func softmax(axis: Int = -1) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: false, op: "softmax")
        if r.inner == 1 { return try scaledSoftmax() }
        var (p, logZ, _) = shiftedExponentials(r)
        for o in 0..<r.outer {
            for i in 0..<r.inner {
                let scale = Float(1 / Double.exp(logZ[o * r.inner + i]))
                let base = o * r.length * r.inner + i
                for a in 0..<r.length { p[base + a * r.inner] *= scale }
            }
        }
        let y = Tensor(unchecked: shape, p)
        return Tensor.record(y, op: "softmax", inputs: [self]) { g, _ in
            // dx = p ⊙ (g − Σ_a g_a p_a)
            var dx = [Float](repeating: 0, count: y.count)
            for o in 0..<r.outer {
                for i in 0..<r.inner {
                    let base = o * r.length * r.inner + i
                    var dot: Double = 0
                    for a in 0..<r.length { dot += Double(g.scalars[base + a * r.inner] * y.scalars[base + a * r.inner]) }
                    let d = Float(dot)
                    for a in 0..<r.length {
                        let j = base + a * r.inner
                        dx[j] = y.scalars[j] * (g.scalars[j] - d)
                    }
                }
            }
            return [Tensor(unchecked: y.shape, dx)]
        }
    }

    /// softmax(scale · x) over the last axis in one pass and one backward pass — the
    /// attention weights A = softmax(q kᵀ/√d) without a tensor of scaled scores — and,
    /// when `causal`, with the causal mask of a (…, T, T) score tensor: A[m, t] = 0 exactly
    /// for t > m (the same as adding −∞ above the diagonal first).
    public func scaledSoftmax(scale: Float = 1, causal: Bool = false) throws -> Tensor {
        guard rank >= 1 else { throw TensorError("softmax: needs at least one axis, got a scalar") }
        let n = shape[rank - 1], rows = n == 0 ? 0 : count / n
        if causal {
            guard rank >= 2, shape[rank - 2] == n else {
                throw TensorError("softmax: a causal mask needs square (…, T, T) scores, got \(formatShape(shape))")
            }
        }
        let y = apply { x, out, _ in hk_softmax_rows(x, out, Int64(rows), Int64(n), scale, causal ? Int64(n) : 0) }
        return Tensor.record(y, op: "softmax", inputs: [self]) { g, _ in
            let dx = [Float](unsafeUninitializedCapacity: y.count) { out, initialized in
                y.scalars.withUnsafeBufferPointer { ys in
                    g.scalars.withUnsafeBufferPointer { gs in
                        hk_softmax_rows_backward(ys.baseAddress, gs.baseAddress, out.baseAddress, Int64(rows), Int64(n), scale)
                    }
                }
                initialized = y.count
            }
            return [Tensor(unchecked: y.shape, dx)]
        }
    }

    /// log softmax along `axis`: x − log Σ exp(x), computed without forming the softmax.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: false, op: "log_softmax")
        let (exps, logZ, maxima) = shiftedExponentials(r)
        var out = [Float](repeating: 0, count: count)
        for o in 0..<r.outer {
            for i in 0..<r.inner {
                let lane = o * r.inner + i
                let base = o * r.length * r.inner + i
                for a in 0..<r.length {
                    let j = base + a * r.inner
                    out[j] = Float(Double(scalars[j] - maxima[lane]) - logZ[lane])
                }
            }
        }
        let y = Tensor(unchecked: shape, out)
        return Tensor.record(y, op: "log_softmax", inputs: [self]) { g, _ in
            // dx = g − softmax · Σ_a g_a
            var dx = [Float](repeating: 0, count: y.count)
            for o in 0..<r.outer {
                for i in 0..<r.inner {
                    let lane = o * r.inner + i
                    let base = o * r.length * r.inner + i
                    var total: Double = 0
                    for a in 0..<r.length { total += Double(g.scalars[base + a * r.inner]) }
                    let scale = 1 / Double.exp(logZ[lane])
                    for a in 0..<r.length {
                        let j = base + a * r.inner
                        dx[j] = g.scalars[j] - Float(Double(exps[j]) * scale * total)
                    }
                }
            }
            return [Tensor(unchecked: y.shape, dx)]
        }
    }

    /// Mean cross-entropy −log softmax(logits)[target] over the rows of `logits` (N, C).
    /// Rows whose target is `ignoreIndex` count for nothing (BERT scores only the masked
    /// positions). With every row ignored the loss is 0.
    public func crossEntropy(targets: [Int], ignoreIndex: Int? = nil) throws -> Tensor {
        guard rank == 2 else {
            throw TensorError("cross_entropy: logits must be (N, C), got \(formatShape(shape))")
        }
        let (n, c) = (shape[0], shape[1])
        guard targets.count == n else {
            throw TensorError("cross_entropy: \(n) rows of logits but \(targets.count) targets")
        }
        for t in targets where t != ignoreIndex && !(0..<c).contains(t) {
            throw TensorError("cross_entropy: target \(t) is out of range for \(c) classes")
        }
        let r = try reduction(axis: 1, keepDims: false, op: "cross_entropy")
        let (exps, logZ, maxima) = shiftedExponentials(r)
        let counted = targets.filter { $0 != ignoreIndex }.count
        var total: Double = 0
        for (row, t) in targets.enumerated() where t != ignoreIndex {
            total += logZ[row] - Double(scalars[row * c + t] - maxima[row])
        }
        let y = Tensor(Float(counted == 0 ? 0 : total / Double(counted)))
        return Tensor.record(y, op: "cross_entropy", inputs: [self]) { g, x in
            // d/dlogits = (softmax − one_hot(target)) / counted, on counted rows
            var dx = [Float](repeating: 0, count: x[0].count)
            guard counted > 0 else { return [Tensor(unchecked: x[0].shape, dx)] }
            let scale = Double(g.scalars[0]) / Double(counted)
            for (row, t) in targets.enumerated() where t != ignoreIndex {
                let inv = 1 / Double.exp(logZ[row])
                for j in 0..<c {
                    let p = Double(exps[row * c + j]) * inv
                    dx[row * c + j] = Float((p - (j == t ? 1 : 0)) * scale)
                }
            }
            return [Tensor(unchecked: x[0].shape, dx)]
        }
    }
}
