import Foundation
import Models
import RealModule
import Tensor
import Testing
import Trace

@Suite struct GPTTests {
    /// The party story shipped with the lessons.
    static func corpus() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Lessons/data/party.txt").standardizedFileURL
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func message(_ body: () throws -> Any) -> String {
        do { _ = try body() } catch let error as TensorError { return error.message } catch { return "\(error)" }
        return "no error"
    }

    @Test func tokenizerBuildsASortedVocabularyAndRoundTrips() throws {
        let tokenizer = try CharTokenizer(text: "hello world")
        #expect(tokenizer.vocabulary == [" ", "d", "e", "h", "l", "o", "r", "w"])
        #expect(tokenizer.size == 8)
        #expect(try tokenizer.encode("hold") == [3, 5, 4, 1])
        #expect(try tokenizer.decode(tokenizer.encode("low holler")) == "low holler")
        #expect(tokenizer.labels([0, 3]) == ["␣", "h"])
        #expect(Self.message { try tokenizer.encode("hello!") }.contains("unknown character '!'"))
        #expect(Self.message { try tokenizer.encode("hello!") }.contains("at position 5"))
        #expect(Self.message { try tokenizer.decode([8]) }.contains("token id 8"))
        #expect(Self.message { try CharTokenizer(text: "") }.contains("empty"))
        #expect(Self.message { try CharTokenizer(vocabulary: ["a", "b", "a"]) }.contains("appears twice"))
    }

    @Test func theCorpusIsAFewKilobytesOfPlainEnglish() throws {
        let text = try Self.corpus()
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect((2_000...8_000).contains(text.utf8.count))
        let tokenizer = try CharTokenizer(text: text)
        #expect((40...60).contains(tokenizer.size))
    }

    @Test func anUntrainedModelIsAsUnsureAsAUniformGuess() throws {
        let gpt = try GPT(corpus: Self.corpus(), dim: 32, layers: 2, heads: 2, blockSize: 32, seed: 1)
        let loss = try gpt.meanLoss(on: gpt.corpus)
        #expect(abs(Double(loss) - Double.log(Double(gpt.vocabularySize))) < 0.1)
    }

    @Test func trainingATinyGPTLowersTheLossByMoreThanOneNat() throws {
        let gpt = try GPT(corpus: Self.corpus(), dim: 32, layers: 2, heads: 2, blockSize: 32, seed: 1)
        let before = try gpt.meanLoss(on: gpt.corpus)
        let start = Date()
        let losses = try gpt.train(steps: 100, batchSize: 8, learningRate: 1e-2, seed: 2)
        let seconds = Date().timeIntervalSince(start)
        let after = try gpt.meanLoss(on: gpt.corpus)
        print("GPT d=32, 2 layers, 2 heads, block 32, batch 8: 100 steps in \(seconds) s (\(100 / seconds) steps/s); loss \(before) → \(after)")
        #expect(losses.count == 100)
        #expect(before - after >= 1.0)
    }

    /// The same seed trains to the same bits on one core or two: large products split
    /// their rows between the cores, never a sum.
    @Test func oneCoreOrTwoTrainTheSameBits() throws {
        defer { Tensor.matmulThreads = 0 }
        func run(threads: Int) throws -> (losses: [Float], weights: [[Float]]) {
            Tensor.matmulThreads = threads
            let gpt = try GPT(corpus: Self.corpus(), dim: 64, layers: 2, heads: 4, blockSize: 32, seed: 7)
            let losses = try gpt.train(steps: 3, batchSize: 16, learningRate: 1e-3, seed: 8)
            return (losses, gpt.parameters.map(\.value.scalars))
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        #expect(one.losses.map(\.bitPattern) == two.losses.map(\.bitPattern))
        #expect(one.weights == two.weights)
    }

    @Test func trainingEmitsOneTrainEventPerStepAndStopsWhenAsked() throws {
        let gpt = try GPT(corpus: "a party of words, a party of vectors", dim: 8, layers: 1, heads: 2, blockSize: 8, seed: 3)
        var seen: [Int] = []
        let (losses, events) = try recording {
            try gpt.train(steps: 10, batchSize: 2, learningRate: 1e-2, seed: 4) { step in
                seen.append(step.step)
                #expect(step.steps == 10 && step.gradNorm > 0)
                return step.step < 3
            }
        }
        #expect(losses.count == 3 && seen == [1, 2, 3])
        #expect(events.map(\.kind) == [.train, .train, .train])
        #expect(events.map { $0.index("step") } == [.int(1), .int(2), .int(3)])
        #expect(events.map { $0["loss"]?.data } == losses.map { [$0] })
        #expect(events.allSatisfy { ($0["grad_norm"]?.data.first ?? 0) > 0 && $0.formula == "θ ← θ − η∇θ L" })
        // The same seed trains the same way.
        let again = try GPT(corpus: "a party of words, a party of vectors", dim: 8, layers: 1, heads: 2, blockSize: 8, seed: 3)
        #expect(try again.train(steps: 3, batchSize: 2, learningRate: 1e-2, seed: 4) == losses)
    }

    /// A GPT's loss event names the lecture's GPT objective, the text scoring itself, not
    /// the sequence loss's p(y_t | y_<t, x) of a model that reads one text and writes another.
    @Test func theLossEventNamesTheTextScoringItself() throws {
        let gpt = try GPT(corpus: Self.corpus(), dim: 8, layers: 1, heads: 2, blockSize: 8, seed: 5)
        let ids = try #require(gpt.tokenizer).encode("the party")
        let (mean, events) = try recording { try gpt.loss(ids) }
        let event = try #require(events.first { $0.kind == .loss })
        #expect(event.formula == "−log p(x) = −Σ_t log p(x_t | x_<t)")
        #expect(abs((event["total"]?.data.first ?? 0) / Float(ids.count - 1) - (try mean.item())) < 1e-5)
    }

    @Test func theCausalMaskHidesLaterWordsInEveryHead() throws {
        let gpt = try GPT(corpus: Self.corpus(), dim: 16, layers: 2, heads: 2, blockSize: 16, seed: 5)
        let ids = try #require(gpt.tokenizer).encode("the party began")
        let (logits, events) = try recording { try gpt.logits(ids) }
        let attention = events.filter { $0.kind == .attention }
        #expect(attention.count == 4)
        for event in attention {
            #expect(event.index("causal") == .bool(true))
            let A = try #require(event["A"])
            for m in 0..<ids.count { for t in (m + 1)..<ids.count { #expect(A.data[m * ids.count + t] == 0) } }
        }
        // Changing the last word changes no earlier prediction; changing the first changes the rest.
        var changed = ids
        changed[ids.count - 1] = (ids[ids.count - 1] + 1) % gpt.vocabularySize
        let other = try gpt.logits(changed)
        let V = gpt.vocabularySize, early = (ids.count - 1) * V
        #expect(maxDifference(logits.scalars[0..<early], other.scalars[0..<early]) < 1e-6)
        #expect(maxDifference(logits.scalars[early...], other.scalars[early...]) > 1e-3)
        changed = ids
        changed[0] = (ids[0] + 1) % V
        #expect(maxDifference(logits.scalars[early...], try gpt.logits(changed).scalars[early...]) > 1e-3)
    }

    @Test func forwardMatchesNaiveLoops() throws {
        for tied in [true, false] {
            let gpt = try GPT(vocabularySize: 6, dim: 4, layers: 2, heads: 2, blockSize: 5, hidden: 8, tiedWeights: tied, seed: 9)
            let ids = [3, 0, 5, 5, 1]
            let table = NaiveTransformer.matrix(gpt.parameter("W_encode")), P = NaiveTransformer.matrix(gpt.parameter("position.P"))
            var h = ids.enumerated().map { m, id in zip(table[id], P[m]).map { $0 + $1 } }
            for block in gpt.blocks { h = NaiveTransformer.block(h, block) }
            let gamma = NaiveTransformer.vector(gpt.parameter("ln_f.gamma")), beta = NaiveTransformer.vector(gpt.parameter("ln_f.beta"))
            let decoder = tied ? table : NaiveTransformer.matrix(gpt.parameter("W_decode"))
            let expected = h.flatMap { NaiveTransformer.apply(decoder, NaiveTransformer.layerNorm($0, gamma: gamma, beta: beta)) }
            let logits = try gpt.logits(ids)
            #expect(logits.shape == [5, 6])
            #expect(maxDifference(expected, logits.scalars) < 1e-4)
            #expect(maxDifference(try gpt.logits(batch: [ids, ids]).select(axis: 0, index: 1).scalars, logits.scalars) < 1e-6)
        }
    }

    @Test func aTracedForwardPassTellsTheWholeStoryInOrder() throws {
        let gpt = try GPT(corpus: "I love machine learning", dim: 4, layers: 2, heads: 2, blockSize: 8, seed: 12)
        let tokenizer = try #require(gpt.tokenizer)
        let text = "I love m"
        let ids = try tokenizer.encode(text)
        let (loss, events) = try recording { try gpt.loss(ids) }
        #expect(events.map(\.kind) == [.embed, .position, .attention, .attention, .feedforward,
                                       .attention, .attention, .feedforward, .decode, .loss])
        let inputLabels = ["I", "␣", "l", "o", "v", "e", "␣"]
        #expect(events.prefix(9).allSatisfy { $0.labels == inputLabels })
        #expect(events[9].labels == ["␣", "l", "o", "v", "e", "␣", "m"])
        #expect(events[2...7].map { $0.index("layer") } == [.int(1), .int(1), .int(1), .int(2), .int(2), .int(2)])

        // embed: h_m is row x_m of W_encode; one_hot picks it.
        let table = gpt.W_encode.value
        let embedded = try #require(events[0]["h"])
        #expect(embedded.data == (try table.take(Array(ids.dropLast()))).scalars)
        let oneHot = try #require(events[0]["one_hot"])
        #expect(oneHot.shape == [7, gpt.vocabularySize] && oneHot.data.reduce(0, +) == 7)
        // position: h_after = h_before + P_m, with h_before the embedding.
        #expect(events[1]["h_before"] == embedded)
        #expect(try #require(events[1]["P"]).data == Array(try #require(gpt.position.P).value.scalars[0..<28]))
        let pb = try #require(events[1]["h_before"]), pp = try #require(events[1]["P"]), pa = try #require(events[1]["h_after"])
        #expect(maxDifference(zip(pb.data, pp.data).map { $0 + $1 }, pa.data) < 1e-6)
        // The residual stream runs through every step: each h_before is the previous h_after.
        for i in 2...7 {
            #expect(maxDifference(try #require(events[i - 1]["h_after"]).data, try #require(events[i]["h_before"]).data) < 1e-5)
        }
        for event in events[2...7] where event.kind == .attention { try AttentionTests.checkAttentionEvent(event, d: 4) }
        // decode: logits = W_dec LN(h), p = softmax(logits).
        let decode = events[8]
        #expect(decode.formula == "p(w | h_m) = softmax(W_dec h_m)_w, W_dec = W_encodeᵀ")
        let last = Naive.rows(try #require(events[7]["h_after"]).tensor).map {
            NaiveTransformer.layerNorm($0, gamma: NaiveTransformer.vector(gpt.finalNorm.gamma), beta: NaiveTransformer.vector(gpt.finalNorm.beta!))
        }
        #expect(maxDifference(NaiveTransformer.flat(last), try #require(decode["h"]).data) < 1e-5)
        let logits = Naive.rows(try #require(decode["logits"]).tensor)
        #expect(maxDifference(last.flatMap { NaiveTransformer.apply(NaiveTransformer.matrix(table), $0) }, NaiveTransformer.flat(logits)) < 1e-5)
        let p = Naive.rows(try #require(decode["p"]).tensor)
        for (row, scores) in zip(p, logits) {
            let z = scores.reduce(0) { $0 + Double.exp($1) }
            #expect(maxDifference(scores.map { Double.exp($0) / z }, row) < 1e-6)
        }
        // loss: −log of the probability decode gave each next character; the model's loss is the mean.
        let targets = Array(ids.dropFirst())
        let losses = try #require(events[9]["losses"])
        #expect(maxDifference(targets.enumerated().map { -Double.log(p[$0.offset][$0.element]) }, losses.data) < 1e-5)
        #expect(abs(Double(try loss.item()) - losses.data.reduce(0) { $0 + Double($1) } / 7) < 1e-5)
    }

    @Test(arguments: [true, false])
    func gradientsThroughEveryParameterMatchFiniteDifferences(_ tied: Bool) throws {
        let gpt = try GPT(vocabularySize: 5, dim: 4, layers: 1, heads: 2, blockSize: 4, hidden: 6, tiedWeights: tied, seed: 13)
        // Bigger tables than GPT-2's 0.02 so the finite differences see real slopes.
        try gpt.W_encode.assign(Tensor.randomNormal([5, 4], seed: 14))
        try gpt.position.P?.assign(Tensor.randomNormal([4, 4], std: 0.5, seed: 15))
        let error = try worstGradientError(gpt.parameters) { try gpt.loss([1, 4, 0, 2, 2]) }
        #expect(error < 1e-2)
        #expect(gpt.namedParameters.map(\.path).prefix(3) == (tied ? ["W_encode", "position.P", "blocks.0.ln1.gamma"]
                                                                  : ["W_encode", "W_decode", "position.P"]))
    }

    @Test func generationIsDeterministicPerSeedAndTopOneIsGreedy() throws {
        let gpt = try GPT(corpus: Self.corpus(), dim: 16, layers: 1, heads: 2, blockSize: 16, seed: 17)
        let a = try gpt.generate(prompt: "The ", length: 20, temperature: 1, seed: 1)
        #expect(a.hasPrefix("The ") && a.count == 24)
        #expect(try gpt.generate(prompt: "The ", length: 20, temperature: 1, seed: 1) == a)
        #expect(try gpt.generate(prompt: "The ", length: 20, temperature: 1, seed: 2) != a)

        let prompt = try #require(gpt.tokenizer).encode("Once upon a time, four")  // longer than the block: cropped
        let (greedy, events) = try recording { try gpt.generate(prompt: prompt, length: 5, topK: 1, seed: 3) }
        #expect(events.count == 5 && events.allSatisfy { $0.kind == .decode })
        for i in 0..<5 {
            let context = Array(greedy[0..<(prompt.count + i)].suffix(16))
            let scores = try gpt.logits(context).select(axis: 0, index: -1).scalars
            let best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }
            #expect(greedy[prompt.count + i] == best)
            #expect(events[i]["p"]?.data.filter { $0 > 0 } == [1])
            #expect(events[i].index("t") == .int(prompt.count + i) && events[i].index("top_k") == .int(1))
            #expect(events[i].index("token") == .text(try #require(gpt.tokenizer).label(greedy[prompt.count + i])))
        }
        let (_, topThree) = try recording { try gpt.generate(prompt: prompt, length: 3, temperature: 0.7, topK: 3, seed: 4) }
        for event in topThree {
            let p = try #require(event["p"]).data
            #expect(p.filter { $0 > 0 }.count == 3 && abs(p.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func badRequestsAreErrorsThatSayWhatWasExpected() throws {
        let gpt = try GPT(corpus: "a small party", dim: 8, layers: 1, heads: 2, blockSize: 4, seed: 1)
        let V = gpt.vocabularySize
        #expect(Self.message { try GPT(vocabularySize: 5, dim: 6, layers: 1, heads: 4, blockSize: 4, seed: 1) }.contains("not divisible by heads"))
        #expect(Self.message { try gpt.logits([0, 1, 2, 3, 4]) }.contains("5 tokens is longer than the 4 positions"))
        #expect(Self.message { try gpt.logits([0, V]) }.contains("token id \(V) is out of range"))
        #expect(Self.message { try gpt.logits(batch: [[0, 1], [1]]) }.contains("one length"))
        #expect(Self.message { try gpt.loss([1]) }.contains("at least 2 tokens"))
        #expect(Self.message { try gpt.generate(prompt: "a", length: 3, topK: V + 1, seed: 1) }.contains("top-k must be between 1 and the vocabulary size"))
        #expect(Self.message { try gpt.generate(prompt: "a", length: 3, temperature: 0, seed: 1) }.contains("temperature"))
        #expect(Self.message { try gpt.generate(prompt: "", length: 3, seed: 1) }.contains("at least one token"))
        #expect(Self.message { try gpt.generate(prompt: "xyz", length: 3, seed: 1) }.contains("unknown character"))
        #expect(Self.message { try gpt.train(on: [0, 1, 2], steps: 1, seed: 1) }.contains("need at least"))
        #expect(Self.message { try gpt.train(steps: 1, blockSize: 9, seed: 1) }.contains("blockSize must be between 1 and 4"))
        #expect(Self.message { try gpt.train(steps: 1, learningRate: -1, seed: 1) }.contains("learningRate"))
        #expect(Self.message { try GPT(vocabularySize: 5, dim: 4, layers: 1, heads: 2, blockSize: 4, seed: 1).train(steps: 1, seed: 1) }.contains("no corpus"))
    }
}
