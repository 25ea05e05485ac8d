import Tensor
import Trace

/// One step of a simple (Elman) recurrent network: h_t = tanh(W h_{t−1} + U x_t + b).
/// In the lecture's picture the hidden vector is a message from the past: at each time
/// step it hears what it was a moment ago (W h_{t−1}) and what arrives now (U x_t).
///
/// Parameters `W` (d_h, d_h), `U` (d_h, d_x) and `b` (d_h,). Works on one vector
/// (x (d_x,), h (d_h,)) or on a batch of rows (x (N, d_x), h (N, d_h)).
///
/// Each step emits a `recurrent` event with tensors `h_prev` (d_h or N×d_h), `x`,
/// `W`, `U`, `b` and `h` (= tanh(W h_prev + U x + b)); index `t` (1-based). Labels name
/// the time steps of the whole sequence; `t` picks the current one.
public final class RNNCell: Model {
    public let W: Parameter
    public let U: Parameter
    public let b: Parameter
    public let inputSize: Int, hiddenSize: Int

    public static let formula = "h_t = tanh(W h_{t−1} + U x_t + b)"

    /// Weights N(0, 1/d_h) for W and N(0, 1/d_x) for U (LeCun's scaling: tanh neither
    /// saturates nor fades at the start); b = 0.
    public init(inputSize: Int, hiddenSize: Int, using rng: inout SplitMix64) throws {
        guard inputSize > 0, hiddenSize > 0 else {
            throw TensorError("RNN: sizes must be positive, got input \(inputSize), hidden \(hiddenSize)")
        }
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        W = Parameter("W", try Initializer.normal([hiddenSize, hiddenSize], fanIn: hiddenSize, using: &rng))
        U = Parameter("U", try Initializer.normal([hiddenSize, inputSize], fanIn: inputSize, using: &rng))
        b = Parameter("b", try Tensor.zeros([hiddenSize]))
    }

    public convenience init(inputSize: Int, hiddenSize: Int, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        try self.init(inputSize: inputSize, hiddenSize: hiddenSize, using: &rng)
    }

    public var summary: String { "RNNCell d_x=\(inputSize), d_h=\(hiddenSize)" }

    public var ownParameters: [Parameter] { [W, U, b] }

    /// h_t from x_t (d_x,) or (N, d_x) and h_{t−1} (d_h,) or (N, d_h) of the same batch.
    public func callAsFunction(_ x: Tensor, _ hPrev: Tensor, t: Int = 1, labels: [String]? = nil) throws -> Tensor {
        try SequenceShapes.checkStep(x: x, state: hPrev, stateName: "h_{t−1}", hiddenSize: hiddenSize, inputSize: inputSize, model: summary)
        // Rows are vectors, so W h becomes h Wᵀ.
        let pre = try hPrev.matmul(transposed: W.value) + x.matmul(transposed: U.value) + b.value
        let h = pre.tanh()
        typealias S = RecurrentStep
        Tracing.emit(S.self, Self.formula, index: [(S.t, .int(t))], labels: labels) {
            [(S.hPrev, hPrev), (S.x, x), (S.W, W.value), (S.U, U.value), (S.b, b.value), (S.h, h)]
        }
        return h
    }
}
