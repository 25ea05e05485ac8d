import Language
import Models
import Render
import Tensor
import Trace

/// Character-level GPT and BERT over a text read with `read_text`: training with a
/// progress bar (Ctrl-C stops it), the loss, writing, masking and filling in blanks.
enum TransformerBindings: BindingFamily {
    static var builtins: [Builtin] {
        [
            Kit.builtin("GPT", [Kit.p("text"), Kit.p("dim", 32), Kit.p("layers", 2), Kit.p("heads", 2), Kit.p("block_size", 32),
                                Kit.p("hidden", .none), Kit.p("tied", true), Kit.p("activation", "gelu"), Kit.p("bias", "lecture"),
                                Kit.p("seed", 0)],
                        "a character-level GPT for text — each character hears only those before it (causal) and guesses the next; hidden=none means 4·dim; tied, activation and bias rebuild a GPT trained elsewhere (nanoGPT: activation: \"gelu_erf\", bias: true or false)") { args in
                let text = try args.string("text")
                let (d, layers, heads, block) = try sizes(args)
                let hidden = args["hidden"].isNone ? nil : try Conversions.integer(args["hidden"], what: "hidden")
                let tied = try args.bool("tied")
                let activation = try ModelBindings.activation(args["activation"])
                let biases = try ModelBindings.biases(args["bias"])
                let seed = try args.seed()
                return try ModelBindings.make {
                    try GPT(corpus: text, dim: d, layers: layers, heads: heads, blockSize: block, hidden: hidden,
                            tiedWeights: tied, activation: activation, biases: biases, seed: seed)
                }
            },
            Kit.builtin("BERT", [Kit.p("text"), Kit.p("dim", 32), Kit.p("layers", 2), Kit.p("heads", 2), Kit.p("block_size", 32),
                                 Kit.p("hidden", .none), Kit.p("norm", "pre"), Kit.p("seed", 0)],
                        "a character-level BERT for text — every character hears both sides, and learns by guessing hidden ones; hidden=none means 4·dim") { args in
                let text = try args.string("text")
                let (d, layers, heads, block) = try sizes(args)
                let hidden = args["hidden"].isNone ? nil : try Conversions.integer(args["hidden"], what: "hidden")
                let norm = try AttentionBindings.normKind(args["norm"])
                let seed = try args.seed()
                return try ModelBindings.make {
                    try BERT(corpus: text, dim: d, layers: layers, heads: heads, blockSize: block, hidden: hidden, norm: norm, seed: seed)
                }
            },
        ]
    }

    static func sizes(_ args: BoundArguments) throws -> (Int, Int, Int, Int) {
        (try args.integer("dim"), try args.integer("layers"), try args.integer("heads"), try args.integer("block_size"))
    }

    static var trainParameters: [Language.Parameter] {
        [Kit.p("steps", 200), Kit.p("batch_size", 16), Kit.p("lr", 0.003), Kit.p("seed", 0)]
    }

    /// Runs a model's own training loop with the session's progress bar; Ctrl-C stops it
    /// after the current step, keeping what was learned. Returns the losses as a tensor.
    static func train(_ args: BoundArguments,
                      _ run: (Int, Int, Float, UInt64, @escaping (TransformerTrainingStep) throws -> Bool) throws -> [Float]) throws -> Value {
        let steps = try args.integer("steps")
        guard steps > 0 else { throw RuntimeError("train() needs steps ≥ 1, got \(steps)") }
        let batch = try args.integer("batch_size")
        let lr = Float(try args.number("lr"))
        let seed = try args.seed()
        let observer = HostTrainingObserver(args, total: steps)
        return try observer.train {
            try run(steps, batch, lr, seed, observer.callback(\.report))
        }
    }

    /// The blocks as models of their own (`gpt.blocks[0].attention.Wq`).
    static func blocks(_ blocks: [TransformerBlock]) -> Value {
        .list(blocks.map { .host(ModelValue.part($0)) })
    }

    /// Lets `blocks[i].weights` name rows after the tokens of the last traced text.
    static func remember(_ labels: [String], in blocks: [TransformerBlock]) {
        for block in blocks { block.attention.lastLabels = labels }
    }

    static func vocabulary(_ tokenizer: CharTokenizer?) -> Value {
        .list((tokenizer?.vocabulary ?? []).map { .string(String($0)) })
    }

    static func tokenizer(_ t: CharTokenizer?, _ summary: String) throws -> CharTokenizer {
        guard let t else { throw RuntimeError("\(summary) has no vocabulary of characters") }
        return t
    }

    /// What GPT and BERT both show: their characters, sizes and blocks.
    static func sizes(_ typeName: String, _ tokenizer: CharTokenizer?, vocabularySize: Int, dim: Int, blockSize: Int,
                      blocks: [TransformerBlock]) -> ModelBinding {
        var binding = ModelBinding(typeName: typeName)
        binding.property("vocabulary", "the characters the model knows, in the order of its token ids") { vocabulary(tokenizer) }
        binding.property("V", "V, the number of characters in the vocabulary") { .number(Double(vocabularySize)) }
        binding.property("dim", "d, the width of each vector") { .number(Double(dim)) }
        binding.property("block_size", "the most characters the model reads at once") { .number(Double(blockSize)) }
        binding.property("blocks", "the transformer blocks, a list (gpt.blocks[0].attention.Wq)") { TransformerBindings.blocks(blocks) }
        return binding
    }

    // MARK: GPT

    static func gpt(_ m: GPT) -> ModelBinding {
        var binding = sizes("GPT", m.tokenizer, vocabularySize: m.vocabularySize, dim: m.dim, blockSize: m.blockSize, blocks: m.blocks)
        binding.methods = [
            Kit.builtin("train", trainParameters,
                        "learn to guess each next character of the text, −Σ_t log p(x_t | x_<t); returns the loss of every step") { args in
                try train(args) { steps, batch, lr, seed, progress in
                    try m.train(steps: steps, batchSize: batch, learningRate: lr, seed: seed, progress: progress)
                }
            },
            Kit.builtin("generate", [Kit.p("prompt"), Kit.p("length", 80), Kit.p("temperature", 1), Kit.p("top_k", .none), Kit.p("seed", 0)],
                        "the prompt and length new characters, each drawn from p(x_t | x_<t); top_k=1 always takes the likeliest") { args in
                let topK = args["top_k"].isNone ? nil : try Conversions.integer(args["top_k"], what: "top_k")
                return .string(try m.generate(prompt: args.string("prompt"), length: args.integer("length"),
                                              temperature: Float(args.number("temperature")), topK: topK,
                                              seed: args.seed()))
            },
            Kit.builtin("loss", [Kit.p("text")],
                        "the mean of −log p(x_t | x_<t) over the text's characters after the first (traced: the forward pass and the loss, for a text of at most block_size + 1 characters)") { args in
                let t = try tokenizer(m.tokenizer, m.summary)
                let ids = try t.encode(args.string("text"))
                guard ids.count > m.blockSize + 1 else {
                    remember(t.labels(Array(ids.dropLast())), in: m.blocks)
                    return Kit.tensor(try m.loss(ids))
                }
                return Kit.tensor(Tensor(try m.meanLoss(on: ids)))
            },
            Kit.builtin("logits", [Kit.p("text")],
                        "the scores (T, V) before the softmax: row m scores every character as the one after the text's first m — what PyTorch's model(ids) returns; traced: the forward pass") { args in
                let t = try tokenizer(m.tokenizer, m.summary)
                let ids = try t.encode(args.string("text"))
                guard !ids.isEmpty, ids.count <= m.blockSize else {
                    throw RuntimeError("logits() reads 1 to \(m.blockSize) characters (block_size), got \(ids.count)")
                }
                remember(t.labels(ids), in: m.blocks)
                return Kit.tensor(try Tensor.withoutGrad { try m.logits(ids) }, labels: t.labels(ids))
            },
            Kit.builtin("predict", [Kit.p("text")],
                        "p(next character | text), one probability per character of the vocabulary") { args in
                let t = try tokenizer(m.tokenizer, m.summary)
                let ids = Array(try t.encode(args.string("text")).suffix(m.blockSize))
                remember(t.labels(ids), in: m.blocks)
                let p = try Tensor.withoutGrad { try m.logits(ids).select(axis: 0, index: -1).softmax(axis: -1) }
                return Kit.tensor(p, labels: t.labels(Array(0..<t.size)))
            },
        ] + coding(m.tokenizer, m.summary)
        return binding
    }

    /// `encode(text)` and `decode(ids)` with the model's characters.
    static func coding(_ t: CharTokenizer?, _ summary: String) -> [Builtin] {
        [
            Kit.builtin("encode", [Kit.p("text")], "the token id of each character (its index in vocabulary)") { args in
                .list(try tokenizer(t, summary).encode(args.string("text")).map { .number(Double($0)) })
            },
            Kit.builtin("decode", [Kit.p("ids")], "the text of token ids") { args in
                .string(try tokenizer(t, summary).decode(Conversions.indexList(args["ids"], what: "ids")))
            },
        ]
    }

    // MARK: BERT

    static func bert(_ m: BERT) -> ModelBinding {
        var binding = sizes("BERT", m.tokenizer, vocabularySize: m.vocabularySize, dim: m.dim, blockSize: m.blockSize, blocks: m.blocks)
        binding.methods = [
            Kit.builtin("mask", [Kit.p("text"), Kit.p("seed", 0)],
                        "choose 15 % of the positions; of those 80 % become [MASK], 10 % a random character, 10 % stay — the text BERT reads and the answers it is scored on") { args in
                let t = try tokenizer(m.tokenizer, m.summary)
                let ids = try t.encode(args.string("text"))
                var rng = SplitMix64(seed: try args.seed())
                return .host(MaskedValue(try m.mask(ids, using: &rng), original: ids, tokenizer: t))
            },
            Kit.builtin("loss", [Kit.p("masked"), Kit.p("seed", 0)],
                        "the mean of −log p(x_m | x̃) over the chosen positions only; masked from mask(), or a text masked here with seed (traced: the forward pass and the loss, for one block)") { args in
                let t = try tokenizer(m.tokenizer, m.summary)
                let masked: MaskedTokens
                if let given = args["masked"].hostObject(MaskedValue.self) {
                    masked = given.masked
                } else {
                    let ids = try t.encode(args.string("masked"))
                    if ids.count > m.blockSize {
                        return Kit.tensor(Tensor(try m.meanMaskedLoss(on: ids, seed: args.seed())))
                    }
                    var rng = SplitMix64(seed: try args.seed())
                    masked = try m.mask(ids, using: &rng)
                }
                remember(MaskedValue.labels(masked.input, tokenizer: t, maskToken: m.maskToken), in: m.blocks)
                return Kit.tensor(try m.loss(masked))
            },
            Kit.builtin("train", trainParameters,
                        "learn to guess hidden characters from both sides (fresh masks every step); returns the loss of every step") { args in
                try train(args) { steps, batch, lr, seed, progress in
                    try m.train(steps: steps, batchSize: batch, learningRate: lr, seed: seed, progress: progress)
                }
            },
            Kit.builtin("fill_mask", [Kit.p("text"), Kit.p("mask", "_")],
                        "the text with every blank (mask) replaced by the model's likeliest character") { args in
                .string(try m.fillMask(args.string("text"), mask: maskCharacter(args)))
            },
            Kit.builtin("predict", [Kit.p("text"), Kit.p("mask", "_")],
                        "p(x_m | the text) at every position (rows: positions, columns: the vocabulary)") { args in
                let t = try tokenizer(m.tokenizer, m.summary)
                let blank = try maskCharacter(args)
                let ids = try args.string("text").map { c in
                    if c == blank { return m.maskToken }
                    guard let id = t.id(of: c) else { throw RuntimeError("predict(): '\(c)' is not a character of the text the model learned") }
                    return id
                }
                let labels = MaskedValue.labels(ids, tokenizer: t, maskToken: m.maskToken)
                remember(labels, in: m.blocks)
                return Kit.tensor(try m.predict(ids), labels: labels)
            },
        ] + coding(m.tokenizer, m.summary)
        return binding
    }

    static func maskCharacter(_ args: BoundArguments) throws -> Character {
        let text = try args.string("mask")
        guard text.count == 1, let c = text.first else { throw RuntimeError("mask must be a single character, got \"\(text)\"") }
        return c
    }
}

/// A text corrupted for BERT: what the model reads (`text`, `tokens`), which positions
/// count (`chosen`), what happened to each (`choices`) and the answers (`targets`).
struct MaskedValue: HostValue, PictureProviding {
    let masked: MaskedTokens
    let original: [Int]
    let tokenizer: CharTokenizer

    init(_ masked: MaskedTokens, original: [Int], tokenizer: CharTokenizer) {
        self.masked = masked
        self.original = original
        self.tokenizer = tokenizer
    }

    var maskToken: Int { tokenizer.size }
    var typeName: String { "Masked" }
    var length: Int? { original.count }

    var description: String {
        let count = { (c: MaskedTokens.Choice) in masked.choices.filter { $0 == c }.count }
        return "Masked: \(masked.chosen.count) of \(original.count) positions chosen — \(count(.mask)) [MASK], "
            + "\(count(.random)) random, \(count(.unchanged)) unchanged"
    }

    static func labels(_ ids: [Int], tokenizer: CharTokenizer, maskToken: Int) -> [String] {
        ids.map { $0 == maskToken ? "[MASK]" : tokenizer.label($0) }
    }

    /// The read text with "_" for [MASK].
    var text: String {
        String(masked.input.map { $0 == maskToken ? "_" : tokenizer.vocabulary[$0] })
    }

    var memberNames: [String] { ["text", "original", "tokens", "chosen", "choices", "targets"] }

    var helpText: String? {
        description + "\nMembers: text (what BERT reads, _ = [MASK]), original, tokens, chosen (positions scored), "
            + "choices (mask / random / unchanged / none per position), targets (the right characters at the chosen positions)"
    }

    func member(named name: String) throws -> Value? {
        switch name {
        case "text": return .string(text)
        case "original": return .string((try? tokenizer.decode(original)) ?? "")
        case "tokens": return .list(Self.labels(masked.input, tokenizer: tokenizer, maskToken: maskToken).map { .string($0) })
        case "chosen": return .list(masked.chosen.map { .number(Double($0)) })
        case "choices": return .list(masked.choices.map { $0.map { .string($0.rawValue) } ?? .none })
        case "targets": return .list(masked.chosen.map { .string(String(tokenizer.vocabulary[original[$0]])) })
        default: return nil
        }
    }

    func copy(using copier: Copier) -> any HostValue { self }

    /// The original over what BERT reads, with the chosen positions marked:
    /// M for [MASK], R for a random character, = for unchanged.
    func picture(_ options: RenderOptions) -> TextBlock {
        var block = TextBlock()
        block.append(Line(description, Theme.heading))
        let shown = { (ids: [Int]) in String(ids.map { $0 == maskToken ? "▒" : (tokenizer.label($0).first ?? "?") }) }
        let marks = String(masked.choices.map { choice -> Character in
            switch choice {
            case .mask?: "M"
            case .random?: "R"
            case .unchanged?: "="
            case nil: " "
            }
        })
        let width = max(options.width - 11, 20)
        var start = 0
        while start < original.count {
            let end = min(start + width, original.count)
            let range = start..<end
            block.append(Line("  original ", Theme.label) + Line(shown(Array(original[range]))))
            block.append(Line("  reads    ", Theme.label) + Line(shown(Array(masked.input[range]))))
            block.append(Line("  chosen   ", Theme.label) + Line(String(Array(marks)[range]), Theme.accent))
            start = end
        }
        block.append(Line("  ▒ [MASK] · M masked · R random · = unchanged · only these are scored", Theme.muted))
        return block
    }
}

extension Value {
    /// The host object of type T inside, if any.
    func hostObject<T>(_ type: T.Type) -> T? {
        if case .host(let host) = self { return host as? T }
        return nil
    }
}

// The bindings of this family's models (see LanguageBound).
extension GPT: LanguageBound { var languageBinding: ModelBinding { TransformerBindings.gpt(self) } }
extension BERT: LanguageBound { var languageBinding: ModelBinding { TransformerBindings.bert(self) } }
