/// Ops that move values around without computing new ones: reshape, permute/transpose.
/// Results are always contiguous copies — no views — so value semantics stay simple.
extension Tensor {
    /// The same values in a new shape; one size may be −1 and is then inferred.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var target = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        if unknown.count > 1 {
            throw TensorError("reshape: only one size may be -1, got \(formatShape(newShape))")
        }
        if let u = unknown.first {
            let known = newShape.enumerated().filter { $0.offset != u }.map(\.element)
            let rest = try Shape.validateSizes(known, op: "reshape")
            guard rest > 0, count % rest == 0 else {
                throw TensorError.shapes("reshape", shape, newShape, "\(count) values cannot be arranged that way")
            }
            target[u] = count / rest
        }
        let places = try Shape.validateSizes(target, op: "reshape")
        guard places == count else {
            let described = places == Int.max ? "more than \(Int.max)" : "\(places)"
            throw TensorError.shapes("reshape", shape, newShape, "\(count) value\(count == 1 ? "" : "s") cannot fill \(described) places")
        }
        let y = Tensor(unchecked: target, scalars)
        return Tensor.record(y, op: "reshape", inputs: [self]) { g, x in
            [Tensor(unchecked: x[0].shape, g.scalars)]
        }
    }

    /// Axes reordered: axis i of the result is axis `axes[i]` of this tensor.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let normalized = try axes.map { try Shape.normalize(axis: $0, rank: rank, op: "permute") }
        guard normalized.count == rank, Set(normalized).count == rank else {
            throw TensorError("permute: \(axes) is not an ordering of the \(rank) axes of a tensor of shape \(formatShape(shape))")
        }
        let y = permutedValues(normalized)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in normalized.enumerated() { inverse[a] = i }
        return Tensor.record(y, op: "permute", inputs: [self]) { g, _ in [g.permutedValues(inverse)] }
    }

    /// Two axes swapped (default: the last two, as in batched `k.transpose`). A vector or
    /// a scalar is its own transpose.
    public func transposed(_ axis1: Int = -2, _ axis2: Int = -1) throws -> Tensor {
        if rank < 2 && axis1 == -2 && axis2 == -1 { return self }
        let a = try Shape.normalize(axis: axis1, rank: rank, op: "transpose")
        let b = try Shape.normalize(axis: axis2, rank: rank, op: "transpose")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permuted(order)
    }

    /// All axes reversed (NumPy's `.T`): rows become columns for a matrix.
    public var T: Tensor {
        // A reversal of 0..<rank is always a valid permutation.
        (try? permuted(Array((0..<rank).reversed()))) ?? self
    }

    /// Copies values into the permuted layout, one output row at a time.
    func permutedValues(_ axes: [Int]) -> Tensor {
        let outShape = axes.map { shape[$0] }
        if axes == Array(0..<rank) { return Tensor(unchecked: outShape, scalars) }
        let inStrides = Shape.strides(shape)
        if axes.last == rank - 1, rank == 4 {
            // The head split and merge, (B, T, H, d) ↔ (B, H, T, d): the last axis stays, so
            // whole rows of d values are copied, with no walk.
            let (n0, n1, n2, d) = (outShape[0], outShape[1], outShape[2], outShape[3])
            let (s0, s1, s2) = (inStrides[axes[0]], inStrides[axes[1]], inStrides[axes[2]])
            // Every place is written once, in order, so the result need not be zeroed first.
            let out = scalars.withUnsafeBufferPointer { x in
                [Float](unsafeUninitializedCapacity: count) { o, initialized in
                    guard let source = x.baseAddress, let target = o.baseAddress else { return initialized = 0 }
                    var start = 0
                    for i in 0..<n0 {
                        for j in 0..<n1 {
                            for k in 0..<n2 {
                                (target + start).initialize(from: source + (i * s0 + j * s1 + k * s2), count: d)
                                start += d
                            }
                        }
                    }
                    initialized = count
                }
            }
            return Tensor(unchecked: outShape, out)
        }
        let walk = BroadcastWalk(outShape: outShape, stridesA: axes.map { inStrides[$0] },
                                 stridesB: [Int](repeating: 0, count: rank))
        let length = walk.rowLength, step = walk.rowStrideA
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                walk.forEachRow { start, offset, _ in
                    for j in 0..<length { o[start + j] = x[offset + j * step] }
                }
            }
        }
        return Tensor(unchecked: outShape, out)
    }
}
