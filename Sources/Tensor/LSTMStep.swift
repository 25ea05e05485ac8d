import CKernels

/// What one fused LSTM step computes: the activated gates, the memory's update and the
/// two vectors the cell passes on. Only `c` and `h` take part in the autograd graph; the
/// gates and Δc are for traces (computed anyway, so showing them costs a copy at most).
public struct LSTMStepValues {
    /// (…, G·H): i, g, o (and f) side by side, each activated; no autograd node.
    public let gates: Tensor
    /// (…, H): Δc_t = (f − 1)⊙c_{t−1} + i⊙g, or i⊙g without the forget gate; no node.
    public let deltaC: Tensor
    /// (…, H): c_t = c_{t−1} + Δc_t, and h_t = o⊙tanh(c_t).
    public let c: Tensor, h: Tensor

    public init(gates: Tensor, deltaC: Tensor, c: Tensor, h: Tensor) {
        (self.gates, self.deltaC, self.c, self.h) = (gates, deltaC, c, h)
    }

    /// Gate `k` of the stack (0 i, 1 g, 2 o, 3 f) as a tensor of c's shape.
    public func gate(_ k: Int) -> Tensor {
        let hidden = c.shape.last ?? 0, width = gates.shape.last ?? 0
        let rows = hidden == 0 ? 0 : c.count / hidden
        var out = [Float](repeating: 0, count: c.count)
        gates.scalars.withUnsafeBufferPointer { a in
            for n in 0..<rows {
                for j in 0..<hidden { out[n * hidden + j] = a[n * width + k * hidden + j] }
            }
        }
        return Tensor(unchecked: c.shape, out)
    }
}

/// One LSTM step after the gates' product, fused: from the pre-activations z·Wᵀ (the
/// gates i, g, o, f stacked along the last axis), the stacked bias and c_{t−1},
///
///     i, o, f = σ(· + b),  g = tanh(· + b),  Δc = (f − 1)⊙c_{t−1} + i⊙g,
///     c = c_{t−1} + Δc,  h = o⊙tanh(c),
///
/// in one pass forward and one backward per output, instead of the sixteen ops (and
/// their nodes) the formulas spell out — the per-op cost dominated an LSTM's step. The
/// forward rounds exactly as those ops do, one operation after another with the same
/// kernels, so the values are the same bits as the spelled-out cell's. The backward
/// computes the same products (g·i·σ′ and so on) but adds the gradients that meet at a
/// tensor in another order, so gradients can differ from the spelled-out graph's in the
/// last bit.
extension Tensor {
    /// `pre` (G·H) or (N, G·H) with G = 4 (`forgetGate`) or 3, `bias` (G·H), `cPrev` (H)
    /// or (N, H).
    public static func lstmStep(pre: Tensor, bias: Tensor, cPrev: Tensor, forgetGate: Bool) throws -> LSTMStepValues {
        let G = forgetGate ? 4 : 3
        let H = cPrev.shape.last ?? 0
        guard cPrev.rank == pre.rank, cPrev.rank == 1 || cPrev.rank == 2,
              Array(pre.shape.dropLast()) == Array(cPrev.shape.dropLast()), pre.shape.last == G * H else {
            throw TensorError.shapes("lstm_step", pre.shape, cPrev.shape,
                                     "the pre-activations must be (N, \(G)·H) for a memory of (N, H)")
        }
        guard bias.shape == [G * H] else {
            throw TensorError.shapes("lstm_step", pre.shape, bias.shape, "the bias must have shape (\(G * H),)")
        }
        let rows = H == 0 ? 0 : cPrev.count / H, width = G * H
        var act = [Float](repeating: 0, count: rows * width)  // (N, G·H)
        var deltaC = [Float](repeating: 0, count: rows * H), c = deltaC, th = deltaC, h = deltaC  // (N, H) each
        var biased = [Float](repeating: 0, count: width)  // one row of pre + b
        pre.scalars.withUnsafeBufferPointer { p in
        bias.scalars.withUnsafeBufferPointer { b in
        cPrev.scalars.withUnsafeBufferPointer { cp in
        act.withUnsafeMutableBufferPointer { a in
        biased.withUnsafeMutableBufferPointer { z in
        deltaC.withUnsafeMutableBufferPointer { dcs in
        c.withUnsafeMutableBufferPointer { cs in
        th.withUnsafeMutableBufferPointer { t in
        h.withUnsafeMutableBufferPointer { hs in
            for n in 0..<rows {
                hk_lstm_forward_row(p.baseAddress! + n * width, b.baseAddress!, cp.baseAddress! + n * H, z.baseAddress!,
                                    a.baseAddress! + n * width, dcs.baseAddress! + n * H, cs.baseAddress! + n * H,
                                    t.baseAddress! + n * H, hs.baseAddress! + n * H, Int64(H), Int64(G))
            }
        }}}}}}}}}

        let shape = cPrev.shape
        let gates = Tensor(unchecked: pre.shape, act), tanhC = th
        let cOut = record(Tensor(unchecked: shape, c), op: "lstm_step_c", inputs: [pre, bias, cPrev]) { dc, saved in
            // Through Δc: d(pre) for i, g and f; d(c_{t−1}) = dc + dc⊙(f − 1).
            var dPre = [Float](repeating: 0, count: rows * width), dcPrev = [Float](repeating: 0, count: rows * H)
            act.withUnsafeBufferPointer { a in
                saved[2].scalars.withUnsafeBufferPointer { cp in
                    dc.scalars.withUnsafeBufferPointer { d in
                        dPre.withUnsafeMutableBufferPointer { dp in
                            dcPrev.withUnsafeMutableBufferPointer { dcp in
                                for n in 0..<rows {
                                    let (gate, out) = (a.baseAddress! + n * width, dp.baseAddress! + n * width)
                                    let (dr, cpr, dcpr) = (d.baseAddress! + n * H, cp.baseAddress! + n * H, dcp.baseAddress! + n * H)
                                    for j in 0..<H {
                                        let (i, g) = (gate[j], gate[H + j])
                                        out[j] = (dr[j] * g) * (i * (1 - i))
                                        out[H + j] = (dr[j] * i) * (1 - g * g)
                                    }
                                    if forgetGate {
                                        for j in 0..<H {
                                            let f = gate[3 * H + j]
                                            out[3 * H + j] = (dr[j] * cpr[j]) * (f * (1 - f))
                                            dcpr[j] = dr[j] + dr[j] * (f - 1)
                                        }
                                    } else {
                                        dcpr.update(from: dr, count: H)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return [Tensor(unchecked: saved[0].shape, dPre), columnSums(dPre, rows: rows, width: width), Tensor(unchecked: shape, dcPrev)]
        }
        let hOut = record(Tensor(unchecked: shape, h), op: "lstm_step_h", inputs: [pre, bias, cOut]) { dh, _ in
            // h = o⊙tanh(c): d(pre) for o, and dc = dh⊙o⊙(1 − tanh²c).
            var dPre = [Float](repeating: 0, count: rows * width), dc = [Float](repeating: 0, count: rows * H)
            act.withUnsafeBufferPointer { a in
                tanhC.withUnsafeBufferPointer { t in
                    dh.scalars.withUnsafeBufferPointer { d in
                        dPre.withUnsafeMutableBufferPointer { dp in
                            dc.withUnsafeMutableBufferPointer { dcs in
                                for n in 0..<rows {
                                    let (o, out) = (a.baseAddress! + n * width + 2 * H, dp.baseAddress! + n * width + 2 * H)
                                    let (dr, tr, dcr) = (d.baseAddress! + n * H, t.baseAddress! + n * H, dcs.baseAddress! + n * H)
                                    for j in 0..<H {
                                        out[j] = (dr[j] * tr[j]) * (o[j] * (1 - o[j]))
                                        dcr[j] = (dr[j] * o[j]) * (1 - tr[j] * tr[j])
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return [Tensor(unchecked: pre.shape, dPre), columnSums(dPre, rows: rows, width: width), Tensor(unchecked: shape, dc)]
        }
        return LSTMStepValues(gates: gates, deltaC: Tensor(unchecked: shape, deltaC), c: cOut, h: hOut)
    }

    /// Σ over rows of a (rows, width) array, rows in order: a bias's gradient.
    private static func columnSums(_ values: [Float], rows: Int, width: Int) -> Tensor {
        var sums = [Float](repeating: 0, count: width)
        values.withUnsafeBufferPointer { v in
            sums.withUnsafeMutableBufferPointer { s in
                for n in 0..<rows {
                    let row = v.baseAddress! + n * width
                    for j in 0..<width { s[j] += row[j] }
                }
            }
        }
        return Tensor(unchecked: [width], sums)
    }
}
