import Tensor
import Trace

/// word2vec's training: SGD over every position of every sentence, with a linearly
/// decaying learning rate, one epoch per step of the shared `TrainingLoop` (see
/// `Word2Vec` for the events it emits).
extension Word2Vec {
    /// The learning rate the reference implementation starts from: 0.025 for skip-gram,
    /// 0.05 for CBOW.
    public var defaultLearningRate: Float { architecture == .skipGram ? 0.025 : 0.05 }

    /// Trains on a text: its sentences (`Vocabulary.sentences(in:)`), with words outside
    /// the vocabulary dropped as the reference implementation does. Returns the mean loss
    /// of each epoch run.
    @discardableResult
    public func train(corpus: String, epochs: Int, learningRate: Float? = nil,
                      progress: ((Progress) throws -> Bool)? = nil) throws -> [Float] {
        try train(sentences: Vocabulary.sentences(in: corpus), epochs: epochs, learningRate: learningRate, progress: progress)
    }

    /// Trains on sentences given as lists of words (words outside the vocabulary dropped).
    @discardableResult
    public func train(sentences: [[String]], epochs: Int, learningRate: Float? = nil,
                      progress: ((Progress) throws -> Bool)? = nil) throws -> [Float] {
        let ids = sentences.map { sentence in
            sentence.compactMap { word -> Int? in
                guard vocabulary.contains(word), let id = try? vocabulary.id(of: word), id != vocabulary.unknownID else { return nil }
                return id
            }
        }
        return try train(ids: ids, epochs: epochs, learningRate: learningRate, progress: progress)
    }

    /// Trains on sentences of word ids.
    @discardableResult
    public func train(ids sentences: [[Int]], epochs: Int, learningRate: Float? = nil,
                      progress: ((Progress) throws -> Bool)? = nil) throws -> [Float] {
        guard epochs >= 1 else { throw TensorError("\(summary): epochs must be at least 1, got \(epochs)") }
        let eta0 = learningRate ?? defaultLearningRate
        guard eta0.isFinite, eta0 > 0 else {
            throw TensorError("\(summary): the learning rate must be a positive number, got \(eta0)")
        }
        for sentence in sentences {
            for id in sentence where id < 0 || id >= vocabulary.count {
                throw TensorError("\(summary): word id \(id) is out of range for a vocabulary of \(vocabulary.count) words")
            }
        }
        let usable = sentences.filter { $0.count >= 2 }
        guard !usable.isEmpty else {
            throw TensorError("\(summary): nothing to train on — no sentence has two words from the vocabulary")
        }
        let positionsPerEpoch = usable.reduce(0) { $0 + $1.count }
        let totalPositions = Double(positionsPerEpoch) * Double(epochs)  // no Int overflow for a huge `epochs`
        var tables = NegativeSamplingTables(W_in: W_in.value, W_out: W_out.value)
        var rng = self.rng
        var position = 0
        var eta = eta0
        let observer = progress.map { progress in TrainingCallback { try progress(Progress($0, steps: self.steps)) } }
        // Each epoch's event counts epochs and SGD updates over every `train` call, so a
        // second call goes on where the first stopped.
        let index = { (_: TrainingReport) -> [(IndexKey<TrainStep>, IndexValue)] in
            [(TrainStep.epoch, .int(self.epochsTrained)), (TrainStep.step, .int(self.steps)),
             (TrainStep.architecture, .text(self.architecture.rawValue))]
        }
        return try TrainingLoop.run(steps: epochs, formula: "θ ← θ − η∇θ L,  " + lossFormula, unit: .epoch,
                                    observer: observer, index: index) { _ in
            var lossSum = 0.0, updates = 0
            for sentence in usable {
                for t in sentence.indices {
                    // Ctrl-C or the time limit mid-epoch: the model stays at the last epoch.
                    try Cancellation.check()
                    eta = eta0 * Float(Swift.max(1 - Double(position) / totalPositions, 1e-4))
                    position += 1
                    let lo = Swift.max(0, t - window), hi = Swift.min(sentence.count - 1, t + window)
                    let context = (lo...hi).filter { $0 != t }.map { sentence[$0] }
                    switch architecture {
                    case .skipGram:
                        for output in context {
                            let noise = drawNegatives(avoiding: output, using: &rng)
                            lossSum += tables.skipGram(input: sentence[t], output: output, negatives: noise, learningRate: eta)
                            updates += 1
                        }
                    case .cbow:
                        let noise = drawNegatives(avoiding: sentence[t], using: &rng)
                        lossSum += tables.cbow(context: context, target: sentence[t], negatives: noise, learningRate: eta)
                        updates += 1
                    }
                }
            }
            // The model is consistent after each epoch, so an observer that stops training
            // here leaves a usable model behind.
            try store(tables)
            self.rng = rng
            steps += updates
            epochsTrained += 1
            return TrainingLoop.Outcome(loss: Float(lossSum / Double(Swift.max(updates, 1))), learningRate: eta)
        }
    }

    /// k draws from P_n, leaving out any that hit the positive word.
    private func drawNegatives(avoiding positive: Int, using rng: inout SplitMix64) -> [Int] {
        var drawn: [Int] = []
        drawn.reserveCapacity(negatives)
        for _ in 0..<negatives {
            let w = noise.sample(using: &rng)
            if w != positive { drawn.append(w) }
        }
        return drawn
    }
}

extension Word2Vec.Progress {
    /// An epoch as the training loop reports it; `steps` counts SGD updates over every run.
    init(_ report: TrainingReport, steps: Int) {
        self.init(epoch: report.step, epochs: report.total, steps: steps, loss: report.loss,
                  learningRate: report.learningRate ?? 0)
    }

    /// The epoch as the training loop reports it, for a `TrainingObserver`.
    public var report: TrainingReport {
        TrainingReport(step: epoch, total: epochs, loss: loss, learningRate: learningRate, unit: .epoch)
    }
}

extension Word2Vec: CarriesState {
    public func copyOwnState(to other: any Model) {
        guard let other = other as? Word2Vec else { return }
        other.rng = rng
        other.steps = steps
        other.epochsTrained = epochsTrained
    }
}
