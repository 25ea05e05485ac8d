import CKernels

/// Walks two strided operands (typically broadcast against each other) in step with a
/// row-major output, one innermost row at a time.
///
/// Per-element closures would cost a call per value; instead `body` is called once per
/// row of the last axis with the row's start in the output and in each operand, and the
/// stride (0 or 1, or the operand's own) to step along the row. The caller's loop over the
/// row is then a plain, vectorisable loop.
struct BroadcastWalk {
    let outShape: [Int]
    let stridesA: [Int]
    let stridesB: [Int]

    /// Two operands of shapes `a` and `b` broadcast to `out`.
    init(_ a: [Int], _ b: [Int], out: [Int]) {
        self.init(outShape: out, stridesA: Shape.broadcastStrides(a, to: out),
                  stridesB: Shape.broadcastStrides(b, to: out))
    }

    /// Any strided reading of the operands (a permutation, for instance).
    init(outShape: [Int], stridesA: [Int], stridesB: [Int]) {
        self.outShape = outShape
        self.stridesA = stridesA
        self.stridesB = stridesB
    }

    var rowLength: Int { outShape.last ?? 1 }
    var rowStrideA: Int { stridesA.last ?? 0 }
    var rowStrideB: Int { stridesB.last ?? 0 }

    /// Calls `body(outStart, aStart, bStart)` for each row, in row-major order.
    func forEachRow(_ body: (Int, Int, Int) -> Void) {
        let rank = outShape.count
        let rows = rank == 0 ? 1 : outShape[..<(rank - 1)].reduce(1, *)
        guard rows > 0, rowLength > 0 else { return }
        var counter = [Int](repeating: 0, count: max(rank - 1, 0))
        var offA = 0, offB = 0
        for row in 0..<rows {
            body(row * rowLength, offA, offB)
            // Odometer increment over the outer axes, keeping the operand offsets in step.
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                offA += stridesA[axis]
                offB += stridesB[axis]
                if counter[axis] < outShape[axis] { break }
                offA -= stridesA[axis] * outShape[axis]
                offB -= stridesB[axis] * outShape[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// Sums `self` (a gradient of a broadcast result) down to `target`, the shape of an
    /// operand that was broadcast: the adjoint of broadcasting.
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        var out = [Float](repeating: 0, count: Shape.count(target))
        // The bias's case without the walk: the target repeated whole along leading axes,
        // summed row after row — the walk's order, so the same bits.
        let core = Array(target.drop { $0 == 1 })
        let width = Shape.count(core)
        if width > 1, core == Array(shape.suffix(core.count)) {
            scalars.withUnsafeBufferPointer { g in
                out.withUnsafeMutableBufferPointer { o in
                    hk_sum_rows(g.baseAddress, Int64(g.count / width), Int64(width), o.baseAddress)
                }
            }
            return Tensor(unchecked: target, out)
        }
        let walk = BroadcastWalk(target, target, out: shape)
        let length = walk.rowLength, step = walk.rowStrideA
        scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { o in
                walk.forEachRow { gStart, oStart, _ in
                    if step == 0 {
                        var acc: Float = 0
                        for j in 0..<length { acc += g[gStart + j] }
                        o[oStart] += acc
                    } else {
                        for j in 0..<length { o[oStart + j * step] += g[gStart + j] }
                    }
                }
            }
        }
        return Tensor(unchecked: target, out)
    }
}

extension Tensor {
    /// The values repeated along broadcast axes into a full tensor of `target` shape; no
    /// autograd (see `broadcast(to:)`).
    func broadcastValues(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let out = try Shape.broadcast(shape, target, op: "broadcast")
        guard out == target else {
            throw TensorError.shapes("broadcast", shape, target, "the first cannot be stretched to the second")
        }
        try Shape.validate(target, op: "broadcast")
        return try combine(Tensor.filled(target, 0), Add.self, op: "broadcast")
    }

    /// The tensor stretched along size-1 (or missing leading) axes to `target`, NumPy's
    /// `broadcast_to`; its gradient sums back.
    public func broadcast(to target: [Int]) throws -> Tensor {
        let y = try broadcastValues(to: target)
        return Tensor.record(y, op: "broadcast", inputs: [self]) { g, x in [g.summed(toShape: x[0].shape)] }
    }
}
