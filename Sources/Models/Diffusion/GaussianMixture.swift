import Tensor

/// A mixture of isotropic Gaussians, p(x) = Σ_k w_k N(x; μ_k, s_k² I): a data
/// distribution whose density, score and moments are all known exactly.
///
/// That is what makes it the lecture's check with no training: noising with
/// x_t = x_0 + σ√t z adds σ²t to every component's variance, so the noised density is
/// again a mixture, p_t = Σ_k w_k N(μ_k, (s_k² + σ²t) I) (`noised(by:)`), and its score
/// ∇ₓlog p_t is closed form (`score(_:)`). The eight Gaussians on a circle are one
/// (`eightGaussians`).
///
/// Numbers are kept in Double; points come and go as Float tensors of shape (N, d).
public struct GaussianMixture: Sendable, Equatable {
    /// Mixing weights w_k, normalised to sum to 1.
    public let weights: [Double]
    /// Component means μ_k, each of length `dimension`.
    public let means: [[Double]]
    /// Per-component isotropic variances s_k² (0 allowed: a point mass).
    public let variances: [Double]

    public var dimension: Int { means[0].count }
    public var componentCount: Int { means.count }

    /// A mixture from weights (any non-negative numbers with a positive sum; they are
    /// normalised), means (K, d) and one variance s_k² per component.
    public init(weights: [Float], means: Tensor, variances: [Float]) throws {
        guard means.rank == 2 else {
            throw TensorError("GaussianMixture: means must be a matrix (K, d) with one row per component, got shape \(formatShape(means.shape))")
        }
        let (k, d) = (means.shape[0], means.shape[1])
        guard k > 0 else { throw TensorError("GaussianMixture: needs at least one component, got an empty list of means") }
        guard d > 0 else { throw TensorError("GaussianMixture: means have no coordinates (shape \(formatShape(means.shape))); points need at least one") }
        guard weights.count == k else {
            throw TensorError("GaussianMixture: \(weights.count) weights for \(k) components; give one weight per row of means")
        }
        guard variances.count == k else {
            throw TensorError("GaussianMixture: \(variances.count) variances for \(k) components; give one per component (or a single shared variance)")
        }
        if let bad = weights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw TensorError("GaussianMixture: weight \(bad) is \(weights[bad]); weights must be finite and non-negative")
        }
        if let bad = variances.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
            throw TensorError("GaussianMixture: variance \(bad) is \(variances[bad]); variances must be finite and non-negative")
        }
        guard means.scalars.allSatisfy(\.isFinite) else {
            throw TensorError("GaussianMixture: means must be finite numbers")
        }
        let total = weights.reduce(0.0) { $0 + Double($1) }
        guard total > 0 else { throw TensorError("GaussianMixture: the weights add up to 0; at least one must be positive") }
        self.weights = weights.map { Double($0) / total }
        self.means = (0..<k).map { r in (0..<d).map { Double(means.scalars[r * d + $0]) } }
        self.variances = variances.map(Double.init)
    }

    /// A mixture whose components share one variance s².
    public init(weights: [Float], means: Tensor, variance: Float) throws {
        let k = means.rank == 2 ? means.shape[0] : 0
        try self.init(weights: weights, means: means, variances: [Float](repeating: variance, count: k))
    }

    /// Equal weights and one shared variance.
    public init(means: Tensor, variance: Float) throws {
        let k = means.rank == 2 ? means.shape[0] : 0
        try self.init(weights: [Float](repeating: 1, count: k), means: means, variance: variance)
    }

    /// Already-validated values (used by `noised(by:)`).
    private init(checkedWeights: [Double], means: [[Double]], variances: [Double]) {
        self.weights = checkedWeights
        self.means = means
        self.variances = variances
    }

    /// Eight equally weighted Gaussians of standard deviation `noise`, their means
    /// evenly spaced on a circle of `radius` (mode k at angle 2πk/8, starting on the
    /// positive x axis).
    public static func eightGaussians(radius: Float = 2, noise: Float = 0.2) throws -> GaussianMixture {
        guard radius > 0, radius.isFinite else { throw TensorError("eight_gaussians: radius must be positive, got \(radius)") }
        guard noise >= 0, noise.isFinite else { throw TensorError("eight_gaussians: noise must be a non-negative standard deviation, got \(noise)") }
        var rows: [[Float]] = []
        for k in 0..<8 {
            let angle = 2 * Double.pi * Double(k) / 8
            rows.append([Float(Double(radius) * Real64.cos(angle)), Float(Double(radius) * Real64.sin(angle))])
        }
        return try GaussianMixture(means: Tensor(rows), variance: noise * noise)
    }

    /// The mixture after noising for time t: every variance grows by σ²t.
    public func noised(by addedVariance: Double) -> GaussianMixture {
        GaussianMixture(checkedWeights: weights, means: means, variances: variances.map { $0 + addedVariance })
    }

    /// E[x] = Σ_k w_k μ_k.
    public var mean: [Double] {
        (0..<dimension).map { j in zip(weights, means).reduce(0) { $0 + $1.0 * $1.1[j] } }
    }

    /// Cov[x] = Σ_k w_k (μ_k μ_kᵀ + s_k² I) − E[x] E[x]ᵀ, as a d×d matrix (row-major rows).
    public var covariance: [[Double]] {
        let m = mean
        return (0..<dimension).map { i in
            (0..<dimension).map { j in
                var second = 0.0
                for k in 0..<componentCount {
                    second += weights[k] * (means[k][i] * means[k][j] + (i == j ? variances[k] : 0))
                }
                return second - m[i] * m[j]
            }
        }
    }

    /// N points drawn from the mixture: a component k with probability w_k, then
    /// μ_k + s_k·z. Returns (N, d).
    public func sample(_ count: Int, using rng: inout SplitMix64) throws -> Tensor {
        let d = dimension
        try Points.checkCount(count, dimension: d, op: "GaussianMixture.sample")
        var out = [Float](repeating: 0, count: count * d)
        let cumulative = weights.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
        for n in 0..<count {
            try Cancellation.check(turn: n, every: 4096)  // millions of points take seconds
            let u = Double(rng.uniform())
            let k = cumulative.firstIndex { u < $0 } ?? (componentCount - 1)
            let s = variances[k].squareRoot()
            for j in 0..<d { out[n * d + j] = Float(means[k][j] + s * Double(rng.normal())) }
        }
        return try Tensor(shape: [count, d], scalars: out)
    }

    public func sample(_ count: Int, seed: UInt64) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try sample(count, using: &rng)
    }

    /// log w_k − (d/2)·log(2π s_k²) for every component (−∞ for weight 0): the part of
    /// each component's log density that does not depend on x. Throws for a point mass
    /// (s_k = 0) of positive weight, which has no density.
    private func logNormalisers(op: String) throws -> [Double] {
        let halfD = 0.5 * Double(dimension)
        return try (0..<componentCount).map { k in
            guard weights[k] > 0 else { return -.infinity }
            guard variances[k] > 0 else {
                throw TensorError("\(op): component \(k) has variance 0 (a point mass), which has no density; evaluate at t > 0")
            }
            return Real64.log(weights[k]) - halfD * Real64.log(2 * Double.pi * variances[k])
        }
    }

    /// Writes log w_k + log N(x; μ_k, s_k² I) for every component k into `logs`, for the
    /// point in row `r` of x (N, d).
    private func componentLogDensities(_ x: Tensor, row r: Int, normalisers: [Double], into logs: inout [Double]) {
        let d = dimension
        for k in 0..<componentCount {
            guard normalisers[k] > -.infinity else {
                logs[k] = -.infinity
                continue
            }
            var squared = 0.0
            for j in 0..<d {
                let diff = Double(x.scalars[r * d + j]) - means[k][j]
                squared += diff * diff
            }
            logs[k] = normalisers[k] - squared / (2 * variances[k])
        }
    }

    /// log p(x) for each row of x (N, d), by log-sum-exp over the components.
    public func logDensity(_ x: Tensor) throws -> [Double] {
        let n = try Points.check(x, dimension: dimension, op: "GaussianMixture.log_density")
        let normalisers = try logNormalisers(op: "GaussianMixture.log_density")
        var logs = [Double](repeating: 0, count: componentCount)
        return try (0..<n).map { r in
            try Cancellation.check(turn: r, every: 4096)
            componentLogDensities(x, row: r, normalisers: normalisers, into: &logs)
            return Real64.logSumExp(logs)
        }
    }

    /// Responsibilities r_k(x) = w_k N(x; μ_k, s_k²I) / p(x) for each row: (N, K), rows sum to 1.
    public func responsibilities(_ x: Tensor) throws -> Tensor {
        let n = try Points.check(x, dimension: dimension, op: "GaussianMixture.responsibilities")
        let normalisers = try logNormalisers(op: "GaussianMixture.responsibilities")
        let kCount = componentCount
        var out = [Float](repeating: 0, count: n * kCount)
        var logs = [Double](repeating: 0, count: kCount)
        for r in 0..<n {
            try Cancellation.check(turn: r, every: 4096)  // millions of points take seconds
            componentLogDensities(x, row: r, normalisers: normalisers, into: &logs)
            let total = Real64.logSumExp(logs)
            for k in 0..<kCount { out[r * kCount + k] = Float(Real64.exp(logs[k] - total)) }
        }
        return try Tensor(shape: [n, kCount], scalars: out)
    }

    /// The score ∇ₓlog p(x) = Σ_k r_k(x)·(−(x − μ_k)/s_k²) for each row of x (N, d).
    ///
    /// The responsibilities come from log-sum-exp in Double, so points far from every
    /// mean (where each density underflows) still get the right weights.
    public func score(_ x: Tensor) throws -> Tensor {
        let n = try Points.check(x, dimension: dimension, op: "GaussianMixture.score")
        let normalisers = try logNormalisers(op: "GaussianMixture.score")
        let d = dimension
        var out = [Float](repeating: 0, count: n * d)
        var logs = [Double](repeating: 0, count: componentCount)
        var s = [Double](repeating: 0, count: d)
        for r in 0..<n {
            try Cancellation.check(turn: r, every: 4096)  // millions of points take seconds
            componentLogDensities(x, row: r, normalisers: normalisers, into: &logs)
            let total = Real64.logSumExp(logs)
            for j in 0..<d { s[j] = 0 }
            for k in 0..<componentCount where logs[k] > -.infinity {
                let resp = Real64.exp(logs[k] - total)
                for j in 0..<d { s[j] -= resp * (Double(x.scalars[r * d + j]) - means[k][j]) / variances[k] }
            }
            for j in 0..<d { out[r * d + j] = Float(s[j]) }
        }
        return try Tensor(shape: [n, d], scalars: out)
    }
}
