import Tensor

/// The exact score of noised Gaussian-mixture data — diffusion with no training.
///
/// If the data are p_0 = Σ_k w_k N(μ_k, s_k² I) and x_t = x_0 + σ√t z, then
/// p_t = Σ_k w_k N(μ_k, (s_k² + σ²t) I) and
///
///     ∇ₓlog p_t(x) = Σ_k r_k(x) · (−(x − μ_k)/(s_k² + σ²t)),
///     r_k(x) = w_k N(x; μ_k, (s_k² + σ²t)I) / p_t(x),
///
/// with the responsibilities r_k from log-sum-exp in Double. For one component this is
/// the lecture's check −(x − μ)/(s² + σ²t).
public struct ExactScore: Score, Sendable {
    public let mixture: GaussianMixture
    public let process: ForwardProcess

    public init(_ mixture: GaussianMixture, process: ForwardProcess = ForwardProcess()) {
        self.mixture = mixture
        self.process = process
    }

    public var dimension: Int { mixture.dimension }

    /// p_t, the data distribution after noising for time t.
    public func distribution(at t: Float) throws -> GaussianMixture {
        try process.checkTime(t, op: "exact_score")
        return mixture.noised(by: Double(process.sigma) * Double(process.sigma) * Double(t))
    }

    /// ∇ₓlog p_t(x) for points (N, d): (N, d). At t = 0 this needs every component to
    /// have a positive variance.
    public func score(_ x: Tensor, at t: Float) throws -> Tensor {
        try distribution(at: t).score(x)
    }

    /// log p_t(x) for each row of x (N, d).
    public func logDensity(_ x: Tensor, at t: Float) throws -> [Double] {
        try distribution(at: t).logDensity(x)
    }
}
