import Tensor

/// Which words live near each other: cosine similarity between columns of W_encode,
///
///     cos(u, v) = ⟨u, v⟩ / (‖u‖ ‖v‖),
///
/// the usual way to see what a distributed representation has learned (words that share
/// contexts end up pointing the same way). Sums are in Double. A zero vector has
/// similarity 0 to everything. The unknown-word token never appears in answers.
extension WordEmbedding {
    /// cos(v_a, v_b) of two words' vectors.
    public func cosine(_ a: String, _ b: String) throws -> Float {
        let vectors = columns()
        return Float(Self.cosine(vectors[try vocabulary.id(of: a)], vectors[try vocabulary.id(of: b)]))
    }

    /// The k words whose vectors are most similar to `word`'s, the word itself excluded;
    /// most similar first, ties in id order.
    public func nearest(to word: String, k: Int) throws -> [(word: String, similarity: Float)] {
        let id = try vocabulary.id(of: word)
        let vectors = columns()
        return try nearest(toColumn: vectors[id], k: k, excluding: [id], among: vectors)
    }

    /// The k words most similar to a vector h (d,), excluding the given words.
    public func nearest(to vector: Tensor, k: Int, excluding words: [String] = []) throws -> [(word: String, similarity: Float)] {
        guard vector.shape == [dimension] else {
            throw TensorError("\(summary): nearest needs a vector of shape (\(dimension),), got \(formatShape(vector.shape))")
        }
        return try nearest(toColumn: vector.scalars.map(Double.init), k: k, excluding: Set(vocabulary.ids(of: words)),
                           among: columns())
    }

    /// Word analogies by vector arithmetic (Mikolov et al. 2013): the words nearest to
    /// v_a − v_b + v_c, excluding a, b and c ("king" − "man" + "woman" ≈ "queen" on a
    /// large corpus).
    public func analogy(_ a: String, minus b: String, plus c: String, k: Int = 1) throws -> [(word: String, similarity: Float)] {
        let ids = try vocabulary.ids(of: [a, b, c])
        let vectors = columns()
        let target = (0..<dimension).map { vectors[ids[0]][$0] - vectors[ids[1]][$0] + vectors[ids[2]][$0] }
        return try nearest(toColumn: target, k: k, excluding: Set(ids), among: vectors)
    }

    private func nearest(toColumn target: [Double], k: Int, excluding: Set<Int>,
                         among vectors: [[Double]]) throws -> [(word: String, similarity: Float)] {
        var excluded = excluding
        if let unknown = vocabulary.unknownID { excluded.insert(unknown) }
        let candidates = (0..<vocabulary.count).filter { !excluded.contains($0) }
        guard k >= 1, k <= candidates.count else {
            throw TensorError("\(summary): k = \(k) neighbours asked for, but there are \(candidates.count) other words (expected 1…\(candidates.count))")
        }
        let scored = candidates.map { ($0, Self.cosine(target, vectors[$0])) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return scored.prefix(k).map { (vocabulary.words[$0.0], Float($0.1)) }
    }

    /// The columns of W_encode as Double vectors: `columns()[w]` is v_w.
    private func columns() -> [[Double]] {
        let W = W_encode.value.scalars, c = vocabulary.count
        return (0..<c).map { w in (0..<dimension).map { Double(W[$0 * c + w]) } }
    }

    private static func cosine(_ u: [Double], _ v: [Double]) -> Double {
        var dot = 0.0, uu = 0.0, vv = 0.0
        for i in u.indices {
            dot += u[i] * v[i]
            uu += u[i] * u[i]
            vv += v[i] * v[i]
        }
        let norm = (uu * vv).squareRoot()
        return norm > 0 ? dot / norm : 0
    }
}
