import Tensor
import Trace

/// A team of N agents (people) holding vectors h_m, in a fixed formation: the (N, N)
/// matrix `A` says who listens to whom — row m is how much agent m listens to each agent
/// t (A_{m→t}; zero: not at all). One round of message passing, every agent at once and
/// each from the vectors as they were before the round:
///
///     Δ_m = Σ_t A_{m→t} v_t   (v_t = h_t: each agent shares its own vector)
///     h_m ← h_m + W·Δ_m       (W: how what m hears turns into a change of h_m)
///
/// The same two lines as the lecture's party, with the listening fixed by the formation
/// rather than computed from queries and keys. Parameters `A` (N, N) and `W` (d, d),
/// readable and assignable by name. Each round emits an `attention`-kind event (the
/// picture of who listens to whom) with tensors `h_before`, `v`, `A`, `delta`, `update`
/// (= W·Δ) and `h_after`; index `round` (1-based).
public final class Team: Model {
    public let A: Parameter
    public let W: Parameter

    public init(formation: Tensor, W: Tensor) throws {
        guard formation.rank == 2, formation.shape[0] == formation.shape[1], formation.shape[0] > 0 else {
            throw TensorError("Team: the formation must be a square (N, N) matrix, one row and one column per agent; got shape \(formatShape(formation.shape))")
        }
        guard W.rank == 2, W.shape[0] == W.shape[1], W.shape[0] > 0 else {
            throw TensorError("Team: W must be a square (d, d) matrix; got shape \(formatShape(W.shape))")
        }
        A = Parameter("A", formation)
        self.W = Parameter("W", W)
    }

    public var agents: Int { A.shape[0] }
    public var dim: Int { W.shape[0] }
    public var summary: String { "Team of \(agents) agents, d=\(dim)" }
    public var ownParameters: [Parameter] { [A, W] }

    public static let formula = "Δ_m = Σ_t A_{m→t} v_t,  h_m ← h_m + W·Δ_m"

    /// h (N, d) after `rounds` rounds.
    public func callAsFunction(_ h: Tensor, rounds: Int, labels: [String]? = nil) throws -> Tensor {
        guard h.rank == 2, h.shape[0] == agents, h.shape[1] == dim else {
            throw TensorError("\(summary): h has shape \(formatShape(h.shape)), expected (\(agents), \(dim)) — one row of \(dim) numbers per agent")
        }
        guard rounds >= 0 else { throw TensorError("Team: rounds must be 0 or more, got \(rounds)") }
        var current = h
        for round in 0..<rounds {
            let before = current
            typealias S = AttentionStep
            let step: [(IndexKey<S>, IndexValue)] = [(S.round, .int(round + 1))]
            let formation = Patching.point(S.A, at: step, A.value)
            let delta = Patching.point(S.delta, at: step, try formation.matmul(before))  // Δ_m = Σ_t A_{m→t} v_t, one row per agent
            let update = try delta.matmul(transposed: W.value)  // W·Δ_m, as rows
            current = try before + update
            let after = current
            Tracing.emit(S.self, Team.formula, index: step, labels: labels) {
                [(S.hBefore, before), (S.v, before), (S.A, formation), (S.delta, delta), (S.update, update), (S.hAfter, after)]
            }
        }
        return current
    }
}
