/// Reductions along one axis or over everything: sum, mean, max, min, argmax, variance.
///
/// Each splits the shape around the axis into (outer, length, inner), so element
/// (o, a, i) is at `(o·length + a)·inner + i` and every reduction is two plain loops.
/// Sums accumulate in Double: a loss summed over thousands of terms keeps its digits.
extension Tensor {
    /// The layout of a reduction: the (outer, length, inner) split and the result's shape
    /// with and without the reduced axis kept as size 1.
    struct Reduction {
        let outer: Int, length: Int, inner: Int
        let keptShape: [Int]
        let outShape: [Int]
    }

    func reduction(axis: Int?, keepDims: Bool, op: String) throws -> Reduction {
        guard let axis else {
            let kept = [Int](repeating: 1, count: rank)
            return Reduction(outer: 1, length: count, inner: 1, keptShape: kept, outShape: keepDims ? kept : [])
        }
        let a = try Shape.normalize(axis: axis, rank: rank, op: op)
        var kept = shape
        kept[a] = 1
        var removed = shape
        removed.remove(at: a)
        // Emptied by this axis, the result can be far larger than the tensor:
        // sum(zeros([0, 2**40]), axis: 0) would be 2⁴⁰ zeros.
        if shape[a] == 0 { try Shape.validate(removed, op: op) }
        let (outer, length, inner) = Shape.around(shape, axis: a)
        return Reduction(outer: outer, length: length, inner: inner, keptShape: kept, outShape: keepDims ? kept : removed)
    }

    /// Applies `combine` across the reduced axis, in Double, starting from `initial`.
    private func fold(_ r: Reduction, initial: Double, _ combine: (Double, Float) -> Double) -> [Float] {
        var out = [Float](repeating: 0, count: r.outer * r.inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<r.outer {
                for i in 0..<r.inner {
                    var acc = initial
                    var index = o * r.length * r.inner + i
                    for _ in 0..<r.length {
                        acc = combine(acc, x[index])
                        index += r.inner
                    }
                    out[o * r.inner + i] = Float(acc)
                }
            }
        }
        return out
    }

    /// Sum along `axis` (all elements when nil).
    public func sum(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: keepDims, op: "sum")
        let y = Tensor(unchecked: r.outShape, fold(r, initial: 0) { $0 + Double($1) })
        return Tensor.record(y, op: "sum", inputs: [self]) { g, x in
            [try Tensor(unchecked: r.keptShape, g.scalars).broadcastValues(to: x[0].shape)]
        }
    }

    /// Mean along `axis` (all elements when nil). The mean of nothing is NaN.
    public func mean(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: keepDims, op: "mean")
        let n = Double(r.length)
        let y = Tensor(unchecked: r.outShape, fold(r, initial: 0) { $0 + Double($1) }.map { Float(Double($0) / n) })
        return Tensor.record(y, op: "mean", inputs: [self]) { g, x in
            let scale = Float(1 / n)
            return [try Tensor(unchecked: r.keptShape, g.scalars.map { $0 * scale }).broadcastValues(to: x[0].shape)]
        }
    }

    /// Variance along `axis`: the mean squared distance from the mean, divided by
    /// n − correction (0: population variance, as layer norm uses; 1: the sample estimate).
    public func variance(axis: Int? = nil, keepDims: Bool = false, correction: Int = 0) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: keepDims, op: "variance")
        // The mean can be treated as a constant: its own gradient term is
        // −(2/n)·Σ(x − μ), which is exactly zero.
        let mu = try detached().mean(axis: axis, keepDims: true)
        let centered = try self - mu
        let squares = try centered * centered
        let summed = try squares.sum(axis: axis, keepDims: keepDims)
        return try summed / Tensor(Float(r.length - correction))
    }

    /// Largest value along `axis`; the gradient goes to the first position holding it.
    public func max(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        try extreme(axis: axis, keepDims: keepDims, op: "max", better: >)
    }

    /// Smallest value along `axis`; the gradient goes to the first position holding it.
    public func min(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        try extreme(axis: axis, keepDims: keepDims, op: "min", better: <)
    }

    /// Index of the largest value along `axis` (the first, on ties), as a tensor of whole
    /// numbers; over all elements when nil (a flat index). No gradient.
    public func argmax(axis: Int? = nil, keepDims: Bool = false) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: keepDims, op: "argmax")
        let winners = try extremeIndices(r, op: "argmax", better: >)
        return Tensor(unchecked: r.outShape, winners.map { Float($0) })
    }

    /// Position along the axis of the first best element in each (outer, inner) lane.
    /// NaN wins over everything, so a NaN is never hidden by a max.
    private func extremeIndices(_ r: Reduction, op: String, better: (Float, Float) -> Bool) throws -> [Int] {
        guard r.length > 0 else {
            throw TensorError("\(op): cannot reduce an empty axis of shape \(formatShape(shape))")
        }
        var winners = [Int](repeating: 0, count: r.outer * r.inner)
        for o in 0..<r.outer {
            for i in 0..<r.inner {
                let base = o * r.length * r.inner + i
                var best = scalars[base], bestIndex = 0
                for a in 1..<r.length where !best.isNaN {
                    let v = scalars[base + a * r.inner]
                    if v.isNaN || better(v, best) { best = v; bestIndex = a }
                }
                winners[o * r.inner + i] = bestIndex
            }
        }
        return winners
    }

    private func extreme(axis: Int?, keepDims: Bool, op: String, better: (Float, Float) -> Bool) throws -> Tensor {
        let r = try reduction(axis: axis, keepDims: keepDims, op: op)
        let winners = try extremeIndices(r, op: op, better: better)
        var values = [Float](repeating: 0, count: winners.count)
        for o in 0..<r.outer {
            for i in 0..<r.inner {
                values[o * r.inner + i] = scalars[(o * r.length + winners[o * r.inner + i]) * r.inner + i]
            }
        }
        let y = Tensor(unchecked: r.outShape, values)
        return Tensor.record(y, op: op, inputs: [self]) { g, x in
            var dx = [Float](repeating: 0, count: x[0].count)
            for o in 0..<r.outer {
                for i in 0..<r.inner {
                    dx[(o * r.length + winners[o * r.inner + i]) * r.inner + i] = g.scalars[o * r.inner + i]
                }
            }
            return [Tensor(unchecked: x[0].shape, dx)]
        }
    }
}
