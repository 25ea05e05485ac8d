import Tensor

/// The forward (noising) process of the lecture's diffusion model: the SDE dx = σ dW
/// (drift f = 0, diffusion g = σ), whose Euler step is x_t = x_{t−Δt} + σ√Δt z and whose
/// steps add up to x_t = x_0 + σ√t z, z ~ N(0, I), for t in [0, T].
///
/// Only the product σ²t matters (the noise variance at time t), so σ and T are one knob
/// seen twice: the defaults σ = 2, T = 4 give σ²T = 16, a noise standard deviation of
/// σ√T = 4 at the end. The toy data have radius about 2, i.e. a per-coordinate variance
/// of about 2, so at t = T the cloud's variance is about 16 + 2 = 18 against the 16 of
/// the starting noise N(0, σ²T·I) the sampler draws from: standard deviations within 6 %.
/// The reverse process shrinks what is left of that mismatch further (for Gaussian data
/// the variance error scales like (v_0/v_T)², v_t = data variance + σ²t, about 1 %).
/// A smaller σ²T (e.g. σ = 1, T = 1) leaves the data visibly inside the "noise", and the
/// samples then come out measurably too narrow.
public struct ForwardProcess: Sendable, Equatable, CustomStringConvertible {
    /// The noise scale σ of dx = σ dW.
    public let sigma: Float
    /// The final time T; the process runs on [0, T].
    public let T: Float

    /// σ = 2, T = 4 (see above).
    public init() {
        sigma = 2
        T = 4
    }

    public init(sigma: Float, T: Float) throws {
        guard sigma > 0, sigma.isFinite else {
            throw TensorError("diffusion: σ must be a positive number, got \(sigma)")
        }
        guard T > 0, T.isFinite else {
            throw TensorError("diffusion: the final time T must be positive, got \(T)")
        }
        self.sigma = sigma
        self.T = T
    }

    public var description: String { "dx = σ dW, σ = \(sigma), T = \(T)" }

    /// The noise variance σ²t that x_t carries on top of x_0.
    public func noiseVariance(at t: Float) -> Float { sigma * sigma * t }

    /// The noise standard deviation σ√t.
    public func noiseStd(at t: Float) -> Float { sigma * t.squareRoot() }

    /// Checks a time in [0, T].
    func checkTime(_ t: Float, op: String) throws {
        guard t >= 0, t <= T, t.isFinite else {
            throw TensorError("\(op): time t = \(t) is outside [0, T] = [0, \(T)]")
        }
    }

    /// x_t = x_0 + σ√t z for points x_0 (N, d) at one time t; returns x_t and the z drawn.
    public func noised(_ x0: Tensor, t: Float, using rng: inout SplitMix64) throws -> (xt: Tensor, z: Tensor) {
        try noised(x0, times: [Float](repeating: t, count: x0.rank == 2 ? x0.shape[0] : 1), using: &rng)
    }

    /// x_t = x_0 + σ√t z with one time per row (training draws a different t for each
    /// point); returns x_t (N, d) and z (N, d).
    public func noised(_ x0: Tensor, times: [Float], using rng: inout SplitMix64) throws -> (xt: Tensor, z: Tensor) {
        let n = try Points.check(x0, dimension: nil, op: "diffusion.noise")
        guard times.count == n else {
            throw TensorError("diffusion.noise: \(times.count) times for \(n) points; give one time per row")
        }
        for t in times { try checkTime(t, op: "diffusion.noise") }
        let z = try Tensor.randomNormal(x0.shape, using: &rng)
        let std = try Tensor(shape: [n, 1], scalars: times.map { noiseStd(at: $0) })  // (N, 1)
        return (try x0 + z * std, z)
    }

    /// One forward Euler step x_{t+Δt} = x_t + σ√Δt z; returns the new points and z.
    public func step(_ x: Tensor, dt: Float, using rng: inout SplitMix64) throws -> (next: Tensor, z: Tensor) {
        _ = try Points.check(x, dimension: nil, op: "diffusion.step")
        guard dt > 0, dt.isFinite else {
            throw TensorError("diffusion.step: Δt must be positive, got \(dt)")
        }
        let z = try Tensor.randomNormal(x.shape, using: &rng)
        return (try x + z * Tensor(sigma * dt.squareRoot()), z)
    }

    /// `count` points from N(center, σ²T·I) (center 0 when nil): where the reverse process
    /// starts. Returns (count, dimension).
    public func prior(count: Int, dimension: Int, center: [Float]? = nil, using rng: inout SplitMix64) throws -> Tensor {
        try Points.checkCount(count, dimension: dimension, op: "diffusion.prior")
        let c = center ?? [Float](repeating: 0, count: dimension)
        guard c.count == dimension else {
            throw TensorError("diffusion.prior: center has \(c.count) coordinates, expected \(dimension)")
        }
        let noise = try Tensor.randomNormal([count, dimension], std: noiseStd(at: T), using: &rng)
        return try noise + Tensor(c)
    }
}
