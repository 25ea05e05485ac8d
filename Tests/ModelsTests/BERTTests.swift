import Models
import RealModule
import Tensor
import Testing
import Trace

@Suite struct BERTTests {
    @Test func theMaskingRuleChoosesFifteenPercentAndSplitsThemEightyTenTen() throws {
        var rng = SplitMix64(seed: 2024)
        let V = 30, maskToken = 30, T = 20, draws = 4_000
        var counts: [MaskedTokens.Choice: Int] = [:]
        var changedByRandom = 0
        var chosenAt = [Int](repeating: 0, count: T)
        for _ in 0..<draws {
            let ids = (0..<T).map { _ in rng.int(below: V) }
            let masked = try MaskedTokens.corrupt(ids, vocabularySize: V, maskToken: maskToken, using: &rng)
            #expect(masked.chosen.count == 3)  // 15 % of 20
            for m in 0..<T {
                switch masked.choices[m] {
                case nil:
                    #expect(masked.input[m] == ids[m] && masked.targets[m] == MaskedTokens.ignored)
                case .mask?:
                    #expect(masked.input[m] == maskToken && masked.targets[m] == ids[m])
                case .random?:
                    #expect((0..<V).contains(masked.input[m]) && masked.targets[m] == ids[m])
                    if masked.input[m] != ids[m] { changedByRandom += 1 }
                case .unchanged?:
                    #expect(masked.input[m] == ids[m] && masked.targets[m] == ids[m])
                }
                if let choice = masked.choices[m] {
                    counts[choice, default: 0] += 1
                    chosenAt[m] += 1
                }
            }
        }
        let chosen = Double(draws * 3)
        #expect(abs(Double(counts[.mask] ?? 0) / chosen - 0.8) < 0.02)
        #expect(abs(Double(counts[.random] ?? 0) / chosen - 0.1) < 0.015)
        #expect(abs(Double(counts[.unchanged] ?? 0) / chosen - 0.1) < 0.015)
        // A random token is drawn from all V, so 1 in V of them happens to be the original.
        #expect(abs(Double(changedByRandom) / Double(counts[.random] ?? 1) - Double(V - 1) / Double(V)) < 0.03)
        // Every position is equally likely to be chosen.
        #expect(chosenAt.allSatisfy { abs(Double($0) / Double(draws) - 0.15) < 0.02 })
        // Short sequences still get one blank; the same seed gives the same blanks.
        for length in 1...6 {
            var r = SplitMix64(seed: UInt64(length))
            let masked = try MaskedTokens.corrupt(Array(0..<length), vocabularySize: V, maskToken: maskToken, using: &r)
            #expect(masked.chosen.count == max(1, Int((0.15 * Double(length)).rounded())))
            var again = SplitMix64(seed: UInt64(length))
            #expect(try MaskedTokens.corrupt(Array(0..<length), vocabularySize: V, maskToken: maskToken, using: &again) == masked)
        }
    }

    @Test func theLossCountsOnlyTheChosenPositions() throws {
        let logits = try Tensor.randomNormal([6, 5], std: 2, seed: 3).requiringGrad()
        let targets = [MaskedTokens.ignored, 2, MaskedTokens.ignored, MaskedTokens.ignored, 4, MaskedTokens.ignored]
        let loss = try BERT.maskedLoss(logits: logits, targets: targets)
        // Independent: the mean of −log softmax(row)[target] over rows 1 and 4.
        let rows = Naive.rows(logits)
        let expected = [1, 4].map { -(rows[$0][targets[$0]] - Double.log(rows[$0].reduce(0) { $0 + Double.exp($1) })) }
        #expect(abs(Double(try loss.item()) - expected.reduce(0, +) / 2) < 1e-5)
        try loss.backward()
        let grad = try #require(logits.grad)
        for row in [0, 2, 3, 5] { #expect(grad.scalars[(row * 5)..<(row * 5 + 5)].allSatisfy { $0 == 0 }) }
        #expect(grad.scalars[5..<10].contains { $0 != 0 })
        // Changing the logits where nothing was chosen changes nothing.
        var other = logits.detached()
        for row in [0, 2, 3, 5] { for j in 0..<5 { try other.setScalar(at: [row, j], to: Float(row * j) - 7) } }
        #expect(try BERT.maskedLoss(logits: other, targets: targets).item() == loss.item())
    }

    @Test func everyWordHearsBothSidesAndTheLossEventScoresTheBlanks() throws {
        let bert = try BERT(corpus: "I love machine learning", dim: 8, layers: 1, heads: 2, blockSize: 12, seed: 5)
        let tokenizer = try #require(bert.tokenizer)
        #expect(bert.maskToken == tokenizer.size && bert.W_encode.shape == [tokenizer.size + 1, 8])
        var rng = SplitMix64(seed: 6)
        let ids = try tokenizer.encode("love machine")
        let masked = try bert.mask(ids, using: &rng)
        let (loss, events) = try recording { try bert.loss(masked) }
        #expect(events.map(\.kind) == [.embed, .position, .attention, .attention, .feedforward, .decode, .loss])
        #expect(events[0].labels?.contains("[MASK]") == masked.input.contains(bert.maskToken))
        for event in events where event.kind == .attention {
            #expect(event.index("causal") == nil)
            try AttentionTests.checkAttentionEvent(event, d: 8)
            let A = try #require(event["A"])
            #expect(A.data[1] > 0)  // the first word hears the second
        }
        let chosen = masked.chosen
        let lossEvent = events[6]
        #expect(lossEvent.formula == "−log p(x_masked | x̃) = −Σ_{m chosen} log p(x_m | x̃)")
        #expect(lossEvent.labels == tokenizer.labels(chosen.map { ids[$0] }))
        let p = Naive.rows(try #require(events[5]["p"]).tensor)
        let losses = try #require(lossEvent["losses"])
        #expect(maxDifference(chosen.map { -Double.log(p[$0][ids[$0]]) }, losses.data) < 1e-5)
        #expect(abs(Double(try loss.item()) - losses.data.reduce(0) { $0 + Double($1) } / Double(chosen.count)) < 1e-5)
        // A change at the end reaches the first position: no causal mask.
        var changed = masked.input
        changed[ids.count - 1] = (changed[ids.count - 1] + 1) % bert.vocabularySize
        let first = try bert.logits(masked.input).select(axis: 0, index: 0)
        #expect(maxDifference(first.scalars, try bert.logits(changed).select(axis: 0, index: 0).scalars) > 1e-4)
    }

    @Test(arguments: [TransformerBlock.Norm.pre, .post])
    func forwardMatchesNaiveLoops(_ norm: TransformerBlock.Norm) throws {
        let bert = try BERT(vocabularySize: 5, dim: 4, layers: 2, heads: 2, blockSize: 6, hidden: 8, norm: norm, seed: 7)
        try bert.finalNorm.gamma.assign(Tensor([1.1, 0.9, 1.3, 0.6]))
        let ids = [2, bert.maskToken, 0, 4, bert.maskToken]
        let table = NaiveTransformer.matrix(bert.W_encode.value), P = NaiveTransformer.matrix(bert.position.P)
        let gamma = NaiveTransformer.vector(bert.finalNorm.gamma), beta = NaiveTransformer.vector(bert.finalNorm.beta!)
        var h = ids.enumerated().map { m, id in zip(table[id], P[m]).map { $0 + $1 } }
        if norm == .post { h = h.map { NaiveTransformer.layerNorm($0, gamma: gamma, beta: beta) } }
        for block in bert.blocks { h = NaiveTransformer.block(h, block) }
        if norm == .pre { h = h.map { NaiveTransformer.layerNorm($0, gamma: gamma, beta: beta) } }
        let expected = h.flatMap { NaiveTransformer.apply(Array(table.prefix(5)), $0) }
        let logits = try bert.logits(ids)
        #expect(logits.shape == [5, 5])
        #expect(maxDifference(expected, logits.scalars) < 1e-4)
        let names = bert.parts.map(\.name)
        #expect(names == (norm == .pre ? ["position", "blocks.0", "blocks.1", "ln_f"] : ["position", "ln_embed", "blocks.0", "blocks.1"]))
    }

    @Test func gradientsThroughEveryParameterMatchFiniteDifferences() throws {
        let bert = try BERT(vocabularySize: 4, dim: 4, layers: 1, heads: 2, blockSize: 5, hidden: 6, seed: 8)
        try bert.W_encode.assign(Tensor.randomNormal([5, 4], seed: 9))
        try bert.position.P?.assign(Tensor.randomNormal([5, 4], std: 0.5, seed: 10))
        let masked = MaskedTokens(input: [1, 4, 3, 4, 2], targets: [MaskedTokens.ignored, 0, MaskedTokens.ignored, 2, MaskedTokens.ignored],
                                  choices: [nil, .mask, nil, .mask, nil])
        let error = try worstGradientError(bert.parameters) { try bert.loss(masked) }
        #expect(error < 1e-2)
    }

    @Test func maskedLanguageModellingLearnsTheCorpusLetterFrequencies() throws {
        let bert = try BERT(corpus: GPTTests.corpus(), dim: 32, layers: 1, heads: 2, blockSize: 16, seed: 1)
        let before = try bert.meanMaskedLoss(on: bert.corpus, seed: 99)
        let losses = try bert.train(steps: 100, batchSize: 8, learningRate: 1e-2, seed: 11)
        let after = try bert.meanMaskedLoss(on: bert.corpus, seed: 99)
        #expect(losses.count == 100)
        #expect(abs(Double(before) - Double.log(Double(bert.vocabularySize))) < 0.1)
        #expect(before - after >= 0.6)
    }

    @Test func maskedLanguageModellingLearnsToReadBothSides() throws {
        // In "abcdefgh" repeated every letter is equally common (ln 8 ≈ 2.08 nats to guess
        // blindly), but its neighbours on either side give it away.
        let bert = try BERT(corpus: String(repeating: "abcdefgh", count: 40), dim: 32, layers: 1, heads: 2, blockSize: 16, seed: 1)
        let before = try bert.meanMaskedLoss(on: bert.corpus, seed: 99)
        try bert.train(steps: 100, batchSize: 8, learningRate: 3e-3, seed: 11)
        let after = try bert.meanMaskedLoss(on: bert.corpus, seed: 99)
        #expect(before > 1.9)
        #expect(after < 1.0)
        #expect(try bert.fillMask("abc_efgh_bc") == "abcdefghabc")
        let p = try bert.predict(bert.tokenizer?.encode("abcdefgh") ?? [])
        #expect(maxDifference(try p.sum(axis: 1).scalars, [Float](repeating: 1, count: 8)) < 1e-5)
    }

    @Test func badRequestsAreErrorsThatSayWhatWasExpected() throws {
        let bert = try BERT(corpus: "a small_party", dim: 8, layers: 1, heads: 2, blockSize: 4, seed: 1)
        #expect(GPTTests.message { try bert.fillMask("a sm_ll") }.contains("'_' is a character of the vocabulary"))
        #expect(GPTTests.message { try bert.fillMask("a sm#ll", mask: "#") }.contains("7 tokens is longer than the 4 positions"))
        #expect(GPTTests.message { try bert.fillMask("a#z", mask: "#") }.contains("unknown character 'z' at position 2"))
        #expect(GPTTests.message { try bert.logits([0, bert.maskToken + 1]) }.contains("out of range"))
        #expect(GPTTests.message { try bert.train(on: [0, 1], steps: 1, seed: 1) }.contains("need at least"))
        #expect(GPTTests.message { try bert.meanMaskedLoss(on: [0, 1, 2, bert.maskToken], seed: 1) }.contains("out of range"))
        var rng = SplitMix64(seed: 1)
        #expect(GPTTests.message { try bert.mask([], using: &rng) }.contains("at least one token"))
        #expect(GPTTests.message { try BERT(vocabularySize: 4, dim: 6, layers: 1, heads: 4, blockSize: 4, seed: 1) }.contains("not divisible"))
        #expect(GPTTests.message { try BERT(vocabularySize: 4, dim: 4, layers: 1, heads: 2, blockSize: 4, seed: 1).fillMask("ab") }.contains("no tokenizer"))
    }
}
