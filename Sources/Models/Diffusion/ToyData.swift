import Tensor

/// The 2-D toy data sets of well-known diffusion demos, generated from a seed (no
/// files): each returns `count` points as a (count, 2) tensor, scaled so the cloud has a
/// radius of about `radius` around the origin, with Gaussian jitter of standard
/// deviation `noise` on each coordinate.
///
/// Only the eight Gaussians are an exact distribution (see
/// `GaussianMixture.eightGaussians`); the others are samples only.
public enum ToyData {
    /// The names `named(_:)` accepts.
    public static let names = ["eight_gaussians", "two_moons", "swiss_roll", "rings"]

    /// Eight Gaussian blobs of standard deviation `noise` on a circle of `radius`,
    /// drawn from the exact mixture `GaussianMixture.eightGaussians`.
    public static func eightGaussians(count: Int, radius: Float = 2, noise: Float = 0.2, seed: UInt64) throws -> Tensor {
        try Points.checkCount(count, dimension: 2, op: "eight_gaussians")
        return try GaussianMixture.eightGaussians(radius: radius, noise: noise).sample(count, seed: seed)
    }

    /// Two interleaved half circles (the "moons") of `radius`: the upper one centred at
    /// (−r/2, −r/4), the lower one at (r/2, r/4), so the pair is centred on the origin.
    /// Points are split evenly, angle uniform along each arc.
    public static func twoMoons(count: Int, radius: Float = 1.5, noise: Float = 0.1, seed: UInt64) throws -> Tensor {
        try check(count: count, radius: radius, noise: noise, op: "two_moons")
        var rng = SplitMix64(seed: seed)
        let r = Double(radius)
        return try points(count, noise: noise, using: &rng) { n, rng in
            let angle = Double.pi * Double(rng.uniform())
            if n % 2 == 0 {
                return (r * Real64.cos(angle) - r / 2, r * Real64.sin(angle) - r / 4)
            }
            return (r / 2 - r * Real64.cos(angle), r / 4 - r * Real64.sin(angle))
        }
    }

    /// A 2-D swiss roll: the spiral (θ cos θ, θ sin θ) for θ uniform in [1.5π, 4.5π]
    /// (one and a half turns, as in scikit-learn's `make_swiss_roll`), scaled so its
    /// outer end lies at `radius`.
    public static func swissRoll(count: Int, radius: Float = 2, noise: Float = 0.05, seed: UInt64) throws -> Tensor {
        try check(count: count, radius: radius, noise: noise, op: "swiss_roll")
        var rng = SplitMix64(seed: seed)
        let scale = Double(radius) / (4.5 * Double.pi)
        return try points(count, noise: noise, using: &rng) { _, rng in
            let theta = 1.5 * Double.pi * (1 + 2 * Double(rng.uniform()))
            return (scale * theta * Real64.cos(theta), scale * theta * Real64.sin(theta))
        }
    }

    /// Concentric circles of radii radius·j/rings, j = 1…rings, centred on the origin.
    /// A point picks ring j with probability proportional to its radius (so points are
    /// equally dense along every ring), then a uniform angle.
    public static func rings(count: Int, radius: Float = 2, rings: Int = 2, noise: Float = 0.05, seed: UInt64) throws -> Tensor {
        try check(count: count, radius: radius, noise: noise, op: "rings")
        guard rings > 0, rings <= 1000 else {
            throw TensorError("rings: the number of rings must be between 1 and 1000, got \(rings)")
        }
        var rng = SplitMix64(seed: seed)
        let total = Double(rings * (rings + 1) / 2)  // Σ_j j
        return try points(count, noise: noise, using: &rng) { _, rng in
            var pick = Double(rng.uniform()) * total
            var j = 1
            while j < rings, pick >= Double(j) {
                pick -= Double(j)
                j += 1
            }
            let r = Double(radius) * Double(j) / Double(rings)
            let angle = 2 * Double.pi * Double(rng.uniform())
            return (r * Real64.cos(angle), r * Real64.sin(angle))
        }
    }

    /// A toy set by name (one of `names`), with its default radius and noise.
    public static func named(_ name: String, count: Int, seed: UInt64) throws -> Tensor {
        switch name {
        case "eight_gaussians": try eightGaussians(count: count, seed: seed)
        case "two_moons": try twoMoons(count: count, seed: seed)
        case "swiss_roll": try swissRoll(count: count, seed: seed)
        case "rings": try rings(count: count, seed: seed)
        default:
            throw TensorError("toy data: unknown data set \"\(name)\"; choose one of \(names.joined(separator: ", "))")
        }
    }

    private static func check(count: Int, radius: Float, noise: Float, op: String) throws {
        try Points.checkCount(count, dimension: 2, op: op)
        guard radius > 0, radius.isFinite else { throw TensorError("\(op): radius must be positive, got \(radius)") }
        guard noise >= 0, noise.isFinite else {
            throw TensorError("\(op): noise must be a non-negative standard deviation, got \(noise)")
        }
    }

    /// `count` points from `curve` (given the point's number and the generator), each
    /// coordinate jittered by N(0, noise²).
    private static func points(_ count: Int, noise: Float, using rng: inout SplitMix64,
                               _ curve: (Int, inout SplitMix64) -> (Double, Double)) throws -> Tensor {
        var out = [Float](repeating: 0, count: count * 2)
        for n in 0..<count {
            let (x, y) = curve(n, &rng)
            out[2 * n] = Float(x) + noise * rng.normal()
            out[2 * n + 1] = Float(y) + noise * rng.normal()
        }
        return try Tensor(shape: [count, 2], scalars: out)
    }
}
