import Tensor
import Trace

/// A residual stack (He et al. 2016): h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + f_t(h⁽ᵗ⁻¹⁾), t = 1…6 by default as in
/// the lecture's "ResNet: t = 1, …, 6". Each step does not replace the vector; it *adds*
/// a message to it, so the vector is a running sum of small updates — and with the
/// updates scaled down (f_ε = ε·f) the steps look like a walk of small strides.
///
/// Each step t has its own small MLP f_t(h) = W2 relu(W1 h + b1) + b2, a part named `f1`,
/// `f2`, …, so the parameters are `f1.W1` (hidden, dim), `f1.b1`, `f1.W2` (dim, hidden),
/// `f1.b2`, `f2.W1`, … Scaling: h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + ε·f_t(h⁽ᵗ⁻¹⁾) with `epsilon` (1 by
/// default; not trained, assignable).
///
/// Each step emits a `residual` event with tensors `h_before` (…, dim), `f` (the update
/// actually added, ε·f_t(h_before)) and `h_after` (= h_before + f); index `t` (1-based)
/// and `epsilon`. Input rows are agents or tokens; `labels` name them. The inner MLPs
/// run with tracing suspended, so a trace shows one event per step.
public final class ResidualStack: Model {
    public let dim: Int, hidden: Int
    /// f_1 … f_T, one per step.
    public let updates: [MLP]
    /// The scale ε of every update.
    public var epsilon: Float

    public init(dim: Int, hidden: Int? = nil, steps: Int = 6, epsilon: Float = 1, seed: UInt64) throws {
        let hidden = hidden ?? 2 * dim
        guard dim > 0, hidden > 0 else {
            throw TensorError("ResidualStack: sizes must be positive, got dim \(dim), hidden \(hidden)")
        }
        guard steps > 0 else {
            throw TensorError("ResidualStack: needs at least one step, got \(steps)")
        }
        // The weights of every step, (steps, per step), before any is made.
        let (perStep, overflow) = (2 * hidden).multipliedReportingOverflow(by: dim)
        try MemoryBudget.reserve([steps, overflow ? Int.max : perStep + hidden + dim], op: "ResidualStack", what: "the weights of \(steps) steps")
        self.dim = dim
        self.hidden = hidden
        self.epsilon = epsilon
        // Distinct seeds per step so each f_t starts different (a seeded, documented derivation).
        var seeds = SplitMix64(seed: seed)
        updates = try (0..<steps).map { _ in
            try MLP(sizes: [dim, hidden, dim], activation: .relu, outputActivation: .identity, seed: seeds.next())
        }
    }

    public var steps: Int { updates.count }

    public var summary: String {
        "ResidualStack d=\(dim), \(steps) steps, f: \(dim)→\(hidden)→\(dim) (relu)" + (epsilon == 1 ? "" : ", ε=\(epsilon)")
    }

    public var ownParameters: [Parameter] { [] }

    public var parts: [(name: String, model: any Model)] {
        updates.enumerated().map { ("f\($0.offset + 1)", $0.element) }
    }

    /// h (…, dim) → h⁽ᵀ⁾ (…, dim).
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        guard h.rank >= 1, h.shape.last == dim else {
            throw TensorError("\(summary): input has shape \(formatShape(h.shape)), expected rows of \(dim) numbers, e.g. (N, \(dim))")
        }
        if let labels, labels.count != (h.rank >= 2 ? h.shape[h.rank - 2] : 1) {
            throw TensorError("\(summary): \(labels.count) labels for \(h.rank >= 2 ? h.shape[h.rank - 2] : 1) rows")
        }
        let formula = epsilon == 1 ? "h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + f(h⁽ᵗ⁻¹⁾)" : "h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + ε·f(h⁽ᵗ⁻¹⁾)"
        // ε as its shortest decimal (0.1, not 0.10000000149), for the picture.
        let shownEpsilon = Double(epsilon.description) ?? Double(epsilon)
        var current = h
        for (i, f) in updates.enumerated() {
            let before = current
            let raw = try Tracing.suspended { try f(before) }
            let scaled = epsilon == 1 ? raw : try raw * epsilon
            let update = Patching.point(ResidualStep.f, at: [(ResidualStep.t, .int(i + 1))], scaled)
            current = try before + update
            let after = current
            Tracing.emit(ResidualStep.self, formula, index: [(ResidualStep.t, .int(i + 1)), (ResidualStep.epsilon, .number(shownEpsilon))],
                         labels: labels) {
                [(ResidualStep.hBefore, before), (ResidualStep.f, update), (ResidualStep.hAfter, after)]
            }
        }
        return current
    }
}
