/// Picking parts of a tensor along an axis — slices, single indices, gathers (embedding
/// lookup) — and the reverse: concatenating, stacking, splitting.
///
/// All of them are one primitive, `pick`, which copies chosen positions along one axis;
/// its gradient scatters back and adds (an index chosen twice gets both gradients).
extension Tensor {
    /// Positions along `axis`, in the given order (repeats allowed, already in range).
    /// Consecutive positions (a slice, a split, one index) copy as one run per outer
    /// index; the gradient adds back the same way, so the bits are those of the general
    /// walk.
    func pick(axis: Int, positions: [Int], op: String) -> Tensor {
        let (outer, length, inner) = Shape.around(shape, axis: axis)
        var outShape = shape
        outShape[axis] = positions.count
        let count = positions.count
        let consecutive = positions.indices.allSatisfy { positions[$0] == positions[0] + $0 }
        let total = outer * count * inner
        let out = [Float](unsafeUninitializedCapacity: total) { o, initialized in
            scalars.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress, let o = o.baseAddress else { return }
                for b in 0..<outer {
                    if consecutive, let first = positions.first {
                        (o + b * count * inner).update(from: x + (b * length + first) * inner, count: count * inner)
                        continue
                    }
                    for (k, p) in positions.enumerated() {
                        (o + (b * count + k) * inner).update(from: x + (b * length + p) * inner, count: inner)
                    }
                }
            }
            initialized = total
        }
        let y = Tensor(unchecked: outShape, out)
        return Tensor.record(y, op: op, inputs: [self]) { g, x in
            var dx = [Float](repeating: 0, count: x[0].count)
            g.scalars.withUnsafeBufferPointer { gy in
                dx.withUnsafeMutableBufferPointer { d in
                    guard let gy = gy.baseAddress, let d = d.baseAddress else { return }
                    func add(_ dst: Int, _ src: Int, _ n: Int) {
                        for i in 0..<n { d[dst + i] += gy[src + i] }
                    }
                    for b in 0..<outer {
                        if consecutive, let first = positions.first {
                            add((b * length + first) * inner, b * count * inner, count * inner)
                            continue
                        }
                        for (k, p) in positions.enumerated() { add((b * length + p) * inner, (b * count + k) * inner, inner) }
                    }
                }
            }
            return [Tensor(unchecked: x[0].shape, dx)]
        }
    }

    /// Python's slice `start:end:step` along `axis`, with Python's rules: negative values
    /// count from the end, out-of-range ends are clamped, a negative step walks backwards.
    public func slice(axis: Int = 0, start: Int? = nil, end: Int? = nil, step: Int = 1) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "slice")
        guard step != 0 else { throw TensorError("slice: step cannot be zero") }
        let n = shape[a]
        func clamp(_ v: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
            guard var v else { return defaultValue }
            if v < 0 { v += n }
            return Swift.min(Swift.max(v, low), high)
        }
        let positions: [Int]
        if step > 0 {
            let s = clamp(start, 0, low: 0, high: n), e = clamp(end, n, low: 0, high: n)
            positions = Array(stride(from: s, to: e, by: step))
        } else {
            let s = clamp(start, n - 1, low: -1, high: n - 1), e = clamp(end, -1, low: -1, high: n - 1)
            positions = Array(stride(from: s, to: e, by: step))
        }
        return pick(axis: a, positions: positions, op: "slice")
    }

    /// The sub-tensor at `index` along `axis`, with that axis removed (`A[0]` is row 0).
    public func select(axis: Int = 0, index: Int) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "index")
        let i = try Self.position(index, size: shape[a], axis: a, op: "index")
        var outShape = shape
        outShape.remove(at: a)
        return try pick(axis: a, positions: [i], op: "index").reshaped(outShape)
    }

    /// Rows (or slices along `axis`) at the given indices, in order — an embedding lookup
    /// when this is a table (V, d) and the indices are token ids. The result has the
    /// indices' shape in place of `axis`: a table (V, d) and ids of shape (B, T) give
    /// (B, T, d).
    public func take(_ indices: [Int], indexShape: [Int]? = nil, axis: Int = 0) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "take")
        let idxShape = indexShape ?? [indices.count]
        guard !idxShape.contains(where: { $0 < 0 }), try Shape.validateSizes(idxShape, op: "take") == indices.count else {
            throw TensorError("take: index shape \(formatShape(idxShape)) does not hold \(indices.count) indices")
        }
        var pickedShape = shape
        pickedShape[a] = indices.count
        try Shape.validate(pickedShape, op: "take")
        let positions = try indices.map { try Self.position($0, size: shape[a], axis: a, op: "take") }
        let picked = pick(axis: a, positions: positions, op: "take")
        return try picked.reshaped(Array(shape[..<a]) + idxShape + Array(shape[(a + 1)...]))
    }

    static func position(_ index: Int, size: Int, axis: Int, op: String) throws -> Int {
        let i = index < 0 ? index + size : index
        guard i >= 0, i < size else {
            throw TensorError("\(op): index \(index) is out of range for axis \(axis) of size \(size)")
        }
        return i
    }

    /// Tensors joined along an existing axis; all other sizes must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("concatenate: needs at least one tensor") }
        let a = try Shape.normalize(axis: axis, rank: first.rank, op: "concatenate")
        for t in tensors.dropFirst() {
            var s1 = first.shape, s2 = t.shape
            guard s1.count == s2.count else {
                throw TensorError.shapes("concatenate", first.shape, t.shape, "ranks \(s1.count) and \(s2.count) differ")
            }
            s1[a] = 0
            s2[a] = 0
            guard s1 == s2 else {
                throw TensorError.shapes("concatenate", first.shape, t.shape, "sizes must agree on every axis but \(a)")
            }
        }
        let sizes = tensors.map { $0.shape[a] }
        var outShape = first.shape
        outShape[a] = sizes.reduce(0, +)
        try Shape.validate(outShape, op: "concatenate")
        let (outer, _, inner) = Shape.around(outShape, axis: a)
        var out = [Float]()
        out.reserveCapacity(Shape.count(outShape))
        for b in 0..<outer {
            for t in tensors {
                let block = t.shape[a] * inner
                out.append(contentsOf: t.scalars[(b * block)..<((b + 1) * block)])
            }
        }
        let y = Tensor(unchecked: outShape, out)
        return record(y, op: "concatenate", inputs: tensors) { g, _ in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.pick(axis: a, positions: Array(start..<(start + size)), op: "concatenate")
            }
        }
    }

    /// Tensors of one shape stacked along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack: needs at least one tensor") }
        let a = try Shape.normalize(axis: axis, rank: first.rank + 1, op: "stack")
        for t in tensors where t.shape != first.shape {
            throw TensorError.shapes("stack", first.shape, t.shape, "stacked tensors must all have one shape")
        }
        var expanded = first.shape
        expanded.insert(1, at: a)
        return try concatenate(tensors.map { try $0.reshaped(expanded) }, axis: a)
    }

    /// Consecutive pieces along `axis` with the given sizes, which must add up to its size.
    public func split(sizes: [Int], axis: Int = 0) throws -> [Tensor] {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "split")
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[a] else {
            throw TensorError("split: sizes \(sizes) do not add up to \(shape[a]), the size of axis \(a) of \(formatShape(shape))")
        }
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return pick(axis: a, positions: Array(start..<(start + size)), op: "split")
        }
    }

    /// `parts` equal pieces along `axis` (e.g. the heads of multi-head attention).
    public func split(parts: Int, axis: Int = 0) throws -> [Tensor] {
        let a = try Shape.normalize(axis: axis, rank: rank, op: "split")
        guard parts > 0, shape[a] % parts == 0 else {
            throw TensorError("split: axis \(a) of size \(shape[a]) cannot be cut into \(parts) equal parts")
        }
        return try split(sizes: [Int](repeating: shape[a] / parts, count: parts), axis: a)
    }
}
