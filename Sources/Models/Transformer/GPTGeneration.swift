import RealModule
import Tensor
import Trace

/// Writing with a GPT: read the context, turn the last position's logits into a
/// distribution, draw the next token, append it, repeat.
///
/// The temperature τ divides the logits (τ < 1 sharpens, τ > 1 flattens); top-k keeps only
/// the k most likely tokens (ties broken towards the lower id) and renormalises — so
/// top-k = 1 is greedy decoding, the argmax every time. Draws come from a generator
/// seeded with `seed`: the same seed writes the same text.
///
/// Per-layer events are suspended while generating; each new token emits one `decode`
/// event with tensor `p` (V,), the distribution it was drawn from, labelled by the
/// vocabulary; index `t` (the new token's 0-based position), `token` (its label),
/// `temperature` and `top_k` (when set).
extension GPT {
    static let samplingFormula = "x_t ~ softmax(W_dec h_{t−1} / τ)"
    static let topKFormula = samplingFormula + ", kept to the k most likely tokens"

    /// The prompt followed by `length` new token ids.
    public func generate(prompt: [Int], length: Int, temperature: Float = 1, topK: Int? = nil, seed: UInt64) throws -> [Int] {
        guard !prompt.isEmpty else { throw TensorError("\(summary) generate: the prompt needs at least one token") }
        guard length >= 0 else { throw TensorError("\(summary) generate: length must be 0 or more, got \(length)") }
        guard temperature > 0, temperature.isFinite else {
            throw TensorError("\(summary) generate: temperature must be a positive number, got \(temperature)")
        }
        if let topK, !(1...vocabularySize).contains(topK) {
            throw TensorError("\(summary) generate: top-k must be between 1 and the vocabulary size \(vocabularySize), got \(topK)")
        }
        if let bad = prompt.first(where: { !(0..<vocabularySize).contains($0) }) {
            throw TensorError("\(summary) generate: token id \(bad) is out of range; ids go from 0 to \(vocabularySize - 1)")
        }
        var rng = SplitMix64(seed: seed)
        var tokens = prompt
        let vocabularyLabels = labels(Array(0..<vocabularySize))
        for _ in 0..<length {
            let context = Array(tokens.suffix(blockSize))
            let logits = try Tracing.suspended {
                try Tensor.withoutGrad { try self.logits(context).select(axis: 0, index: -1) }  // (V,)
            }
            let p = TokenSampling.distribution(logits.scalars, temperature: temperature, topK: topK)
            let next = TokenSampling.draw(p, using: &rng)
            typealias S = DecodeStep
            var index: [(IndexKey<S>, IndexValue)] = [
                (S.t, .int(tokens.count)), (S.token, .text(vocabularyLabels[next])), (S.temperature, .number(Double(temperature))),
            ]
            if let topK { index.append((S.topK, .int(topK))) }
            Tracing.emit(S.self, topK == nil ? Self.samplingFormula : Self.topKFormula, index: index,
                         columnLabels: vocabularyLabels) {
                [(S.p, Tensor(p.map(Float.init)))]
            }
            tokens.append(next)
        }
        return tokens
    }

    /// The prompt followed by `length` new characters (needs the model's tokenizer).
    public func generate(prompt: String, length: Int, temperature: Float = 1, topK: Int? = nil, seed: UInt64) throws -> String {
        guard let tokenizer else {
            throw TensorError("\(summary) generate: this model has no tokenizer; build it with GPT(corpus:…) or pass token ids")
        }
        let ids = try generate(prompt: tokenizer.encode(prompt), length: length, temperature: temperature, topK: topK, seed: seed)
        return try tokenizer.decode(ids)
    }
}

/// Turning logits into a sampling distribution, and drawing from it.
enum TokenSampling {
    /// softmax(logits / τ) restricted to the top k (all when nil), in Double.
    static func distribution(_ logits: [Float], temperature: Float, topK: Int?) -> [Double] {
        let scaled = logits.map { Double($0) / Double(temperature) }
        var keep = Array(scaled.indices)
        if let topK, topK < keep.count {
            keep.sort { scaled[$0] > scaled[$1] || (scaled[$0] == scaled[$1] && $0 < $1) }
            keep = Array(keep.prefix(topK))
        }
        let top = keep.map { scaled[$0] }.max() ?? 0
        var p = [Double](repeating: 0, count: logits.count)
        for i in keep { p[i] = Double.exp(scaled[i] - top) }
        let z = p.reduce(0, +)
        return p.map { $0 / z }
    }

    /// The index where the running sum of p first passes a uniform draw.
    static func draw(_ p: [Double], using rng: inout SplitMix64) -> Int {
        let u = Double(rng.uniform())
        var sum = 0.0
        for (i, pi) in p.enumerated() where pi > 0 {
            sum += pi
            if u < sum { return i }
        }
        return p.lastIndex { $0 > 0 } ?? 0
    }
}
