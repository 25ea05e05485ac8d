import Language
import Models
import Render
import Tensor

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
