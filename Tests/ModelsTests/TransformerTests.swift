import Models
import RealModule
import Tensor
import Testing
import Trace

@Suite struct TransformerTests {
    /// A block whose layer norms are not the identity, so the test sees them work.
    static func block(norm: TransformerBlock.Norm, causal: Bool = false, seed: UInt64) throws -> TransformerBlock {
        let block = try TransformerBlock(dim: 4, heads: 2, hidden: 8, causal: causal, norm: norm, seed: seed)
        try block.ln1.gamma.assign(Tensor([1.2, 0.8, 1, 0.5]))
        try block.ln1.beta!.assign(Tensor([0.1, 0, -0.1, 0.2]))
        try block.ln2.gamma.assign(Tensor([0.9, 1.1, 0.7, 1.3]))
        try block.feedforward.first.b?.assign(Tensor.randomNormal([8], std: 0.3, seed: seed + 1))
        return block
    }

    @Test(arguments: [TransformerBlock.Norm.pre, .post])
    func blockMatchesNaiveLoops(_ norm: TransformerBlock.Norm) throws {
        let block = try Self.block(norm: norm, seed: 7)
        let h = try Tensor.randomNormal([5, 4], seed: 8)
        let out = try block(h)
        #expect(maxDifference(NaiveTransformer.flat(NaiveTransformer.block(Naive.rows(h), block)), out.scalars) < 1e-4)
        // A batch gives each sequence's own result.
        let batch = try block(Tensor.stack([h, h.take([4, 3, 2, 1, 0])]))
        #expect(maxDifference(try batch.select(axis: 0, index: 0).scalars, out.scalars) < 1e-6)
    }

    @Test func partsAndParametersAreNamedAsInTheLecture() throws {
        let block = try TransformerBlock(dim: 4, heads: 2, seed: 1)
        #expect(block.parts.map(\.name) == ["ln1", "attention", "ln2", "feedforward"])
        #expect(block.namedParameters.map(\.path) == [
            "ln1.gamma", "ln1.beta", "attention.Wq", "attention.Wk", "attention.Wv", "attention.W",
            "ln2.gamma", "ln2.beta", "feedforward.W1", "feedforward.b1", "feedforward.W2", "feedforward.b2",
        ])
        #expect(block.parameter("attention.Wq")?.shape == [2, 2, 4])
        #expect(block.parameter("feedforward.W1")?.shape == [16, 4])
        #expect(block.summary == "TransformerBlock d=4, 2 heads, pre-LN")
    }

    @Test func preLNEventsShowTheResidualStreamWhileQKVComeFromTheNorm() throws {
        let block = try Self.block(norm: .pre, causal: true, seed: 11)
        block.layer = 3
        let h = try Tensor.randomNormal([4, 4], seed: 12)
        let labels = ["I", "love", "machine", "learning"]
        let (out, events) = try recording { try block(h, labels: labels) }
        #expect(events.map(\.kind) == [.attention, .attention, .feedforward])
        #expect(events.allSatisfy { $0.index("layer") == .int(3) && $0.labels == labels })

        let ln1 = Naive.rows(h).map {
            NaiveTransformer.layerNorm($0, gamma: NaiveTransformer.vector(block.ln1.gamma), beta: NaiveTransformer.vector(block.ln1.beta!))
        }
        let wq = NaiveTransformer.matrix(block.attention.Wq.value)
        for (j, event) in events.prefix(2).enumerated() {
            #expect(event.index("causal") == .bool(true))
            #expect(event.tensors.map(\.name) == ["x", "q", "k", "v", "A", "delta", "update", "h_before", "h_after"])
            try AttentionTests.checkAttentionEvent(event, d: 4)
            #expect(maxDifference(NaiveTransformer.flat(ln1), try #require(event["x"]).data) < 1e-5)
            let q = ln1.map { NaiveTransformer.apply(Array(wq[(2 * j)..<(2 * j + 2)]), $0) }
            #expect(maxDifference(NaiveTransformer.flat(q), try #require(event["q"]).data) < 1e-5)
        }
        #expect(try #require(events[0]["h_before"]).tensor == h)
        #expect(events[0]["h_after"] == events[1]["h_before"])

        let ff = events[2]
        #expect(ff.tensors.map(\.name) == ["h_before", "x", "hidden", "delta", "h_after"])
        #expect(maxDifference(try #require(ff["h_before"]).data, try #require(events[1]["h_after"]).data) < 1e-5)
        let before = try #require(ff["h_before"]), delta = try #require(ff["delta"]), after = try #require(ff["h_after"])
        #expect(maxDifference(zip(before.data, delta.data).map { $0 + $1 }, after.data) < 1e-6)
        let x2 = Naive.rows(before.tensor).map {
            NaiveTransformer.layerNorm($0, gamma: NaiveTransformer.vector(block.ln2.gamma), beta: NaiveTransformer.vector(block.ln2.beta!))
        }
        #expect(maxDifference(NaiveTransformer.flat(x2), try #require(ff["x"]).data) < 1e-5)
        #expect(ff.formula.hasPrefix("h_m ← h_m + MLP(LN(h_m))"))
        #expect(maxDifference(after.data, out.scalars) < 1e-5)
    }

    @Test func postLNEventsShowTheSumBeforeTheNorm() throws {
        let block = try Self.block(norm: .post, seed: 13)
        let h = try Tensor.randomNormal([3, 4], seed: 14)
        let (out, events) = try recording { try block(h) }
        #expect(events.map(\.kind) == [.attention, .attention, .feedforward])
        for event in events.prefix(2) {
            try AttentionTests.checkAttentionEvent(event, d: 4)
        }
        // Head 1 reads its h_before; head 2 still reads the block's input h, shown as x
        // (its h_before already holds head 1's share), and q = x·Wqᵀ for its own Wq.
        #expect(events[0]["x"] == nil)
        let x = try #require(events[1]["x"])
        #expect(maxDifference(x.data, h.scalars) < 1e-6)
        let wq = try block.attention.Wq.value.select(axis: 0, index: 1)  // (d_k, d)
        #expect(maxDifference(try #require(events[1]["q"]).data, try h.matmul(wq.transposed()).scalars) < 1e-5)
        #expect(events[1].index("d") == .int(2))
        // The feed-forward part starts from LN₁(h + W·Δ) and the block ends with LN₂ of its h_after.
        let h1 = Naive.rows(try #require(events[1]["h_after"]).tensor).map {
            NaiveTransformer.layerNorm($0, gamma: NaiveTransformer.vector(block.ln1.gamma), beta: NaiveTransformer.vector(block.ln1.beta!))
        }
        #expect(maxDifference(NaiveTransformer.flat(h1), try #require(events[2]["h_before"]).data) < 1e-5)
        let end = Naive.rows(try #require(events[2]["h_after"]).tensor).map {
            NaiveTransformer.layerNorm($0, gamma: NaiveTransformer.vector(block.ln2.gamma), beta: NaiveTransformer.vector(block.ln2.beta!))
        }
        #expect(maxDifference(NaiveTransformer.flat(end), out.scalars) < 1e-5)
    }

    @Test(arguments: [TransformerBlock.Norm.pre, .post])
    func gradientsThroughEveryBlockParameterMatchFiniteDifferences(_ norm: TransformerBlock.Norm) throws {
        let block = try Self.block(norm: norm, causal: norm == .pre, seed: 21)
        let h = try Tensor.randomNormal([3, 4], seed: 22)
        let error = try worstGradientError(block.parameters) { try NaiveTransformer.weightedSum(block(h), seed: 23) }
        #expect(error < 1e-2)
    }

    @Test func sequenceLossIsTheSumOfMinusLogProbabilities() throws {
        let logits = try Tensor.randomNormal([4, 5], std: 2, seed: 31).requiringGrad()
        let targets = [2, 0, 4, 4]
        let (result, events) = try recording {
            try SequenceLoss.negativeLogLikelihood(logits: logits, targets: targets, labels: ["c", "a", "e", "e"])
        }
        // Independent: −log softmax(row)[y] in Double.
        let terms = Naive.rows(logits).enumerated().map { t, row in
            -(row[targets[t]] - Double.log(row.reduce(0) { $0 + Double.exp($1) }))
        }
        #expect(maxDifference(terms, result.terms.scalars) < 1e-5)
        #expect(abs(Double(try result.total.item()) - terms.reduce(0, +)) < 1e-4)
        #expect(abs(Double(try result.mean.item()) - terms.reduce(0, +) / 4) < 1e-5)

        let event = try #require(events.first)
        #expect(event.kind == .loss && event.formula == "−log p(y|x) = −Σ_t log p(y_t | y_<t, x)")
        #expect(event.labels == ["c", "a", "e", "e"])
        let p = try #require(event["p"]), losses = try #require(event["losses"]), total = try #require(event["total"])
        #expect(p.shape == [4] && losses.shape == [4] && total.shape == [])
        #expect(maxDifference(p.data.map { -Double.log(Double($0)) }, losses.data) < 1e-5)
        #expect(abs(losses.data.reduce(0) { $0 + Double($1) } - Double(total.data[0])) < 1e-5)

        // d total / d logits = softmax − one_hot(y), row by row.
        try result.total.backward()
        let grad = try #require(logits.grad)
        for (t, row) in Naive.rows(logits).enumerated() {
            let z = row.reduce(0) { $0 + Double.exp($1) }
            let expected = row.indices.map { Double.exp(row[$0]) / z - ($0 == targets[t] ? 1 : 0) }
            #expect(maxDifference(expected, grad.scalars[(t * 5)..<(t * 5 + 5)]) < 1e-5)
        }
    }

    @Test func sequenceLossNamesWhatIsWrong() throws {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body() } catch let error as TensorError { return error.message } catch { return "\(error)" }
            return "no error"
        }
        let logits = try Tensor.zeros([3, 4])
        #expect(message { try SequenceLoss.negativeLogLikelihood(logits: logits, targets: [0, 1]) }.contains("3 positions of logits but 2 targets"))
        #expect(message { try SequenceLoss.negativeLogLikelihood(logits: logits, targets: [0, 1, 4]) }.contains("target 4 at position 2 is out of range"))
        #expect(message { try SequenceLoss.negativeLogLikelihood(logits: Tensor.zeros([4]), targets: [0]) }.contains("(T, V)"))
        #expect(message { try TransformerBlock(dim: 6, heads: 4, seed: 1) }.contains("not divisible"))
        #expect(message { try TransformerBlock(dim: 4, heads: 2, seed: 1)(Tensor.zeros([2, 3])) }.contains("expected d = 4"))
    }
}
