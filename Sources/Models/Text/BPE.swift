import Tensor

/// Byte-pair encoding (Sennrich, Haddow & Birch 2016): the lecture's "6000 words (50k
/// tokens)". Instead of a fixed list of words, start from single characters and
/// repeatedly glue together the most frequent adjacent pair; after N merges the
/// vocabulary is the alphabet plus N new tokens (GPT-2 has 50,257), and any word — even
/// one never seen — is spelled with known pieces, as long as its characters were in the
/// corpus (GPT-2 starts from the 256 bytes, so for it every text qualifies; here a new
/// character stays a piece of its own).
///
/// **Style: GPT-2's, on characters instead of bytes.** The text is first cut into chunks
/// (`BPE.chunks(of:)`), and merges never cross a chunk boundary. A chunk is an optional
/// single leading space followed by a run of letters (an apostrophe between letters
/// included), a run of digits, or a run of other symbols; runs of whitespace form chunks
/// of their own, except that a space directly before a word goes with the word. So the
/// space is part of the token (" cat"), and there is no end-of-word marker: decoding is
/// plain concatenation, exact for any text. The symbols are Swift `Character`s (Unicode
/// grapheme clusters), so "é" or "ж" is one symbol; a character never seen in training
/// stays a piece of its own.
///
/// **Training** counts every adjacent pair inside the chunks (weighted by how often each
/// chunk occurs), merges the most frequent one everywhere (left to right), and repeats.
/// Ties go to the pair that sorts first by (left, right) as strings, so training is
/// deterministic. It stops early when no pair occurs `minFrequency` times.
///
/// **Encoding** applies the learned merges in their learned order; it reproduces the
/// training corpus's own segmentation.
public struct BPE: Sendable, Equatable {
    /// One learned merge and what it did to the training corpus.
    public struct Merge: Sendable, Equatable {
        public let left: String, right: String
        /// left + right.
        public let token: String
        /// How often the pair occurred when it was chosen.
        public let frequency: Int
        /// Vocabulary size after this merge (the alphabet plus distinct new tokens).
        public let vocabularySize: Int
        /// Tokens needed for the whole training corpus after this merge.
        public let corpusTokens: Int
    }

    /// The base symbols: every character of the training text, in sorted order.
    public let alphabet: [String]
    /// The merges in learned order.
    public let merges: [Merge]
    /// Tokens of the training corpus before any merge (its number of characters).
    public let corpusCharacters: Int
    /// The vocabulary: the alphabet, then each merge's new token (ids in this order).
    public let tokens: [String]
    private let ids: [String: Int]
    /// The ranks at which each pair was merged (a pair can come back when another merge
    /// rebuilds one of its tokens, and is then merged again).
    private let ranks: [Pair: [Int]]

    private struct Pair: Hashable, Sendable {
        let left: String, right: String
    }

    /// Learns up to `merges` merges from `corpus`.
    public init(corpus: String, merges count: Int, minFrequency: Int = 2) throws {
        guard count >= 0 else { throw TensorError("BPE: the number of merges must be 0 or more, got \(count)") }
        guard minFrequency >= 1 else { throw TensorError("BPE: minFrequency must be at least 1, got \(minFrequency)") }
        var chunkCounts: [String: Int] = [:]
        for chunk in Self.chunks(of: corpus) { chunkCounts[chunk, default: 0] += 1 }
        guard !chunkCounts.isEmpty else { throw TensorError("BPE: the corpus is empty — there is nothing to learn merges from") }

        // Symbols are ids into `table`; each distinct chunk is a list of them.
        let alphabet = Set(corpus.map(String.init)).sorted()
        var table = alphabet
        var idOf = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
        let distinct = chunkCounts.keys.sorted()
        var words = distinct.map { $0.map { idOf[String($0)] ?? 0 } }
        let frequencies = distinct.map { chunkCounts[$0] ?? 0 }
        var total = zip(words, frequencies).reduce(0) { $0 + $1.0.count * $1.1 }
        let characters = total

        var learned: [Merge] = []
        while learned.count < count {
            var pairCounts: [Int: Int] = [:]  // key a·V + b
            let v = table.count
            for (word, f) in zip(words, frequencies) where word.count > 1 {
                for i in 0..<(word.count - 1) { pairCounts[word[i] * v + word[i + 1], default: 0] += f }
            }
            var best: (key: Int, count: Int)?
            for (key, n) in pairCounts {
                guard let current = best else { best = (key, n); continue }
                if n > current.count
                    || (n == current.count && Self.sortsFirst(key, current.key, v, table)) { best = (key, n) }
            }
            guard let best, best.count >= minFrequency else { break }
            let (a, b) = (best.key / v, best.key % v)
            let token = table[a] + table[b]
            let merged: Int
            if let existing = idOf[token] { merged = existing } else {
                merged = table.count
                table.append(token)
                idOf[token] = merged
            }
            for w in words.indices {
                let (word, replaced) = Self.apply(a, b, merged, to: words[w])
                words[w] = word
                total -= replaced * frequencies[w]
            }
            learned.append(Merge(left: table[a], right: table[b], token: token, frequency: best.count,
                                 vocabularySize: table.count, corpusTokens: total))
        }
        self.init(alphabet: alphabet, merges: learned, corpusCharacters: characters)
    }

    private init(alphabet: [String], merges: [Merge], corpusCharacters: Int) {
        self.alphabet = alphabet
        self.merges = merges
        self.corpusCharacters = corpusCharacters
        var tokens = alphabet
        var ids = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
        var ranks: [Pair: [Int]] = [:]
        for (rank, merge) in merges.enumerated() {
            ranks[Pair(left: merge.left, right: merge.right), default: []].append(rank)
            if ids[merge.token] == nil {
                ids[merge.token] = tokens.count
                tokens.append(merge.token)
            }
        }
        self.tokens = tokens
        self.ids = ids
        self.ranks = ranks
    }

    /// The same tokenizer with only its first `n` merges — what training with `merges: n`
    /// would have learned, since each merge depends only on the ones before it.
    public func prefix(_ n: Int) throws -> BPE {
        guard n >= 0, n <= merges.count else {
            throw TensorError("BPE: \(n) merges asked for, but \(merges.count) were learned (expected 0…\(merges.count))")
        }
        return BPE(alphabet: alphabet, merges: Array(merges.prefix(n)), corpusCharacters: corpusCharacters)
    }

    /// The size of the token vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// (merges, vocabulary size, tokens for the training corpus) from 0 merges to all:
    /// the lecture's words-versus-tokens trade-off as a table.
    public var growth: [(merges: Int, vocabularySize: Int, corpusTokens: Int)] {
        [(0, alphabet.count, corpusCharacters)] + merges.enumerated().map { ($0 + 1, $1.vocabularySize, $1.corpusTokens) }
    }

    // MARK: Encoding and decoding

    /// The text as tokens (pieces of text); `decode` joins them back exactly.
    public func encode(_ text: String) -> [String] {
        var cache: [String: [String]] = [:]
        return Self.chunks(of: text).flatMap { chunk in
            if let pieces = cache[chunk] { return pieces }
            let pieces = encodeChunk(chunk)
            cache[chunk] = pieces
            return pieces
        }
    }

    /// The inverse of `encode`: the pieces concatenated.
    public func decode(_ pieces: [String]) -> String { pieces.joined() }

    /// Token ids of the text. Throws when it holds a character the training text did not
    /// (that piece has no id; `encode` still returns it as a piece).
    public func ids(_ text: String) throws -> [Int] {
        try encode(text).map { piece in
            guard let id = ids[piece] else {
                throw TensorError("BPE: “\(piece)” never occurred in the training text, so it has no token id (the vocabulary has \(tokens.count) tokens)")
            }
            return id
        }
    }

    /// Text from token ids.
    public func decode(ids: [Int]) throws -> String {
        try ids.map { id in
            guard id >= 0, id < tokens.count else {
                throw TensorError("BPE: token id \(id) is out of range for a vocabulary of \(tokens.count) tokens (valid: 0…\(tokens.count - 1))")
            }
            return tokens[id]
        }.joined()
    }

    /// Merges applied in learned order: repeatedly take the earliest-learned merge, after
    /// the last one applied, whose pair occurs, and merge it everywhere, left to right.
    private func encodeChunk(_ chunk: String) -> [String] {
        var symbols = chunk.map(String.init)
        var last = -1
        while symbols.count > 1 {
            var next: Int?
            for i in 0..<(symbols.count - 1) {
                if let rank = ranks[Pair(left: symbols[i], right: symbols[i + 1])]?.first(where: { $0 > last }),
                   rank < (next ?? .max) {
                    next = rank
                }
            }
            guard let rank = next else { break }
            let merge = merges[rank]
            var out: [String] = []
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count, symbols[i] == merge.left, symbols[i + 1] == merge.right {
                    out.append(symbols[i] + symbols[i + 1])  // the text's own characters, exactly
                    i += 2
                } else {
                    out.append(symbols[i])
                    i += 1
                }
            }
            symbols = out
            last = rank
        }
        return symbols
    }

    // MARK: Pre-tokenisation

    /// The chunks of `text` (see the type's documentation); joined, they give the text back.
    public static func chunks(of text: String) -> [String] {
        let characters = Array(text)
        let n = characters.count
        var chunks: [String] = []
        var i = 0
        while i < n {
            if characters[i].isWhitespace {
                var j = i
                while j < n && characters[j].isWhitespace { j += 1 }
                if j < n && characters[j - 1] == " " {
                    // The last space goes with the word that follows it.
                    if j - 1 > i { chunks.append(String(characters[i..<(j - 1)])) }
                    let end = runEnd(characters, from: j)
                    chunks.append(String(characters[(j - 1)..<end]))
                    i = end
                } else {
                    chunks.append(String(characters[i..<j]))
                    i = j
                }
            } else {
                let end = runEnd(characters, from: i)
                chunks.append(String(characters[i..<end]))
                i = end
            }
        }
        return chunks
    }

    private enum CharacterClass { case letter, digit, other }

    private static func characterClass(_ c: Character) -> CharacterClass {
        c.isLetter ? .letter : c.isNumber ? .digit : .other
    }

    /// The end of the run of one class (letters, digits or other symbols) starting at a
    /// non-whitespace position; an apostrophe between two letters stays in a letter run.
    private static func runEnd(_ characters: [Character], from start: Int) -> Int {
        let kind = characterClass(characters[start])
        var j = start + 1
        while j < characters.count, !characters[j].isWhitespace {
            let c = characters[j]
            if characterClass(c) == kind {
                j += 1
            } else if kind == .letter, c == "'" || c == "’", j + 1 < characters.count, characters[j + 1].isLetter {
                j += 2
            } else {
                break
            }
        }
        return j
    }

    // MARK: Training helpers

    /// Whether pair key x sorts before pair key y by (left, right) strings.
    private static func sortsFirst(_ x: Int, _ y: Int, _ v: Int, _ table: [String]) -> Bool {
        let (xl, xr, yl, yr) = (table[x / v], table[x % v], table[y / v], table[y % v])
        return xl != yl ? xl < yl : xr < yr
    }

    /// Replaces each non-overlapping (a, b), left to right, by `merged`; returns the new
    /// symbols and how many replacements there were.
    private static func apply(_ a: Int, _ b: Int, _ merged: Int, to word: [Int]) -> ([Int], Int) {
        guard word.count > 1 else { return (word, 0) }
        var out: [Int] = []
        out.reserveCapacity(word.count)
        var replaced = 0, i = 0
        while i < word.count {
            if i + 1 < word.count, word[i] == a, word[i + 1] == b {
                out.append(merged)
                replaced += 1
                i += 2
            } else {
                out.append(word[i])
                i += 1
            }
        }
        return (out, replaced)
    }
}
