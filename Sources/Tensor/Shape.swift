/// Shape arithmetic shared by all ops: element counts, strides, axis normalisation and
/// NumPy broadcasting.
enum Shape {
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The most elements `linspace` may be asked for before its count is computed.
    static let maxCount = 1 << 28

    /// Checks a shape that came from outside the engine, or that an op is about to fill:
    /// no negative sizes, no overflow in `count`, and room under the memory budget.
    static func validate(_ shape: [Int], op: String) throws {
        try Cancellation.check()
        let total = try validateSizes(shape, op: op)
        if total > 0 { try MemoryBudget.check(count: total, shape: shape, op: op) }
    }

    /// The shape's element count, checked for negative sizes; Int.max when the product
    /// overflows (0 when any size is 0). For shapes of values that already exist.
    @discardableResult
    static func validateSizes(_ shape: [Int], op: String) throws -> Int {
        var total = 1, overflowed = false
        for size in shape {
            guard size >= 0 else {
                throw TensorError("\(op): size \(size) in shape \(formatShape(shape)) is negative")
            }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            overflowed = overflowed || overflow
            total = product
        }
        return shape.contains(0) ? 0 : overflowed ? Int.max : total
    }

    /// Row-major strides in elements: the last axis is contiguous.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Maps a possibly negative axis (−1 is the last) into 0..<rank, or throws.
    static func normalize(axis: Int, rank: Int, op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw TensorError.axis(op, axis, rank: rank) }
        return a
    }

    /// The broadcast shape of two shapes (NumPy rules: align from the right; sizes must be
    /// equal or one of them 1).
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TensorError.shapes(op, a, b, "sizes \(da) and \(db) at axis \(i - rank) cannot be broadcast (each must match or be 1)")
            }
        }
        return out
    }

    /// Strides for reading a tensor of `shape` as if it had `target` shape: broadcast axes get
    /// stride 0. `shape` must broadcast to `target`.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        var result = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count where shape[i] != 1 || target[i + offset] == 1 {
            result[i + offset] = shape[i] == 1 ? 0 : own[i]
        }
        return result
    }

    /// Splits a shape around `axis` into (outer, length, inner) so that element
    /// (o, a, i) sits at `(o * length + a) * inner + i`.
    static func around(_ shape: [Int], axis: Int) -> (outer: Int, length: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }
}
