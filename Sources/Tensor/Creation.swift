/// Ways to make a tensor: constants, ranges, identity, one-hot rows and seeded random
/// values.
extension Tensor {
    /// A tensor of `shape` with every element `value`.
    /// `op` names the call in a refusal (`zeros` and `ones` are `full` with their value).
    public static func full(_ shape: [Int], _ value: Float, op: String = "full") throws -> Tensor {
        try Shape.validate(shape, op: op)
        return filled(shape, value)
    }

    public static func zeros(_ shape: [Int]) throws -> Tensor { try full(shape, 0, op: "zeros") }
    public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, 1, op: "ones") }

    /// `full` for shapes the engine itself computed, which are valid by construction.
    static func filled(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor(unchecked: shape, [Float](repeating: value, count: Shape.count(shape)))
    }

    /// The n×n identity matrix.
    public static func eye(_ n: Int) throws -> Tensor {
        guard n >= 0 else { throw TensorError("eye: size \(n) is negative") }
        try Shape.validate([n, n], op: "eye")
        var t = filled([n, n], 0)
        for i in 0..<n { t.scalars[i * n + i] = 1 }
        return t
    }

    /// start, start + step, … up to but not including end (NumPy's `arange`).
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError("arange: step must be a non-zero finite number and the ends finite (got \(start), \(end), step \(step))")
        }
        let steps = ((end - start) / step).rounded(.up)
        guard steps.isFinite, steps <= Float(Shape.maxCount) else {
            throw TensorError("arange: from \(start) to \(end) by \(step) is too many values")
        }
        let n = steps > 0 ? Int(steps) : 0
        return Tensor((0..<n).map { start + Float($0) * step })
    }

    /// `count` evenly spaced values from start to end inclusive.
    public static func linspace(_ start: Float, _ end: Float, count: Int) throws -> Tensor {
        try Shape.validate([count], op: "linspace")
        if count == 1 { return Tensor([start]) }
        let step = (end - start) / Float(count - 1)
        return Tensor((0..<count).map { $0 == count - 1 ? end : start + Float($0) * step })
    }

    /// One row per index with a 1 in that column: the lecture's one-hot word vectors.
    public static func oneHot(_ indices: [Int], classes: Int) throws -> Tensor {
        try Shape.validate([indices.count, classes], op: "one_hot")
        var t = filled([indices.count, classes], 0)
        for (row, index) in indices.enumerated() {
            guard index >= 0, index < classes else {
                throw TensorError("one_hot: index \(index) is out of range for \(classes) classes")
            }
            t.scalars[row * classes + index] = 1
        }
        return t
    }

    /// Normal draws with the given mean and standard deviation, in row-major order.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    using rng: inout SplitMix64) throws -> Tensor {
        try Shape.validate(shape, op: "random_normal")
        let n = Shape.count(shape)
        // 10⁸ draws take seconds: the time limit and Ctrl-C are asked every 64k. (Written
        // in place, not over zeros first: zeroing 1.6 GB took a second before the first draw.)
        let values = try [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            initialized = n  // Floats: nothing to undo if a check throws part way
            for i in 0..<n {
                try Cancellation.check(turn: i, every: 65536)
                buffer[i] = mean + std * rng.normal()
            }
        }
        return Tensor(unchecked: shape, values)
    }

    /// Uniform draws on [low, high), in row-major order.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using rng: inout SplitMix64) throws -> Tensor {
        try Shape.validate(shape, op: "random_uniform")
        let n = Shape.count(shape)
        let values = try [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            initialized = n
            for i in 0..<n {
                try Cancellation.check(turn: i, every: 65536)
                buffer[i] = low + (high - low) * rng.uniform()
            }
        }
        return Tensor(unchecked: shape, values)
    }

    /// Normal draws from a fresh generator seeded with `seed`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try randomNormal(shape, mean: mean, std: std, using: &rng)
    }

    /// Uniform draws from a fresh generator seeded with `seed`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try randomUniform(shape, low: low, high: high, using: &rng)
    }
}
