import Foundation
import Models
import RealModule
import Tensor
import Testing
import Trace

/// word2vec: the noise distribution, the negative-sampling objective and its gradient,
/// and what training on `Lessons/data/words.txt` learns. That corpus is made of simple
/// sentences in which animals, foods, colours, numbers, places and people each appear in
/// contexts of their own ("the cat sleeps all day", "fresh bread tastes good"), so words
/// that share contexts should end up closer than words that do not.
@Suite struct Word2VecTests {
    static let corpus: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Lessons/data/words.txt")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    static let animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "rabbit", "pig", "duck", "mouse"]
    static let foods = ["bread", "cheese", "soup", "rice", "cake", "apple", "banana", "pasta", "butter", "honey"]

    // MARK: Noise distribution

    @Test func noiseTableIsCountToTheThreeQuartersNormalised() throws {
        let counts = [10, 1, 0, 5, 100, 37]
        let sampler = try NoiseSampler(counts: counts)
        let weights = counts.map { Double.pow(Double($0), 0.75) }
        let total = weights.reduce(0, +)
        let expected = weights.map { $0 / total }
        #expect(maxDifference(sampler.probabilities, expected) < 1e-12)

        // What the alias table draws, reconstructed from its columns: word w is drawn from
        // its own column with probability acceptance[w], and from column i when i's coin
        // fails and alias[i] = w.
        let n = Double(counts.count)
        var drawn = sampler.acceptance.map { $0 / n }
        for (i, a) in sampler.alias.enumerated() { drawn[a] += (1 - sampler.acceptance[i]) / n }
        #expect(maxDifference(drawn, expected) < 1e-12)

        // Sampled frequencies over many draws.
        var rng = SplitMix64(seed: 99)
        var tally = [Int](repeating: 0, count: counts.count)
        let draws = 200_000
        for _ in 0..<draws { tally[sampler.sample(using: &rng)] += 1 }
        #expect(tally[2] == 0)  // a word never seen is never a negative
        for w in counts.indices where expected[w] > 0 {
            let frequency = Double(tally[w]) / Double(draws)
            #expect(abs(frequency - expected[w]) / expected[w] < 0.03, "word \(w): \(frequency) vs \(expected[w])")
        }

        #expect(throws: TensorError.self) { try NoiseSampler(counts: [0, 0]) }
        #expect(throws: TensorError.self) { try NoiseSampler(counts: [3, -1]) }
        #expect(throws: TensorError.self) { try NoiseSampler(counts: []) }
    }

    // MARK: The objective by hand

    /// A 4-word vocabulary with d = 3 and hand-set vectors.
    private func tinyModel(_ architecture: Word2Vec.Architecture) throws -> Word2Vec {
        let vocabulary = try Vocabulary(corpus: "a a a a b b b c c d")
        let model = try Word2Vec(vocabulary: vocabulary, dimension: 3, window: 1, negatives: 2, architecture: architecture, seed: 3)
        try model.W_in.assign(Tensor([[0.2, -0.4, 0.6, 0.1], [0.5, 0.3, -0.2, 0.8], [-0.3, 0.7, 0.4, -0.6]]))
        try model.W_out.assign(Tensor([[0.1, 0.2, -0.3], [-0.5, 0.4, 0.2], [0.3, -0.1, 0.6], [0.7, 0.5, -0.4]]))
        return model
    }

    private static func sigma(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }

    /// Independent SGNS: loss and gradients for h, the positive and the negatives, in Double.
    private static func sgns(h: [Double], positive: [Double], negatives: [[Double]])
        -> (loss: Double, dh: [Double], dPositive: [Double], dNegatives: [[Double]]) {
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let sO = dot(positive, h)
        var loss = -Double.log(sigma(sO))
        var dh = positive.map { -(1 - sigma(sO)) * $0 }
        let dPositive = h.map { -(1 - sigma(sO)) * $0 }
        var dNegatives: [[Double]] = []
        for v in negatives {
            let s = dot(v, h)
            loss -= Double.log(sigma(-s))
            for i in dh.indices { dh[i] += sigma(s) * v[i] }
            dNegatives.append(h.map { sigma(s) * $0 })
        }
        return (loss, dh, dPositive, dNegatives)
    }

    private func column(_ t: Tensor, _ j: Int) -> [Double] {
        (0..<t.shape[0]).map { Double(t.scalars[$0 * t.shape[1] + j]) }
    }

    private func row(_ t: Tensor, _ i: Int) -> [Double] {
        (0..<t.shape[1]).map { Double(t.scalars[i * t.shape[1] + $0]) }
    }

    @Test func skipGramLossGradientAndStepMatchAHandComputation() throws {
        let model = try tinyModel(.skipGram)
        let (Win, Wout) = (model.W_in.value, model.W_out.value)
        // input b (id 1), output c (id 2), negatives a (0) and d (3).
        let hand = Self.sgns(h: column(Win, 1), positive: row(Wout, 2), negatives: [row(Wout, 0), row(Wout, 3)])

        model.zeroGrad()
        let loss = try model.loss(input: 1, output: 2, negatives: [0, 3])
        #expect(abs(Double(try loss.item()) - hand.loss) < 1e-6)
        try loss.backward()
        let gIn = try #require(model.W_in.grad), gOut = try #require(model.W_out.grad)
        #expect(maxDifference(column(gIn, 1), hand.dh) < 1e-6)
        for j in [0, 2, 3] { #expect(column(gIn, j) == [0, 0, 0]) }
        #expect(maxDifference(row(gOut, 2), hand.dPositive) < 1e-6)
        #expect(maxDifference(row(gOut, 0), hand.dNegatives[0]) < 1e-6)
        #expect(maxDifference(row(gOut, 3), hand.dNegatives[1]) < 1e-6)
        #expect(row(gOut, 1) == [0, 0, 0])

        // The training update is exactly θ ← θ − η∇θL.
        let eta: Float = 0.1
        let before = try model.step(input: 1, output: 2, negatives: [0, 3], learningRate: eta)
        #expect(abs(Double(before) - hand.loss) < 1e-6)
        let expectedIn = zip(Win.scalars, gIn.scalars).map { Double($0) - Double(eta) * Double($1) }
        let expectedOut = zip(Wout.scalars, gOut.scalars).map { Double($0) - Double(eta) * Double($1) }
        #expect(maxDifference(expectedIn, model.W_in.value.scalars) < 1e-6)
        #expect(maxDifference(expectedOut, model.W_out.value.scalars) < 1e-6)
    }

    @Test func cbowLossGradientAndStepMatchAHandComputation() throws {
        let model = try tinyModel(.cbow)
        let (Win, Wout) = (model.W_in.value, model.W_out.value)
        // context a, d (ids 0, 3) predict b (1); negative c (2).
        let h = zip(column(Win, 0), column(Win, 3)).map { ($0 + $1) / 2 }
        let hand = Self.sgns(h: h, positive: row(Wout, 1), negatives: [row(Wout, 2)])

        model.zeroGrad()
        let loss = try model.loss(context: ["a", "d"], target: "b", negatives: ["c"])
        #expect(abs(Double(try loss.item()) - hand.loss) < 1e-6)
        try loss.backward()
        let gIn = try #require(model.W_in.grad), gOut = try #require(model.W_out.grad)
        // h is the mean of two vectors, so each receives half of ∂L/∂h.
        #expect(maxDifference(column(gIn, 0), hand.dh.map { $0 / 2 }) < 1e-6)
        #expect(maxDifference(column(gIn, 3), hand.dh.map { $0 / 2 }) < 1e-6)
        #expect(maxDifference(row(gOut, 1), hand.dPositive) < 1e-6)
        #expect(maxDifference(row(gOut, 2), hand.dNegatives[0]) < 1e-6)

        let eta: Float = 0.2
        try model.step(context: [0, 3], target: 1, negatives: [2], learningRate: eta)
        let expectedIn = zip(Win.scalars, gIn.scalars).map { Double($0) - Double(eta) * Double($1) }
        let expectedOut = zip(Wout.scalars, gOut.scalars).map { Double($0) - Double(eta) * Double($1) }
        #expect(maxDifference(expectedIn, model.W_in.value.scalars) < 1e-6)
        #expect(maxDifference(expectedOut, model.W_out.value.scalars) < 1e-6)
    }

    @Test func gradientsThroughWInAndWOutMatchFiniteDifferences() throws {
        for architecture in Word2Vec.Architecture.allCases {
            let model = try tinyModel(architecture)
            let error = try worstGradientError(model.parameters) {
                let skip = try model.loss(input: 0, output: 3, negatives: [1, 2, 1])
                let cbow = try model.loss(context: [1, 2, 2], target: 0, negatives: [3])
                return try skip + cbow
            }
            #expect(error < 1e-2)
        }
    }

    // MARK: Training

    private func groupCosines(_ model: Word2Vec) throws -> (within: Double, between: Double) {
        var within: [Double] = [], between: [Double] = []
        for (i, a) in Self.animals.enumerated() {
            for b in Self.animals[(i + 1)...] { within.append(Double(try model.cosine(a, b))) }
            for f in Self.foods { between.append(Double(try model.cosine(a, f))) }
        }
        return (within.reduce(0, +) / Double(within.count), between.reduce(0, +) / Double(between.count))
    }

    @Test func skipGramPutsWordsThatShareContextsCloser() throws {
        #expect(!Self.corpus.isEmpty)
        let vocabulary = try Vocabulary(corpus: Self.corpus)
        let model = try Word2Vec(vocabulary: vocabulary, dimension: 16, window: 2, negatives: 5, seed: 2013)
        var reports: [Word2Vec.Progress] = []
        let (losses, events) = try recording {
            try model.train(corpus: Self.corpus, epochs: 15) { reports.append($0); return true }
        }
        let (within, between) = try groupCosines(model)
        #expect(within - between > 0.3)
        let neighbours = try model.nearest(to: "cat", k: 3).map(\.word)
        #expect(neighbours.contains { Self.animals.contains($0) })
        #expect((losses.last ?? 99) < (losses.first ?? 0) * 0.8)

        // One train event per epoch, whose loss is the epoch's mean loss.
        #expect(events.count == 15 && events.allSatisfy { $0.kind == .train })
        #expect(events.map { $0.index("epoch") } == (1...15).map { .int($0) })
        #expect(events.map { $0["loss"]?.data.first ?? -1 } == losses)
        #expect(reports.map(\.loss) == losses && reports.last?.steps == model.steps)
        #expect(events.last?.index("step") == .int(model.steps))
        let rates = events.compactMap { $0["learning_rate"]?.data.first }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })  // linear decay
    }

    @Test func cbowAlsoGroupsWordsByContext() throws {
        let vocabulary = try Vocabulary(corpus: Self.corpus)
        let model = try Word2Vec(vocabulary: vocabulary, dimension: 16, window: 2, negatives: 5, architecture: .cbow, seed: 7)
        let losses = try model.train(corpus: Self.corpus, epochs: 20)
        let (within, between) = try groupCosines(model)
        #expect(within - between > 0.1)
        #expect((losses.last ?? 99) < (losses.first ?? 0))
    }

    @Test func trainingIsSeededAndCanStopEarly() throws {
        let vocabulary = try Vocabulary(corpus: Self.corpus)
        let first = try Word2Vec(vocabulary: vocabulary, dimension: 8, seed: 5)
        let second = try Word2Vec(vocabulary: vocabulary, dimension: 8, seed: 5)
        try first.train(corpus: Self.corpus, epochs: 1)
        try second.train(corpus: Self.corpus, epochs: 1)
        #expect(first.W_in.value == second.W_in.value && first.W_out.value == second.W_out.value)

        let stopped = try Word2Vec(vocabulary: vocabulary, dimension: 8, seed: 5)
        let losses = try stopped.train(corpus: Self.corpus, epochs: 10) { $0.epoch < 2 }
        #expect(losses.count == 2 && stopped.epochsTrained == 2)

        struct Stop: Error {}
        let thrown = try Word2Vec(vocabulary: vocabulary, dimension: 8, seed: 5)
        #expect(throws: Stop.self) { try thrown.train(corpus: Self.corpus, epochs: 10) { _ in throw Stop() } }
        #expect(thrown.epochsTrained == 1)
    }

    @Test func unknownWordsAreDroppedAndNeverDrawnAsNegatives() throws {
        let vocabulary = try Vocabulary(corpus: Self.corpus, minCount: 20, unknownWords: .mapToUnknown)
        #expect(vocabulary.counts[0] > 0)  // <unk> covers the rarer words
        let model = try Word2Vec(vocabulary: vocabulary, dimension: 8, seed: 11)
        #expect(model.noise.probabilities[0] == 0)
        let before = model.W_in.value
        try model.train(corpus: Self.corpus, epochs: 1)
        #expect(model.W_out.value.scalars[0..<8].allSatisfy { $0 == 0 })  // v′_<unk> untouched
        #expect((0..<8).allSatisfy { model.W_in.value.scalars[$0 * vocabulary.count] == before.scalars[$0 * vocabulary.count] })
        #expect(model.W_in.value != before)
    }

    @Test func wordToVectorToWordThroughTheViews() throws {
        let model = try tinyModel(.skipGram)
        #expect(model.embedding.W_encode === model.W_in)
        #expect(model.decoder.W_dec === model.W_out)
        #expect(model.namedParameters.map(\.path) == ["W_in", "W_out"])
        // The full-softmax skip-gram p(w_O | w_I) = softmax(W_out v_{w_I}), by hand.
        let p = try model.decoder(model.embedding(["b"]))
        let v = column(model.W_in.value, 1)
        let scores = (0..<4).map { w in zip(row(model.W_out.value, w), v).reduce(0) { $0 + $1.0 * $1.1 } }
        let z = scores.reduce(0) { $0 + Double.exp($1) }
        #expect(maxDifference(scores.map { Double.exp($0) / z }, p.scalars) < 1e-6)
    }

    @Test func badSettingsAreClearErrors() throws {
        let vocabulary = try Vocabulary(corpus: "the cat sat on the mat")
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return (error as? TensorError)?.message ?? "" }
        }
        #expect(message { _ = try Word2Vec(vocabulary: vocabulary, window: 0, seed: 1) }.contains("window"))
        #expect(message { _ = try Word2Vec(vocabulary: vocabulary, negatives: 0, seed: 1) }.contains("negative samples k"))
        #expect(message { _ = try Word2Vec(vocabulary: vocabulary, dimension: 0, seed: 1) }.contains("dimension"))
        #expect(message { _ = try Word2Vec(vocabulary: Vocabulary(corpus: "cat cat"), seed: 1) }.contains("too small"))
        #expect(message { _ = try Word2Vec(vocabulary: Vocabulary(words: ["a", "b"]), seed: 1) }.contains("counts"))
        let model = try Word2Vec(vocabulary: vocabulary, seed: 1)
        #expect(message { try model.train(corpus: "cat. mat. the.", epochs: 1) }.contains("nothing to train on"))
        #expect(message { try model.train(corpus: "the cat", epochs: 0) }.contains("epochs"))
        #expect(message { try model.train(corpus: "the cat", epochs: 1, learningRate: -1) }.contains("learning rate"))
        #expect(message { _ = try model.loss(input: "cat", output: "zebra", negatives: []) }.contains("zebra"))
        #expect(message { _ = try model.loss(input: 0, output: 9, negatives: []) }.contains("out of range"))
        #expect(message { _ = try model.loss(context: [], target: 1, negatives: [2]) }.contains("context"))
    }
}
