import Tensor
import Trace

/// An LSTM run over a sequence: the cell's step (see `LSTMCell`) for t = 1…T from
/// h_0 = c_0 = 0 unless given. The memory c moves forward by adding Δc_t at each step
/// (c_t = c_{t−1} + Δc_t), which is why it can carry a value across many steps.
///
/// Input x (T, d_x), one row per time step, or a batch (N, T, d_x). `callAsFunction`
/// returns h_1 … h_T stacked as (T, d_h) or (N, T, d_h); `run` returns both the h and
/// the c sequences. Parameters are the cell's `Wf`, `Wi`, `Wg`, `Wo`, `bf`, `bi`, `bg`,
/// `bo` under their own names (no `Wf`, `bf` when `forgetGate` is false). Each step
/// emits the cell's `lstm` event (index `t`, 1-based); labels name the time steps.
public final class LSTM: Model {
    public let cell: LSTMCell

    public init(inputSize: Int, hiddenSize: Int, forgetGate: Bool = true, seed: UInt64) throws {
        cell = try LSTMCell(inputSize: inputSize, hiddenSize: hiddenSize, forgetGate: forgetGate, seed: seed)
    }

    public var inputSize: Int { cell.inputSize }
    public var hiddenSize: Int { cell.hiddenSize }
    public var forgetGate: Bool { cell.forgetGate }

    public var summary: String {
        "LSTM d_x=\(inputSize), d_h=\(hiddenSize)" + (forgetGate ? "" : " (1997, no forget gate)")
    }

    public var ownParameters: [Parameter] { cell.ownParameters }

    /// x (T, d_x) → h (T, d_h), or (N, T, d_x) → (N, T, d_h).
    public func callAsFunction(_ x: Tensor, h0: Tensor? = nil, c0: Tensor? = nil, labels: [String]? = nil) throws -> Tensor {
        try run(x, h0: h0, c0: c0, labels: labels).h
    }

    /// Both sequences: h and c, each (T, d_h) or (N, T, d_h).
    ///
    /// The whole sequence is one op (`Tensor.lstmSequence`) unless a patch is set for
    /// `lstm` steps: a patch must change a message before the next computation reads it,
    /// so then the cell runs step by step, with the same bits.
    public func run(_ x: Tensor, h0: Tensor? = nil, c0: Tensor? = nil, labels: [String]? = nil) throws -> LSTMState {
        let steps = try SequenceShapes.checkSequence(x, labels: labels, initial: [("h0", h0), ("c0", c0)],
                                                     hiddenSize: hiddenSize, inputSize: inputSize, model: summary)
        let start = LSTMState(h: try h0 ?? SequenceShapes.zeroState(for: x, hiddenSize: hiddenSize),
                              c: try c0 ?? SequenceShapes.zeroState(for: x, hiddenSize: hiddenSize))
        let axis = x.rank - 2
        if Patching.any(for: LSTMStep.kind) {
            var state = start, hs: [Tensor] = [], cs: [Tensor] = []
            let gates = try cell.stackedGates()
            for t in 0..<steps {
                let xt = try x.select(axis: axis, index: t)  // (d_x) or (N, d_x)
                state = try cell(xt, state, t: t + 1, labels: labels, gates: gates)
                hs.append(state.h)
                cs.append(state.c)
            }
            return LSTMState(h: try Tensor.stack(hs, axis: axis), c: try Tensor.stack(cs, axis: axis))
        }
        // A single sequence is a batch of one.
        let batched = x.rank == 3
        func asBatch(_ t: Tensor) throws -> Tensor { batched ? t : try t.reshaped([1] + t.shape) }
        let gates = try cell.stackedGates(forSteps: false)
        let run = try Tensor.lstmSequence(x: asBatch(x), weights: gates.W, bias: gates.b, h0: asBatch(start.h),
                                          c0: asBatch(start.c), forgetGate: forgetGate)
        if Tracing.isActive {
            let stateShape = start.h.shape
            var state = start
            for t in 0..<steps {
                let values = run.step(t)
                let step = try LSTMStepValues(gates: values.gates.reshaped(batched ? values.gates.shape : [values.gates.count]),
                                              deltaC: values.deltaC.reshaped(stateShape), c: values.c.reshaped(stateShape),
                                              h: values.h.reshaped(stateShape))
                try cell.emitStep(t: t + 1, labels: labels, x: x.select(axis: axis, index: t).detached(), state, step)
                state = LSTMState(h: step.h, c: step.c)
            }
        }
        func unbatched(_ t: Tensor) throws -> Tensor { batched ? t : try t.reshaped(Array(t.shape.dropFirst())) }
        return LSTMState(h: try unbatched(run.h), c: try unbatched(run.c))
    }
}
