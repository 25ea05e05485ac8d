import Tensor

/// Characters as tokens: the smallest honest tokenizer. The vocabulary is the sorted set
/// of distinct characters of a text, and token id i is the i-th of them — so a one-hot
/// vector of size V stands for one character, as the lecture's one-hot word vectors do
/// for words.
///
/// Encoding a character that is not in the vocabulary throws (it has no one-hot vector),
/// as does decoding an id out of range.
public struct CharTokenizer: Equatable, Sendable {
    /// The characters, sorted; index = token id.
    public let vocabulary: [Character]
    private let ids: [Character: Int]

    /// The vocabulary of `text`: its distinct characters, sorted.
    public init(text: String) throws {
        guard !text.isEmpty else {
            throw TensorError("character tokenizer: the text is empty, so there is no vocabulary to build")
        }
        try self.init(vocabulary: Array(Set(text)).sorted())
    }

    /// A given vocabulary, in the given order.
    public init(vocabulary: [Character]) throws {
        guard !vocabulary.isEmpty else { throw TensorError("character tokenizer: the vocabulary is empty") }
        var ids: [Character: Int] = [:]
        for (i, c) in vocabulary.enumerated() {
            if let first = ids[c] {
                throw TensorError("character tokenizer: \(Self.describe(c)) appears twice in the vocabulary (ids \(first) and \(i))")
            }
            ids[c] = i
        }
        self.vocabulary = vocabulary
        self.ids = ids
    }

    /// V, the number of tokens.
    public var size: Int { vocabulary.count }

    /// The token id of each character.
    public func encode(_ text: String) throws -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(text.count)
        for (position, c) in text.enumerated() {
            guard let id = ids[c] else {
                throw TensorError("character tokenizer: unknown character \(Self.describe(c)) at position \(position); the vocabulary has \(size) characters: \(String(vocabulary).debugDescription)")
            }
            out.append(id)
        }
        return out
    }

    /// The token id of one character, or nil when it is not in the vocabulary.
    public func id(of c: Character) -> Int? { ids[c] }

    /// The text of token ids.
    public func decode(_ tokens: [Int]) throws -> String {
        var out = ""
        for (position, id) in tokens.enumerated() {
            guard vocabulary.indices.contains(id) else {
                throw TensorError("character tokenizer: token id \(id) at position \(position) is out of range; ids go from 0 to \(size - 1)")
            }
            out.append(vocabulary[id])
        }
        return out
    }

    /// A visible name for a token, for labelling rows: "␣" for a space, "↵" for a newline.
    public func label(_ id: Int) -> String {
        guard vocabulary.indices.contains(id) else { return "#\(id)" }
        return Self.visible(vocabulary[id])
    }

    public func labels(_ tokens: [Int]) -> [String] { tokens.map(label) }

    static func visible(_ c: Character) -> String {
        switch c {
        case " ": "␣"
        case "\n": "↵"
        case "\t": "⇥"
        default: String(c)
        }
    }

    private static func describe(_ c: Character) -> String {
        let codes = c.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(visible(c))' (\(codes.joined(separator: " ")))"
    }

    public static func == (a: CharTokenizer, b: CharTokenizer) -> Bool { a.vocabulary == b.vocabulary }
}
