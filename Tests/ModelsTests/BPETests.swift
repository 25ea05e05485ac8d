import Foundation
import Models
import Tensor
import Testing

/// Byte-pair encoding: merges worked out by hand, exact round trips, fewer tokens with
/// more merges, determinism.
@Suite struct BPETests {
    /// Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3.
    static let classic = "low low low low low lower lower newest newest newest newest newest newest widest widest widest"

    @Test func chunksKeepTheSpaceWithTheWordThatFollows() {
        #expect(BPE.chunks(of: "Hello  world, it's 2024!\n") == ["Hello", " ", " world", ",", " it's", " 2024", "!", "\n"])
        #expect(BPE.chunks(of: "a\n b") == ["a", "\n", " b"])
        #expect(BPE.chunks(of: "") == [])
    }

    @Test func classicExampleMergesAsWorkedByHand() throws {
        // Chunks: "low" ×1 (first, no space), " low" ×4, " lower" ×2, " newest" ×6, " widest" ×3.
        // Pair counts: e s 9, s t 9, w e 8, l o 7, o w 7, " " l 6, " " n 6, n e 6, e w 6, …
        //  1. e+s (9; ties with s+t, and "e" < "s")       → newest = ␣ n e w es t
        //  2. es+t (9)                                     → ␣ n e w est, ␣ w i d est
        //  3. l+o (7; ties with o+w)   4. lo+w (7)
        //  5. " "+low (6 = 4 + 2; ties with ␣+n, e+w, n+e, w+est — " " sorts first, "low" < "n")
        //  6. " "+n (6)   7. " n"+e (6)   8. " ne"+w (6)   9. " new"+est (6)
        let bpe = try BPE(corpus: Self.classic, merges: 9)
        #expect(bpe.merges.map { [$0.left, $0.right] } == [
            ["e", "s"], ["es", "t"], ["l", "o"], ["lo", "w"], [" ", "low"], [" ", "n"], [" n", "e"], [" ne", "w"], [" new", "est"],
        ])
        #expect(bpe.merges.map(\.frequency) == [9, 9, 7, 7, 6, 6, 6, 6, 6])
        #expect(bpe.alphabet == [" ", "d", "e", "i", "l", "n", "o", "r", "s", "t", "w"])
        #expect(bpe.vocabularySize == 11 + 9)
        // Each merge of frequency f saves f tokens here (no pair overlaps itself).
        #expect(bpe.corpusCharacters == Self.classic.count)
        var expected = Self.classic.count
        for merge in bpe.merges {
            expected -= merge.frequency
            #expect(merge.corpusTokens == expected)
        }

        // Rare and unseen words are spelled with known pieces.
        #expect(bpe.encode("lowest") == ["low", "est"])
        #expect(bpe.encode(" newer") == [" new", "e", "r"])
        #expect(bpe.encode(" slowest") == [" ", "s", "low", "est"])
        #expect(bpe.encode(" widest lower") == [" ", "w", "i", "d", "est", " low", "e", "r"])
    }

    @Test func decodeInvertsEncodeExactlyForAnyText() throws {
        let bpe = try BPE(corpus: Self.classic + " Grüße aus Zürich, naïve café!", merges: 30, minFrequency: 1)
        let texts = [
            Self.classic,
            "lowest newer slowest, unseen WORDS and 12345 digits",
            "Grüße, 世界! naïve café — e\u{301}tude 🙂👩‍👩‍👧 ж",
            "  leading and trailing spaces \n\n\ttabs\r\n and  double  spaces  ",
            "it's o’clock; don't 'quote' me",
            "",
        ]
        for text in texts {
            let pieces = bpe.encode(text)
            #expect(Array(bpe.decode(pieces).unicodeScalars) == Array(text.unicodeScalars))
            #expect(Array(BPE.chunks(of: text).joined().unicodeScalars) == Array(text.unicodeScalars))
            #expect(!pieces.contains(""))
        }
        // Ids round-trip for text made of known characters; an unseen one is a clear error.
        let ids = try bpe.ids("lowest newer")
        #expect(try bpe.decode(ids: ids) == "lowest newer")
        let error = #expect(throws: TensorError.self) { try bpe.ids("low ж") }
        #expect(error?.message.contains("“ж”") == true)
        #expect(throws: TensorError.self) { try bpe.decode(ids: [bpe.vocabularySize]) }
    }

    @Test func moreMergesMeanABiggerVocabularyAndFewerTokens() throws {
        let corpus = try Self.wordsCorpus()
        let bpe = try BPE(corpus: corpus, merges: 300)
        #expect(bpe.merges.count == 300)

        let growth = bpe.growth
        #expect(growth.first?.merges == 0 && growth.first?.vocabularySize == bpe.alphabet.count)
        #expect(zip(growth, growth.dropFirst()).allSatisfy { $1.corpusTokens < $0.corpusTokens })
        #expect(zip(growth, growth.dropFirst()).allSatisfy { $1.vocabularySize >= $0.vocabularySize })
        // Encoding the training text reproduces training's own count.
        #expect(bpe.encode(corpus).count == bpe.merges.last?.corpusTokens)

        let unseen = "The purple rabbit cooked seven bananas for the farmer's tired neighbours."
        var previous = Int.max
        for n in [0, 10, 50, 100, 200, 300] {
            let count = try bpe.prefix(n).encode(unseen).count
            #expect(count <= previous)
            previous = count
        }
        #expect(try bpe.prefix(0).encode(unseen).count == unseen.count)
        #expect(previous < unseen.count / 2)
    }

    @Test func trainingIsDeterministicAndPrefixesAgreeWithShorterRuns() throws {
        let corpus = try Self.wordsCorpus()
        let long = try BPE(corpus: corpus, merges: 120)
        #expect(try BPE(corpus: corpus, merges: 120) == long)
        #expect(try BPE(corpus: corpus, merges: 40) == long.prefix(40))
        #expect(throws: TensorError.self) { try long.prefix(121) }
    }

    @Test func stopsWhenNoPairIsFrequentEnough() throws {
        let bpe = try BPE(corpus: "ab ab cd", merges: 50)
        // a+b twice, then " "+ab once: below minFrequency 2.
        #expect(bpe.merges.map(\.token) == ["ab"])
        let all = try BPE(corpus: "ab ab cd", merges: 50, minFrequency: 1)
        #expect(all.encode("ab ab cd") == ["ab", " ab", " cd"])
    }

    @Test func badSettingsAreClearErrors() {
        func message(_ body: () throws -> BPE) -> String {
            do { _ = try body(); return "" } catch { return (error as? TensorError)?.message ?? "" }
        }
        #expect(message { try BPE(corpus: "", merges: 3) }.contains("empty"))
        #expect(message { try BPE(corpus: "abc", merges: -1) }.contains("merges"))
        #expect(message { try BPE(corpus: "abc", merges: 1, minFrequency: 0) }.contains("minFrequency"))
    }

    static func wordsCorpus() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Lessons/data/words.txt")
        return try String(contentsOf: url, encoding: .utf8)
    }
}
