import Language
import Models
import Render
import Tensor

/// word2vec in the language: its binding and its training loop with progress and Ctrl-C.
extension WordBindings {
    static func word2vec(_ m: Word2Vec) -> ModelBinding {
        var binding = ModelBinding(typeName: "Word2Vec", callParameters: [Kit.p("words")]) { args in
            try embed(m.embedding, args["words"])
        }
        binding.property("vocab", "the vocabulary: words by id (w2v.vocab[3]) and ids by word (w2v.vocab[\"cat\"])") { .host(VocabularyValue(m.vocabulary)) }
        binding.property("dim", "the width of each word vector") { .number(Double(m.dimension)) }
        binding.property("window", "how many words on each side count as context") { .number(Double(m.window)) }
        binding.property("negatives", "how many noise words each pair is trained against") { .number(Double(m.negatives)) }
        binding.property("architecture", "\"skipgram\" (a word predicts its context) or \"cbow\" (the context predicts the word)") { .string(m.architecture.rawValue) }
        binding.property("epochs", "the passes over the corpus trained so far") { .number(Double(m.epochsTrained)) }
        binding.property("steps", "the training steps taken so far") { .number(Double(m.steps)) }
        binding.property("W_encode", "the input vectors, one column per word, (dim, V)") { Kit.tensor(m.W_in.value.detached()) }
        binding.property("embedding", "the input side as an Embedding (its W_encode)") { .host(ModelValue.part(m.embedding)) }
        binding.property("decoder", "the output side as a Decoder (its W_dec, the context vectors v′)") { .host(ModelValue.part(m.decoder)) }
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
                let items = try m.decoder.topWords(h, k: min(WordBindings.int(args, "k"), m.vocabulary.count), labels: [word])[0]
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
    /// progress bar and stopping at Ctrl-C between epochs (keeping those done).
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
        let observer = HostTrainingObserver(args, total: epochs, unit: .epoch)
        return try observer.train {
            try m.train(sentences: sentences, epochs: epochs, learningRate: lr, progress: observer.callback(\.report))
        }
    }
}
