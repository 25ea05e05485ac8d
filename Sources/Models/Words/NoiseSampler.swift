import Tensor

/// The noise distribution of negative sampling (Mikolov et al. 2013):
///
///     P_n(w) = count(w)^¾ / Σ_u count(u)^¾.
///
/// The ¾ power lifts rare words a little above their raw frequency, so they are drawn as
/// negatives more often than in the corpus. c^¾ is computed as √c·√√c: square roots are
/// correctly rounded, so the table is the same on every machine. Draws use Walker's alias method (with Vose's
/// construction): one uniform column i ∈ 0..<C and one uniform u ∈ [0, 1); the draw is i
/// when u < `acceptance[i]`, otherwise `alias[i]`. Every word w is then drawn with
/// probability exactly (acceptance[w] + Σ_{i: alias[i] = w} (1 − acceptance[i])) / C, which
/// is P_n(w) up to rounding in Double — O(1) per draw, whatever C is.
public struct NoiseSampler: Sendable, Equatable {
    /// P_n(w) for each word id, summing to 1.
    public let probabilities: [Double]
    /// Probability of keeping column i's own word.
    public let acceptance: [Double]
    /// The word column i gives otherwise.
    public let alias: [Int]

    /// P_n from word counts (id → count); words with count 0 are never drawn.
    public init(counts: [Int]) throws {
        guard !counts.isEmpty else { throw TensorError("negative sampling: needs the counts of at least one word") }
        if let bad = counts.firstIndex(where: { $0 < 0 }) {
            throw TensorError("negative sampling: count \(counts[bad]) of word \(bad) is negative")
        }
        let weights = counts.map { count -> Double in
            let root = Double(count).squareRoot()
            return root * root.squareRoot()  // count^(1/2) · count^(1/4) = count^¾
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw TensorError("negative sampling: every count is zero, so there is nothing to draw") }
        probabilities = weights.map { $0 / total }
        (acceptance, alias) = Self.aliasTable(probabilities)
    }

    /// The noise distribution of a vocabulary's word counts.
    public init(vocabulary: Vocabulary) throws {
        try self.init(counts: vocabulary.counts)
    }

    /// One word id drawn from P_n.
    public func sample(using rng: inout SplitMix64) -> Int {
        let column = rng.int(below: alias.count)
        let u = Double(rng.next() >> 11) * 0x1p-53  // uniform on [0, 1) with 53 bits
        return u < acceptance[column] ? column : alias[column]
    }

    /// `count` independent draws.
    public func sample(_ count: Int, using rng: inout SplitMix64) -> [Int] {
        (0..<Swift.max(count, 0)).map { _ in sample(using: &rng) }
    }

    /// Vose's construction: scale probabilities by C, pair each column below 1 ("small")
    /// with one above 1 ("large") that tops it up, until all columns are full.
    private static func aliasTable(_ p: [Double]) -> ([Double], [Int]) {
        let n = p.count
        var scaled = p.map { $0 * Double(n) }
        var acceptance = [Double](repeating: 1, count: n)
        var alias = Array(0..<n)
        var small = (0..<n).filter { scaled[$0] < 1 }
        var large = (0..<n).filter { scaled[$0] >= 1 }
        // Work from the ends so the table depends only on the probabilities.
        while !small.isEmpty && !large.isEmpty {
            let s = small.removeLast(), l = large.removeLast()
            acceptance[s] = scaled[s]
            alias[s] = l
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // Left-overs are 1 up to rounding: they keep their own word.
        for i in small + large { acceptance[i] = 1 }
        return (acceptance, alias)
    }
}
