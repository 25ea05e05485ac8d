import Tensor
import Trace

/// One optimiser step of a transformer's training, as reported to a progress callback
/// (a REPL draws a progress bar from it and stops when the student presses Ctrl-C).
public struct TransformerTrainingStep: Sendable {
    /// 1-based.
    public let step: Int
    public let steps: Int
    /// The batch's mean loss before the update.
    public let loss: Float
    /// The global L2 norm of the gradient before clipping.
    public let gradNorm: Float
}

extension TransformerTrainingStep {
    /// The step from the training loop's report (which always has a norm here).
    init(_ report: TrainingReport) {
        self.init(step: report.step, steps: report.total, loss: report.loss, gradNorm: report.gradNorm ?? 0)
    }

    /// The step as the training loop reports it, for a `TrainingObserver`.
    public var report: TrainingReport {
        TrainingReport(step: step, total: steps, loss: loss, gradNorm: gradNorm)
    }
}

/// The training loop GPT and BERT share, and the token-window plumbing around it.
enum TransformerTraining {
    static let formula = "θ ← θ − η∇θ L"
    /// Gradients are clipped to this global norm (as GPT-2 and BERT do), so one unlucky
    /// batch cannot throw a tiny model far off.
    static let maxGradNorm: Float = 1

    /// Checks training's settings; `window` tokens of `vocabulary` logits each, per
    /// sequence of the batch, is what a step holds at its widest (batch_size: 10**9 had
    /// been drawn window by window until the machine killed the process).
    static func checkSettings(model: String, steps: Int, batchSize: Int, learningRate: Float, window: Int, vocabulary: Int) throws {
        guard steps >= 0 else { throw TensorError("\(model) train: steps must be 0 or more, got \(steps)") }
        guard batchSize > 0 else { throw TensorError("\(model) train: batchSize must be positive, got \(batchSize)") }
        if window > 0 {
            try MemoryBudget.reserve([batchSize, window, vocabulary], op: "\(model) train",
                                     what: "the logits of a batch of \(batchSize) windows of \(window) tokens")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw TensorError("\(model) train: learningRate must be a positive number, got \(learningRate)")
        }
    }

    /// AdamW on every parameter of `model` for `steps` steps of the shared
    /// `TrainingLoop`. `batchLoss` draws a batch with the seeded generator and returns
    /// its mean loss (in the autograd graph).
    ///
    /// Per-layer events are suspended; instead each step emits one `train` event with
    /// tensors `loss` and `grad_norm` (scalars) and index `step`. `progress` is called
    /// after every step; returning false stops training early, throwing stops it with
    /// the error (the model keeps the steps taken). Returns the losses.
    static func run(_ model: any Model, steps: Int, learningRate: Float, weightDecay: Float, seed: UInt64,
                    progress: ((TransformerTrainingStep) throws -> Bool)?,
                    batchLoss: (inout SplitMix64) throws -> Tensor) throws -> [Float] {
        var rng = SplitMix64(seed: seed)
        let parameters = model.parameters
        let optimizer = Adam.adamW(parameters, learningRate: learningRate, weightDecay: weightDecay)
        // However training ends, no stale gradient is left behind.
        defer { model.zeroGrad() }
        let observer = progress.map { progress in TrainingCallback { try progress(TransformerTrainingStep($0)) } }
        return try TrainingLoop.run(steps: steps, formula: formula, observer: observer) { step in
            model.zeroGrad()
            let loss = try batchLoss(&rng)
            let value = try loss.item()
            guard value.isFinite else {
                throw TensorError("\(model.summary) train: the loss became \(value) at step \(step); try a smaller learning rate")
            }
            try loss.backward()
            let norm = clipGradNorm(parameters, maxNorm: maxGradNorm)
            optimizer.step()
            return TrainingLoop.Outcome(loss: value, gradNorm: norm)
        }
    }

    /// A random start for a window of `length` tokens inside `count` tokens.
    static func windowStart(count: Int, length: Int, using rng: inout SplitMix64) -> Int {
        rng.int(below: count - length + 1)
    }

    /// Checks a transformer's sizes: all positive, and d divisible by the number of heads.
    static func checkSizes(model: String, vocabularySize: Int, dim: Int, layers: Int, heads: Int, blockSize: Int) throws {
        guard vocabularySize > 0, dim > 0, layers > 0, heads > 0, blockSize > 0 else {
            throw TensorError("\(model): sizes must be positive, got V = \(vocabularySize), d = \(dim), layers = \(layers), heads = \(heads), blockSize = \(blockSize)")
        }
        guard dim % heads == 0 else {
            throw TensorError("\(model): d = \(dim) is not divisible by heads = \(heads); each head needs width d/heads")
        }
        // Every block's weights (about 12d²: Wq, Wk, Wv, Wo and an MLP of width 4d) and
        // the embeddings, before any is made: layers: 2**32 had asked for 34 GB at once
        // for the list of blocks alone, and died.
        try MemoryBudget.reserve([layers, 12, dim, dim], op: model, what: "the weights of \(layers) layer\(layers == 1 ? "" : "s") of width \(dim)")
        try MemoryBudget.reserve([vocabularySize, dim], op: model, what: "the embeddings of \(vocabularySize) tokens")
        try MemoryBudget.reserve([blockSize, dim], op: model, what: "the embeddings of \(blockSize) positions")
    }

    /// Checks a batch of token sequences: at least one, all of one length between 1 and
    /// `maxLength`, every id below `vocabulary`.
    static func checkTokens(_ batch: [[Int]], vocabulary: Int, maxLength: Int, model: String) throws {
        guard let T = batch.first?.count, T > 0 else {
            throw TensorError("\(model): needs at least one token")
        }
        if let bad = batch.firstIndex(where: { $0.count != T }) {
            throw TensorError("\(model): sequence \(bad) has \(batch[bad].count) tokens but sequence 0 has \(T); a batch needs one length")
        }
        guard T <= maxLength else {
            throw TensorError("\(model): sequence of \(T) tokens is longer than the \(maxLength) positions the model has")
        }
        for sequence in batch {
            if let bad = sequence.first(where: { !(0..<vocabulary).contains($0) }) {
                throw TensorError("\(model): token id \(bad) is out of range; ids go from 0 to \(vocabulary - 1)")
            }
        }
    }

    /// The table is stored (V, d), a row per token, as the tied decoder W_dec reads it.
    static let embedFormula = "h_m = W_encodeᵀ·e_{x_m}  (row x_m of W_encode, V × d)"

    /// Token vectors: rows of the table (V, d) for ids (B, T) → (B, T, d), or (T, d) for
    /// a single sequence, which also emits an `embed` event with tensors `one_hot` (T, V)
    /// and `h` (T, d).
    static func embed(_ batch: [[Int]], table: Tensor, single: Bool, labels: [String]?) throws -> Tensor {
        let (B, T) = (batch.count, batch[0].count)
        let flat = batch.flatMap { $0 }
        let h = try table.take(flat, indexShape: single ? [T] : [B, T])
        if single {
            // The table is (V, d): the one-hot picks a row (the decoder ties to it as W_dec).
            try Tracing.emit(EmbedStep.self, embedFormula, index: [(EmbedStep.layout, .text("row"))], labels: labels) {
                [(EmbedStep.oneHot, try Tensor.oneHot(flat, classes: table.shape[0])), (EmbedStep.h, h.detached())]
            }
        }
        return h
    }

    static func decodeFormula(tied: Bool) -> String {
        "p(w | h_m) = softmax(W_dec h_m)_w" + (tied ? ", W_dec = W_encodeᵀ" : "")
    }

    /// Emits a `decode` event for a single sequence: tensors `h` (T, d), `logits` (T, V)
    /// and `p` (T, V), the softmax of each row.
    /// `vocabulary` names the columns of p: the characters the model chooses among.
    static func emitDecode(h: Tensor, logits: Tensor, tied: Bool, labels: [String]?, vocabulary: [String]) throws {
        try Tracing.emit(DecodeStep.self, decodeFormula(tied: tied), labels: labels, columnLabels: vocabulary) {
            [(DecodeStep.h, h.detached()), (DecodeStep.logits, logits.detached()), (DecodeStep.p, try logits.detached().softmax(axis: -1))]
        }
    }
}
