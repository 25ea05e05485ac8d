import Models
import RealModule
import Tensor
import Testing
import Trace

/// The vocabulary, one-hot vectors, W_encode, decoding and nearest neighbours.
@Suite struct WordVectorTests {
    // MARK: Vocabulary

    @Test func tokenisationLowercasesAndKeepsApostrophesInsideWords() {
        let words = Vocabulary.words(in: "The cat's toy -- DON'T 'quote' 42apples, Café naïve ’tis o’clock!")
        #expect(words == ["the", "cat's", "toy", "don't", "quote", "apples", "café", "naïve", "tis", "o'clock"])
        #expect(Vocabulary.sentences(in: "A cat sat. The dog ran!\nWhy? 12 ... \n birds") ==
            [["a", "cat", "sat"], ["the", "dog", "ran"], ["why"], ["birds"]])
    }

    @Test func vocabularyOrdersByCountThenAlphabetically() throws {
        let vocabulary = try Vocabulary(corpus: "b a c a b a d")
        #expect(vocabulary.words == ["a", "b", "c", "d"])
        #expect(vocabulary.counts == [3, 2, 1, 1])
        #expect(vocabulary.count == 4 && vocabulary.tokenCount == 7)
        #expect(try vocabulary.id(of: "c") == 2)
        #expect(try vocabulary.id(of: "C") == 2)  // lowercase fallback
        #expect(try vocabulary.word(at: 1) == "b")
        #expect(try vocabulary.encode("A d, b!") == [0, 3, 1])

        let frequent = try Vocabulary(corpus: "b a c a b a d", minCount: 2)
        #expect(frequent.words == ["a", "b"])
        let capped = try Vocabulary(corpus: "b a c a b a d", maxSize: 3)
        #expect(capped.words == ["a", "b", "c"])
        // The words left out still count as words of the text it was built from.
        #expect(capped.tokenCount == 6 && capped.corpusWordCount == 7 && frequent.corpusWordCount == 7)
        #expect(try Vocabulary(words: ["a", "b"]).corpusWordCount == 0)
    }

    @Test func unknownWordsAreRejectedOrMappedToUnk() throws {
        let strict = try Vocabulary(corpus: "the cat and the dog", minCount: 2)
        #expect(strict.words == ["the"])
        let error = #expect(throws: TensorError.self) { try strict.id(of: "cat") }
        #expect(error?.message.contains("unknown word “cat”") == true)

        let lenient = try Vocabulary(corpus: "the cat and the dog", minCount: 2, unknownWords: .mapToUnknown)
        #expect(lenient.words == ["<unk>", "the"])
        #expect(lenient.counts == [3, 2])  // cat, and, dog were left out
        #expect(try lenient.ids(of: ["the", "zebra"]) == [1, 0])
        #expect(lenient.unknownID == 0)

        let listed = try Vocabulary(words: ["I", "love", "machine", "learning"], unknownWords: .mapToUnknown)
        #expect(listed.words == ["<unk>", "I", "love", "machine", "learning"])
        #expect(try listed.id(of: "I") == 1)
    }

    @Test func badVocabulariesAreClearErrors() {
        func message(_ body: () throws -> Vocabulary) -> String {
            do { _ = try body(); return "" } catch { return (error as? TensorError)?.message ?? "" }
        }
        #expect(message { try Vocabulary(corpus: "  42 -- !! ") }.contains("no words"))
        #expect(message { try Vocabulary(corpus: "a b", minCount: 0) }.contains("minCount"))
        #expect(message { try Vocabulary(corpus: "a b", minCount: 5) }.contains("no word occurs at least 5 times"))
        #expect(message { try Vocabulary(corpus: "a b", maxSize: 1, unknownWords: .mapToUnknown) }.contains("too small"))
        #expect(message { try Vocabulary(words: ["a", "b", "a"]) }.contains("appears twice"))
        #expect(message { try Vocabulary(words: []) }.contains("at least one word"))
        let vocabulary = try? Vocabulary(words: ["a"])
        #expect(throws: TensorError.self) { try vocabulary?.word(at: 3) }
    }

    // MARK: One-hot vectors and W_encode

    @Test func oneHotTimesWEncodeIsTheColumnAndTheLookup() throws {
        let vocabulary = try Vocabulary(words: ["I", "love", "machine", "learning", "cats"])
        let embedding = try WordEmbedding(vocabulary: vocabulary, dimension: 3, seed: 18)
        let W = try #require(embedding.parameter("W_encode")).value
        #expect(W.shape == [3, 5])
        let words = ["learning", "I", "love", "learning"]
        let ids = [3, 0, 1, 3]

        // e_w by hand: a 1 in place k, zeros elsewhere.
        let oneHot = try embedding.oneHot(words)
        #expect(oneHot.shape == [4, 5])
        for (t, k) in ids.enumerated() {
            #expect((0..<5).map { oneHot.scalars[t * 5 + $0] } == (0..<5).map { $0 == k ? 1 : 0 })
        }

        let (vectors, events) = try recording { try embedding(words) }
        let viaProduct = try embedding.encode(oneHot: oneHot)
        #expect(vectors.shape == [4, 3])
        for (t, k) in ids.enumerated() {
            // W_encode · e_w in Double with a naive loop over every column…
            let product = (0..<3).map { i in (0..<5).reduce(0.0) { $0 + Double(W.scalars[i * 5 + $1]) * Double(oneHot.scalars[t * 5 + $1]) } }
            // …is column k of W_encode…
            let column = (0..<3).map { Double(W.scalars[$0 * 5 + k]) }
            #expect(product == column)
            // …and both the lookup and the engine's product give it.
            #expect(maxDifference(column, vectors.scalars[(t * 3)..<(t * 3 + 3)]) == 0)
            #expect(maxDifference(column, viaProduct.scalars[(t * 3)..<(t * 3 + 3)]) < 1e-7)
        }

        // The embed event: vector = one_hot · W_encodeᵀ from the snapshots alone.
        let event = try #require(events.first)
        #expect(events.count == 1 && event.kind == .embed)
        #expect(event.formula == "h_w = W_encode · e_w  (column w of W_encode)")
        #expect(event.labels == words)
        let e = try #require(event["one_hot"]), w = try #require(event["W_encode"]), v = try #require(event[EmbedStep.h])
        #expect(e.shape == [4, 5] && w.shape == [3, 5] && v.shape == [4, 3])
        #expect(try #require(event["ids"]).data == ids.map(Float.init))
        for t in 0..<4 {
            #expect(e.row(t).reduce(0, +) == 1)
            let expected = (0..<3).map { i in (0..<5).reduce(0.0) { $0 + Double(w.data[i * 5 + $1]) * Double(e.data[t * 5 + $1]) } }
            #expect(maxDifference(expected, v.row(t)) < 1e-7)
        }
    }

    @Test func bigVocabulariesLeaveWEncodeOutOfTheEvent() throws {
        let vocabulary = try Vocabulary(words: (0..<40).map { "w\($0)" })
        let embedding = try WordEmbedding(vocabulary: vocabulary, dimension: 4, seed: 1)
        embedding.snapshotLimit = 100  // C·d = 160 is above it
        let (_, events) = try recording { try embedding(ids: [3, 7]) }
        #expect(events.first?["W_encode"] == nil)
        #expect(events.first?[EmbedStep.h]?.shape == [2, 4])
        #expect(events.first?.labels == [vocabulary.words[3], vocabulary.words[7]])
    }

    @Test func embeddingErrorsAreClear() throws {
        let vocabulary = try Vocabulary(words: ["a", "b", "c"])
        #expect(throws: TensorError.self) { try WordEmbedding(vocabulary: vocabulary, dimension: 0, seed: 1) }
        let embedding = try WordEmbedding(vocabulary: vocabulary, dimension: 2, seed: 1)
        let unknown = #expect(throws: TensorError.self) { try embedding(["a", "zebra"]) }
        #expect(unknown?.message.contains("zebra") == true)
        let range = #expect(throws: TensorError.self) { try embedding(ids: [5]) }
        #expect(range?.message.contains("out of range") == true)
        let shape = #expect(throws: TensorError.self) { try embedding.encode(oneHot: Tensor.zeros([2, 4])) }
        #expect(shape?.message.contains("(T, 3)") == true)
        #expect(throws: TensorError.self) { try embedding(ids: [0, 1], labels: ["only one"]) }
        #expect(throws: TensorError.self) {
            try WordEmbedding(vocabulary: vocabulary, sharing: Parameter("W_in", Tensor.zeros([3, 2])))
        }
    }

    // MARK: Decoding

    @Test func untiedDecoderIsASoftmaxOverWDecH() throws {
        let vocabulary = try Vocabulary(words: ["cat", "dog", "bread", "red"])
        let decoder = try WordDecoder(vocabulary: vocabulary, dimension: 3, seed: 4)
        let Wd = try #require(decoder.parameter("W_dec")).value
        #expect(Wd.shape == [4, 3])
        let h = try Tensor([[0.5, -1, 2], [1, 0.3, -0.2]])
        let (p, events) = try recording { try decoder(h, labels: ["x", "y"]) }

        for (t, row) in Naive.rows(h).enumerated() {
            let logits = Naive.affine(Wd.scalars, row, nil, out: 4)
            let top = logits.max() ?? 0
            let z = logits.reduce(0) { $0 + Double.exp($1 - top) }
            let expected = logits.map { Double.exp($0 - top) / z }
            #expect(maxDifference(expected, p.scalars[(t * 4)..<(t * 4 + 4)]) < 1e-6)
        }

        let event = try #require(events.first)
        #expect(event.kind == .decode && event.formula == "p(w | h) = softmax(W_dec h)_w")
        #expect(event.index("tied") == .bool(false) && event.labels == ["x", "y"])
        try checkDecodeEvent(event)

        // top-k by hand: sort one row's probabilities.
        let top = try decoder.topWords(h, k: 2)
        for t in 0..<2 {
            let row = Array(p.scalars[(t * 4)..<(t * 4 + 4)])
            let order = row.indices.sorted { row[$0] > row[$1] }
            #expect(top[t].map(\.word) == order.prefix(2).map { vocabulary.words[$0] })
            #expect(top[t][0].probability == row[order[0]])
        }
        #expect(try decoder.words(for: h) == top.map { $0[0].word })
    }

    @Test func tiedDecoderUsesWEncodeTransposedAndRecoversTheWord() throws {
        let vocabulary = try Vocabulary(words: ["cat", "dog", "bread"])
        let embedding = try WordEmbedding(vocabulary: vocabulary, dimension: 3, seed: 2)
        // Orthogonal word vectors of length 3: ⟨v_w, v_w⟩ = 9 beats every other score by 9.
        try embedding.W_encode.assign(Tensor([[3, 0, 0], [0, 3, 0], [0, 0, 3]]))
        let decoder = WordDecoder(tiedTo: embedding)
        #expect(decoder.ownParameters.isEmpty && decoder.isTied)

        let words = ["dog", "bread", "cat"]
        let (decoded, events) = try recording { try decoder.words(for: embedding(words), labels: words) }
        #expect(decoded == words)
        let event = try #require(events.last)
        #expect(event.formula == "p(w | h) = softmax(W_encodeᵀ h)_w" && event.index("tied") == .bool(true))
        try checkDecodeEvent(event)
        // The event's W_dec is W_encode transposed.
        let w = try #require(event["W_dec"])
        let W = embedding.W_encode.value
        for c in 0..<3 { for i in 0..<3 { #expect(w.data[c * 3 + i] == W.scalars[i * 3 + c]) } }

        // p(dog | v_dog) = e⁹ / (e⁹ + 2) by hand.
        let p = try decoder(embedding.vector(for: "dog"))
        #expect(abs(Double(p.scalars[1]) - Double.exp(9) / (Double.exp(9) + 2)) < 1e-6)
    }

    /// logits = h W_decᵀ and p = softmax(logits), rows summing to 1, from the snapshots.
    private func checkDecodeEvent(_ event: TraceEvent) throws {
        let h = try #require(event["h"]), w = try #require(event["W_dec"])
        let logits = try #require(event["logits"]), p = try #require(event["p"])
        let (t, c, d) = (h.shape[0], w.shape[0], w.shape[1])
        #expect(logits.shape == [t, c] && p.shape == [t, c] && h.shape == [t, d])
        for r in 0..<t {
            let hr = h.row(r).map(Double.init)
            let expected = (0..<c).map { w0 in (0..<d).reduce(0.0) { $0 + Double(w.data[w0 * d + $1]) * hr[$1] } }
            #expect(maxDifference(expected, logits.row(r)) < 1e-5)
            let top = logits.row(r).max() ?? 0
            let z = logits.row(r).reduce(0.0) { $0 + Double.exp(Double($1 - top)) }
            #expect(maxDifference(logits.row(r).map { Double.exp(Double($0 - top)) / z }, p.row(r)) < 1e-6)
            #expect(abs(p.row(r).reduce(0.0) { $0 + Double($1) } - 1) < 1e-5)
        }
    }

    @Test func gradientsThroughWEncodeAndWDec() throws {
        let vocabulary = try Vocabulary(words: ["a", "b", "c", "d"])
        let embedding = try WordEmbedding(vocabulary: vocabulary, dimension: 3, seed: 7)
        let tied = WordDecoder(tiedTo: embedding)
        let tiedError = try worstGradientError(embedding.parameters) {
            try tied.logits(embedding(ids: [0, 2, 3])).crossEntropy(targets: [1, 2, 0])
        }
        #expect(tiedError < 1e-2)

        let untied = try WordDecoder(vocabulary: vocabulary, dimension: 3, seed: 8)
        let untiedError = try worstGradientError(embedding.parameters + untied.parameters) {
            try untied.logits(embedding(ids: [1, 1, 3])).crossEntropy(targets: [3, 0, 2])
        }
        #expect(untiedError < 1e-2)
    }

    @Test func decoderErrorsAreClear() throws {
        let vocabulary = try Vocabulary(words: ["a", "b", "c"])
        let decoder = try WordDecoder(vocabulary: vocabulary, dimension: 2, seed: 1)
        let shape = #expect(throws: TensorError.self) { try decoder(Tensor([[1, 2, 3]])) }
        #expect(shape?.message.contains("(T, 2)") == true)
        let k = #expect(throws: TensorError.self) { try decoder.topWords(Tensor([1, 2]), k: 4) }
        #expect(k?.message.contains("1…3") == true)
        #expect(throws: TensorError.self) { try decoder(Tensor([[1, 2]]), labels: ["a", "b"]) }
        #expect(throws: TensorError.self) { try WordDecoder(vocabulary: vocabulary, dimension: 0, seed: 1) }
        #expect(throws: TensorError.self) {
            try WordDecoder(vocabulary: vocabulary, sharing: Parameter("W_out", Tensor.zeros([2, 3])))
        }
    }

    // MARK: Nearest neighbours

    @Test func nearestNeighboursAndAnalogiesByCosine() throws {
        let vocabulary = try Vocabulary(words: ["king", "queen", "man", "woman", "apple"], unknownWords: .mapToUnknown)
        let embedding = try WordEmbedding(vocabulary: vocabulary, dimension: 2, seed: 1)
        // Columns: <unk>, king, queen, man, woman, apple.
        let columns: [[Float]] = [[1, 1], [3, 2], [3, 4], [1, 0], [1, 2], [-2, 0.5]]
        try embedding.W_encode.assign(Tensor(shape: [2, 6], scalars: (0..<2).flatMap { i in columns.map { $0[i] } }))

        func cosine(_ u: [Float], _ v: [Float]) -> Double {
            let dot = Double(u[0] * v[0] + u[1] * v[1])
            return dot / (Double(u[0] * u[0] + u[1] * u[1]).squareRoot() * Double(v[0] * v[0] + v[1] * v[1]).squareRoot())
        }
        #expect(abs(Double(try embedding.cosine("king", "man")) - cosine(columns[1], columns[3])) < 1e-6)

        // By hand: from king (3, 2) the others rank queen, man, woman, apple; <unk> and king are left out.
        let names = ["king", "queen", "man", "woman", "apple"]
        let byHand = (2...5).map { (names[$0 - 1], cosine(columns[1], columns[$0])) }.sorted { $0.1 > $1.1 }
        let nearest = try embedding.nearest(to: "king", k: 4)
        #expect(nearest.map(\.word) == byHand.map(\.0))
        #expect(maxDifference(nearest.map(\.similarity), byHand.map(\.1)) < 1e-6)

        // king − man + woman = (3, 4) = queen exactly.
        let answer = try embedding.analogy("king", minus: "man", plus: "woman")
        #expect(answer.first?.word == "queen")
        #expect(abs((answer.first?.similarity ?? 0) - 1) < 1e-6)

        let tooMany = #expect(throws: TensorError.self) { try embedding.nearest(to: "king", k: 5) }
        #expect(tooMany?.message.contains("4 other words") == true)
        #expect(throws: TensorError.self) { try embedding.nearest(to: Tensor([1, 2, 3]), k: 1) }
    }
}
