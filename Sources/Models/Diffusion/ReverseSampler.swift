import Tensor
import Trace

/// Where the reverse sampler puts its K time steps between T and 0.
public enum TimeSpacing: String, CaseIterable, Sendable {
    /// Equal steps in time: t_k = T·(1 − k/K), Δt = T/K.
    case uniform
    /// Equal steps in noise scale σ√t: t_k = T·(1 − k/K)², so Δt shrinks toward 0.
    case noiseScale
}

/// Generation by running the noising backwards (the lecture's reverse step, an
/// Euler–Maruyama step of the reverse SDE of Song et al. 2021):
///
///     x_{t−Δt} = x_t + σ²Δt ∇ₓlog p_t(x_t) + σ√Δt z,   z ~ N(0, I),
///
/// from x_T ~ N(0, σ²T·I) — or N(c, σ²T·I) for a given center c, e.g. the data mean,
/// since p_T is centred on the data's mean, not on 0 — down to t = 0 in K steps, with
/// ∇ₓlog p_t from any `Score` (exact mixture score or trained network).
///
/// **Time grid.** By default the steps are equal in noise scale σ√t (`.noiseScale`),
/// not in time: near t = 0 the modes sharpen and the score changes quickly, while at
/// large t it is almost linear. For Gaussian data of standard deviation 0.2 (one blob of
/// the eight Gaussians), σ²T = 16 and K = 100 steps, equal Δt leaves the samples with
/// about 4× the data's variance; equal steps in σ√t bring that to about 1.2×
/// (`.uniform` is there to show the difference). Each event carries its own Δt.
///
/// **Final denoise.** With `denoise: true` the last step adds no noise: it is then
/// Tweedie's formula E[x_0 | x_t] = x_t + σ²t ∇ₓlog p_t(x_t) at t = Δt, which removes the
/// last σ√Δt of noise instead of adding it. Off by default, so every step is the
/// lecture's step.
///
/// **Events.** Each step emits a `diffusion` event with tensors `x` (the points before,
/// (N, d)), `score` (∇ₓlog p_t(x), (N, d)), `z` (the noise drawn, (N, d); zeros in a
/// final denoise) and `x_next` (= x + σ²Δt·score + σ√Δt·z, (N, d)), and index `step`
/// (1-based), `t` (the current time), `dt`, `sigma` and `denoise`. The score's own work
/// (a network's layers) is not traced. Untraced, a step costs one score evaluation and
/// a few elementwise ops; keep N and K modest (a few hundred points, 20–100 steps) when
/// a student will step through the trace.
public struct ReverseSampler {
    public let score: any Score
    public let steps: Int
    public let spacing: TimeSpacing
    public let denoise: Bool

    public static let formula = "x_{t−Δt} = x_t + σ²Δt ∇ₓlog p(x_t) + σ√Δt z"
    public static let tweedieFormula = "E[x_0 | x_t] = x_t + σ²t ∇ₓlog p_t(x_t)"

    public init(score: any Score, steps: Int = 50, spacing: TimeSpacing = .noiseScale, denoise: Bool = false) throws {
        guard steps > 0, steps <= 1_000_000 else {
            throw TensorError("reverse sampler: the number of steps must be between 1 and 1000000, got \(steps)")
        }
        self.score = score
        self.steps = steps
        self.spacing = spacing
        self.denoise = denoise
    }

    public var process: ForwardProcess { score.process }

    /// The K + 1 times T = t_0 > t_1 > … > t_K = 0; step k goes from t_{k−1} to t_k.
    public var times: [Float] {
        (0...steps).map { k in
            let fraction = Float(steps - k) / Float(steps)
            switch spacing {
            case .uniform: return process.T * fraction
            case .noiseScale: return process.T * fraction * fraction
            }
        }
    }

    /// `count` new points: x_T drawn from N(center, σ²T·I) (center 0 when nil), then K
    /// reverse steps. Returns (count, d).
    public func sample(count: Int, seed: UInt64, center: [Float]? = nil) throws -> Tensor {
        var rng = SplitMix64(seed: seed)
        return try sample(count: count, center: center, using: &rng)
    }

    public func sample(count: Int, center: [Float]? = nil, using rng: inout SplitMix64) throws -> Tensor {
        let start = try process.prior(count: count, dimension: score.dimension, center: center, using: &rng)
        return try run(from: start, using: &rng)
    }

    /// K reverse steps from given points x_T (N, d).
    public func run(from start: Tensor, using rng: inout SplitMix64) throws -> Tensor {
        _ = try Points.check(start, dimension: score.dimension, op: "reverse sampler")
        let sigma = process.sigma
        let grid = times
        var x = start.detached()
        for k in 1...steps {
            let t = grid[k - 1], dt = grid[k - 1] - grid[k]
            let last = k == steps && denoise
            typealias S = DiffusionStep
            let step: [(IndexKey<S>, IndexValue)] = [(S.step, .int(k))]
            let s = Patching.point(S.score, at: step, try Tracing.suspended { try Tensor.withoutGrad { try score.score(x, at: t) } })
            guard s.shape == x.shape else {
                throw TensorError("reverse sampler: the score has shape \(formatShape(s.shape)) for points \(formatShape(x.shape))")
            }
            // The last step adds no noise: its z is not read, so not patched either.
            let z = last ? try Tensor.zeros(x.shape) : Patching.point(S.z, at: step, try Tensor.randomNormal(x.shape, using: &rng))
            let drift = sigma * sigma * dt, spread = sigma * dt.squareRoot()
            let next = Patching.point(S.xNext, at: step, try Tensor.withoutGrad { try x + s * Tensor(drift) + z * Tensor(spread) })
            let before = x
            Tracing.emit(S.self, last ? Self.tweedieFormula : Self.formula,
                         index: [(S.step, .int(k)), (S.t, .number(Double(t))), (S.dt, .number(Double(dt))),
                                 (S.sigma, .number(Double(sigma))), (S.denoise, .bool(last))]) {
                [(S.x, before), (S.score, s), (S.z, z), (S.xNext, next)]
            }
            x = next
        }
        return x
    }
}
