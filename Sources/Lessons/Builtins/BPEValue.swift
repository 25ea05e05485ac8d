import Language
import Models
import Render
import Tensor

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
