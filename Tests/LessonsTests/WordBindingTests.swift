import Foundation
import Lessons
import Render
import Testing
import Trace

/// Words as vectors in the lesson language: Vocabulary, one_hot, Embedding, Decoder,
/// Word2Vec and BPE, run as small lessons through a `LessonSession`.
@Suite struct WordBindingTests {
    static let corpus: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Lessons/data/words.txt")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// A lesson of the given cells in a fresh folder holding `data/words.txt`.
    func session(_ cells: [String]) throws -> LessonSession {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-words-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try Self.corpus.write(toFile: folder + "/data/words.txt", atomically: true, encoding: .utf8)
        let text = "# Words\n\n" + cells.map { "```huddle\n\($0)\n```\n" }.joined(separator: "\nNext.\n\n")
        let path = folder + "/07-words.md"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try LessonSession(path: path, text: text, options: RenderOptions(color: .none, width: 80))
    }

    /// Runs every cell and expects no error and no failed check.
    @discardableResult
    func run(_ cells: [String]) throws -> (LessonSession, [CellResult]) {
        let s = try session(cells)
        var results: [CellResult] = []
        for i in 0..<s.cellCount {
            let result = s.run(cell: i)
            #expect(result.error == nil, "cell \(i + 1): \(result.error ?? "")")
            #expect(result.failedChecks.isEmpty, "cell \(i + 1): \(result.failedChecks.map { "\($0.source): \($0.message)" })")
            results.append(result)
        }
        return (s, results)
    }

    func text(_ result: CellResult) -> String {
        result.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
    }

    @Test func corpusIsThere() {
        #expect(!Self.corpus.isEmpty)
    }

    // MARK: Vocabulary and one-hot vectors

    @Test func vocabularyFromTextAndFromAList() throws {
        let (_, results) = try run([
            """
            text = read_text("data/words.txt")
            vocab = Vocabulary(text)
            expect len(vocab) == 214 and vocab.size == 214
            expect vocab.word(0) == "the" and vocab[0] == "the"
            expect vocab.word(vocab.id("cat")) == "cat" and vocab["cat"] == vocab.id("Cat")
            expect sum(vocab.counts) == len(tokenize(text)) and vocab.total == len(tokenize(text))
            expect vocab.count("the") == 716 and vocab.count("zebra") == 0
            expect "cat" in vocab and not ("catwalk" in vocab)
            expect vocab.decode(vocab.encode("The cat sleeps.")) == ["the", "cat", "sleeps"]
            expect vocab[1:3] == ["a", "is"]
            """,
            """
            small = Vocabulary(["I", "love", "machine", "learning"])
            expect len(small) == 4 and small.words == ["I", "love", "machine", "learning"]
            expect small.counts == [0, 0, 0, 0] and small.id("learning") == 3
            unk = Vocabulary(["cat", "dog"], unknown: true)
            expect unk.words == ["<unk>", "cat", "dog"] and unk.id("zebra") == 0
            print(type(small), small)
            """,
        ])
        #expect(text(results[1]) == "Vocabulary Vocabulary of 4 words: I, love, machine, learning\n")
    }

    @Test func unknownWordsAndWrongArgumentsSayWhatToDo() throws {
        let s = try session(["vocab = Vocabulary([\"I\", \"love\"])"])
        #expect(s.run(cell: 0).error == nil)
        let unknown = s.evaluate("vocab.id(\"hate\")").error ?? ""
        #expect(unknown.contains("unknown word “hate”"))
        #expect((s.evaluate("one_hot(\"love\", 2)").error ?? "").contains("one_hot() needs the vocabulary"))
        #expect((s.evaluate("Embedding(\"I love\")").error ?? "").contains("needs a Vocabulary, got a string"))
        #expect((s.evaluate("Decoder(vocab)").error ?? "").contains("needs dim"))
        #expect((s.evaluate("Decoder(vocab, dim: 2, tied: true)").error ?? "").contains("needs the Embedding"))
        #expect((s.evaluate("Word2Vec(vocab, architecture: \"glove\")").error ?? "").contains("\"skip-gram\" or \"cbow\""))
        #expect((s.evaluate("vocab[5]").error ?? "").contains("out of range for 2 words"))
    }

    @Test func oneHotTakesWordsWithAVocabularyAndStillTakesNumbers() throws {
        try run([
            """
            small = Vocabulary(["I", "love", "machine", "learning"])
            e = one_hot("love", small)
            expect e.shape == [4] and all(e == [0, 1, 0, 0])
            E = one_hot(["I", "love", "love"], small)
            expect E.shape == [3, 4] and E.labels == ["I", "love", "love"]
            expect small.one_hot("machine") ≈ [0, 0, 1, 0]
            expect one_hot([0, 2], 3) ≈ [[1, 0, 0], [0, 0, 1]]
            expect one_hot(["I", "learning"], small) @ one_hot(["I", "learning"], small).T ≈ eye(2)
            """,
        ])
    }

    // MARK: Embedding and decoding

    @Test func embeddingGivesColumnsOfWEncodeNamedByTheWordsAndEmitsEmbed() throws {
        let (_, results) = try run([
            """
            small = Vocabulary(["I", "love", "machine", "learning"])
            emb = Embedding(small, dim: 3, seed: 18)
            expect emb.W_encode.shape == [3, 4] and emb.dim == 3 and len(emb.vocab) == 4
            h = trace emb(["love", "I"])
            expect h.shape == [2, 3] and h.labels == ["love", "I"]
            expect h[0] ≈ emb.W_encode[:, 1] and h[1] ≈ emb.W_encode @ one_hot("I", small)
            expect emb.vector("learning") ≈ emb.W_encode[:, 3]
            expect emb.encode(one_hot(["love", "I"], small)) ≈ h
            expect emb.encode(0.5 * one_hot("I", small) + 0.5 * one_hot("love", small)) ≈ 0.5 * (h[0] + h[1])
            expect emb([3, 0]) ≈ emb(["learning", "I"])
            """,
        ])
        let events = results[0].events
        #expect(events.count == 1)
        let embed = try #require(events.first)
        #expect(embed.kind == .embed && embed.labels == ["love", "I"])
        #expect(embed["one_hot"]?.data == [0, 1, 0, 0, 1, 0, 0, 0])
    }

    @Test func aTiedDecoderUsesWEncodeAndLabelsItsColumnsWithTheVocabulary() throws {
        let (s, results) = try run([
            """
            small = Vocabulary(["I", "love", "machine", "learning"])
            emb = Embedding(small, dim: 3, seed: 18)
            dec = Decoder(emb)
            h = emb(["I", "love"])
            p = trace dec(h)
            expect p.shape == [2, 4] and p.labels == ["I", "love"]
            expect sum(p, axis: 1) ≈ ones(2)
            expect p ≈ softmax(h @ emb.W_encode)
            expect dec.tied and dec.W_dec ≈ emb.W_encode.T and dec.parameters == []
            """,
            """
            emb.W_encode = emb.W_encode / norm(emb.W_encode, axis: 0)
            expect dec.words(emb(small.words)) == small.words
            expect dec.top(emb(["machine"]), k: 2)[0] == "machine"
            expect len(dec.top(emb(["I", "love"]), k: 3)) == 2
            best = dec.top(emb.vector("love"), k: 4)
            expect best.best == "love" and sum(best.scores) ≈ 1 and "I" in best
            """,
        ])
        let decode = try #require(results[0].events.first)
        #expect(decode.kind == .decode)
        #expect(decode.columnLabels == ["I", "love", "machine", "learning"])
        #expect(decode.index("tied") == .bool(true))
        let picture = EventPicture(decode).block(RenderOptions(color: .none, width: 80)).rendered(RenderOptions(color: .none, width: 80))
        #expect(picture.contains("machine") && !picture.contains("#1"))
        let error = s.evaluate("dec.W_dec = zeros([4, 3])").error ?? ""
        #expect(error.contains("tied") && error.contains("emb.W_encode"))
    }

    @Test func anUntiedDecoderHasItsOwnWDec() throws {
        try run([
            """
            small = Vocabulary(["I", "love", "machine", "learning"])
            emb = Embedding(small, dim: 3, seed: 18)
            dec = Decoder(emb, tied: false, seed: 4)
            expect not dec.tied and dec.W_dec.shape == [4, 3] and dec.parameters == ["W_dec"]
            h = emb(["I"])
            expect dec(h) ≈ softmax(h @ dec.W_dec.T)
            expect dec.logits(h) ≈ h @ dec.W_dec.T
            other = Decoder(small, dim: 2, seed: 1)
            expect other.W_dec.shape == [4, 2]
            """,
        ])
    }

    @Test func rewindingKeepsATiedDecoderTiedToItsEmbedding() throws {
        let s = try session([
            """
            small = Vocabulary(["I", "love", "machine", "learning"])
            emb = Embedding(small, dim: 3, seed: 18)
            dec = Decoder(emb)
            """,
            "emb.W_encode = zeros([3, 4])",
        ])
        #expect(s.run(cell: 0).error == nil)
        #expect(s.run(cell: 1).error == nil)
        s.restore(beforeCell: 1)
        let after = s.evaluate("""
            expect not all(emb.W_encode == 0)
            expect dec.W_dec ≈ emb.W_encode.T
            emb.W_encode[:, 0] = [1, 2, 3]
            expect dec.W_dec[0] ≈ [1, 2, 3]
            """)
        #expect(after.error == nil)
        #expect(after.checks.count == 3 && after.failedChecks.isEmpty, "\(after.failedChecks)")
    }

    // MARK: Word2Vec

    @Test func word2vecTrainsWithProgressAndFindsNeighbours() throws {
        let s = try session([
            """
            text = read_text("data/words.txt")
            vocab = Vocabulary(text)
            w2v = Word2Vec(vocab, dim: 16, window: 2, negatives: 5, seed: 2013)
            expect w2v.loss("cat", "sleeps", ["bread", "red", "the", "park", "five"]) ≈ 6 * log(2)
            expect w2v.W_in.shape == [16, 214] and w2v.W_out.shape == [214, 16]
            """,
            """
            losses = w2v.train(text, epochs: 12)
            expect losses.shape == [12] and losses[-1] < 0.6 * losses[0]
            expect w2v.epochs == 12
            """,
            """
            animals = ["dog", "horse", "cow", "sheep", "goat", "rabbit", "pig", "duck", "mouse"]
            for w in w2v.nearest("cat", k: 3):
                expect w in animals
            expect w2v.similarity("cat", "dog") > w2v.similarity("cat", "bread") + 0.2
            expect w2v(["cat"]) ≈ w2v.vector("cat").reshape([1, 16])
            expect w2v.W_encode ≈ w2v.W_in
            expect len(w2v.predict("cow", k: 3)) == 3
            """,
        ])
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        for i in 0..<3 {
            let result = s.run(cell: i)
            #expect(result.error == nil, "cell \(i + 1): \(result.error ?? "")")
            #expect(result.failedChecks.isEmpty, "\(result.failedChecks)")
        }
        #expect(reports.map(\.step) == Array(1...12))
        #expect(reports.allSatisfy { $0.total == 12 } && reports.map(\.finished) == Array(repeating: false, count: 11) + [true])
        #expect(reports.allSatisfy { $0.loss != nil })

        // Rewinding the training cell gives back the untrained model; running it again
        // learns exactly the same numbers.
        let first = text(s.evaluate("print(losses.tolist())"))
        #expect(!first.isEmpty)
        s.restore(beforeCell: 1)
        let untrained = s.evaluate("expect w2v.loss(\"cat\", \"sleeps\", [\"bread\"]) ≈ 2 * log(2) and w2v.epochs == 0")
        #expect(untrained.checks.count == 1 && untrained.failedChecks.isEmpty)
        #expect(s.run(cell: 1).error == nil)
        #expect(text(s.evaluate("print(losses.tolist())")) == first)
    }

    /// Rewinding to a point after some training keeps what was trained and where the
    /// generator for negatives stood, so the next training cell runs again exactly.
    @Test func rewindingBetweenTrainingCellsKeepsTheCountsAndTheGenerator() throws {
        let s = try session([
            """
            text = read_text("data/words.txt")
            w2v = Word2Vec(Vocabulary(text), dim: 8, seed: 5)
            """,
            "first = w2v.train(text, epochs: 2)",
            "more = w2v.train(text, epochs: 2)",
        ])
        let counts = "print(w2v.epochs, w2v.steps)"
        let everything = "print(more.tolist(), w2v.epochs, w2v.steps, w2v.W_in[:, 0].tolist(), sum(w2v.W_in))"
        #expect(s.run(cell: 0).error == nil)
        #expect(s.run(cell: 1).error == nil)
        let afterFirst = text(s.evaluate(counts))
        #expect(afterFirst.hasPrefix("2 "))
        #expect(s.run(cell: 2).error == nil)
        let trained = text(s.evaluate(everything))
        s.restore(beforeCell: 2)
        #expect(text(s.evaluate(counts)) == afterFirst)
        #expect(s.run(cell: 2).error == nil)
        #expect(text(s.evaluate(everything)) == trained)
    }

    @Test func ctrlCStopsWord2VecBetweenEpochsAndKeepsWhatItLearned() throws {
        let s = try session([
            """
            text = read_text("data/words.txt")
            w2v = Word2Vec(Vocabulary(text), dim: 8, seed: 1)
            """,
            "losses = w2v.train(text, epochs: 5)",
        ])
        #expect(s.run(cell: 0).error == nil)
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        // Asked after each epoch's report: the third is where training stops.
        s.interruptRequested = { reports.count >= 3 }
        let result = s.run(cell: 1)
        s.interruptRequested = { false }
        #expect(result.error?.contains("Ctrl-C stopped training at epoch 3 of 5; the model keeps what it learned so far") == true, "\(result.error ?? "no error")")
        #expect(result.wasInterrupted)
        #expect(s.evaluate("w2v.nope").wasInterrupted == false)
        // Each epoch once, then the bar's finished line where training stopped.
        #expect(reports.map(\.step) == [1, 2, 3, 3] && reports.map(\.finished) == [false, false, false, true])
        let kept = s.evaluate("expect w2v.epochs == 3")
        #expect(kept.checks.count == 1 && kept.failedChecks.isEmpty)
    }

    @Test func skipgramPairsAndSentences() throws {
        try run([
            """
            s = sentences("The cat sleeps all day. Fresh bread tastes good!")
            expect s == [["the", "cat", "sleeps", "all", "day"], ["fresh", "bread", "tastes", "good"]]
            pairs = skipgram_pairs(s[0], window: 2)
            expect len(pairs) == 4 * 5 - 6
            expect pairs[:3] == [["the", "cat"], ["the", "sleeps"], ["cat", "the"]]
            expect len(skipgram_pairs(s[0], window: 1)) == 2 * (5 - 1)
            expect tokenize("Don't stop, Mr. Cat!") == ["don't", "stop", "mr", "cat"]
            """,
        ])
    }

    // MARK: BPE

    @Test func bpeGrowsAVocabularyAndSpellsUnseenWordsWithKnownPieces() throws {
        try run([
            """
            text = read_text("data/words.txt")
            bpe = BPE(text, merges: 200)
            expect bpe.vocab_size == len(bpe.alphabet) + 200 and len(bpe) == bpe.vocab_size
            expect len(bpe.merges) == 200 and bpe.merges[0] == ["h", "e"]
            expect bpe.corpus_characters == len(text)
            expect bpe.prefix(0).corpus_tokens == len(text) and bpe.prefix(0).vocab_size == len(bpe.alphabet)
            expect bpe.prefix(0).corpus_tokens > bpe.prefix(50).corpus_tokens
            expect bpe.prefix(50).corpus_tokens > bpe.corpus_tokens and bpe.prefix(200).corpus_tokens == bpe.corpus_tokens
            for n in [10, 20]:
                expect bpe.prefix(n).vocab_size == len(bpe.alphabet) + n
            pieces = bpe.encode(" mousetrap")
            expect pieces[0] == " mouse" and bpe.decode(pieces) == " mousetrap"
            expect bpe.decode(bpe.ids(" catwalk")) == " catwalk"
            expect len(bpe.prefix(0).encode(" catwalk")) == 8
            expect " cat" in bpe.tokens
            """,
        ])
    }
}
