import Language
import Models
import Render
import Tensor

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
        case "total": return .number(Double(v.corpusWordCount))
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
                     + Line(vocabulary.corpusWordCount > 0 ? "  (from \(vocabulary.corpusWordCount) words of text)" : "", Theme.muted))
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
