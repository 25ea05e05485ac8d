import Models
import RealModule
import Tensor
import Testing
import Trace

@Suite struct AttentionTests {
    static let words = ["I", "love", "machine", "learning"]

    /// The four guests of the lecture's party, d = 4.
    static func party() throws -> Tensor {
        try Tensor([[0.9, -0.3, 0.4, 1.2], [-0.5, 0.8, 1.1, -0.2], [0.3, 0.6, -1.4, 0.7], [1.0, 0.2, 0.5, -0.9]])
    }

    @Test func singleHeadMatchesNaiveLoopsAndItsEventFillsInTheFormula() throws {
        let attn = try SelfAttention(dim: 4, seed: 18)
        let h = try Self.party()
        let (out, events) = try recording { try attn(h, labels: Self.words) }

        let naive = NaiveTransformer.head(Naive.rows(h), wq: NaiveTransformer.matrix(attn.parameter("Wq")),
                                          wk: NaiveTransformer.matrix(attn.parameter("Wk")),
                                          wv: NaiveTransformer.matrix(attn.parameter("Wv")), causal: false)
        let w = NaiveTransformer.matrix(attn.parameter("W"))
        let expected = zip(Naive.rows(h), naive.delta).map { row, delta in zip(row, NaiveTransformer.apply(w, delta)).map { $0 + $1 } }
        #expect(out.shape == [4, 4])
        #expect(maxDifference(NaiveTransformer.flat(expected), out.scalars) < 1e-5)

        let weights = try #require(attn.lastWeights)
        #expect(maxDifference(NaiveTransformer.flat(naive.A), weights.scalars) < 1e-6)
        #expect(maxDifference(try weights.sum(axis: 1).scalars, [Float](repeating: 1, count: 4)) < 1e-6)

        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.kind == .attention)
        #expect(event.formula == "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d); Δ_m = Σ_t A_{m→t} v_t; h_m ← h_m + W·Δ_m")
        #expect(event.index("layer") == .int(1) && event.index("head") == .int(1) && event.index("causal") == nil)
        #expect(event.labels == Self.words)
        #expect(event.tensors.map(\.name) == ["q", "k", "v", "A", "delta", "update", "h_before", "h_after"])
        #expect(maxDifference(NaiveTransformer.flat(naive.q), try #require(event["q"]).data) < 1e-5)
        #expect(maxDifference(NaiveTransformer.flat(naive.k), try #require(event["k"]).data) < 1e-5)
        #expect(maxDifference(NaiveTransformer.flat(naive.v), try #require(event["v"]).data) < 1e-5)
        try Self.checkAttentionEvent(event, d: 4)
        #expect(try #require(event["h_before"]).tensor == h)
        #expect(maxDifference(try #require(event["h_after"]).data, out.scalars) < 1e-6)
    }

    /// The event's formula recomputed from its own snapshots: rows of A sum to 1 and A is
    /// the softmax of ⟨q_m,k_t⟩/√d_k, delta = A·v, h_after = h_before + update.
    static func checkAttentionEvent(_ event: TraceEvent, d: Int) throws {
        let q = Naive.rows(try #require(event["q"]).tensor), k = Naive.rows(try #require(event["k"]).tensor)
        let v = Naive.rows(try #require(event["v"]).tensor), A = Naive.rows(try #require(event["A"]).tensor)
        let delta = Naive.rows(try #require(event["delta"]).tensor)
        let before = try #require(event["h_before"]), update = try #require(event["update"])
        let after = try #require(event["h_after"])
        let T = q.count, causal = event.index("causal") == .bool(true)
        #expect(A.count == T && A.allSatisfy { $0.count == T })
        #expect(update.shape == [T, d] && before.shape == [T, d] && after.shape == [T, d])
        for m in 0..<T {
            #expect(abs(A[m].reduce(0, +) - 1) < 1e-5)
            let visible = causal ? Array(0...m) : Array(0..<T)
            let scores = visible.map { NaiveTransformer.dot(q[m], k[$0]) / Double(q[m].count).squareRoot() }
            let z = scores.reduce(0) { $0 + Double.exp($1) }
            for (i, t) in visible.enumerated() { #expect(abs(A[m][t] - Double.exp(scores[i]) / z) < 1e-5) }
            if causal { for t in (m + 1)..<T { #expect(A[m][t] == 0) } }
            for j in 0..<v[0].count {
                let sum = (0..<T).reduce(0.0) { $0 + A[m][$1] * v[$1][j] }
                #expect(abs(sum - delta[m][j]) < 1e-5)
            }
        }
        #expect(maxDifference(zip(before.data, update.data).map { $0 + $1 }, after.data) < 1e-6)
    }

    @Test func causalMaskZeroesTheFutureExactly() throws {
        let attn = try SelfAttention(dim: 4, causal: true, seed: 3)
        let h = try Self.party()
        let (out, events) = try recording { try attn(h) }
        let event = try #require(events.first)
        #expect(event.index("causal") == .bool(true))
        #expect(event.formula.hasSuffix("; A_{m→t} = 0 for t > m"))
        try Self.checkAttentionEvent(event, d: 4)
        // The first word hears only itself: h_0 + W v_0.
        let v0 = NaiveTransformer.apply(NaiveTransformer.matrix(attn.Wv.value), Naive.rows(h)[0])
        let expected = zip(Naive.rows(h)[0], NaiveTransformer.apply(NaiveTransformer.matrix(attn.W.value), v0)).map { $0 + $1 }
        #expect(maxDifference(expected, out.scalars[0..<4]) < 1e-5)
    }

    @Test func keyAndValueWidthsCanDifferFromTheModelWidth() throws {
        let attn = try SelfAttention(dim: 4, keyDim: 2, valueDim: 3, seed: 8)
        #expect(attn.namedParameters.map(\.path) == ["Wq", "Wk", "Wv", "W"])
        #expect([attn.Wq.shape, attn.Wk.shape, attn.Wv.shape, attn.W.shape] == [[2, 4], [2, 4], [3, 4], [4, 3]])
        let (out, events) = try recording { try attn(Self.party()) }
        let event = try #require(events.first)
        #expect(try #require(event["q"]).shape == [4, 2] && event["v"]?.shape == [4, 3])
        try Self.checkAttentionEvent(event, d: 4)
        let naive = NaiveTransformer.attention(Naive.rows(try Self.party()), wq: NaiveTransformer.matrix(attn.Wq.value),
                                               wk: NaiveTransformer.matrix(attn.Wk.value), wv: NaiveTransformer.matrix(attn.Wv.value),
                                               w: NaiveTransformer.matrix(attn.W.value), heads: 1, causal: false)
        #expect(maxDifference(NaiveTransformer.flat(NaiveTransformer.add(Naive.rows(try Self.party()), naive.update)), out.scalars) < 1e-5)
    }

    @Test func multiHeadMatchesNaiveLoopsAndHeadsAddTheirSharesInTurn() throws {
        let mha = try MultiHeadAttention(dim: 6, heads: 3, seed: 21)
        #expect(mha.summary == "MultiHeadAttention d=6, 3 heads")
        #expect([mha.Wq.shape, mha.Wk.shape, mha.Wv.shape, mha.W.shape] == [[3, 2, 6], [3, 2, 6], [3, 2, 6], [6, 6]])
        let h = try Tensor.randomNormal([5, 6], seed: 4)
        let labels = ["a", "b", "c", "d", "e"]
        let (out, events) = try recording { try mha(h, labels: labels) }

        let wFull = NaiveTransformer.matrix(mha.W.value)
        let naive = NaiveTransformer.attention(Naive.rows(h), wq: NaiveTransformer.matrix(mha.Wq.value),
                                               wk: NaiveTransformer.matrix(mha.Wk.value), wv: NaiveTransformer.matrix(mha.Wv.value),
                                               w: wFull, heads: 3, causal: false)
        #expect(maxDifference(NaiveTransformer.flat(NaiveTransformer.add(Naive.rows(h), naive.update)), out.scalars) < 1e-5)
        #expect(try #require(mha.lastWeights).shape == [3, 5, 5])

        #expect(events.map(\.kind) == [.attention, .attention, .attention])
        #expect(events.map { $0.index("head") } == [.int(1), .int(2), .int(3)])
        for (j, event) in events.enumerated() {
            #expect(event.labels == labels)
            try Self.checkAttentionEvent(event, d: 6)
            #expect(maxDifference(NaiveTransformer.flat(naive.heads[j].A), try #require(event["A"]).data) < 1e-5)
            #expect(maxDifference(NaiveTransformer.flat(naive.heads[j].delta), try #require(event["delta"]).data) < 1e-5)
            // update = Δ_head · W[:, 2j..<2j+2]ᵀ, from the parameter W directly.
            let share = naive.heads[j].delta.map { delta in wFull.map { row in row[(2 * j)..<(2 * j + 2)].enumerated().reduce(0) { $0 + $1.element * delta[$1.offset] } } }
            #expect(maxDifference(NaiveTransformer.flat(share), try #require(event["update"]).data) < 1e-5)
            if j > 0 { #expect(events[j - 1]["h_after"] == event["h_before"]) }
        }
        #expect(try #require(events[0]["h_before"]).tensor == h)
        #expect(maxDifference(try #require(events[2]["h_after"]).data, out.scalars) < 1e-5)
    }

    @Test func settingOneHeadsWeightsByHandChangesWhatItHears() throws {
        let mha = try MultiHeadAttention(dim: 4, heads: 2, seed: 2)
        var wq = mha.Wq.value
        for i in 0..<2 { for j in 0..<4 { try wq.setScalar(at: [0, i, j], to: 0) } }
        try mha.Wq.assign(wq)  // head 1 asks nothing: every score is 0, so it listens to all equally
        _ = try mha(Self.party())
        let weights = try #require(mha.lastWeights)
        #expect(try weights.select(axis: 0, index: 0).scalars.allSatisfy { $0 == 0.25 })
        #expect(try !weights.select(axis: 0, index: 1).scalars.allSatisfy { $0 == 0.25 })
    }

    @Test func aBatchIsEachSequenceOnItsOwn() throws {
        let mha = try MultiHeadAttention(dim: 4, heads: 2, causal: true, seed: 6)
        let a = try Tensor.randomNormal([3, 4], seed: 1), b = try Tensor.randomNormal([3, 4], seed: 2)
        let (batched, events) = try recording { try mha(Tensor.stack([a, b])) }
        #expect(batched.shape == [2, 3, 4])
        #expect(maxDifference(try batched.select(axis: 0, index: 0).scalars, try mha(a).scalars) < 1e-6)
        #expect(maxDifference(try batched.select(axis: 0, index: 1).scalars, try mha(b).scalars) < 1e-6)
        #expect(events.count == 4)
        #expect(events.map { $0.index("sequence") } == [.int(1), .int(1), .int(2), .int(2)])
        for event in events { try Self.checkAttentionEvent(event, d: 4) }
        #expect(maxDifference(try #require(events[3]["h_after"]).data, try batched.select(axis: 0, index: 1).scalars) < 1e-5)
    }

    @Test func sinusoidalPositionsAreTheFormulaWorkedByHand() throws {
        let positions = try PositionEmbedding(sinusoidal: 4)
        #expect(positions.parameters.isEmpty)
        // d = 4: P(pos) = (sin pos, cos pos, sin(pos/100), cos(pos/100)), since 10000^{2/4} = 100.
        let P = try positions.table(length: 3)
        let byHand: [Double] = [0, 1, 0, 1,
                                Double.sin(1), Double.cos(1), Double.sin(0.01), Double.cos(0.01),
                                Double.sin(2), Double.cos(2), Double.sin(0.02), Double.cos(0.02)]
        #expect(maxDifference(byHand, P.scalars) < 1e-6)
        // d = 6 at pos 5: frequencies 1, 10000^{-2/6}, 10000^{-4/6}.
        let P6 = try PositionEmbedding(sinusoidal: 6).table(length: 6)
        let f1 = 1 / Double.pow(10_000, 2.0 / 6), f2 = 1 / Double.pow(10_000, 4.0 / 6)
        let row5: [Double] = [Double.sin(5), Double.cos(5), Double.sin(5 * f1), Double.cos(5 * f1), Double.sin(5 * f2), Double.cos(5 * f2)]
        #expect(maxDifference(row5, P6.scalars[30..<36]) < 1e-6)

        let h = try Self.party()
        let (out, events) = try recording { try positions(h, labels: Self.words) }
        let event = try #require(events.first)
        #expect(event.kind == .position && event.index("type") == .text("sinusoidal") && event.labels == Self.words)
        #expect(event.formula.hasPrefix("h_m ← h_m + P_m"))
        #expect(event.tensors.map(\.name) == ["h_before", "P", "h_after"])
        let before = try #require(event["h_before"]), table = try #require(event["P"]), after = try #require(event["h_after"])
        #expect(maxDifference(zip(before.data, table.data).map { $0 + $1 }, after.data) < 1e-6)
        #expect(after.data == out.scalars)
    }

    @Test func learnedPositionsAddRowsOfPAndRefuseLongSequences() throws {
        let positions = try PositionEmbedding(learned: 4, maxLength: 4, std: 1, seed: 5)
        #expect(positions.namedParameters.map(\.path) == ["P"] && positions.P?.shape == [4, 4])
        let h = try Tensor.randomNormal([3, 4], seed: 9)
        let out = try positions(h)
        let P = try #require(positions.P).value
        #expect(maxDifference(zip(h.scalars, P.scalars[0..<12]).map { Double($0) + Double($1) }, out.scalars) < 1e-6)
        let (_, events) = try recording { try positions(h) }
        #expect(events.first?.index("type") == .text("learned"))
        #expect(events.first?["P"]?.data == Array(P.scalars[0..<12]))
        #expect(throws: TensorError.self) { try positions(Tensor.zeros([5, 4])) }
        do {
            _ = try positions(Tensor.zeros([5, 4]))
        } catch let error as TensorError {
            #expect(error.message.contains("5 tokens is longer than the 4 positions"))
        }
    }

    @Test func withoutPositionsAttentionOnlyPermutesWithTheWords() throws {
        let attn = try MultiHeadAttention(dim: 4, heads: 2, seed: 30)
        let h = try Tensor.randomNormal([5, 4], seed: 31)
        let order = [3, 0, 4, 1, 2]
        let shuffled = try h.take(order)
        // Attention(P h) = P Attention(h): the party cannot tell the order of its guests.
        let permutedOutput = try attn(h).take(order)
        #expect(maxDifference(try attn(shuffled).scalars, permutedOutput.scalars) < 1e-5)
        // Adding positions first breaks the symmetry.
        let positions = try PositionEmbedding(sinusoidal: 4)
        let withPositions = try attn(positions(h)).take(order)
        #expect(maxDifference(try attn(positions(shuffled)).scalars, withPositions.scalars) > 0.1)
    }

    @Test func layerNormMatchesNaiveLoops() throws {
        let norm = try LayerNorm(dim: 4)
        #expect(norm.namedParameters.map(\.path) == ["gamma", "beta"])
        try norm.gamma.assign(Tensor([1.5, 0.5, -1, 2]))
        try norm.beta!.assign(Tensor([0.1, -0.2, 0, 0.3]))
        let x = try Tensor.randomNormal([2, 3, 4], std: 2, seed: 12)
        let y = try norm(x)
        let expected = Naive.rows(x).flatMap {
            NaiveTransformer.layerNorm($0, gamma: [1.5, 0.5, -1, 2], beta: [0.1, -0.2, 0, 0.3])
        }
        #expect(y.shape == [2, 3, 4])
        #expect(maxDifference(expected, y.scalars) < 1e-5)
        #expect(throws: TensorError.self) { try norm(Tensor.zeros([2, 5])) }
    }

    @Test func feedForwardMatchesNaiveLoopsAndItsEventFillsInTheFormula() throws {
        let ff = try FeedForward(dim: 4, seed: 14)
        #expect(ff.namedParameters.map(\.path) == ["W1", "b1", "W2", "b2"])
        #expect(ff.first.W.shape == [16, 4] && ff.second.W.shape == [4, 16])
        try ff.first.b?.assign(Tensor.randomNormal([16], std: 0.5, seed: 1))
        try ff.second.b?.assign(Tensor.randomNormal([4], std: 0.5, seed: 2))
        let h = try Self.party()
        let (out, events) = try recording { try ff(h, labels: Self.words) }
        let rows = Naive.rows(h).map {
            NaiveTransformer.feedForward($0, w1: NaiveTransformer.matrix(ff.first.W.value), b1: NaiveTransformer.vector(ff.first.b),
                                         w2: NaiveTransformer.matrix(ff.second.W.value), b2: NaiveTransformer.vector(ff.second.b))
        }
        let expected = zip(Naive.rows(h), rows).flatMap { zip($0, $1.out).map { $0 + $1 } }
        #expect(maxDifference(expected, out.scalars) < 1e-5)

        let event = try #require(events.first)
        #expect(events.count == 1 && event.kind == .feedforward && event.index("layer") == .int(1))
        #expect(event.formula == "h_m ← h_m + MLP(h_m), MLP(x) = W₂ gelu(W₁x + b₁) + b₂")
        #expect(event.tensors.map(\.name) == ["h_before", "hidden", "delta", "h_after"])
        #expect(maxDifference(rows.flatMap(\.hidden), try #require(event["hidden"]).data) < 1e-5)
        let before = try #require(event["h_before"]), delta = try #require(event["delta"]), after = try #require(event["h_after"])
        #expect(try #require(event["hidden"]).shape == [4, 16])
        #expect(maxDifference(zip(before.data, delta.data).map { $0 + $1 }, after.data) < 1e-6)
        #expect(after.data == out.scalars)
    }

    @Test func gradientsThroughEveryParameterMatchFiniteDifferences() throws {
        let h = try Tensor.randomNormal([3, 4], seed: 40)
        let single = try SelfAttention(dim: 4, keyDim: 3, valueDim: 2, seed: 41)
        #expect(try worstGradientError(single.parameters) { try NaiveTransformer.weightedSum(single(h), seed: 1) } < 1e-2)
        let causal = try MultiHeadAttention(dim: 4, heads: 2, causal: true, seed: 42)
        #expect(try worstGradientError(causal.parameters) { try NaiveTransformer.weightedSum(causal(h), seed: 2) } < 1e-2)
        let positions = try PositionEmbedding(learned: 4, maxLength: 5, seed: 43)
        let attn = try MultiHeadAttention(dim: 4, heads: 1, seed: 44)
        #expect(try worstGradientError(positions.parameters) { try NaiveTransformer.weightedSum(attn(positions(h)), seed: 3) } < 1e-2)
        let norm = try LayerNorm(dim: 4)
        #expect(try worstGradientError(norm.parameters) { try NaiveTransformer.weightedSum(attn(norm(h)), seed: 4) } < 1e-2)
        let ff = try FeedForward(dim: 4, hidden: 6, seed: 45)
        #expect(try worstGradientError(ff.parameters) { try NaiveTransformer.weightedSum(ff(h), seed: 5) } < 1e-2)
    }

    @Test func badSizesAndShapesAreErrorsThatSayWhatWasExpected() throws {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body() } catch let error as TensorError { return error.message } catch { return "\(error)" }
            return "no error"
        }
        #expect(message { try MultiHeadAttention(dim: 6, heads: 4, seed: 1) }.contains("d = 6 is not divisible by heads = 4"))
        let attn = try SelfAttention(dim: 4, seed: 1)
        #expect(message { try attn(Tensor.zeros([3, 5])) }.contains("width 5"))
        #expect(message { try attn(Tensor.zeros([3, 5])) }.contains("expected d = 4"))
        #expect(message { try attn(Tensor.zeros([4])) }.contains("(T, d)"))
        #expect(message { try attn(Self.party(), labels: ["I", "love"]) }.contains("2 labels for 4 tokens"))
        let mha = try MultiHeadAttention(dim: 4, heads: 2, seed: 1)
        #expect(message { try mha.messages(from: Self.party(), residual: Tensor.zeros([3, 4])) }.contains("residual"))
        #expect(message { try FeedForward(dim: 4, seed: 1)(Tensor.zeros([2, 3])) }.contains("expected d = 4"))
        #expect(message { try LayerNorm(dim: 4)(Tensor.zeros([2, 3])) }.contains("expected d = 4"))
        #expect(message { try PositionEmbedding(sinusoidal: 0) }.contains("positive"))
        #expect(message { try SelfAttention(dim: 0, seed: 1) }.contains("positive"))
    }
}

/// Attention, layer norm, feed-forward and a whole transformer block written as plain
/// loops in Double over a model's parameter values — the independent computation the
/// attention and transformer tests compare the models with.
enum NaiveTransformer {
    typealias Matrix = [[Double]]

    struct Head {
        var q: Matrix, k: Matrix, v: Matrix, A: Matrix, delta: Matrix
    }

    /// The rows of a tensor's last axis (a (H, r, c) weight gives H·r rows).
    static func matrix(_ t: Tensor) -> Matrix { Naive.rows(t) }

    static func matrix(_ p: Parameter?) -> Matrix { p.map { matrix($0.value) } ?? [] }

    static func vector(_ p: Parameter?) -> [Double] { p?.value.scalars.map(Double.init) ?? [] }

    /// W x for W given as rows.
    static func apply(_ w: Matrix, _ x: [Double]) -> [Double] {
        w.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// One head: q_m = W_q h_m, k_m, v_m; A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d_k); Δ_m = Σ_t A v_t.
    static func head(_ h: Matrix, wq: Matrix, wk: Matrix, wv: Matrix, causal: Bool) -> Head {
        let q = h.map { apply(wq, $0) }, k = h.map { apply(wk, $0) }, v = h.map { apply(wv, $0) }
        let T = h.count, dk = Double(wq.count)
        var A = Matrix(repeating: [Double](repeating: 0, count: T), count: T)
        for m in 0..<T {
            let visible = causal ? Array(0...m) : Array(0..<T)
            let scores = visible.map { dot(q[m], k[$0]) / dk.squareRoot() }
            let top = scores.max() ?? 0
            let z = scores.reduce(0) { $0 + Double.exp($1 - top) }
            for (i, t) in visible.enumerated() { A[m][t] = Double.exp(scores[i] - top) / z }
        }
        let delta = (0..<T).map { m in
            (0..<v[0].count).map { j in (0..<T).reduce(0) { $0 + A[m][$1] * v[$1][j] } }
        }
        return Head(q: q, k: k, v: v, A: A, delta: delta)
    }

    /// Multi-head attention's heads and its update W·[Δ⁽¹⁾; …; Δ⁽ᴴ⁾] for every row.
    static func attention(_ h: Matrix, wq: Matrix, wk: Matrix, wv: Matrix, w: Matrix, heads: Int, causal: Bool)
        -> (heads: [Head], update: Matrix) {
        let dk = wq.count / heads, dv = wv.count / heads
        let all = (0..<heads).map { j in
            head(h, wq: Array(wq[(j * dk)..<((j + 1) * dk)]), wk: Array(wk[(j * dk)..<((j + 1) * dk)]),
                 wv: Array(wv[(j * dv)..<((j + 1) * dv)]), causal: causal)
        }
        let update = h.indices.map { m in apply(w, all.flatMap { $0.delta[m] }) }
        return (all, update)
    }

    static func layerNorm(_ x: [Double], gamma: [Double], beta: [Double], epsilon: Double = 1e-5) -> [Double] {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return x.indices.map { (x[$0] - mean) / (variance + epsilon).squareRoot() * gamma[$0] + beta[$0] }
    }

    /// GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    static func gelu(_ x: Double) -> Double {
        0.5 * x * (1 + Double.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
    }

    /// MLP(x) = W₂ gelu(W₁x + b₁) + b₂ for one row; returns the hidden layer too.
    static func feedForward(_ x: [Double], w1: Matrix, b1: [Double], w2: Matrix, b2: [Double]) -> (hidden: [Double], out: [Double]) {
        let hidden = zip(apply(w1, x), b1).map { gelu($0 + $1) }
        return (hidden, zip(apply(w2, hidden), b2).map { $0 + $1 })
    }

    static func add(_ a: Matrix, _ b: Matrix) -> Matrix { zip(a, b).map { zip($0, $1).map { $0 + $1 } } }

    /// A transformer block, pre-LN or post-LN, from its parameters.
    static func block(_ h: Matrix, _ block: TransformerBlock) -> Matrix {
        let a = block.attention, f = block.feedforward
        func ln(_ x: Matrix, _ n: LayerNorm) -> Matrix {
            x.map { layerNorm($0, gamma: vector(n.gamma), beta: vector(n.beta!)) }
        }
        func attend(_ x: Matrix) -> Matrix {
            attention(x, wq: matrix(a.Wq), wk: matrix(a.Wk), wv: matrix(a.Wv), w: matrix(a.W), heads: a.heads, causal: a.causal).update
        }
        func think(_ x: Matrix) -> Matrix {
            x.map { feedForward($0, w1: matrix(f.first.W), b1: vector(f.first.b), w2: matrix(f.second.W), b2: vector(f.second.b)).out }
        }
        switch block.norm {
        case .pre:
            let h1 = add(h, attend(ln(h, block.ln1)))
            return add(h1, think(ln(h1, block.ln2)))
        case .post:
            let h1 = ln(add(h, attend(h)), block.ln1)
            return ln(add(h1, think(h1)), block.ln2)
        }
    }

    static func flat(_ m: Matrix) -> [Double] { m.flatMap { $0 } }

    /// A fixed random weighting of a model's output, so a gradient check sees every
    /// output element with a different weight: loss = Σ R ⊙ y.
    static func weightedSum(_ y: Tensor, seed: UInt64) throws -> Tensor {
        try (y * Tensor.randomNormal(y.shape, seed: seed)).sum()
    }
}
