import RealModule
import Tensor
import Trace

/// Where each person stands in the queue. Attention alone cannot tell word order apart:
/// permuting the words only permutes the output rows (it is permutation-equivariant). So
/// at the first layer each word adds the vector of its position: h_m ← h_m + P_m.
///
/// Two kinds:
/// - `sinusoidal` (Vaswani et al. 2017): fixed,
///   P(pos, 2i) = sin(pos / 10000^{2i/d}), P(pos, 2i+1) = cos(pos / 10000^{2i/d}),
///   with positions counted from 0 (the first word gets (0, 1, 0, 1, …)); no
///   parameters, any length.
/// - `learned` (BERT, GPT): a parameter `P` of shape (maxLength, d), row m for position m.
///
/// Input h is (T, d) or (B, T, d); the same P_m is added in every sequence. Emits a
/// `position` event per sequence with tensors `h_before` (T, d), `P` (T, d) and
/// `h_after` (= h_before + P); index `type` ("sinusoidal" or "learned") and `sequence`
/// (batched input only).
public final class PositionEmbedding: Model {
    public enum Kind: String, Sendable {
        case sinusoidal, learned
    }

    public let kind: Kind
    public let dim: Int
    /// The longest sequence the table covers (nil: sinusoidal, unlimited).
    public let maxLength: Int?
    /// The learned table (maxLength, d); nil for sinusoidal positions.
    public let P: Parameter?

    /// Fixed sinusoidal positions for vectors of width `dim`.
    public init(sinusoidal dim: Int) throws {
        guard dim > 0 else { throw TensorError("PositionEmbedding: d must be positive, got \(dim)") }
        kind = .sinusoidal
        self.dim = dim
        maxLength = nil
        P = nil
    }

    /// A learned table for up to `maxLength` positions, drawn from N(0, std²) (GPT-2 uses
    /// std 0.02, small next to the token vectors).
    public init(learned dim: Int, maxLength: Int, std: Float = 0.02, using rng: inout SplitMix64) throws {
        guard dim > 0, maxLength > 0 else {
            throw TensorError("PositionEmbedding: d and maxLength must be positive, got d = \(dim), maxLength = \(maxLength)")
        }
        kind = .learned
        self.dim = dim
        self.maxLength = maxLength
        P = Parameter("P", try Tensor.randomNormal([maxLength, dim], std: std, using: &rng))
    }

    public convenience init(learned dim: Int, maxLength: Int, std: Float = 0.02, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(learned: dim, maxLength: maxLength, std: std, using: &rng)
    }

    public var summary: String {
        "PositionEmbedding \(kind.rawValue) d=\(dim)" + (maxLength.map { ", up to \($0) positions" } ?? "")
    }

    public var ownParameters: [Parameter] { P.map { [$0] } ?? [] }

    /// The rows P_0 … P_{T−1}, (T, d).
    public func table(length T: Int) throws -> Tensor {
        guard T > 0 else { throw TensorError("\(summary): length must be positive, got \(T)") }
        if let maxLength, T > maxLength {
            throw TensorError("\(summary): sequence of \(T) tokens is longer than the \(maxLength) positions the table holds")
        }
        if let P { return try P.value.slice(axis: 0, start: 0, end: T) }
        try MemoryBudget.reserve([T, dim], op: summary)
        var values = [Float](repeating: 0, count: T * dim)
        // 10000^{2i/d} for each column, computed once (the same Double as in the loop).
        let scales = (0..<dim).map { j in Double.pow(10_000, Double(j - j % 2) / Double(dim)) }  // 2i for both 2i and 2i+1
        for pos in 0..<T {
            try Cancellation.check(turn: pos, every: 1024)  // positions(10**6, 1000) takes seconds
            for j in 0..<dim {
                let angle = Double(pos) / scales[j]
                values[pos * dim + j] = Float(j % 2 == 0 ? Double.sin(angle) : Double.cos(angle))
            }
        }
        return try Tensor(shape: [T, dim], scalars: values)
    }

    static let formula = "h_m ← h_m + P_m"
    static let sinusoidalFormula = formula + "; P(m, 2i) = sin(m/10000^{2i/d}), P(m, 2i+1) = cos(m/10000^{2i/d})"

    /// h (T, d) or (B, T, d) → h + P, same shape.
    public func callAsFunction(_ h: Tensor, labels: [String]? = nil) throws -> Tensor {
        let (x, isBatched) = try AttentionKernel.batched(h, width: dim, model: summary)
        let T = x.shape[1]
        try AttentionKernel.checkLabels(labels, tokens: T, model: summary)
        let P = try table(length: T)
        let y = try x + P  // (B, T, d)
        if Tracing.isActive {
            try Tensor.withoutGrad {
                for b in 0..<x.shape[0] {
                    typealias S = PositionStep
                    var index: [(IndexKey<S>, IndexValue)] = [(S.type, .text(kind.rawValue))]
                    if isBatched { index.append((S.sequence, .int(b + 1))) }
                    try Tracing.emit(S.self, kind == .sinusoidal ? Self.sinusoidalFormula : Self.formula,
                                     index: index, labels: labels) {
                        [(S.hBefore, try x.select(axis: 0, index: b)), (S.P, P), (S.hAfter, try y.select(axis: 0, index: b))]
                    }
                }
            }
        }
        return try AttentionKernel.unbatched(y, isBatched: isBatched)
    }
}
