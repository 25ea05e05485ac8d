import CKernels

/// Matrix products: 2-d, batched (leading axes broadcast as in NumPy), and with vectors.
/// All arithmetic happens in `hk_sgemm`, whose fixed summation order makes the result
/// bit-identical on every machine.
extension Tensor {
    /// How many cores a large matrix product uses: 1 (the default; 0 restores it) or 2.
    /// The rows of the result are split between them, never a sum, so the numbers are
    /// the same bits on one core or two.
    public static var matmulThreads: Int {
        get { Int(hk_gemm_threads()) }
        set { _ = hk_set_gemm_threads(Int32(newValue)) }
    }

    /// `self @ other`. A 1-d left operand is a row vector and a 1-d right operand a column
    /// vector (that axis is dropped from the result), as in NumPy.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            throw TensorError("matmul: \(formatShape(shape)) @ \(formatShape(other.shape)) — both operands need at least one axis (use * to scale by a number)")
        }
        let inner = (shape[rank - 1], other.shape[Swift.max(other.rank - 2, 0)])
        guard inner.0 == inner.1 else {
            throw TensorError("matmul: \(formatShape(shape)) @ \(formatShape(other.shape)) — inner sizes \(inner.0) and \(inner.1) differ")
        }
        if rank == 1 || other.rank == 1 {
            // Promote vectors to a row (left) or a column (right), multiply, then drop the
            // promoted axes again: vector @ vector is a number, ⟨a, b⟩.
            let a = rank == 1 ? try reshaped([1, count]) : self
            let b = other.rank == 1 ? try other.reshaped([other.count, 1]) : other
            let y = try a.matmul(b)
            var shape = y.shape
            if rank == 1 { shape.remove(at: shape.count - 2) }
            if other.rank == 1 { shape.removeLast() }
            return try y.reshaped(shape)
        }
        let batch: [Int]
        do {
            batch = try Shape.broadcast(Array(shape.dropLast(2)), Array(other.shape.dropLast(2)), op: "matmul")
        } catch {
            throw TensorError("matmul: \(formatShape(shape)) @ \(formatShape(other.shape)) — the leading (batch) axes cannot be broadcast together")
        }
        try Shape.validate(batch + [shape[rank - 2], other.shape[other.rank - 1]], op: "matmul")
        let y = try Tensor.gemm(self, transA: false, other, transB: false)
        return Tensor.record(y, op: "matmul", inputs: [self, other]) { g, x in
            try Tensor.productGradients(g, x[0], x[1], transposed: false)
        }
    }

    /// `self @ otherᵀ`, other's last two axes swapped — the x Wᵀ of every linear layer and
    /// the q kᵀ of attention — without materialising the transpose: the kernel reads
    /// `other` with swapped strides. The same bits, forward and backward, as
    /// `matmul(other.transposed())`, which it falls back to (for its checks and messages)
    /// when either operand has fewer than two axes or the shapes do not fit.
    public func matmul(transposed other: Tensor) throws -> Tensor {
        guard rank >= 2, other.rank >= 2, shape[rank - 1] == other.shape[other.rank - 1],
              let batch = try? Shape.broadcast(Array(shape.dropLast(2)), Array(other.shape.dropLast(2)), op: "matmul")
        else { return try matmul(other.transposed()) }
        try Shape.validate(batch + [shape[rank - 2], other.shape[other.rank - 2]], op: "matmul")
        let y = try Tensor.gemm(self, transA: false, other, transB: true)
        return Tensor.record(y, op: "matmul", inputs: [self, other]) { g, x in
            try Tensor.productGradients(g, x[0], x[1], transposed: true)
        }
    }

    /// `self @ weightᵀ + bias`, a linear layer, as one op: the bias is added into the
    /// product's own buffer, each entry rounding as the add does, so the values and the
    /// gradients are the bits of `matmul(transposed:)` followed by `+` — without a second
    /// tensor of the output's size and a second node. Falls back to those two ops (for
    /// their checks and messages) when the shapes are not a linear layer's.
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard let bias else { return try matmul(transposed: weight) }
        guard rank >= 2, weight.rank == 2, shape[rank - 1] == weight.shape[1], bias.shape == [weight.shape[0]] else {
            return try matmul(transposed: weight) + bias
        }
        try Shape.validate(Array(shape.dropLast()) + [weight.shape[0]], op: "matmul")
        var y = try Tensor.gemm(self, transA: false, weight, transB: true)  // (…, out)
        let (rows, width) = (y.count / weight.shape[0], weight.shape[0])
        bias.scalars.withUnsafeBufferPointer { b in
            y.scalars.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows {
                    let row = out.baseAddress! + r * width
                    for j in 0..<width { row[j] = row[j] + b[j] }
                }
            }
        }
        return Tensor.record(y, op: "linear", inputs: [self, weight, bias]) { g, x in
            try Tensor.productGradients(g, x[0], x[1], transposed: true) + [g.summed(toShape: x[2].shape)]
        }
    }

    /// The gradients of y = a @ b (or a @ bᵀ when `transposed`) from g = dL/dy:
    /// dL/da = g bᵀ (g b), dL/db = aᵀ g (gᵀ a), each summed back over broadcast batches.
    /// When b is one matrix shared by every batch, the batches are folded into rows so
    /// one product sums over them.
    private static func productGradients(_ g: Tensor, _ a: Tensor, _ b: Tensor, transposed: Bool) throws -> [Tensor?] {
        let da = try gemm(g, transA: false, b, transB: !transposed).summed(toShape: a.shape)
        let db: Tensor
        if b.rank == 2 {
            let m = a.count / a.shape[a.rank - 1]
            let a2 = Tensor(unchecked: [m, a.shape[a.rank - 1]], a.scalars)
            let g2 = Tensor(unchecked: [m, g.shape[g.rank - 1]], g.scalars)
            db = try transposed ? gemm(g2, transA: true, a2, transB: false) : gemm(a2, transA: true, g2, transB: false)
        } else {
            db = try (transposed ? gemm(g, transA: true, a, transB: false) : gemm(a, transA: true, g, transB: false))
                .summed(toShape: b.shape)
        }
        return [da, db]
    }

    /// op(a) @ op(b) over broadcast batch axes, where op transposes the last two axes when
    /// asked. Shapes must already be checked. No autograd.
    static func gemm(_ a: Tensor, transA: Bool, _ b: Tensor, transB: Bool) throws -> Tensor {
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transA ? (ac, ar) : (ar, ac)
        let n = transB ? br : bc
        let (rsA, csA) = transA ? (1, ac) : (ac, 1)
        let (rsB, csB) = transB ? (1, bc) : (bc, 1)
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        // Shapes were checked by the caller, so broadcasting cannot fail here.
        let batch = (try? Shape.broadcast(batchA, batchB, op: "matmul")) ?? batchA
        let batches = Shape.count(batch)
        let outShape = batch + [m, n]
        let total = batches * m * n
        let out = try [Float](unsafeUninitializedCapacity: total) { c, initialized in
            // Nothing is read before every value is written: a product stopped part way
            // throws, and the array is never made.
            initialized = total
            try a.scalars.withUnsafeBufferPointer { pa in
                try b.scalars.withUnsafeBufferPointer { pb in
                    guard let base = c.baseAddress else { return }
                    if batchB.isEmpty && !transA {
                        // b is one matrix: a's batches are just more rows.
                        try sgemm(batches * m, n, k, pa.baseAddress, rsA, csA, pb.baseAddress, rsB, csB, base, n)
                        return
                    }
                    let stridesA = Shape.broadcastStrides(batchA, to: batch)
                    let stridesB = Shape.broadcastStrides(batchB, to: batch)
                    let sizeA = ar * ac, sizeB = br * bc
                    var index = [Int](repeating: 0, count: batch.count)
                    for item in 0..<batches {
                        var offA = 0, offB = 0
                        for axis in 0..<batch.count {
                            offA += index[axis] * stridesA[axis]
                            offB += index[axis] * stridesB[axis]
                        }
                        try Cancellation.check(turn: item, every: 64)
                        try sgemm(m, n, k, pa.baseAddress.map { $0 + offA * sizeA }, rsA, csA,
                                  pb.baseAddress.map { $0 + offB * sizeB }, rsB, csB, base + item * m * n, n)
                        var axis = batch.count - 1
                        while axis >= 0 {
                            index[axis] += 1
                            if index[axis] < batch[axis] { break }
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: outShape, out)
    }

    /// Multiply-adds between two asks of `Cancellation` in `sgemm`: about 2 ms of work.
    static let sgemmBandWork = 1 << 27

    /// `hk_sgemm` in bands of rows, asking `Cancellation` between bands: one product of
    /// 8000 × 8000 matrices takes seconds, and neither the time limit nor Ctrl-C may wait
    /// for it (the limit of 2 s was overrun by 7 s). A band is a multiple of 32 rows, the
    /// split gemm_threads.c makes, and every path of the kernel computes each C[i, j] as
    /// the same chain over k, so the bits are those of one call. Products smaller than a
    /// band — all of the lessons' — are one call.
    static func sgemm(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>?, _ rsA: Int, _ csA: Int,
                      _ b: UnsafePointer<Float>?, _ rsB: Int, _ csB: Int,
                      _ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool = false) throws {
        let rowWork = Swift.max(n, 1) * Swift.max(k, 1)
        let band = Swift.max(32, sgemmBandWork / rowWork / 32 * 32)
        var row = 0
        repeat {
            let rows = Swift.min(band, m - row)
            hk_sgemm(Int64(rows), Int64(n), Int64(k), a.map { $0 + row * rsA }, Int64(rsA), Int64(csA),
                     b, Int64(rsB), Int64(csB), c + row * ldc, Int64(ldc), accumulate ? 1 : 0)
            row += rows
            if row < m { try Cancellation.check() }
        } while row < m
    }
}
