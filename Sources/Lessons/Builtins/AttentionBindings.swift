import Foundation
import Language
import Models
import Tensor
import Trace

/// The party and its parts: self-attention (one head or several), positions, layer norm,
/// the feed-forward part, a whole transformer block, word vectors for a sentence, and
/// the sequence loss.
enum AttentionBindings: BindingFamily {
    static var builtins: [Builtin] {
        [
            Kit.builtin("embed", [Kit.p("words"), Kit.p("dim", 4), Kit.p("seed", 0)],
                        "one vector per word (T, dim), rows named by the words; the same word always gets the same vector") { args in
                let words = try sentence(args["words"])
                let d = try args.integer("dim")
                guard d > 0 else { throw RuntimeError("embed(): dim must be at least 1, got \(d)") }
                try MemoryBudget.reserve([words.count, d], op: "embed()")
                return Kit.tensor(try wordVectors(words, dim: d, seed: args.seed()), labels: words)
            },
            Kit.builtin("SelfAttention", [Kit.p("dim"), Kit.p("heads", 1), Kit.p("causal", false), Kit.p("bias", false), Kit.p("seed", 0)],
                        "the party — A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d), Δ_m = Σ_t A_{m→t} v_t, h_m ← h_m + W·Δ_m; call it on h (T, dim); bias=true adds b_q, b_k, b_v and b (as PyTorch's nn.MultiheadAttention)") { args in
                let (d, heads) = (try args.integer("dim"), try args.integer("heads"))
                let causal = try args.bool("causal"), bias = try args.bool("bias")
                let seed = try args.seed()
                if heads != 1 {
                    return try ModelBindings.make { try MultiHeadAttention(dim: d, heads: heads, causal: causal, bias: bias, seed: seed) }
                }
                return try ModelBindings.make { try SelfAttention(dim: d, causal: causal, bias: bias, seed: seed) }
            },
            Kit.builtin("MultiHeadAttention", [Kit.p("dim"), Kit.p("heads", 2), Kit.p("causal", false), Kit.p("bias", false), Kit.p("seed", 0)],
                        "several conversations at once, each head with its own Wq, Wk, Wv of width dim/heads; the heads' Δ are concatenated before W; bias=true adds b_q, b_k, b_v and b (as PyTorch's nn.MultiheadAttention)") { args in
                let (d, heads) = (try args.integer("dim"), try args.integer("heads"))
                let causal = try args.bool("causal"), bias = try args.bool("bias")
                let seed = try args.seed()
                return try ModelBindings.make { try MultiHeadAttention(dim: d, heads: heads, causal: causal, bias: bias, seed: seed) }
            },
            Kit.builtin("PositionEmbedding", [Kit.p("dim"), Kit.p("learned", false), Kit.p("max_length", 64), Kit.p("seed", 0)],
                        "h_m ← h_m + P_m; sinusoidal P (fixed) unless learned=true") { args in
                let d = try args.integer("dim")
                let learned = try args.bool("learned")
                let length = try args.integer("max_length")
                let seed = try args.seed()
                return try ModelBindings.make {
                    learned ? try PositionEmbedding(learned: d, maxLength: length, seed: seed) : try PositionEmbedding(sinusoidal: d)
                }
            },
            Kit.builtin("positions", [Kit.p("length"), Kit.p("dim")],
                        "the sinusoidal table P (length, dim), row m for position m: P(m, 2i) = sin(m/10000^{2i/d}), P(m, 2i+1) = cos(m/10000^{2i/d}), m counted from 0") { args in
                let (T, d) = (try args.integer("length"), try args.integer("dim"))
                let table = try PositionEmbedding(sinusoidal: d).table(length: T)
                return Kit.tensor(table, labels: (1...T).map(String.init))
            },
            Kit.builtin("LayerNorm", [Kit.p("dim"), Kit.p("eps", 1e-5), Kit.p("bias", true)],
                        "each row centred and scaled to variance 1, then γ ⊙ x + β (gamma, beta; no β with bias=false)") { args in
                let d = try args.integer("dim")
                let eps = Float(try args.number("eps"))
                let bias = try args.bool("bias")
                return try ModelBindings.make { try LayerNorm(dim: d, epsilon: eps, bias: bias) }
            },
            Kit.builtin("FeedForward", [Kit.p("dim"), Kit.p("hidden", .none), Kit.p("activation", "gelu"), Kit.p("bias", true), Kit.p("seed", 0)],
                        "each person thinks alone — h_m ← h_m + MLP(h_m), MLP(x) = W2 σ(W1 x + b1) + b2; hidden=none means 4·dim; no b1, b2 with bias=false") { args in
                let d = try args.integer("dim")
                let hidden = args["hidden"].isNone ? nil : try Conversions.integer(args["hidden"], what: "hidden")
                let activation = try ModelBindings.activation(args["activation"])
                let bias = try args.bool("bias")
                let seed = try args.seed()
                return try ModelBindings.make { try FeedForward(dim: d, hidden: hidden, activation: activation, bias: bias, seed: seed) }
            },
            Kit.builtin("TransformerBlock", [Kit.p("dim"), Kit.p("heads", 1), Kit.p("hidden", .none), Kit.p("causal", false),
                                             Kit.p("norm", "pre"), Kit.p("activation", "gelu"), Kit.p("bias", "lecture"),
                                             Kit.p("layer", 1), Kit.p("seed", 0)],
                        "part 1, the meeting (attention), then part 2, each thinks alone (feed-forward); layer numbers its events; hidden=none means 4·dim; bias: \"lecture\" (none in attention), \"all\" or \"none\"") { args in
                let (d, heads, layer) = (try args.integer("dim"), try args.integer("heads"), try args.integer("layer"))
                let hidden = args["hidden"].isNone ? nil : try Conversions.integer(args["hidden"], what: "hidden")
                let causal = try args.bool("causal")
                let norm = try normKind(args["norm"])
                let activation = try ModelBindings.activation(args["activation"])
                let biases = try ModelBindings.biases(args["bias"])
                let seed = try args.seed()
                return try ModelBindings.make {
                    try TransformerBlock(dim: d, heads: heads, hidden: hidden, causal: causal, norm: norm,
                                         activation: activation, biases: biases, layer: layer, seed: seed)
                }
            },
            Kit.builtin("sequence_loss", [Kit.p("logits"), Kit.p("targets"), Kit.p("vocabulary", .none), Kit.p("labels", .none)],
                        "−log p(y|x) = −Σ_t log p(y_t | y_<t, x), from logits (T, V) and the right answer y_t of each row — ids, or words of the vocabulary") { args in
                let logits = try Conversions.tensor(args["logits"], what: "sequence_loss()'s logits")
                var labels = args["labels"].isNone ? nil : try Conversions.strings(args["labels"], what: "labels")
                let targets: [Int]
                if args["vocabulary"].isNone {
                    targets = try Conversions.indexList(args["targets"], what: "targets")
                } else {
                    let vocabulary = try Conversions.strings(args["vocabulary"], what: "vocabulary")
                    let words = try Conversions.strings(args["targets"], what: "targets")
                    targets = try words.map { word in
                        guard let id = vocabulary.firstIndex(of: word) else {
                            throw RuntimeError("sequence_loss(): '\(word)' is not in the vocabulary", hint: "the vocabulary is: " + vocabulary.joined(separator: ", "))
                        }
                        return id
                    }
                    labels = labels ?? words
                }
                return Kit.tensor(try SequenceLoss.negativeLogLikelihood(logits: logits, targets: targets, labels: labels).total)
            },
        ]
    }

    // MARK: helpers

    /// A list of words, or a sentence split at spaces.
    static func sentence(_ value: Value) throws -> [String] {
        if case .string(let text) = value {
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { throw RuntimeError("embed(): the sentence has no words") }
            return words
        }
        let words = try Conversions.strings(value, what: "embed()'s words")
        guard !words.isEmpty else { throw RuntimeError("embed(): give at least one word") }
        return words
    }

    /// N(0, 1) vectors, one per word, drawn from a generator seeded by the word itself
    /// (FNV-1a of its UTF-8 bytes) and `seed`: the same word gets the same vector wherever
    /// it stands, so shuffling the words shuffles the rows.
    static func wordVectors(_ words: [String], dim: Int, seed: UInt64) throws -> Tensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(words.count * dim)
        for word in words {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in word.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            var rng = SplitMix64(seed: hash ^ (seed &* 0x9E37_79B9_7F4A_7C15))
            for _ in 0..<dim { scalars.append(rng.normal()) }
        }
        return try Tensor(shape: [words.count, dim], scalars: scalars)
    }

    static func normKind(_ value: Value) throws -> TransformerBlock.Norm {
        guard case .string(let name) = value, let norm = TransformerBlock.Norm(rawValue: name) else {
            throw RuntimeError("norm must be \"pre\" (layer norm before each part, GPT-2) or \"post\" (after, the original transformer)")
        }
        return norm
    }

    /// Calls `body` with the input `h` and its labels, and returns its result named by
    /// the same labels (the model keeps them for `weights`).
    static func call(_ args: BoundArguments, _ body: (Tensor, [String]?) throws -> Tensor) throws -> Value {
        let h = try ModelBindings.input(args, "h")
        return Kit.tensor(try body(h.tensor, h.labels), labels: h.labels)
    }

    /// The attention weights of the last call, rows named by the tokens when there is
    /// one sequence and one head.
    static func weights(_ A: Tensor?, labels: [String]?, name: String) throws -> Value {
        guard let A else {
            throw RuntimeError("this \(name) has no attention weights yet",
                               hint: "call it on a sentence first (out = model(h)), then read its .weights")
        }
        return Kit.tensor(A, labels: A.rank == 2 ? labels : nil)
    }

    static func causalMember(_ binding: inout ModelBinding, get: @escaping () -> Bool, set: @escaping (Bool) -> Void) {
        binding.property("causal", "whether each row hears only the rows up to itself (settable: true or false)") { .bool(get()) }
        binding.setters["causal"] = { value in
            guard case .bool(let b) = value else { throw RuntimeError("causal must be true or false, got \(value.kindPhrase)") }
            set(b)
        }
    }

    static func update(help: String, _ body: @escaping (Tensor, [String]?) throws -> Tensor) -> Builtin {
        Kit.builtin("update", [Kit.p("h")], help) { args in try call(args, body) }
    }

    // MARK: bindings

    static func selfAttention(_ m: SelfAttention) -> ModelBinding {
        var binding = ModelBinding(typeName: "SelfAttention", callParameters: [Kit.p("h")]) { args in
            try call(args) { try m($0, labels: $1) }
        }
        binding.property("weights", "the attention weights A_{m→t} of the last call, (T, T) — (heads, T, T) for several heads") { try weights(m.lastWeights, labels: m.lastLabels, name: "SelfAttention") }
        binding.property("dim", "d, the width of each vector") { .number(Double(m.dim)) }
        causalMember(&binding, get: { m.causal }, set: { m.causal = $0 })
        binding.methods = [
            update(help: "the messages alone, W·Δ_m for every row (h + update(h) is what attn(h) returns; nn.MultiheadAttention returns this)") { h, labels in
                try m.messages(from: h, labels: labels)
            },
        ]
        return binding
    }

    static func multiHead(_ m: MultiHeadAttention) -> ModelBinding {
        var binding = ModelBinding(typeName: "MultiHeadAttention", callParameters: [Kit.p("h")]) { args in
            try call(args) { try m($0, labels: $1) }
        }
        binding.property("weights", "the attention weights A_{m→t} of the last call, (T, T) — (heads, T, T) for several heads") { try weights(m.lastWeights, labels: m.lastLabels, name: "MultiHeadAttention") }
        binding.property("dim", "d, the width of each vector") { .number(Double(m.dim)) }
        binding.property("heads", "the number of heads") { .number(Double(m.heads)) }
        binding.property("head_dim", "each head's width, dim / heads") { .number(Double(m.headDim)) }
        causalMember(&binding, get: { m.causal }, set: { m.causal = $0 })
        binding.methods = [
            update(help: "the messages alone, W·[Δ_m⁽¹⁾; …; Δ_m⁽ᴴ⁾] for every row (h + update(h) is what the layer returns; nn.MultiheadAttention returns this)") { h, labels in
                try m.messages(from: h, labels: labels)
            },
        ]
        return binding
    }

    static func position(_ m: PositionEmbedding) -> ModelBinding {
        var binding = ModelBinding(typeName: "PositionEmbedding", callParameters: [Kit.p("h")]) { args in
            try call(args) { try m($0, labels: $1) }
        }
        binding.property("dim", "d, the width of each vector") { .number(Double(m.dim)) }
        binding.property("learned", "whether the positions are a learned table (else the sinusoid formula)") { .bool(m.kind == .learned) }
        if m.kind == .sinusoidal {
            binding.property("P", "the learned table of positions, one row per position (only when learned)") {
                throw RuntimeError("sinusoidal positions are a formula, not a stored table", hint: "pe.table(T) gives the rows P_1 … P_T")
            }
        }
        binding.methods = [
            Kit.builtin("table", [Kit.p("length")], "the rows P_m added at positions 1 … length, (length, dim)") { args in
                let T = try args.integer("length")
                return Kit.tensor(try m.table(length: T), labels: T > 0 ? (1...T).map(String.init) : nil)
            },
        ]
        return binding
    }

    static func layerNorm(_ m: LayerNorm) -> ModelBinding {
        var binding = ModelBinding(typeName: "LayerNorm", callParameters: [Kit.p("h")]) { args in
            try call(args) { h, _ in try m(h) }
        }
        binding.property("dim", "d, the width of each vector") { .number(Double(m.dim)) }
        return binding
    }

    static func feedForward(_ m: FeedForward) -> ModelBinding {
        var binding = ModelBinding(typeName: "FeedForward", callParameters: [Kit.p("h")]) { args in
            try call(args) { try m($0, labels: $1) }
        }
        binding.property("dim", "d, the width of each vector") { .number(Double(m.dim)) }
        binding.property("hidden", "the width of the hidden layer") { .number(Double(m.hiddenSize)) }
        binding.methods = [
            update(help: "MLP(h_m) alone for every row (h + update(h) is what the part returns)") { h, labels in
                try m.messages(from: h, labels: labels)
            },
        ]
        return binding
    }

    static func block(_ m: TransformerBlock) -> ModelBinding {
        var binding = ModelBinding(typeName: "TransformerBlock", callParameters: [Kit.p("h")]) { args in
            try call(args) { try m($0, labels: $1) }
        }
        binding.property("weights", "the attention weights A_{m→t} of the last call, (T, T) — (heads, T, T) for several heads") { try weights(m.attention.lastWeights, labels: m.attention.lastLabels, name: "TransformerBlock") }
        binding.property("dim", "d, the width of each vector") { .number(Double(m.dim)) }
        binding.property("heads", "the number of heads") { .number(Double(m.attention.heads)) }
        binding.property("norm", "where LayerNorm sits: \"pre\" (before each part) or \"post\" (after each sum)") { .string(m.norm.rawValue) }
        binding.property("layer", "the block's number in its stack, from 1") { .number(Double(m.layer)) }
        causalMember(&binding, get: { m.attention.causal }, set: { m.attention.causal = $0 })
        return binding
    }
}

// The bindings of this family's models (see LanguageBound).
extension SelfAttention: LanguageBound { var languageBinding: ModelBinding { AttentionBindings.selfAttention(self) } }
extension MultiHeadAttention: LanguageBound { var languageBinding: ModelBinding { AttentionBindings.multiHead(self) } }
extension PositionEmbedding: LanguageBound { var languageBinding: ModelBinding { AttentionBindings.position(self) } }
extension LayerNorm: LanguageBound { var languageBinding: ModelBinding { AttentionBindings.layerNorm(self) } }
extension FeedForward: LanguageBound { var languageBinding: ModelBinding { AttentionBindings.feedForward(self) } }
extension TransformerBlock: LanguageBound { var languageBinding: ModelBinding { AttentionBindings.block(self) } }
