import Tensor

/// A text corrupted for masked language modelling (BERT, Devlin et al. 2019), and the
/// answers the model is scored on.
///
/// The rule: choose 15 % of the positions (round(0.15·T), at least one per sequence,
/// drawn without replacement); of the chosen ones 80 % become [MASK], 10 % a random
/// token (uniform over the real vocabulary, so now and then the original itself) and
/// 10 % stay unchanged. The model must predict the original token at every chosen
/// position — also where it sees a plausible word, so it cannot learn to copy — and is
/// scored nowhere else.
public struct MaskedTokens: Equatable, Sendable {
    /// What happened to a chosen position.
    public enum Choice: String, Sendable {
        case mask, random, unchanged
    }

    /// The target at positions that are not scored.
    public static let ignored = -1
    public static let rate = 0.15

    /// The corrupted ids the model reads.
    public let input: [Int]
    /// The original id at chosen positions, `ignored` elsewhere.
    public let targets: [Int]
    /// The rule's decision at each position (nil: not chosen).
    public let choices: [Choice?]

    public init(input: [Int], targets: [Int], choices: [Choice?]) {
        self.input = input
        self.targets = targets
        self.choices = choices
    }

    /// Positions that are scored.
    public var chosen: [Int] { choices.indices.filter { choices[$0] != nil } }

    /// Applies the 15 % / 80-10-10 rule to `ids` (real tokens 0..<vocabularySize) with a
    /// seeded generator; `maskToken` is the id of [MASK].
    public static func corrupt(_ ids: [Int], vocabularySize: Int, maskToken: Int,
                               using rng: inout SplitMix64) throws -> MaskedTokens {
        guard !ids.isEmpty else { throw TensorError("masking: needs at least one token") }
        guard vocabularySize > 0 else { throw TensorError("masking: the vocabulary is empty") }
        let count = max(1, Int((rate * Double(ids.count)).rounded()))
        // A partial Fisher–Yates shuffle: the first `count` entries are a uniform sample.
        var order = Array(ids.indices)
        for i in 0..<count {
            order.swapAt(i, i + rng.int(below: ids.count - i))
        }
        var input = ids
        var targets = [Int](repeating: ignored, count: ids.count)
        var choices = [Choice?](repeating: nil, count: ids.count)
        for position in order.prefix(count) {
            targets[position] = ids[position]
            let u = rng.uniform()
            if u < 0.8 {
                choices[position] = .mask
                input[position] = maskToken
            } else if u < 0.9 {
                choices[position] = .random
                input[position] = rng.int(below: vocabularySize)
            } else {
                choices[position] = .unchanged
            }
        }
        return MaskedTokens(input: input, targets: targets, choices: choices)
    }
}
