import Tensor

/// The lecture's dictionary: "6000 words", each with an id k so that the k-th word is the
/// one-hot vector e_k ∈ {0,1}^C. Built from a corpus by counting words, or from a list.
///
/// **Word tokenisation** (`Vocabulary.words(in:)`): text is lowercased, and a word is a
/// maximal run of letters (any script: `Character.isLetter`), where an apostrophe between
/// two letters stays inside the word ("don't", "o'clock"; the typographic ’ is read as ').
/// Everything else — spaces, punctuation, digits, symbols — separates words and is
/// dropped. Sentences (`Vocabulary.sentences(in:)`) end at `.`, `!`, `?` and line breaks,
/// so a context window never reaches into the next sentence.
///
/// **Order**: by count, most frequent first, ties in alphabetical order, so the same corpus
/// always gives the same ids. With `minCount` and `maxSize` rarer words are left out.
///
/// **Unknown words**: with `.reject` (the default) asking for a word that is not in the
/// vocabulary throws; with `.mapToUnknown` the vocabulary starts with the token `<unk>`
/// (id 0, counting the corpus words that were left out) and every unknown word maps to it.
public struct Vocabulary: Sendable, Equatable {
    /// What `id(of:)` does with a word that is not in the vocabulary.
    public enum UnknownWords: String, Sendable, Equatable {
        /// Throw an error naming the word.
        case reject
        /// Map it to `<unk>` (id 0).
        case mapToUnknown
    }

    public static let unknownToken = "<unk>"

    /// id → word: `words[k]` is the k-th word.
    public let words: [String]
    /// id → how often the word occurs in the corpus (0 for a vocabulary made from a list).
    public let counts: [Int]
    public let unknownWords: UnknownWords
    private let ids: [String: Int]

    /// C, the number of words (including `<unk>` when there is one).
    public var count: Int { words.count }

    /// The id of `<unk>`, when unknown words map to it.
    public var unknownID: Int? { unknownWords == .mapToUnknown ? 0 : nil }

    /// The total of all counts: the number of corpus tokens the vocabulary covers.
    public var tokenCount: Int { counts.reduce(0, +) }
    /// The number of words in the corpus it was built from, those left out included (0
    /// for a vocabulary made from a list).
    public private(set) var corpusWordCount = 0

    /// A vocabulary of the corpus' words that occur at least `minCount` times, keeping at
    /// most `maxSize` entries (`<unk>` included) — the most frequent ones.
    public init(corpus: String, minCount: Int = 1, maxSize: Int? = nil, unknownWords: UnknownWords = .reject) throws {
        guard minCount >= 1 else {
            throw TensorError("Vocabulary: minCount must be at least 1, got \(minCount)")
        }
        let reserved = unknownWords == .mapToUnknown ? 1 : 0
        if let maxSize, maxSize < reserved + 1 {
            throw TensorError("Vocabulary: a maximum size of \(maxSize) is too small — it must leave room for at least one word\(reserved == 1 ? " besides <unk>" : "")")
        }
        var tally: [String: Int] = [:]
        for word in Self.words(in: corpus) { tally[word, default: 0] += 1 }
        guard !tally.isEmpty else {
            throw TensorError("Vocabulary: the corpus has no words (a word is a run of letters)")
        }
        var ranked = tally.filter { $0.value >= minCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        if let maxSize, ranked.count > maxSize - reserved { ranked = Array(ranked.prefix(maxSize - reserved)) }
        guard !ranked.isEmpty else {
            let most = tally.values.max() ?? 0
            throw TensorError("Vocabulary: no word occurs at least \(minCount) times (the most frequent occurs \(most) times)")
        }
        var words = ranked.map(\.key), counts = ranked.map(\.value)
        if reserved == 1 {
            let total = tally.values.reduce(0, +)
            words.insert(Self.unknownToken, at: 0)
            counts.insert(total - counts.reduce(0, +), at: 0)
        }
        try self.init(words: words, counts: counts, unknownWords: unknownWords)
        corpusWordCount = tally.values.reduce(0, +)
    }

    /// A vocabulary with exactly these words, in this order (ids 0, 1, …). With
    /// `.mapToUnknown`, `<unk>` is put first unless the list already contains it.
    public init(words: [String], unknownWords: UnknownWords = .reject) throws {
        var list = words
        if unknownWords == .mapToUnknown {
            list.removeAll { $0 == Self.unknownToken }
            list.insert(Self.unknownToken, at: 0)
        }
        try self.init(words: list, counts: [Int](repeating: 0, count: list.count), unknownWords: unknownWords)
    }

    private init(words: [String], counts: [Int], unknownWords: UnknownWords) throws {
        guard !words.isEmpty else { throw TensorError("Vocabulary: needs at least one word") }
        var ids: [String: Int] = [:]
        for (id, word) in words.enumerated() {
            guard !word.isEmpty else { throw TensorError("Vocabulary: word \(id) is the empty string") }
            guard ids[word] == nil else {
                throw TensorError("Vocabulary: the word “\(word)” appears twice (ids \(ids[word] ?? 0) and \(id))")
            }
            ids[word] = id
        }
        self.words = words
        self.counts = counts
        self.unknownWords = unknownWords
        self.ids = ids
    }

    /// Whether `word` (or its lowercase form) has an id of its own.
    public func contains(_ word: String) -> Bool { lookup(word) != nil }

    /// The id k of a word: its exact spelling first, then its lowercase form; an unknown
    /// word maps to `<unk>` or throws, as the vocabulary was built to do.
    public func id(of word: String) throws -> Int {
        if let id = lookup(word) { return id }
        if let unknownID { return unknownID }
        throw TensorError("Vocabulary: unknown word “\(word)” — it is not among the \(count) words of the vocabulary (\(preview))")
    }

    public func ids(of words: [String]) throws -> [Int] {
        try words.map { try id(of: $0) }
    }

    /// The word with id k.
    public func word(at id: Int) throws -> String {
        guard id >= 0, id < count else {
            throw TensorError("Vocabulary: id \(id) is out of range for \(count) words (valid: 0…\(count - 1))")
        }
        return words[id]
    }

    /// How often a word occurred in the corpus (0 for a word not in the vocabulary).
    public func count(of word: String) -> Int {
        lookup(word).map { counts[$0] } ?? 0
    }

    /// The ids of the words of `text`, tokenised as the vocabulary was.
    public func encode(_ text: String) throws -> [Int] {
        try ids(of: Self.words(in: text))
    }

    private func lookup(_ word: String) -> Int? {
        ids[word] ?? ids[word.lowercased()]
    }

    /// The first few words, for error messages.
    private var preview: String {
        let shown = words.prefix(8).joined(separator: ", ")
        return count > 8 ? "\(shown), …" : shown
    }
}

extension Vocabulary {
    /// The words of `text`, lowercased, in order (see the type's documentation).
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var pendingApostrophe = false
        for character in text {
            if character.isLetter {
                if pendingApostrophe { current.append("'") }
                pendingApostrophe = false
                current.append(character)
            } else if (character == "'" || character == "’") && !current.isEmpty && !pendingApostrophe {
                pendingApostrophe = true  // kept only if a letter follows
            } else {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
                pendingApostrophe = false
            }
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    /// The sentences of `text`, each as its list of words; a sentence ends at `.`, `!`, `?`
    /// or a line break. Sentences without words are left out.
    public static func sentences(in text: String) -> [[String]] {
        var sentences: [[String]] = []
        var current = ""
        for character in text {
            if character == "." || character == "!" || character == "?" || character.isNewline {
                let words = Self.words(in: current)
                if !words.isEmpty { sentences.append(words) }
                current = ""
            } else {
                current.append(character)
            }
        }
        let words = Self.words(in: current)
        if !words.isEmpty { sentences.append(words) }
        return sentences
    }
}
