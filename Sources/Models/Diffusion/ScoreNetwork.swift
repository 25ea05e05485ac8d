import Tensor

/// A learned score s_θ(x, t) ≈ ∇ₓlog p_t(x): a small MLP that looks at a noisy point and
/// the time and answers with an arrow toward the data.
///
/// **Parameterisation.** The MLP predicts the noise, ε̂ = MLP(features(x, t)), and the
/// score is s_θ(x, t) = −ε̂/(σ√t). Since x_t − x_0 = σ√t z, the lecture's denoising
/// score-matching residual becomes
///
///     s_θ(x_t, t) + (x_t − x_0)/(σ²t) = (z − ε̂)/(σ√t),
///
/// so minimising E‖s_θ + (x_t − x_0)/(σ²t)‖² is fitting ε̂ to the noise that was added,
/// weighted by 1/(σ²t) (see `denoisingLoss`). The MLP's output stays of order 1 at every
/// t, while the score itself may be as large as 1/(σ√t) near the data.
///
/// **Inputs.** Each point enters as x·c_in(t), c_in(t) = 1/√(1 + σ²t), which keeps the
/// inputs of order 1 whether the cloud is clean (radius ~2) or fully noised (std σ√T = 4
/// by default). The time enters through the log noise scale u = ln(σ√t) and a few
/// sinusoidal features of it: [u, sin(u), cos(u), …, sin(F·u), cos(F·u)] for F
/// `frequencies` — log scale because the score changes as fast between σ√t = 0.05 and
/// 0.1 as between 2 and 4. The MLP therefore has d + 1 + 2F inputs and d outputs.
///
/// Parameters live in the part `mlp` (`mlp.W1`, `mlp.b1`, …); calling the network under
/// `trace` shows the MLP's `layer` events.
public final class ScoreNetwork: Model, Score {
    public let process: ForwardProcess
    public let dimension: Int
    public let frequencies: Int
    public let mlp: MLP

    /// A score network for points of `dimension` coordinates with hidden layers of the
    /// given widths.
    public init(process: ForwardProcess = ForwardProcess(), dimension: Int = 2, hidden: [Int] = [32, 32],
                frequencies: Int = 2, activation: Activation = .gelu, seed: UInt64) throws {
        guard dimension > 0 else { throw TensorError("ScoreNetwork: dimension must be positive, got \(dimension)") }
        guard frequencies >= 0, frequencies <= 64 else {
            throw TensorError("ScoreNetwork: frequencies must be between 0 and 64, got \(frequencies)")
        }
        if let bad = hidden.first(where: { $0 <= 0 }) {
            throw TensorError("ScoreNetwork: hidden sizes must be positive, got \(bad) in \(hidden)")
        }
        self.process = process
        self.dimension = dimension
        self.frequencies = frequencies
        mlp = try MLP(sizes: [dimension + 1 + 2 * frequencies] + hidden + [dimension], activation: activation, seed: seed)
    }

    public var summary: String {
        let sizes = mlp.sizes.map(String.init).joined(separator: "→")
        return "ScoreNetwork \(sizes) (\(mlp.activation.rawValue)), s = −ε̂/(σ√t), σ = \(process.sigma), T = \(process.T)"
    }

    public var ownParameters: [Parameter] { [] }
    public var parts: [(name: String, model: any Model)] { [("mlp", mlp)] }

    /// Checks the points and one positive time per row; returns N.
    private func check(_ x: Tensor, _ t: [Float], op: String) throws -> Int {
        let n = try Points.check(x, dimension: dimension, op: op)
        guard t.count == n else { throw TensorError("\(op): \(t.count) times for \(n) points; give one time per row") }
        for time in t {
            guard time > 0, time <= process.T, time.isFinite else {
                throw TensorError("\(op): time t = \(time) is outside (0, T] = (0, \(process.T)]; the score is not defined at t = 0")
            }
        }
        return n
    }

    /// The time features [u, sin(j·u), cos(j·u) for j = 1…F], u = ln(σ√t): (N, 1 + 2F).
    public func timeFeatures(_ t: [Float]) throws -> Tensor {
        let width = 1 + 2 * frequencies
        var out = [Float](repeating: 0, count: t.count * width)
        for (n, time) in t.enumerated() {
            let u = Real64.log(Double(process.noiseStd(at: time)))
            out[n * width] = Float(u)
            for j in stride(from: 1, through: frequencies, by: 1) {
                out[n * width + 2 * j - 1] = Float(Real64.sin(Double(j) * u))
                out[n * width + 2 * j] = Float(Real64.cos(Double(j) * u))
            }
        }
        return try Tensor(shape: [t.count, width], scalars: out)
    }

    /// The MLP's input [x·c_in(t), time features]: (N, d + 1 + 2F).
    public func features(_ x: Tensor, t: [Float]) throws -> Tensor {
        let n = try check(x, t, op: "ScoreNetwork")
        let cIn = try Tensor(shape: [n, 1], scalars: t.map { 1 / (1 + process.noiseVariance(at: $0)).squareRoot() })
        return try Tensor.concatenate([x * cIn, timeFeatures(t)], axis: 1)
    }

    /// The predicted noise ε̂(x, t): (N, d), one time per row.
    public func epsilon(_ x: Tensor, t: [Float]) throws -> Tensor {
        try mlp(features(x, t: t))
    }

    /// The score s_θ(x, t) = −ε̂(x, t)/(σ√t): (N, d), one time per row.
    public func callAsFunction(_ x: Tensor, t: [Float]) throws -> Tensor {
        let eps = try epsilon(x, t: t)
        let scale = try Tensor(shape: [t.count, 1], scalars: t.map { -1 / process.noiseStd(at: $0) })
        return try eps * scale
    }

    /// The score of every point at one time t.
    public func score(_ x: Tensor, at t: Float) throws -> Tensor {
        try self(x, t: [Float](repeating: t, count: x.rank == 2 ? x.shape[0] : 0))
    }
}
