import Tensor
import Trace

/// The loss of a whole sequence, one position at a time (teacher forcing: position t is
/// given the true y_<t, whatever the model would have said):
///
///     −log p(y | x) = −Σ_t log p(y_t | y_<t, x)
///
/// From logits (T, V) — row t scores every symbol for position t — and the targets y_t.
/// `total` is the sum, exactly as in the formula; `mean` (= total / T) is what training
/// minimises, so the learning rate does not depend on the sequence length, and what
/// "an untrained model starts near ln V" refers to.
///
/// Emits a `loss` event with tensors `p` (T,) = p(y_t | …), the probability given to
/// each target, `losses` (T,) = −log p, and `total` (scalar, the sum); labels = the
/// target tokens.
public enum SequenceLoss {
    public struct Result {
        /// −Σ_t log p(y_t | y_<t, x), a scalar in the autograd graph.
        public let total: Tensor
        /// −log p(y_t | y_<t, x) for each t, (T,).
        public let terms: Tensor

        /// total / T.
        public var mean: Tensor {
            get throws { try total / Float(terms.count) }
        }
    }

    public static let formula = "−log p(y|x) = −Σ_t log p(y_t | y_<t, x)"

    /// `formula` is what the event shows (a masked language model scores chosen positions
    /// of a corrupted text instead of a prefix).
    public static func negativeLogLikelihood(logits: Tensor, targets: [Int], labels: [String]? = nil,
                                             formula: String = formula) throws -> Result {
        guard logits.rank == 2 else {
            throw TensorError("sequence loss: logits must be (T, V) — one row of scores per position — got \(formatShape(logits.shape))")
        }
        let (T, V) = (logits.shape[0], logits.shape[1])
        guard T > 0, V > 0 else { throw TensorError("sequence loss: logits \(formatShape(logits.shape)) hold no positions or no symbols") }
        guard targets.count == T else {
            throw TensorError("sequence loss: \(T) positions of logits but \(targets.count) targets")
        }
        if let bad = targets.firstIndex(where: { !(0..<V).contains($0) }) {
            throw TensorError("sequence loss: target \(targets[bad]) at position \(bad) is out of range for a vocabulary of \(V) symbols")
        }
        try AttentionKernel.checkLabels(labels, tokens: T, model: "sequence loss")
        let logp = try logits.logSoftmax(axis: -1).reshaped([T * V])  // log p(· | y_<t, x), flattened
        let picked = try logp.take(targets.enumerated().map { $0.offset * V + $0.element })  // (T,)
        let terms = -picked
        let total = try terms.sum()
        Tracing.emit(LossStep.self, formula, labels: labels) {
            [(LossStep.p, picked.detached().exp()), (LossStep.losses, terms.detached()), (LossStep.total, total.detached())]
        }
        return Result(total: total, terms: terms)
    }
}
