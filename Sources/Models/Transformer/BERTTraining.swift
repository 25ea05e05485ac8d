import Tensor
import Trace

/// Training a BERT by masked language modelling, measuring it, and using it to fill in
/// blanks.
extension BERT {
    /// Trains on random windows of `ids` with AdamW: each step draws `batchSize` windows
    /// of blockSize tokens, corrupts each by the 15 % / 80-10-10 rule (all from a generator
    /// seeded with `seed`) and minimises the cross entropy on the chosen positions only.
    /// Gradients are clipped to norm 1. Emits one `train` event per step (per-layer events
    /// are suspended); `progress` returning false stops early. Returns each step's loss.
    @discardableResult
    public func train(on ids: [Int], steps: Int, batchSize: Int = 16, blockSize: Int? = nil, learningRate: Float = 3e-3,
                      weightDecay: Float = 0.01, seed: UInt64,
                      progress: ((TransformerTrainingStep) throws -> Bool)? = nil) throws -> [Float] {
        let T = try checkCorpus(ids, blockSize: blockSize, operation: "train")
        try TransformerTraining.checkSettings(model: summary, steps: steps, batchSize: batchSize, learningRate: learningRate,
                                                window: T, vocabulary: vocabularySize)
        return try TransformerTraining.run(self, steps: steps, learningRate: learningRate, weightDecay: weightDecay,
                                           seed: seed, progress: progress) { rng in
            var inputs: [[Int]] = [], targets: [Int] = []
            for _ in 0..<batchSize {
                let start = TransformerTraining.windowStart(count: ids.count, length: T, using: &rng)
                let masked = try mask(Array(ids[start..<(start + T)]), using: &rng)
                inputs.append(masked.input)
                targets += masked.targets
            }
            let logits = try self.logits(batch: inputs).reshaped([batchSize * T, vocabularySize])
            return try Self.maskedLoss(logits: logits, targets: targets)
        }
    }

    /// `train(on:)` over the model's own `corpus`.
    @discardableResult
    public func train(steps: Int, batchSize: Int = 16, blockSize: Int? = nil, learningRate: Float = 3e-3,
                      weightDecay: Float = 0.01, seed: UInt64,
                      progress: ((TransformerTrainingStep) throws -> Bool)? = nil) throws -> [Float] {
        guard !corpus.isEmpty else {
            throw TensorError("\(summary) train: no corpus; build the model with BERT(corpus:…) or pass ids with train(on:…)")
        }
        return try train(on: corpus, steps: steps, batchSize: batchSize, blockSize: blockSize, learningRate: learningRate,
                         weightDecay: weightDecay, seed: seed, progress: progress)
    }

    /// The masked-token loss over a whole text (no gradients, no events): the text is cut
    /// into consecutive windows of blockSize tokens (a shorter tail is dropped), each is
    /// corrupted with a generator seeded with `seed` — the same seed, the same blanks —
    /// and the loss is averaged over all chosen positions.
    public func meanMaskedLoss(on ids: [Int], seed: UInt64) throws -> Float {
        let T = try checkCorpus(ids, blockSize: nil, operation: "meanMaskedLoss")
        var rng = SplitMix64(seed: seed)
        var inputs: [[Int]] = [], targets: [Int] = []
        for start in stride(from: 0, through: ids.count - T, by: T) {
            let masked = try mask(Array(ids[start..<(start + T)]), using: &rng)
            inputs.append(masked.input)
            targets += masked.targets
        }
        return try Tracing.suspended {
            try Tensor.withoutGrad {
                let logits = try self.logits(batch: inputs).reshaped([inputs.count * T, vocabularySize])
                return try Self.maskedLoss(logits: logits, targets: targets).item()
            }
        }
    }

    /// p(x_m | x̃) at every position of one sequence: (T, V), rows summing to 1.
    public func predict(_ ids: [Int]) throws -> Tensor {
        try Tensor.withoutGrad { try logits(ids).softmax(axis: -1) }
    }

    /// The sequence with every [MASK] replaced by the model's most likely token (all
    /// blanks guessed at once, each from the same corrupted text).
    public func fillMask(_ ids: [Int]) throws -> [Int] {
        let guesses = try predict(ids).argmax(axis: -1)  // (T,)
        return ids.enumerated().map { $0.element == maskToken ? Int(guesses.scalars[$0.offset]) : $0.element }
    }

    /// The text with every `mask` character (default "_") replaced by the model's guess.
    /// The mask character must not be a token of the vocabulary.
    public func fillMask(_ text: String, mask: Character = "_") throws -> String {
        guard let tokenizer else {
            throw TensorError("\(summary) fill_mask: this model has no tokenizer; build it with BERT(corpus:…) or pass token ids")
        }
        if tokenizer.vocabulary.contains(mask) {
            throw TensorError("\(summary) fill_mask: '\(mask)' is a character of the vocabulary, so it cannot mark a blank; choose another mask character")
        }
        let ids = try text.enumerated().map { position, c in
            if c == mask { return maskToken }
            guard let id = tokenizer.id(of: c) else {
                throw TensorError("\(summary) fill_mask: unknown character '\(c)' at position \(position); use only characters of the corpus and '\(mask)' for a blank")
            }
            return id
        }
        return try tokenizer.decode(fillMask(ids))
    }

    /// The window length to use, after checking the text can supply it.
    private func checkCorpus(_ ids: [Int], blockSize: Int?, operation: String) throws -> Int {
        let T = blockSize ?? self.blockSize
        guard T > 0, T <= self.blockSize else {
            throw TensorError("\(summary) \(operation): blockSize must be between 1 and \(self.blockSize), got \(T)")
        }
        guard ids.count >= T else {
            throw TensorError("\(summary) \(operation): the text has \(ids.count) token\(ids.count == 1 ? "" : "s"); windows of blockSize = \(T) need at least that many")
        }
        if let bad = ids.first(where: { !(0..<vocabularySize).contains($0) }) {
            throw TensorError("\(summary) \(operation): token id \(bad) is out of range; real tokens go from 0 to \(vocabularySize - 1)")
        }
        return T
    }
}
