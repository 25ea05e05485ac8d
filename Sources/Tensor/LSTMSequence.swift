import CKernels

/// An LSTM run over a whole sequence as one op: what `lstmSequence` computed forward,
/// kept for the backward and for traces.
public struct LSTMSequenceValues {
    /// (N, T, H) each: h_1 … h_T and c_1 … c_T, both in the autograd graph.
    public let h: Tensor, c: Tensor
    /// (N, T, G·H): i, g, o (and f) of every step, activated; (N, T, H): every Δc_t.
    /// No autograd node; for traces.
    let gates: [Float], deltaC: [Float]
    let batch: Int, steps: Int, hidden: Int

    /// Step `t`'s (0-based) values as the fused one-step op gives them: each (N, ·).
    public func step(_ t: Int) -> LSTMStepValues {
        let width = gates.count / Swift.max(batch * steps, 1)
        func rows(_ values: [Float], _ w: Int) -> Tensor {
            var out = [Float](repeating: 0, count: batch * w)
            for n in 0..<batch {
                let from = (n * steps + t) * w
                out.withUnsafeMutableBufferPointer { o in
                    values.withUnsafeBufferPointer { v in (o.baseAddress! + n * w).update(from: v.baseAddress! + from, count: w) }
                }
            }
            return Tensor(unchecked: [batch, w], out)
        }
        return LSTMStepValues(gates: rows(gates, width), deltaC: rows(deltaC, hidden),
                              c: rows(c.scalars, hidden), h: rows(h.scalars, hidden))
    }
}

/// An LSTM over a sequence in one op, the way cuDNN and PyTorch's CPU kernel arrange it:
/// the inputs' part of every gate's pre-activation for all T steps in one product
/// (N·T, d_x)·W_xᵀ, then per step only h_{t−1}·W_hᵀ added to it, the gate formulas of
/// `lstmStep`, and backward through time with the weights' gradients as two products
/// over all steps at the end. A step spelled out as ops made ten tensors and six autograd
/// nodes; this makes two nodes for the whole sequence.
///
/// Bits: each pre-activation is one chain of fused multiply-adds over the columns of
/// [x_t, h_{t−1}] in that order (the product's kernel continues the chain when it adds
/// to C), then + b; the gate formulas round as `lstmStep`'s. `LSTMCell` computes its
/// step over [x_t, h_{t−1}] in the same order, so a run stepped cell by cell, a traced
/// run and a patched run give the bits of this op. The backward sums each gradient in an
/// order of its own (over steps inside one product), so it agrees with the op-by-op
/// graph's to rounding, not bits.
extension Tensor {
    /// x (N, T, d_x); `weights` (G·H, H + d_x), the gates' rows stacked (i, g, o, f) with
    /// the columns that hear h_{t−1} first, as the parameters hold them; `bias` (G·H);
    /// h0 and c0 (N, H). G = 4 with the forget gate, else 3.
    public static func lstmSequence(x: Tensor, weights: Tensor, bias: Tensor, h0: Tensor, c0: Tensor,
                                    forgetGate: Bool) throws -> LSTMSequenceValues {
        let G = forgetGate ? 4 : 3
        guard x.rank == 3, h0.rank == 2, h0.shape == c0.shape, h0.shape[0] == x.shape[0] else {
            throw TensorError.shapes("lstm", x.shape, h0.shape, "the input must be (N, T, d_x) and the state (N, H)")
        }
        let (N, T, dx, H) = (x.shape[0], x.shape[1], x.shape[2], h0.shape[1])
        let (GH, K) = (G * H, H + dx)
        guard weights.shape == [GH, K], bias.shape == [GH] else {
            throw TensorError.shapes("lstm", weights.shape, bias.shape,
                                     "the stacked weights must be (\(GH), \(K)) and the bias (\(GH),)")
        }
        // Every step's gates and states are kept for the backward and for traces.
        let perRow = 2 * GH + 4 * H
        try Cancellation.check()
        let (count, overflow) = try Shape.validateSizes([N, T], op: "lstm").multipliedReportingOverflow(by: perRow)
        let steps = T == 1 ? "1 step" : "\(T) steps"
        try MemoryBudget.check(count: overflow ? Int.max : count, op: "lstm",
                               what: "the gates and states of \(steps) (\(perRow) numbers a step" + (N == 1 ? ")" : " for each of the \(N) sequences)"))
        let rows = N * T
        // Each buffer is written whole before it is read.
        var pre = unwritten(rows * GH)  // (N, T, G·H): x_t·W_xᵀ, then + h_{t−1}·W_hᵀ
        var act = unwritten(rows * GH)  // (N, T, G·H)
        var deltaC = unwritten(rows * H), cs = unwritten(rows * H), tanhC = unwritten(rows * H), hs = unwritten(rows * H)  // (N, T, H)
        var biased = [Float](repeating: 0, count: GH)
        // Wᵀ (H + d_x, G·H), so the products read their B along rows: the same chains.
        var transposed = unwritten(K * GH)
        weights.scalars.withUnsafeBufferPointer { w in
            transposed.withUnsafeMutableBufferPointer { wt in
                for j in 0..<GH {
                    for k in 0..<K { wt[k * GH + j] = w[j * K + k] }
                }
            }
        }
        try transposed.withUnsafeBufferPointer { w in
            try x.scalars.withUnsafeBufferPointer { xs in
                // Rows H… of Wᵀ hear x.
                try pre.withUnsafeMutableBufferPointer { p in
                    try sgemm(rows, GH, dx, xs.baseAddress, dx, 1, w.baseAddress.map { $0 + H * GH }, GH, 1, p.baseAddress!, GH)
                }
            }
            try h0.scalars.withUnsafeBufferPointer { h0b in
            try c0.scalars.withUnsafeBufferPointer { c0b in
            try bias.scalars.withUnsafeBufferPointer { b in
            try pre.withUnsafeMutableBufferPointer { p in
            try act.withUnsafeMutableBufferPointer { a in
            try biased.withUnsafeMutableBufferPointer { z in
            try deltaC.withUnsafeMutableBufferPointer { dcs in
            try cs.withUnsafeMutableBufferPointer { c in
            try tanhC.withUnsafeMutableBufferPointer { th in
            try hs.withUnsafeMutableBufferPointer { h in
                let (p, a, dcs, c, th, h) = (p.baseAddress!, a.baseAddress!, dcs.baseAddress!, c.baseAddress!, th.baseAddress!, h.baseAddress!)
                for t in 0..<T {
                    try Cancellation.check()
                    // The chain goes on over the rows of Wᵀ that hear h_{t−1}.
                    let (hPrev, rsH) = t == 0 ? (h0b.baseAddress, H) : (UnsafePointer(h + (t - 1) * H), T * H)
                    try sgemm(N, GH, H, hPrev, rsH, 1, w.baseAddress, GH, 1, p + t * GH, T * GH, accumulate: true)
                    for n in 0..<N {
                        let r = n * T + t
                        let cPrev = t == 0 ? c0b.baseAddress! + n * H : UnsafePointer(c + (r - 1) * H)
                        hk_lstm_forward_row(p + r * GH, b.baseAddress!, cPrev, z.baseAddress!, a + r * GH, dcs + r * H,
                                            c + r * H, th + r * H, h + r * H, Int64(H), Int64(G))
                    }
                }
            }}}}}}}}}}
        }

        let shape = [N, T, H]
        let xNeedsGrad = x.node != nil
        // One backward through time for both outputs: the gradients of h and c are linear
        // in what reaches them, so h's node and c's node each run it with the other's
        // gradient zero (the lessons' losses read h only, and run it once).
        let bptt: (Tensor?, Tensor?, [Tensor]) throws -> [Tensor?] = { dH, dC, saved in
            try lstmSequenceBackward(dH: dH?.scalars, dC: dC?.scalars, x: saved[0].scalars, weights: saved[1].scalars,
                                     h0: saved[3].scalars, gates: act, tanhC: tanhC, c: cs, h: hs, c0: saved[4].scalars,
                                     sizes: (N, T, dx, H, G), xNeedsGrad: xNeedsGrad)
        }
        let inputs = [x, weights, bias, h0, c0]
        let hOut = record(Tensor(unchecked: shape, hs), op: "lstm_h", inputs: inputs) { g, saved in try bptt(g, nil, saved) }
        let cOut = record(Tensor(unchecked: shape, cs), op: "lstm_c", inputs: inputs) { g, saved in try bptt(nil, g, saved) }
        return LSTMSequenceValues(h: hOut, c: cOut, gates: act, deltaC: deltaC, batch: N, steps: T, hidden: H)
    }

    /// An array of `count` floats whose values are not set: for buffers written whole.
    private static func unwritten(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Backward through time: from the gradients reaching h_1…h_T and c_1…c_T (either may
    /// be nil: zero), the gradients of x, the stacked weights, the bias, h0 and c0.
    private static func lstmSequenceBackward(dH: [Float]?, dC: [Float]?, x: [Float], weights: [Float], h0: [Float],
                                             gates: [Float], tanhC: [Float], c: [Float], h: [Float], c0: [Float],
                                             sizes: (N: Int, T: Int, dx: Int, H: Int, G: Int),
                                             xNeedsGrad: Bool) throws -> [Tensor?] {
        let (N, T, dx, H, G) = sizes
        let (GH, K, rows) = (G * H, H + dx, N * T)
        var dPre = unwritten(rows * GH)  // (N, T, G·H), written whole step by step
        var dhNext = [Float](repeating: 0, count: N * H), dcNext = dhNext  // (N, H): from step t + 1
        let none = dH == nil || dC == nil ? [Float](repeating: 0, count: rows * H) : []
        let (dHs, dCs) = (dH ?? none, dC ?? none)  // (N, T, H) each
        try weights.withUnsafeBufferPointer { w in
        try dHs.withUnsafeBufferPointer { dHb in
        try dCs.withUnsafeBufferPointer { dCb in
        try gates.withUnsafeBufferPointer { a in
        try tanhC.withUnsafeBufferPointer { th in
        try c.withUnsafeBufferPointer { cb in
        try c0.withUnsafeBufferPointer { c0b in
        try dPre.withUnsafeMutableBufferPointer { dp in
        try dhNext.withUnsafeMutableBufferPointer { dhn in
        try dcNext.withUnsafeMutableBufferPointer { dcn in
            let (a, th, cb, dp, dhn, dcn) = (a.baseAddress!, th.baseAddress!, cb.baseAddress!, dp.baseAddress!, dhn.baseAddress!, dcn.baseAddress!)
            for t in stride(from: T - 1, through: 0, by: -1) {
                try Cancellation.check()
                for n in 0..<N {
                    let r = n * T + t
                    hk_lstm_backward_row(dHb.baseAddress! + r * H, dCb.baseAddress! + r * H, dhn + n * H, dcn + n * H,
                                         a + r * GH, th + r * H, t == 0 ? c0b.baseAddress! + n * H : cb + (r - 1) * H,
                                         dp + r * GH, Int64(H), Int64(G))
                }
                // What reaches h_{t−1}: dPre_t·W_h, with B[k, j] = W[k, j] for the first H columns.
                try sgemm(N, H, GH, dp + t * GH, T * GH, 1, w.baseAddress, K, 1, dhn, H)
            }
        }}}}}}}}}}
        // z = [h_{t−1}, x_t] for every row (n, t), h0 at t = 0: the weights' gradient is
        // then one product, dW = Σ_rows dPreᵀ z, each entry a chain over the rows in order.
        var z = unwritten(rows * K)  // (N, T, H + d_x)
        z.withUnsafeMutableBufferPointer { zb in
            h0.withUnsafeBufferPointer { h0b in
                h.withUnsafeBufferPointer { hb in
                    x.withUnsafeBufferPointer { xs in
                        for n in 0..<N {
                            for t in 0..<T {
                                let (r, row) = (n * T + t, zb.baseAddress! + (n * T + t) * K)
                                row.update(from: t == 0 ? h0b.baseAddress! + n * H : hb.baseAddress! + (r - 1) * H, count: H)
                                (row + H).update(from: xs.baseAddress! + r * dx, count: dx)
                            }
                        }
                    }
                }
            }
        }
        var dW = [Float](repeating: 0, count: GH * K), dX = [Float](repeating: 0, count: xNeedsGrad ? rows * dx : 0)
        try dPre.withUnsafeBufferPointer { dp in
            try dW.withUnsafeMutableBufferPointer { dw in
                // A[i, k] = dPre[k, i].
                try z.withUnsafeBufferPointer { zb in try sgemm(GH, K, rows, dp.baseAddress, 1, GH, zb.baseAddress, K, 1, dw.baseAddress!, K) }
            }
            if xNeedsGrad {
                try weights.withUnsafeBufferPointer { w in
                    try dX.withUnsafeMutableBufferPointer { d in
                        // dX = dPre·W_x: B[k, j] = W[k, H + j].
                        try sgemm(rows, dx, GH, dp.baseAddress, GH, 1, w.baseAddress.map { $0 + H }, K, 1, d.baseAddress!, dx)
                    }
                }
            }
        }
        var db = [Float](repeating: 0, count: GH)  // Σ over rows, in order
        dPre.withUnsafeBufferPointer { dp in
            db.withUnsafeMutableBufferPointer { hk_sum_rows(dp.baseAddress, Int64(rows), Int64(GH), $0.baseAddress) }
        }
        return [xNeedsGrad ? Tensor(unchecked: [N, T, dx], dX) : nil, Tensor(unchecked: [GH, K], dW),
                Tensor(unchecked: [GH], db), Tensor(unchecked: [N, H], dhNext), Tensor(unchecked: [N, H], dcNext)]
    }
}
