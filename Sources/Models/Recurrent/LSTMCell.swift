import Tensor
import Trace

/// The two vectors an LSTM carries from step to step: the output h and the memory c.
public struct LSTMState {
    public var h: Tensor
    public var c: Tensor

    public init(h: Tensor, c: Tensor) {
        self.h = h
        self.c = c
    }
}

/// One step of a long short-term memory. With z = [h_{t−1}, x_t]:
///
///     f = σ(Wf z + bf), i = σ(Wi z + bi), o = σ(Wo z + bo), g = tanh(Wg z + bg)
///     c_t = c_{t−1} + Δc_t,   Δc_t = (f − 1)⊙c_{t−1} + i⊙g     (= f⊙c_{t−1} + i⊙g)
///     h_t = o⊙tanh(c_t)
///
/// The lecture writes the memory as c_t = c_{t−1} + Δc_t: a residual update in time, so
/// a value written into c can travel many steps unchanged. That is the original LSTM
/// (Hochreiter & Schmidhuber 1997), which has no forget gate: Δc_t = i⊙g
/// (`forgetGate: false`). The forget gate (Gers et al. 2000, the default) lets the cell
/// also erase: Δc_t = (f − 1)⊙c_{t−1} + i⊙g. The cell computes c_t literally as
/// c_{t−1} + Δc_t.
///
/// Parameters `Wf`, `Wi`, `Wg`, `Wo` (each (d_h, d_h + d_x), acting on the concatenation
/// [h_{t−1}, x_t]: the first d_h columns hear h_{t−1}, the rest hear x_t) and `bf`, `bi`,
/// `bg`, `bo` (d_h,). Without the forget gate there is no `Wf` or `bf`. Initialisation:
/// weights N(0, 1/(d_h + d_x)); biases 0 except `bf` = 1, so a fresh cell starts out
/// remembering (f ≈ 0.73) rather than forgetting (Jozefowicz et al. 2015). The generator
/// draws `Wf` in both variants, so one seed gives both variants the same Wi, Wg, Wo.
///
/// Each step emits an `lstm` event with tensors `x`, `h_prev`, `c_prev`, `f`, `i`, `g`,
/// `o`, `delta_c`, `c` (= c_prev + delta_c) and `h` (= o⊙tanh(c)), each (d) or (N, d);
/// without the forget gate `f` is shown as ones (the gate that is always open), so
/// Δc = (f − 1)⊙c_prev + i⊙g still reads right. Index `t` (1-based) and `forget_gate`.
public final class LSTMCell: Model {
    public let Wf: Parameter?, Wi: Parameter, Wg: Parameter, Wo: Parameter
    public let bf: Parameter?, bi: Parameter, bg: Parameter, bo: Parameter
    public let inputSize: Int, hiddenSize: Int
    public let forgetGate: Bool

    public init(inputSize: Int, hiddenSize: Int, forgetGate: Bool = true, using rng: inout SplitMix64) throws {
        guard inputSize > 0, hiddenSize > 0 else {
            throw TensorError("LSTM: sizes must be positive, got input \(inputSize), hidden \(hiddenSize)")
        }
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.forgetGate = forgetGate
        let shape = [hiddenSize, hiddenSize + inputSize]
        func weight() throws -> Tensor { try Initializer.normal(shape, fanIn: hiddenSize + inputSize, using: &rng) }
        let wf = try weight()
        Wf = forgetGate ? Parameter("Wf", wf) : nil
        Wi = Parameter("Wi", try weight())
        Wg = Parameter("Wg", try weight())
        Wo = Parameter("Wo", try weight())
        bf = forgetGate ? Parameter("bf", try Tensor.ones([hiddenSize])) : nil
        bi = Parameter("bi", try Tensor.zeros([hiddenSize]))
        bg = Parameter("bg", try Tensor.zeros([hiddenSize]))
        bo = Parameter("bo", try Tensor.zeros([hiddenSize]))
    }

    public convenience init(inputSize: Int, hiddenSize: Int, forgetGate: Bool = true, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(inputSize: inputSize, hiddenSize: hiddenSize, forgetGate: forgetGate, using: &rng)
    }

    public var summary: String {
        "LSTMCell d_x=\(inputSize), d_h=\(hiddenSize)" + (forgetGate ? "" : " (1997, no forget gate)")
    }

    public var ownParameters: [Parameter] {
        [Wf, Wi, Wg, Wo, bf, bi, bg, bo].compactMap { $0 }
    }

    public var formula: String {
        forgetGate ? "c_t = c_{t−1} + Δc_t, Δc_t = (f−1)⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t)"
            : "c_t = c_{t−1} + Δc_t, Δc_t = i⊙g, h_t = o⊙tanh(c_t)"
    }

    /// The gates' weights and biases stacked, i, g, o (and f) one under another:
    /// W (3 or 4·d_h, d_h + d_x), b (3 or 4·d_h). One product then computes every gate's
    /// pre-activation at once, with the same bits as four products (each entry is one row
    /// of W against z, summed in the same order). A run over a sequence stacks them once;
    /// the stacking's backward hands each gate's rows back to its parameter.
    ///
    /// `inputFirst` is W with the columns that hear x_t moved in front, for a product over
    /// [x_t, h_{t−1}]: each entry is then the chain `Tensor.lstmSequence` computes (x_t's
    /// part for all steps at once, h_{t−1}'s added step by step), so one step of the cell
    /// has the bits of that step in a whole run. Made only for steps (`forSteps`).
    public struct StackedGates {
        let W: Tensor, b: Tensor
        let inputFirst: Tensor?
    }

    public func stackedGates(forSteps: Bool = true) throws -> StackedGates {
        let weights = [Wi, Wg, Wo, Wf].compactMap { $0?.value }, biases = [bi, bg, bo, bf].compactMap { $0?.value }
        let W = try Tensor.concatenate(weights, axis: 0)
        let inputFirst = forSteps ? try Tensor.concatenate([W.slice(axis: 1, start: hiddenSize), W.slice(axis: 1, end: hiddenSize)], axis: 1) : nil
        return StackedGates(W: W, b: try Tensor.concatenate(biases, axis: 0), inputFirst: inputFirst)
    }

    /// (h_t, c_t) from x_t (d_x,) or (N, d_x) and (h_{t−1}, c_{t−1}) of the same batch;
    /// `gates` from `stackedGates()`, when a run made them once for all its steps.
    public func callAsFunction(_ x: Tensor, _ state: LSTMState, t: Int = 1, labels: [String]? = nil,
                               gates: StackedGates? = nil) throws -> LSTMState {
        for (name, value) in [("h_{t−1}", state.h), ("c_{t−1}", state.c)] {
            try SequenceShapes.checkStep(x: x, state: value, stateName: name, hiddenSize: hiddenSize,
                                         inputSize: inputSize, model: summary)
        }
        let z = try Tensor.concatenate([x, state.h], axis: -1)  // (d_x + d_h) or (N, d_x + d_h)
        let stacked = try gates ?? stackedGates()
        let weights = try stacked.inputFirst ?? stackedGates().inputFirst!
        let product = try z.matmul(transposed: weights)  // (3 or 4·d_h) or (N, 3 or 4·d_h)
        typealias S = LSTMStep
        let step: [(IndexKey<S>, IndexValue)] = [(S.t, .int(t))]
        if Patching.any(for: S.kind) {
            return try patchedStep(product + stacked.b, x: x, state, step: step, t: t, labels: labels)
        }
        // The step in one fused op (the same forward bits as the spelled-out formulas below).
        let fused = try Tensor.lstmStep(pre: product, bias: stacked.b, cPrev: state.c, forgetGate: forgetGate)
        try emitStep(t: t, labels: labels, x: x, state, fused)
        return LSTMState(h: fused.h, c: fused.c)
    }

    /// Step `t`'s event from its values (each (d) or (N, d), as x_t is).
    func emitStep(t: Int, labels: [String]?, x: Tensor, _ state: LSTMState, _ values: LSTMStepValues) throws {
        typealias S = LSTMStep
        try Tracing.emit(S.self, formula, index: [(S.t, .int(t)), (S.forgetGate, .bool(forgetGate))], labels: labels) {
            let f = forgetGate ? values.gate(3) : try Tensor.ones(state.c.shape)
            return [(S.x, x), (S.hPrev, state.h), (S.cPrev, state.c), (S.f, f), (S.i, values.gate(0)), (S.g, values.gate(1)),
                    (S.o, values.gate(2)), (S.deltaC, values.deltaC), (S.c, values.c), (S.h, values.h)]
        }
    }

    /// The step spelled out op by op, each message through its patch point before the
    /// next computation reads it: the path a trace with patches for `lstm` steps takes.
    private func patchedStep(_ pre: Tensor, x: Tensor, _ state: LSTMState, step: [(IndexKey<LSTMStep>, IndexValue)],
                             t: Int, labels: [String]?) throws -> LSTMState {
        typealias S = LSTMStep
        let parts = try pre.split(parts: forgetGate ? 4 : 3, axis: -1)  // i, g, o (, f): each (d_h) or (N, d_h)
        let i = Patching.point(S.i, at: step, parts[0].sigmoid())
        let g = Patching.point(S.g, at: step, parts[1].tanh())
        let o = Patching.point(S.o, at: step, parts[2].sigmoid())
        let f: Tensor
        let deltaC: Tensor
        if forgetGate {
            f = Patching.point(S.f, at: step, parts[3].sigmoid())
            deltaC = Patching.point(S.deltaC, at: step, try (f - 1) * state.c + i * g)
        } else {
            f = try Tensor.ones(state.c.shape)  // no forget gate: nothing reads f
            deltaC = Patching.point(S.deltaC, at: step, try i * g)
        }
        let c = Patching.point(S.c, at: step, try state.c + deltaC)
        let h = Patching.point(S.h, at: step, try o * c.tanh())
        Tracing.emit(S.self, formula, index: [(S.t, .int(t)), (S.forgetGate, .bool(forgetGate))], labels: labels) {
            [(S.x, x), (S.hPrev, state.h), (S.cPrev, state.c), (S.f, f), (S.i, i), (S.g, g), (S.o, o),
             (S.deltaC, deltaC), (S.c, c), (S.h, h)]
        }
        return LSTMState(h: h, c: c)
    }
}
