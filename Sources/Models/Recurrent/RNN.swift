import Tensor
import Trace

/// A recurrent network run over a sequence: h_t = tanh(W h_{t−1} + U x_t + b) for
/// t = 1…T, from h_0 (zeros unless given). The same cell, with the same weights, is
/// applied at every time step; the only thing passed from one step to the next is the
/// hidden vector — the message from the past.
///
/// Input x (T, d_x), one row per time step, or a batch (N, T, d_x); the result stacks
/// h_1 … h_T as (T, d_h) or (N, T, d_h) (the last row is the final state). Parameters
/// are the cell's `W` (d_h, d_h), `U` (d_h, d_x) and `b` (d_h,). Each step emits the
/// cell's `recurrent` event (tensors `h_prev`, `x`, `W`, `U`, `b`, `h`; index `t`,
/// 1-based); labels name the time steps.
public final class RNN: Model {
    public let cell: RNNCell

    public init(inputSize: Int, hiddenSize: Int, seed: UInt64) throws {
        cell = try RNNCell(inputSize: inputSize, hiddenSize: hiddenSize, seed: seed)
    }

    public var inputSize: Int { cell.inputSize }
    public var hiddenSize: Int { cell.hiddenSize }
    public var W: Parameter { cell.W }
    public var U: Parameter { cell.U }
    public var b: Parameter { cell.b }

    public var summary: String { "RNN d_x=\(inputSize), d_h=\(hiddenSize) (tanh)" }

    /// The cell's parameters under their own names (`W`, `U`, `b`), not `cell.W`.
    public var ownParameters: [Parameter] { cell.ownParameters }

    /// x (T, d_x) → (T, d_h), or (N, T, d_x) → (N, T, d_h); h0 (d_h,) or (N, d_h).
    public func callAsFunction(_ x: Tensor, h0: Tensor? = nil, labels: [String]? = nil) throws -> Tensor {
        let steps = try SequenceShapes.checkSequence(x, labels: labels, initial: [("h0", h0)],
                                                     hiddenSize: hiddenSize, inputSize: inputSize, model: summary)
        var h = try h0 ?? SequenceShapes.zeroState(for: x, hiddenSize: hiddenSize)
        var states: [Tensor] = []
        for t in 0..<steps {
            let xt = try x.select(axis: -2, index: t)  // (d_x) or (N, d_x)
            h = try cell(xt, h, t: t + 1, labels: labels)
            states.append(h)
        }
        return try Tensor.stack(states, axis: x.rank - 2)
    }
}
