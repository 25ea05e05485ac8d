import Language
import Models
import Render
import Tensor

/// Words as vectors: the dictionary (`Vocabulary`), one-hot vectors, the encoder
/// `Embedding` (W_encode), the `Decoder` (vector → word by softmax, tied or not),
/// neighbours and analogies, `Word2Vec`, and byte-pair encoding (`BPE`).
enum WordBindings: BindingFamily {
    static func binding(for model: any Model) -> ModelBinding? {
        switch model {
        case let m as WordEmbedding: embedding(m)
        case let m as WordDecoder: decoder(m)
        case let m as Word2Vec: word2vec(m)
        default: nil
        }
    }

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
            let seed = try Conversions.seed(args["seed"])
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
            let seed = try Conversions.seed(args["seed"])
            if case .host(let host) = args["source"], let model = host as? ModelValue, let embedding = model.model as? WordEmbedding {
                if tiedArgument ?? true {
                    if let d = dimArgument, d != embedding.dimension {
                        throw RuntimeError("a tied decoder has the embedding's dim \(embedding.dimension), not \(d)",
                                           hint: "leave dim out, or untie it: Decoder(emb, dim: \(d), tied: false)")
                    }
                    return .host(TiedDecoderValue(embedding: model))
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
            let seed = try Conversions.seed(args["seed"])
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
                        + "with known pieces") { args in
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
            var pairs: [Value] = []
            for t in words.indices {
                for j in max(0, t - c)...min(words.count - 1, t + c) where j != t {
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
        binding.properties["vocab"] = { .host(VocabularyValue(m.vocabulary)) }
        binding.properties["dim"] = { .number(Double(m.dimension)) }
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
                let k = try WordBindings.int(args, "k")
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
                return .host(RankingValue.neighbours(of: "\(a) − \(b) + \(c)", try m.analogy(a, minus: b, plus: c, k: WordBindings.int(args, "k"))))
            },
        ]
    }

    // MARK: Decoder

    static func decoder(_ m: WordDecoder) -> ModelBinding {
        var binding = ModelBinding(typeName: "Decoder", callParameters: [Kit.p("h")]) { args in
            let h = try vectors(args)
            return Kit.tensor(try m(h.tensor, labels: rowNames(h, m)), labels: h.labels)
        }
        binding.properties["vocab"] = { .host(VocabularyValue(m.vocabulary)) }
        binding.properties["dim"] = { .number(Double(m.dimension)) }
        binding.properties["tied"] = { .bool(m.isTied) }
        if m.isTied {
            binding.properties["W_dec"] = { Kit.tensor(try m.weight().detached()) }
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
                let ranked = try m.topWords(h.tensor, k: WordBindings.int(args, "k"), labels: rowNames(h, m))
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

    static func word2vec(_ m: Word2Vec) -> ModelBinding {
        var binding = ModelBinding(typeName: "Word2Vec", callParameters: [Kit.p("words")]) { args in
            try embed(m.embedding, args["words"])
        }
        binding.properties["vocab"] = { .host(VocabularyValue(m.vocabulary)) }
        binding.properties["dim"] = { .number(Double(m.dimension)) }
        binding.properties["window"] = { .number(Double(m.window)) }
        binding.properties["negatives"] = { .number(Double(m.negatives)) }
        binding.properties["architecture"] = { .string(m.architecture.rawValue) }
        binding.properties["epochs"] = { .number(Double(m.epochsTrained)) }
        binding.properties["steps"] = { .number(Double(m.steps)) }
        binding.properties["W_encode"] = { Kit.tensor(m.W_in.value.detached()) }
        binding.properties["embedding"] = { .host(ModelValue.part(m.embedding)) }
        binding.properties["decoder"] = { .host(ModelValue.part(m.decoder)) }
        binding.methods = [
            Kit.builtin("train", [Kit.p("text"), Kit.p("epochs", 10), Kit.p("lr", .none)],
                        "Plain SGD over every word of every sentence, `epochs` times, the learning rate "
                            + "falling linearly from lr (0.025 for skip-gram, 0.05 for CBOW) to almost 0; returns the mean loss of each epoch") { args in
                try train(m, args)
            },
            Kit.builtin("vector", [Kit.p("word")], "The word's learned vector v_w, column w of W_in (dim,)") { args in
                Kit.tensor(try m.embedding.vector(for: args.string("word")))
            },
            Kit.builtin("predict", [Kit.p("word"), Kit.p("k", 5)],
                        "The k words the model expects near `word`, p(w_O | w_I) = softmax(W_out v_{w_I}) — "
                            + "traced, it shows the word's vector (embed) and the softmax over the vocabulary (decode)") { args in
                let word = try args.string("word")
                let h = try m.embedding([word])
                let items = try m.decoder.topWords(h, k: WordBindings.int(args, "k"), labels: [word])[0]
                return .host(RankingValue(typeName: "TopWords", heading: "words expected near “\(word)”: p(w_O | w_I = \(word))",
                                          scoreName: "probability", items: items.map { ($0.word, $0.probability) }))
            },
            Kit.builtin("loss", [Kit.p("input"), Kit.p("output"), Kit.p("negatives")],
                        "Skip-gram's loss for one pair, −log σ(v′_{w_O}ᵀ v_{w_I}) − Σ_i log σ(−v′_{w_i}ᵀ v_{w_I}), "
                            + "with the given negative words") { args in
                let negatives = try wordList(args["negatives"], "negatives")
                return Kit.tensor(try m.loss(input: args.string("input"), output: args.string("output"), negatives: negatives))
            },
        ] + neighbourMethods(m.embedding, owner: "w2v")
        return binding
    }

    /// `w2v.train(text, epochs)`: the model's own loop, reporting each epoch to the
    /// progress bar and stopping at Ctrl-C between epochs.
    static func train(_ m: Word2Vec, _ args: BoundArguments) throws -> Value {
        let epochs = try WordBindings.int(args, "epochs")
        let lr = args["lr"].isNone ? nil : Float(try Conversions.number(args["lr"], what: "lr"))
        let sentences: [[String]]
        switch args["text"] {
        case .string(let text): sentences = Vocabulary.sentences(in: text)
        case .list(let items):
            sentences = try items.map { item in
                if case .string(let s) = item { return Vocabulary.words(in: s) }
                return try Conversions.strings(item, what: "train()'s sentences")
            }
        case let other:
            throw RuntimeError("train() needs a text (or a list of sentences), got \(other.kindPhrase)",
                               hint: "w2v.train(read_text(\"data/words.txt\"), epochs: 10)")
        }
        let host = args.context.host as? LessonHost
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        var interruptedAt: Int?
        try args.context.host.checkInterrupt()
        let losses = try m.train(sentences: sentences, epochs: epochs, learningRate: lr) { report in
            do {
                try args.context.host.checkInterrupt()
            } catch {
                interruptedAt = report.epoch
                host?.progress?(TrainingProgress(step: report.epoch, total: epochs, loss: report.loss, seconds: seconds(),
                                                 finished: true, unit: "epoch"))
                return false
            }
            host?.progress?(TrainingProgress(step: report.epoch, total: epochs, loss: report.loss, seconds: seconds(),
                                             finished: report.epoch == epochs, unit: "epoch"))
            return true
        }
        if let epoch = interruptedAt, epoch < epochs {
            throw RuntimeError("interrupted after epoch \(epoch) of \(epochs); the model keeps what it learned so far")
        }
        return Kit.tensor(Tensor(losses))
    }
}

// MARK: - Host values

/// The dictionary in the language: `len(vocab)`, `vocab.id("cat")`, `vocab.word(3)`,
/// `vocab["cat"]`, `vocab[3]`, `"cat" in vocab`. Immutable, so a copy is itself.
struct VocabularyValue: HostValue, PictureProviding {
    let vocabulary: Vocabulary

    init(_ vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    var typeName: String { "Vocabulary" }

    var description: String {
        let shown = vocabulary.words.prefix(6).joined(separator: ", ")
        return "Vocabulary of \(vocabulary.count) words: \(shown)\(vocabulary.count > 6 ? ", …" : "")"
    }

    var length: Int? { vocabulary.count }

    var memberNames: [String] {
        ["words", "counts", "size", "total", "id", "ids", "word", "count", "one_hot", "encode", "decode"]
    }

    var helpText: String? {
        """
        \(description)
        len(vocab) is C, the number of words; word k is the one-hot vector e_k (C,), with its 1 at position k (counting from 0).
        vocab.words, vocab.counts (how often each occurred), vocab.total (words of text counted)
        vocab.id(word) → k, vocab.word(k) → word, vocab["cat"] → k, vocab[k] → word, "cat" in vocab
        vocab.ids(words), vocab.encode(text) → ids, vocab.decode(ids) → words, vocab.count(word), vocab.one_hot(words)
        """
    }

    func member(named name: String) throws -> Value? {
        let v = vocabulary
        switch name {
        case "words": return .list(v.words.map { .string($0) })
        case "counts": return .list(v.counts.map { .number(Double($0)) })
        case "size": return .number(Double(v.count))
        case "total": return .number(Double(v.tokenCount))
        case "id":
            return .builtin(Kit.builtin("id", [Kit.p("word")], "The word's number k (from 0)") { args in
                .number(Double(try v.id(of: args.string("word"))))
            })
        case "ids":
            return .builtin(Kit.builtin("ids", [Kit.p("words")], "The number of each word") { args in
                .list(try v.ids(of: WordBindings.wordList(args["words"], "ids()'s words")).map { .number(Double($0)) })
            })
        case "word":
            return .builtin(Kit.builtin("word", [Kit.p("k")], "The word with number k") { args in
                .string(try v.word(at: WordBindings.int(args, "k")))
            })
        case "count":
            return .builtin(Kit.builtin("count", [Kit.p("word")], "How often the word occurred in the text (0 if never)") { args in
                .number(Double(v.count(of: try args.string("word"))))
            })
        case "one_hot":
            return .builtin(Kit.builtin("one_hot", [Kit.p("words")],
                                        "e_w (C,) for one word, or one row per word (T, C)") { args in
                try WordBindings.oneHotValue(args["words"], v)
            })
        case "encode":
            return .builtin(Kit.builtin("encode", [Kit.p("text")], "The numbers of the text's words") { args in
                .list(try v.encode(args.string("text")).map { .number(Double($0)) })
            })
        case "decode":
            return .builtin(Kit.builtin("decode", [Kit.p("ids")], "The words with these numbers") { args in
                .list(try Conversions.indexList(args["ids"], what: "ids").map { .string(try v.word(at: $0)) })
            })
        default: return nil
        }
    }

    func subscripted(by parts: [SubscriptPart]) throws -> Value {
        guard parts.count == 1 else { throw RuntimeError("a Vocabulary takes one index: vocab[k] or vocab[\"word\"]") }
        switch parts[0] {
        case .index(let k):
            guard let position = SubscriptPart.position(k, count: vocabulary.count) else {
                throw RuntimeError("word number \(k) is out of range for \(vocabulary.count) words (0…\(vocabulary.count - 1))")
            }
            return .string(vocabulary.words[position])
        case .slice(let start, let stop, let step):
            return .list(SubscriptPart.indices(start: start, stop: stop, step: step, count: vocabulary.count)
                .map { .string(vocabulary.words[$0]) })
        case .value(.string(let word)):
            return .number(Double(try vocabulary.id(of: word)))
        case .value(let other):
            throw RuntimeError("a Vocabulary is indexed by a number or a word, got \(other.kindPhrase)")
        }
    }

    func binary(_ op: BinaryOperator, _ other: Value, hostOnLeft: Bool) throws -> Value? {
        guard op == .contains, !hostOnLeft else { return nil }
        guard case .string(let word) = other else {
            throw RuntimeError("'in' on a Vocabulary needs a word on its left, got \(other.kindPhrase)")
        }
        return .bool(vocabulary.contains(word))
    }

    func iterate() throws -> [Value]? { vocabulary.words.map { .string($0) } }

    func copy(using copier: Copier) -> any HostValue { self }

    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock()
        block.append(Line("Vocabulary: C = \(vocabulary.count) words", Theme.heading)
                     + Line(vocabulary.tokenCount > 0 ? "  (from \(vocabulary.tokenCount) words of text)" : "", Theme.muted))
        if vocabulary.tokenCount > 0 {
            let top = vocabulary.words.indices.prefix(8).map { k in ("\(k) \(vocabulary.words[k])", Float(vocabulary.counts[k])) }
            block.append(Charts.bars(top, width: 20, decimals: 0))
            if vocabulary.count > 8 {
                let rest = vocabulary.words.dropFirst(8).prefix(10).joined(separator: ", ")
                block.append(Line("  … then \(rest)\(vocabulary.count > 18 ? ", …" : "")", Theme.muted))
            }
        } else {
            let shown = vocabulary.words.enumerated().prefix(12).map { "\($0.offset) \($0.element)" }.joined(separator: " · ")
            block.append(Line("  " + shown + (vocabulary.count > 12 ? " · …" : ""), Theme.label))
        }
        return block
    }
}

/// Words with scores, best first: the nearest neighbours of a word (cosine similarity)
/// or a decoder's most probable words (p(w | h)). Behaves like the list of its words
/// (`n[0]`, `for w in n`, `"dog" in n`, `len(n)`), with the numbers in `.scores`.
struct RankingValue: HostValue, PictureProviding {
    let typeName: String
    /// "nearest to “cat”", "p(w | h) for “love”".
    let heading: String
    /// "similarity" or "probability".
    let scoreName: String
    let items: [(word: String, score: Float)]

    static func neighbours(of what: String, _ items: [(word: String, similarity: Float)]) -> RankingValue {
        RankingValue(typeName: "Neighbours", heading: "nearest to \(what) (cosine similarity)", scoreName: "similarity",
                     items: items.map { ($0.word, $0.similarity) })
    }

    static func topWords(for what: String, _ items: [(word: String, probability: Float)]) -> RankingValue {
        RankingValue(typeName: "TopWords", heading: "most probable words for \(what): p(w | h)", scoreName: "probability",
                     items: items.map { ($0.word, $0.probability) })
    }

    var description: String {
        "[" + items.map { "\($0.word) \(NumberFormat.fixed($0.score, decimals: 2))" }.joined(separator: ", ") + "]"
    }

    var length: Int? { items.count }

    var memberNames: [String] { ["words", "scores", scoreName == "similarity" ? "similarities" : "probabilities", "best"] }

    var helpText: String? {
        "\(typeName): \(heading). Like the list of its words (n[0], for w in n, \"dog\" in n); n.words, n.scores (the \(scoreName) of each), n.best"
    }

    func member(named name: String) throws -> Value? {
        switch name {
        case "words": return .list(items.map { .string($0.word) })
        case "scores", "similarities", "probabilities":
            return Kit.tensor(Tensor(items.map(\.score)), labels: items.map(\.word))
        case "best": return items.first.map { .string($0.word) } ?? Value.none
        default: return nil
        }
    }

    func subscripted(by parts: [SubscriptPart]) throws -> Value {
        try Subscripting.words(items.map(\.word), parts)
    }

    func binary(_ op: BinaryOperator, _ other: Value, hostOnLeft: Bool) throws -> Value? {
        guard op == .contains, !hostOnLeft, case .string(let word) = other else { return nil }
        return .bool(items.contains { $0.word == word })
    }

    func iterate() throws -> [Value]? { items.map { .string($0.word) } }

    func copy(using copier: Copier) -> any HostValue { self }

    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock([Line(heading, Theme.muted)])
        block.append(Charts.bars(items.map { ($0.word, $0.score) }, width: 24, decimals: scoreName == "probability" ? 3 : 2))
        return block
    }
}

enum Subscripting {
    /// `x[i]` and `x[a:b]` on a list of words.
    static func words(_ words: [String], _ parts: [SubscriptPart]) throws -> Value {
        guard parts.count == 1 else { throw RuntimeError("one index, please: n[0] or n[1:3]") }
        switch parts[0] {
        case .index(let i):
            guard let p = SubscriptPart.position(i, count: words.count) else {
                throw RuntimeError("index \(i) is out of range for \(words.count) words")
            }
            return .string(words[p])
        case .slice(let start, let stop, let step):
            return .list(SubscriptPart.indices(start: start, stop: stop, step: step, count: words.count).map { .string(words[$0]) })
        case .value(let v):
            throw RuntimeError("index with a number, got \(v.kindPhrase)")
        }
    }
}

/// A decoder tied to an embedding: W_dec = W_encodeᵀ, the very weight of that
/// embedding. It behaves as a model (`dec(h)`, `dec.top(h)`, `dec.W_dec`), and a copy (for
/// rewinding) is tied to the copy of its embedding, so the two stay one.
final class TiedDecoderValue: HostValue, PictureProviding {
    let embedding: ModelValue

    init(embedding: ModelValue) {
        self.embedding = embedding
    }

    var embeddingModel: WordEmbedding {
        // Made only from an Embedding; copies keep the same construction.
        embedding.model as! WordEmbedding
    }

    /// A fresh view each time: it reads whatever W_encode holds now.
    var view: ModelValue { ModelValue.part(WordDecoder(tiedTo: embeddingModel)) }

    var typeName: String { "Decoder" }
    var description: String { view.description }
    var memberNames: [String] { view.memberNames }
    var helpText: String? { view.helpText }

    func member(named name: String) throws -> Value? { try view.member(named: name) }
    func setMember(named name: String, to value: Value) throws { try view.setMember(named: name, to: value) }
    func call(_ arguments: Arguments, context: CallContext) throws -> Value { try view.call(arguments, context: context) }

    func copy(using copier: Copier) -> any HostValue {
        let fresh = TiedDecoderValue(embedding: copier.copy(embedding))
        return fresh.embedding.model is WordEmbedding ? fresh : self
    }

    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock([Line(view.description, Theme.heading)])
        block.append(Line("  W_dec = W_encodeᵀ  " + formatShape([embeddingModel.vocabulary.count, embeddingModel.dimension])
                          + "  (the embedding's weight: no numbers of its own)", Theme.muted))
        return block
    }
}

/// Byte-pair encoding in the language: `bpe.encode("unseen words")`, `bpe.vocab_size`,
/// `bpe.prefix(50)` (the tokenizer after its first 50 merges). Immutable.
struct BPEValue: HostValue, PictureProviding {
    let bpe: BPE

    init(_ bpe: BPE) {
        self.bpe = bpe
    }

    var typeName: String { "BPE" }

    var description: String {
        "BPE: \(bpe.alphabet.count) characters + \(bpe.merges.count) merges → \(bpe.vocabularySize) tokens"
    }

    var length: Int? { bpe.vocabularySize }

    var memberNames: [String] {
        ["vocab_size", "tokens", "alphabet", "merges", "corpus_characters", "corpus_tokens", "encode", "ids", "decode", "prefix"]
    }

    var helpText: String? {
        """
        \(description)
        len(bpe) = bpe.vocab_size: the alphabet plus one new token per merge. bpe.tokens, bpe.alphabet,
        bpe.merges (the glued pairs, in the order learned), bpe.corpus_characters and bpe.corpus_tokens (the training text before and after)
        bpe.encode(text) → pieces, bpe.decode(pieces or ids) → text, bpe.ids(text) → token numbers, bpe.prefix(n): only the first n merges
        """
    }

    /// Tokens the training text needs after all merges.
    var corpusTokens: Int { bpe.merges.last?.corpusTokens ?? bpe.corpusCharacters }

    func member(named name: String) throws -> Value? {
        let b = bpe
        switch name {
        case "vocab_size": return .number(Double(b.vocabularySize))
        case "tokens": return .list(b.tokens.map { .string($0) })
        case "alphabet": return .list(b.alphabet.map { .string($0) })
        case "merges": return .list(b.merges.map { .list([.string($0.left), .string($0.right)]) })
        case "corpus_characters": return .number(Double(b.corpusCharacters))
        case "corpus_tokens": return .number(Double(corpusTokens))
        case "encode":
            return .builtin(Kit.builtin("encode", [Kit.p("text")], "The text as tokens, pieces the merges glued together") { args in
                .list(b.encode(try args.string("text")).map { .string($0) })
            })
        case "ids":
            return .builtin(Kit.builtin("ids", [Kit.p("text")], "The token number of each piece") { args in
                .list(try b.ids(args.string("text")).map { .number(Double($0)) })
            })
        case "decode":
            return .builtin(Kit.builtin("decode", [Kit.p("tokens")], "Pieces (or token numbers) joined back into text") { args in
                let value = args["tokens"]
                if case .list(let items) = value, items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                    return .string(b.decode(try Conversions.strings(value, what: "decode()'s pieces")))
                }
                if case .string(let s) = value { return .string(s) }
                return .string(try b.decode(ids: Conversions.indexList(value, what: "decode()'s token numbers")))
            })
        case "prefix":
            return .builtin(Kit.builtin("prefix", [Kit.p("n")],
                                        "The same tokenizer with only its first n merges (what BPE(text, merges: n) learns)") { args in
                .host(BPEValue(try b.prefix(WordBindings.int(args, "n"))))
            })
        default: return nil
        }
    }

    func copy(using copier: Copier) -> any HostValue { self }

    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock([Line(description, Theme.heading)])
        block.append(Line("  the training text: \(bpe.corpusCharacters) characters → \(corpusTokens) tokens", Theme.muted))
        if !bpe.merges.isEmpty {
            let shown = bpe.merges.prefix(8).map { "“\($0.left)”+“\($0.right)”" }.joined(separator: "  ")
            block.append(Line("  first merges: " + shown + (bpe.merges.count > 8 ? "  …" : ""), Theme.label))
        }
        return block
    }
}
