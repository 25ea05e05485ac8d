import Language
import Models
import Render
import Tensor

/// Words as vectors: the dictionary (`Vocabulary`), one-hot vectors, the encoder
/// `Embedding` (W_encode), the `Decoder` (vector → word by softmax, tied or not),
/// neighbours and analogies, `Word2Vec`, and byte-pair encoding (`BPE`).
enum WordBindings: BindingFamily {
    static var builtins: [Builtin] {
        [vocabularyBuiltin, oneHot, embeddingBuiltin, decoderBuiltin, word2vecBuiltin, bpeBuiltin,
         tokenize, sentences, skipgramPairs]
    }

    // MARK: Builtins that make things

    static var vocabularyBuiltin: Builtin {
        Kit.builtin("Vocabulary", [Kit.p("source"), Kit.p("min_count", 1), Kit.p("max_size", .none), Kit.p("unknown", false)],
                    "The dictionary — each word gets a number k "
                        + "(from 0). From a text: its words, lowercased, most frequent first; from a list: exactly those words, in order. "
                        + "unknown=true adds \"<unk>\" (k = 0) for words it does not know") { args in
            let unknown: Vocabulary.UnknownWords = try args.bool("unknown") ? .mapToUnknown : .reject
            switch args["source"] {
            case .string(let text):
                let maxSize = args["max_size"].isNone ? nil : try Conversions.integer(args["max_size"], what: "max_size")
                return .host(VocabularyValue(try Vocabulary(corpus: text, minCount: WordBindings.int(args, "min_count"),
                                                            maxSize: maxSize, unknownWords: unknown)))
            case .list:
                let words = try Conversions.strings(args["source"], what: "Vocabulary()'s words")
                return .host(VocabularyValue(try Vocabulary(words: words, unknownWords: unknown)))
            case let other:
                throw RuntimeError("Vocabulary() needs a text or a list of words, got \(other.kindPhrase)",
                                   hint: "Vocabulary(read_text(\"data/words.txt\")) or Vocabulary([\"I\", \"love\", \"machine\", \"learning\"])")
            }
        }
    }

    /// The tensor builtin `one_hot(indices, classes)`, extended to words:
    /// `one_hot("love", vocab)`.
    static var oneHot: Builtin {
        Kit.builtin("one_hot", [Kit.p("indices"), Kit.p("classes")],
                    "One row per index with a single 1 — the lecture's word vectors. "
                        + "With a vocabulary as classes, words in: one_hot(\"love\", vocab) is e_love (C,), "
                        + "one_hot([\"I\", \"love\"], vocab) has one row per word (T, C)") { args in
            if let vocabulary = vocabulary(in: args["classes"]) {
                return try oneHotValue(args["indices"], vocabulary)
            }
            if case .string = args["indices"] {
                throw RuntimeError("one_hot() needs the vocabulary to turn words into one-hot vectors",
                                   hint: "one_hot(\"love\", vocab), with vocab = Vocabulary(...)")
            }
            if case .list(let items) = args["indices"], items.contains(where: { if case .string = $0 { true } else { false } }) {
                throw RuntimeError("one_hot() needs the vocabulary to turn words into one-hot vectors",
                                   hint: "one_hot([\"I\", \"love\"], vocab), with vocab = Vocabulary(...)")
            }
            return Kit.tensor(try Tensor.oneHot(Conversions.indexList(args["indices"], what: "indices"), classes: WordBindings.int(args, "classes")))
        }
    }

    static var embeddingBuiltin: Builtin {
        Kit.builtin("Embedding", [Kit.p("vocab"), Kit.p("dim", 4), Kit.p("seed", 0)],
                    "The encoder — W_encode (dim, C) has one column per word, and "
                        + "emb(words) gives each word its column, W_encode·e_w (a (T, dim) team of vectors, rows named by the words)") { args in
            let vocabulary = try requireVocabulary(args["vocab"], "Embedding()")
            let d = try WordBindings.int(args, "dim")
            let seed = try args.seed()
            return try ModelBindings.make { try WordEmbedding(vocabulary: vocabulary, dimension: d, seed: seed) }
        }
    }

    static var decoderBuiltin: Builtin {
        Kit.builtin("Decoder", [Kit.p("source"), Kit.p("dim", .none), Kit.p("tied", .none), Kit.p("seed", 0)],
                    "Vector → word, p(w | h) = softmax(W_dec h)_w. "
                        + "Decoder(emb) is tied to an Embedding (W_dec = W_encodeᵀ, no weights of its own); "
                        + "Decoder(emb, tied: false) or Decoder(vocab, dim: 4) has its own W_dec (C, dim)") { args in
            let tiedArgument = args["tied"].isNone ? nil : try args.bool("tied")
            let dimArgument = args["dim"].isNone ? nil : try Conversions.integer(args["dim"], what: "dim")
            let seed = try args.seed()
            if case .host(let host) = args["source"], let model = host as? ModelValue, let embedding = model.model as? WordEmbedding {
                if tiedArgument ?? true {
                    if let d = dimArgument, d != embedding.dimension {
                        throw RuntimeError("a tied decoder has the embedding's dim \(embedding.dimension), not \(d)",
                                           hint: "leave dim out, or untie it: Decoder(emb, dim: \(d), tied: false)")
                    }
                    if let tied = TiedDecoderValue(embedding: model) { return .host(tied) }
                }
                let (vocabulary, d) = (embedding.vocabulary, dimArgument ?? embedding.dimension)
                return try ModelBindings.make { try WordDecoder(vocabulary: vocabulary, dimension: d, seed: seed) }
            }
            guard let vocabulary = vocabulary(in: args["source"]) ?? (try? wordsVocabulary(args["source"])) else {
                throw RuntimeError("Decoder() needs an Embedding (to tie to) or a Vocabulary, got \(args["source"].kindPhrase)",
                                   hint: "Decoder(emb) for W_dec = W_encodeᵀ, or Decoder(vocab, dim: 4)")
            }
            if tiedArgument == true {
                throw RuntimeError("a tied decoder shares W_encode with an Embedding, so it needs the Embedding, not a Vocabulary",
                                   hint: "emb = Embedding(vocab, dim: 4); dec = Decoder(emb)")
            }
            guard let d = dimArgument else {
                throw RuntimeError("Decoder(vocab) needs dim, the length of the vectors it decodes", hint: "Decoder(vocab, dim: 4)")
            }
            return try ModelBindings.make { try WordDecoder(vocabulary: vocabulary, dimension: d, seed: seed) }
        }
    }

    static var word2vecBuiltin: Builtin {
        Kit.builtin("Word2Vec", [Kit.p("vocab"), Kit.p("dim", 16), Kit.p("window", 2), Kit.p("negatives", 5),
                                 Kit.p("architecture", "skip-gram"), Kit.p("seed", 0)],
                    "Word vectors learned "
                        + "from their neighbours (Mikolov et al. 2013). Skip-gram predicts the words within `window` of each word, "
                        + "\"cbow\" predicts a word from its neighbours; each true neighbour is scored against `negatives` random words. "
                        + "Then w2v.train(text, epochs=10)") { args in
            let vocabulary = try requireVocabulary(args["vocab"], "Word2Vec()")
            let (d, c, k) = (try WordBindings.int(args, "dim"), try WordBindings.int(args, "window"), try WordBindings.int(args, "negatives"))
            let architecture = try self.architecture(args.string("architecture"))
            let seed = try args.seed()
            return try ModelBindings.make {
                try Word2Vec(vocabulary: vocabulary, dimension: d, window: c, negatives: k, architecture: architecture, seed: seed)
            }
        }
    }

    static func architecture(_ name: String) throws -> Word2Vec.Architecture {
        switch name.lowercased().filter({ $0.isLetter }) {
        case "skipgram", "sg": return .skipGram
        case "cbow": return .cbow
        default:
            throw RuntimeError("architecture must be \"skip-gram\" or \"cbow\", got \"\(name)\"")
        }
    }

    static var bpeBuiltin: Builtin {
        Kit.builtin("BPE", [Kit.p("text"), Kit.p("merges", 100), Kit.p("min_frequency", 2)],
                    "Byte-pair encoding — start from single characters and glue the most "
                        + "frequent neighbouring pair into a new token, `merges` times; then bpe.encode(\"any text\") spells it "
                        + "with the learned pieces (a character the text never had stays a piece of its own)") { args in
            let text = try args.string("text")
            return .host(BPEValue(try BPE(corpus: text, merges: WordBindings.int(args, "merges"), minFrequency: WordBindings.int(args, "min_frequency"))))
        }
    }

    static var tokenize: Builtin {
        Kit.builtin("tokenize", [Kit.p("text")],
                    "The words of a text, lowercased, without punctuation — as Vocabulary reads them") { args in
            .list(Vocabulary.words(in: try args.string("text")).map { .string($0) })
        }
    }

    static var sentences: Builtin {
        Kit.builtin("sentences", [Kit.p("text")],
                    "The text's sentences, each a list of words (a sentence ends at . ! ? or a line break)") { args in
            .list(Vocabulary.sentences(in: try args.string("text")).map { .list($0.map { .string($0) }) })
        }
    }

    static var skipgramPairs: Builtin {
        Kit.builtin("skipgram_pairs", [Kit.p("words"), Kit.p("window", 2)],
                    "The [w_I, w_O] pairs skip-gram learns from — each word with every "
                        + "neighbour at most `window` places away") { args in
            let words = try wordList(args["words"], "skipgram_pairs()'s words")
            let c = try WordBindings.int(args, "window")
            guard c >= 1 else { throw RuntimeError("the window must be at least 1 word on each side, got \(c)") }
            let window = min(c, words.count)  // a wider window adds nothing (and t + c must not overflow)
            var pairs: [Value] = []
            for t in words.indices {
                for j in max(0, t - window)...min(words.count - 1, t + window) where j != t {
                    pairs.append(.list([.string(words[t]), .string(words[j])]))
                }
            }
            return .list(pairs)
        }
    }

    // MARK: Reading arguments

    /// A whole-number argument; a one-element tensor counts (`for n in [10, 50]` gives tensors).
    static func int(_ args: BoundArguments, _ name: String) throws -> Int {
        try Conversions.integer(args[name], what: "\(args.callee)()'s '\(name)'")
    }

    /// The vocabulary of a Vocabulary value, or of a model that has one.
    static func vocabulary(in value: Value) -> Vocabulary? {
        guard case .host(let host) = value else { return nil }
        if let v = host as? VocabularyValue { return v.vocabulary }
        if let tied = host as? TiedDecoderValue { return tied.embeddingModel.vocabulary }
        guard let model = (host as? ModelValue)?.model else { return nil }
        switch model {
        case let m as WordEmbedding: return m.vocabulary
        case let m as WordDecoder: return m.vocabulary
        case let m as Word2Vec: return m.vocabulary
        default: return nil
        }
    }

    /// A vocabulary from a list of words.
    static func wordsVocabulary(_ value: Value) throws -> Vocabulary {
        try Vocabulary(words: Conversions.strings(value, what: "the words"))
    }

    static func requireVocabulary(_ value: Value, _ callee: String) throws -> Vocabulary {
        if let v = vocabulary(in: value) { return v }
        if case .list = value { return try wordsVocabulary(value) }
        if case .string = value {
            throw RuntimeError("\(callee) needs a Vocabulary, got a string",
                               hint: "make one first: vocab = Vocabulary(text)")
        }
        throw RuntimeError("\(callee) needs a Vocabulary (or a list of words), got \(value.kindPhrase)",
                           hint: "vocab = Vocabulary(read_text(\"data/words.txt\"))")
    }

    /// One word or a list of words.
    static func wordList(_ value: Value, _ what: String) throws -> [String] {
        switch value {
        case .string(let word): return [word]
        case .list(let items):
            guard !items.isEmpty else { throw RuntimeError("\(what) is an empty list; give at least one word") }
            return try items.map { item in
                guard case .string(let s) = item else {
                    throw RuntimeError("\(what) must be words (strings), found \(item.kindPhrase)")
                }
                return s
            }
        default:
            throw RuntimeError("\(what) must be a word or a list of words, got \(value.kindPhrase)")
        }
    }

    /// e_w (C,) for one word, or one row per word (T, C) named by the words.
    static func oneHotValue(_ value: Value, _ vocabulary: Vocabulary) throws -> Value {
        let words = try wordList(value, "one_hot()'s words")
        let rows = try Tensor.oneHot(vocabulary.ids(of: words), classes: vocabulary.count)
        if case .string = value { return Kit.tensor(try rows.reshaped([vocabulary.count])) }
        return Kit.tensor(rows, labels: words)
    }

    /// h as rows (T, d) with their names, or a single vector.
    static func vectors(_ args: BoundArguments, _ name: String = "h") throws -> TensorValue {
        try ModelBindings.input(args, name)
    }

    // MARK: Embedding

    static func embedding(_ m: WordEmbedding) -> ModelBinding {
        var binding = ModelBinding(typeName: "Embedding", callParameters: [Kit.p("words")]) { args in
            try embed(m, args["words"])
        }
        binding.property("vocab", "the vocabulary: words by id and ids by word") { .host(VocabularyValue(m.vocabulary)) }
        binding.property("dim", "the width of each word vector") { .number(Double(m.dimension)) }
        binding.methods = [
            Kit.builtin("vector", [Kit.p("word")], "The word's vector, column w of W_encode (dim,)") { args in
                Kit.tensor(try m.vector(for: args.string("word")))
            },
            Kit.builtin("one_hot", [Kit.p("words")], "e_w (C,) for one word, or one row per word (T, C)") { args in
                try oneHotValue(args["words"], m.vocabulary)
            },
            Kit.builtin("encode", [Kit.p("one_hot")],
                        "The product form, rows e_t (T, C) times W_encode — the same as emb(words) for one-hot rows, "
                            + "and a mix of columns for anything else") { args in
                let x = try ModelBindings.input(args, "one_hot")
                let rows = x.tensor.rank == 1 ? try x.tensor.reshaped([1, x.tensor.count]) : x.tensor
                let h = try m.encode(oneHot: rows)
                return Kit.tensor(x.tensor.rank == 1 ? try h.reshaped([m.dimension]) : h, labels: x.labels)
            },
        ] + neighbourMethods(m, owner: "emb")
        return binding
    }

    /// The vectors of words (or of word ids), named by the words; emits `embed`.
    static func embed(_ m: WordEmbedding, _ value: Value) throws -> Value {
        if case .host(let host) = value, let ids = (host as? TensorValue)?.tensor {
            let list = try Conversions.indexList(.host(TensorValue(ids)), what: "word ids")
            let words = try list.map { try m.vocabulary.word(at: $0) }
            return Kit.tensor(try m(ids: list, labels: words), labels: words)
        }
        let words = try wordList(value, "the words to embed")
        return Kit.tensor(try m(words), labels: words)
    }

    /// nearest, similarity and analogy on an embedding's vectors.
    static func neighbourMethods(_ m: WordEmbedding, owner: String) -> [Builtin] {
        [
            Kit.builtin("nearest", [Kit.p("x"), Kit.p("k", 5)],
                        "The k words whose vectors point most nearly the same way as x (a word or a vector), "
                            + "by cosine similarity cos(u, v) = ⟨u, v⟩ / (‖u‖ ‖v‖)") { args in
                let k = min(try WordBindings.int(args, "k"), m.vocabulary.count - 1)  // never more than there are
                switch args["x"] {
                case .string(let word):
                    return .host(RankingValue.neighbours(of: "“\(word)”", try m.nearest(to: word, k: k)))
                default:
                    var v = try Conversions.tensor(args["x"], what: "nearest()'s x")
                    if v.rank == 2, v.shape[0] == 1 { v = try v.reshaped([v.count]) }
                    return .host(RankingValue.neighbours(of: "the vector", try m.nearest(to: v.detached(), k: k)))
                }
            },
            Kit.builtin("similarity", [Kit.p("a"), Kit.p("b")],
                        "cos(v_a, v_b) = ⟨v_a, v_b⟩ / (‖v_a‖ ‖v_b‖), from −1 (opposite) through 0 to 1 (same direction)") { args in
                .number(Double(try m.cosine(args.string("a"), args.string("b"))))
            },
            Kit.builtin("analogy", [Kit.p("a"), Kit.p("b"), Kit.p("c"), Kit.p("k", 3)],
                        "The words nearest to v_a − v_b + v_c (a, b, c left out) — "
                            + "\(owner).analogy(\"king\", \"man\", \"woman\") asks: man is to king as woman is to …?") { args in
                let (a, b, c) = (try args.string("a"), try args.string("b"), try args.string("c"))
                let k = min(try WordBindings.int(args, "k"), m.vocabulary.count - 3)
                return .host(RankingValue.neighbours(of: "\(a) − \(b) + \(c)", try m.analogy(a, minus: b, plus: c, k: k)))
            },
        ]
    }

    // MARK: Decoder

    static func decoder(_ m: WordDecoder) -> ModelBinding {
        var binding = ModelBinding(typeName: "Decoder", callParameters: [Kit.p("h")]) { args in
            let h = try vectors(args)
            return Kit.tensor(try m(h.tensor, labels: rowNames(h, m)), labels: h.labels)
        }
        binding.property("vocab", "the vocabulary: words by id and ids by word") { .host(VocabularyValue(m.vocabulary)) }
        binding.property("dim", "the width of each word vector") { .number(Double(m.dimension)) }
        binding.property("tied", "whether W_dec is W_encodeᵀ (the embedding's own weight)") { .bool(m.isTied) }
        if m.isTied {
            binding.property("W_dec", "the decoding weight, one row per word, (V, dim); tied, it is W_encodeᵀ") { Kit.tensor(try m.weight().detached()) }
            binding.setters["W_dec"] = { _ in
                throw RuntimeError("this decoder is tied: W_dec = W_encodeᵀ is the embedding's weight, not its own",
                                   hint: "change emb.W_encode instead, or make an untied one: Decoder(emb, tied: false)")
            }
        }
        binding.methods = [
            Kit.builtin("top", [Kit.p("h"), Kit.p("k", 5)],
                        "The k most probable words p(w | h) for a vector h, most probable first "
                            + "(a list of them for a (T, dim) team)") { args in
                let h = try vectors(args)
                let ranked = try m.topWords(h.tensor, k: min(WordBindings.int(args, "k"), m.vocabulary.count), labels: rowNames(h, m))
                let rankings = ranked.enumerated().map { row in
                    RankingValue.topWords(for: h.labels.map { "“\($0[row.offset])”" } ?? (ranked.count > 1 ? "row \(row.offset)" : "h"),
                                          row.element)
                }
                return h.tensor.rank == 1 || rankings.count == 1 ? .host(rankings[0]) : .list(rankings.map { .host($0) })
            },
            Kit.builtin("words", [Kit.p("h")], "Vector → word — the most probable word for each row of h") { args in
                let h = try vectors(args)
                return .list(try m.words(for: h.tensor, labels: rowNames(h, m)).map { .string($0) })
            },
            Kit.builtin("logits", [Kit.p("h")], "The scores W_dec h of every word, before the softmax (T, C)") { args in
                let h = try vectors(args)
                return Kit.tensor(try m.logits(h.tensor), labels: h.tensor.rank == 2 ? h.labels : nil)
            },
        ]
        return binding
    }

    /// Names for the rows of h in a decode event: its labels when they fit.
    static func rowNames(_ h: TensorValue, _ m: WordDecoder) -> [String]? {
        guard let labels = h.labels, h.tensor.rank == 2, labels.count == h.tensor.shape[0] else { return nil }
        return labels
    }

    // MARK: Word2Vec

}

// The bindings of this family's models (see LanguageBound).
extension WordEmbedding: LanguageBound { var languageBinding: ModelBinding { WordBindings.embedding(self) } }
extension WordDecoder: LanguageBound { var languageBinding: ModelBinding { WordBindings.decoder(self) } }
extension Word2Vec: LanguageBound { var languageBinding: ModelBinding { WordBindings.word2vec(self) } }
