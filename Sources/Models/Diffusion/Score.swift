import Tensor

/// A score function s(x, t) ≈ ∇ₓlog p_t(x): the arrows that point each noisy point
/// toward where the data are more likely. The reverse sampler needs nothing else.
///
/// Two kinds exist: the exact score of a Gaussian mixture (`ExactScore`, no training)
/// and a learned one (`ScoreNetwork`); `ClosureScore` wraps any function. Each carries
/// the forward process it belongs to, because a score is a score *of p_t* for one σ:
/// the sampler takes σ and T from it, so the two can never disagree.
public protocol Score {
    /// The noising process p_t comes from (σ and T).
    var process: ForwardProcess { get }
    /// The number of coordinates of a point.
    var dimension: Int { get }
    /// ∇ₓlog p_t(x) for points x (N, dimension) at time t in (0, T]: (N, dimension).
    func score(_ x: Tensor, at t: Float) throws -> Tensor
}

extension Score {
    /// Tweedie's formula: E[x_0 | x_t] = x_t + σ²t ∇ₓlog p_t(x_t) — the best guess of the
    /// clean point behind each noisy one.
    public func denoised(_ x: Tensor, at t: Float) throws -> Tensor {
        try x + score(x, at: t) * Tensor(process.noiseVariance(at: t))
    }
}

/// A score given as a function, e.g. `ClosureScore(process: p, dimension: 2) { x, t in … }`.
public struct ClosureScore: Score {
    public let process: ForwardProcess
    public let dimension: Int
    private let body: (Tensor, Float) throws -> Tensor

    public init(process: ForwardProcess, dimension: Int = 2, _ body: @escaping (Tensor, Float) throws -> Tensor) throws {
        guard dimension > 0 else { throw TensorError("score: dimension must be positive, got \(dimension)") }
        self.process = process
        self.dimension = dimension
        self.body = body
    }

    public func score(_ x: Tensor, at t: Float) throws -> Tensor {
        _ = try Points.check(x, dimension: dimension, op: "score")
        let s = try body(x, t)
        guard s.shape == x.shape else {
            throw TensorError("score: the score function returned shape \(formatShape(s.shape)) for points of shape \(formatShape(x.shape)); it must return one arrow per point")
        }
        return s
    }
}

/// Checks on point clouds: every diffusion function takes points as rows of an (N, d)
/// matrix.
enum Points {
    /// The most values a generated cloud may hold (16 M floats): far beyond any lesson,
    /// small enough that a typo is an error rather than an exhausted machine.
    static let maxValues = 1 << 24

    /// Checks that x is (N, d) with N ≥ 1 (and d equal to `dimension` when given);
    /// returns N.
    static func check(_ x: Tensor, dimension: Int?, op: String) throws -> Int {
        let expected = dimension.map { "(N, \($0))" } ?? "(N, d)"
        guard x.rank == 2 else {
            throw TensorError("\(op): points must be a matrix \(expected) with one point per row, got shape \(formatShape(x.shape))")
        }
        if let dimension, x.shape[1] != dimension {
            throw TensorError("\(op): points have \(x.shape[1]) coordinates (shape \(formatShape(x.shape))), expected \(dimension), i.e. shape \(expected)")
        }
        guard x.shape[0] > 0, x.shape[1] > 0 else {
            throw TensorError("\(op): no points (shape \(formatShape(x.shape))); expected \(expected) with N ≥ 1")
        }
        return x.shape[0]
    }

    /// Checks a requested number of points of `dimension` coordinates.
    static func checkCount(_ count: Int, dimension: Int, op: String) throws {
        guard count > 0 else { throw TensorError("\(op): the number of points must be positive, got \(count)") }
        guard dimension > 0 else { throw TensorError("\(op): points need at least one coordinate, got dimension \(dimension)") }
        guard count <= maxValues / dimension else {
            throw TensorError("\(op): \(count) points of \(dimension) coordinates is too many (at most \(maxValues / dimension))")
        }
    }
}
