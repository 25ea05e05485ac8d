import Lessons
import Testing
import Trace

/// Attention and transformers in the lesson language: the party, its heads, positions,
/// blocks, the sequence loss, and GPT and BERT over a small text.
@Suite struct TransformerBindingTests {
    func run(_ code: String) throws -> (LessonSession, CellResult) {
        let s = try session(code)
        return (s, s.run(cell: 0))
    }

    func expectAllPass(_ result: CellResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.error == nil, "\(result.error ?? "")", sourceLocation: sourceLocation)
        for check in result.failedChecks {
            Issue.record("\(check.location): expect \(check.source) — \(check.message)", sourceLocation: sourceLocation)
        }
    }

    static let party = """
        words = ["I", "love", "machine", "learning"]
        h = embed(words, dim: 4, seed: 18)
        """

    /// Stepping back over a cell that only reads `.weights` keeps the weights (and their
    /// row names) of the call an earlier cell made, for one head, many, and a block's.
    @Test func rewindingKeepsTheWeightsOfTheLastCall() throws {
        let s = try LessonSession(document: LessonDocument(path: "rewind.md", text: """
            # R

            ```huddle
            \(Self.party)
            attn = SelfAttention(dim: 4, seed: 1)
            mha = MultiHeadAttention(dim: 4, heads: 2, seed: 2)
            block = TransformerBlock(dim: 4, heads: 2, seed: 3)
            out = block(mha(attn(h)))
            ```

            ```huddle
            A = attn.weights
            ```
            """), options: .init())
        #expect(s.run(cell: 0).error == nil)
        #expect(s.run(cell: 1).error == nil)
        let before = s.evaluate("print(attn.weights.tolist(), mha.weights.tolist(), block.weights.tolist())")
        s.restore(beforeCell: 1)
        let after = s.evaluate("print(attn.weights.tolist(), mha.weights.tolist(), block.weights.tolist())")
        #expect(after.error == nil, "\(after.error ?? "")")
        #expect(after.outputs.count == 1 && "\(after.outputs)" == "\(before.outputs)")
        expectAllPass(s.evaluate("expect attn.weights.labels == words"))
    }

    @Test func embedNamesRowsAndGivesAWordTheSameVectorEverywhere() throws {
        let (_, result) = try run(Self.party + """

            expect h.shape == [4, 4]
            expect h.labels == words
            again = embed(["learning", "I", "learning"], dim: 4, seed: 18)
            expect again[0] ≈ h[3]
            expect again[2] ≈ h[3]
            expect again[1] ≈ h[0]
            expect embed("I love machine learning", dim: 4, seed: 18) ≈ h
            expect not (embed(words, dim: 4, seed: 19) ≈ h)
            """)
        expectAllPass(result)
    }

    @Test func selfAttentionIsThePartyAndNamesItsWeightsAfterTheWords() throws {
        let (_, result) = try run(Self.party + """

            attn = SelfAttention(dim: 4, seed: 18)
            out = trace attn(h)
            A = softmax((h @ attn.Wq.T) @ (h @ attn.Wk.T).T / sqrt(4), axis: 1)
            expect attn.weights ≈ A
            expect sum(attn.weights, axis: 1) ≈ ones(4)
            expect attn.weights.labels == words
            expect out.labels == words
            expect out ≈ h + A @ (h @ attn.Wv.T) @ attn.W.T
            expect out ≈ h + attn.update(h)
            """)
        expectAllPass(result)
        let event = try #require(result.events.first)
        #expect(result.events.count == 1)
        #expect(event.kind == .attention)
        #expect(event.labels == ["I", "love", "machine", "learning"])
        for name in ["q", "k", "v", "A", "delta", "update", "h_before", "h_after"] {
            #expect(event[name] != nil, "the event has \(name)")
        }
    }

    @Test func weightsSetByHandSteerWhomAWordListensTo() throws {
        let (_, result) = try run(Self.party + """

            tags = tensor(eye(4), labels: words)
            party = SelfAttention(dim: 4, seed: 18)
            party.Wk = 3 * eye(4)
            party.Wq = zeros([4, 4])
            out = party(tags)
            expect party.weights ≈ full([4, 4], 0.25)
            party.Wq[2, 1] = 3
            out = party(tags)
            expect party.weights[1, 2] ≈ exp(4.5) / (exp(4.5) + 3)
            """)
        expectAllPass(result)
    }

    @Test func theCausalMaskZeroesEverythingAboveTheDiagonal() throws {
        let (_, result) = try run(Self.party + """

            attn = SelfAttention(dim: 4, causal: true, seed: 3)
            out = attn(h)
            above = arange(4) > arange(4).reshape([4, 1])
            expect max(attn.weights * above) == 0
            expect attn.causal
            attn.causal = false
            out = attn(h)
            expect max(attn.weights * above) > 0
            attn.causal = 1
            """)
        #expect(result.checks.allSatisfy { $0.passed })
        #expect(result.error?.contains("causal must be true or false") == true)
    }

    @Test func multiHeadAttentionConcatenatesTheHeadsBeforeW() throws {
        let (_, result) = try run(Self.party + """

            mha = MultiHeadAttention(dim: 4, heads: 2, seed: 2)
            out = trace mha(h)
            expect mha.Wq.shape == [2, 2, 4]
            expect mha.weights.shape == [2, 4, 4]
            expect sum(mha.weights, axis: 2) ≈ ones([2, 4])
            def head(j):
                q = h @ mha.Wq[j].T
                k = h @ mha.Wk[j].T
                v = h @ mha.Wv[j].T
                A = softmax(q @ k.T / sqrt(2), axis: 1)
                return A @ v
            Δ = concat([head(0), head(1)], axis: 1)
            expect out ≈ h + Δ @ mha.W.T
            expect out ≈ h + mha.update(h)
            two = SelfAttention(dim: 4, heads: 2, seed: 2)
            expect two(h) ≈ out
            """)
        expectAllPass(result)
        #expect(result.events.map(\.kind) == [.attention, .attention])
        #expect(result.events.compactMap { $0.index("head") } == [.int(1), .int(2)])
    }

    @Test func positionsAreAddedAtTheFirstLayer() throws {
        let (_, result) = try run(Self.party + """

            P = positions(4, dim: 4)
            expect P[0] ≈ [0, 1, 0, 1]
            expect P[:, 0]**2 + P[:, 1]**2 ≈ ones(4)
            pe = PositionEmbedding(dim: 4)
            x = trace pe(h)
            expect x ≈ h + P
            expect pe.table(4) ≈ P
            attn = SelfAttention(dim: 4, seed: 18)
            back = embed(["learning", "machine", "love", "I"], dim: 4, seed: 18)
            expect attn(back) ≈ attn(h)[[3, 2, 1, 0]]
            expect not (attn(pe(back)) ≈ attn(pe(h))[[3, 2, 1, 0]])
            learned = PositionEmbedding(dim: 4, learned: true, max_length: 8, seed: 1)
            expect learned.P.shape == [8, 4]
            expect learned(h) ≈ h + learned.P[0:4]
            pe.P
            """)
        #expect(result.checks.allSatisfy { $0.passed })
        #expect(result.events.first?.kind == .position)
        #expect(result.error?.contains("pe.table(T)") == true)
    }

    @Test func aBlockMeetsThenThinksAlone() throws {
        let (_, result) = try run(Self.party + """

            block = TransformerBlock(dim: 4, heads: 2, hidden: 8, seed: 12)
            out = trace block(h)
            h1 = h + block.attention.update(block.ln1(h))
            expect out ≈ h1 + block.feedforward.update(block.ln2(h1))
            expect block.feedforward(h[1:2]) ≈ block.feedforward(h)[1:2]
            expect block.weights.shape == [2, 4, 4]
            block2 = TransformerBlock(dim: 4, heads: 2, hidden: 8, layer: 2, seed: 13)
            out2 = trace block2(out)
            post = TransformerBlock(dim: 4, heads: 2, hidden: 8, norm: "post", seed: 12)
            expect mean(post(h), axis: 1) ≈ zeros(4) within 0.001
            norm = LayerNorm(4)
            expect var(norm(h), axis: 1) ≈ ones(4) within 0.001
            TransformerBlock(dim: 4, norm: "middle")
            """)
        #expect(result.checks.allSatisfy { $0.passed }, "\(result.failedChecks)")
        #expect(result.events.map(\.kind) == [.attention, .attention, .feedforward, .attention, .attention, .feedforward])
        #expect(result.events.compactMap { $0.index("layer") } == [1, 1, 1, 2, 2, 2].map { .int($0) })
        #expect(result.error?.contains("norm must be \"pre\"") == true)
    }

    @Test func theSequenceLossAddsUpTheSurpriseAtEveryPlace() throws {
        let (_, result) = try run("""
            logits = [[2, 0, 0], [0, 1, 0]]
            loss = trace sequence_loss(logits, [0, 2])
            p = softmax(logits, axis: 1)
            expect loss ≈ -(log(p[0, 0]) + log(p[1, 2]))
            expect sequence_loss(0 * logits, [0, 2]) ≈ 2 * log(3)
            words = sequence_loss(logits, ["a", "c"], vocabulary: ["a", "b", "c"])
            expect words ≈ loss
            sequence_loss(logits, ["a", "z"], vocabulary: ["a", "b", "c"])
            """)
        #expect(result.checks.allSatisfy { $0.passed })
        #expect(result.events.map(\.kind) == [.loss])
        #expect(result.error?.contains("'z' is not in the vocabulary") == true)
    }

    static let story = "I love machine learning. You love the party. We love machine learning and the party.\n"

    @Test func aGPTStartsNearLnVTrainsWithProgressAndWrites() throws {
        let s = try session("""
            gpt = GPT("\(Self.story.replacingOccurrences(of: "\n", with: "\\n"))", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)
            expect gpt.loss("I love machine learning") ≈ log(gpt.V) within 0.2
            p = gpt.predict("I love")
            expect p.shape == [gpt.V]
            expect sum(p) ≈ 1
            losses = gpt.train(steps: 5, batch_size: 4, seed: 1)
            expect losses.shape == [5]
            a = gpt.generate("I ", length: 10, top_k: 1, seed: 1)
            expect a == gpt.generate("I ", length: 10, top_k: 1, seed: 2)
            expect len(gpt.generate("I ", length: 10, seed: 3)) == 12
            expect gpt.decode(gpt.encode("love")) == "love"
            """)
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        let result = s.run(cell: 0)
        expectAllPass(result)
        #expect(reports.map(\.step) == [1, 2, 3, 4, 5])
        #expect(reports.last?.finished == true && reports.dropLast().allSatisfy { !$0.finished })
    }

    @Test func aTracedGPTLossShowsTheWholeForwardPassAndTheCausalMask() throws {
        let (_, result) = try run("""
            gpt = GPT("I love machine learning.", dim: 8, layers: 2, heads: 2, block_size: 8, seed: 1)
            loss = trace gpt.loss("I love")
            A = gpt.blocks[0].weights
            above = arange(5) > arange(5).reshape([5, 1])
            expect max(A * above) == 0
            expect A[:, 0, 0] ≈ [1, 1]
            """)
        expectAllPass(result)
        #expect(result.events.map(\.kind) == [.embed, .position, .attention, .attention, .feedforward,
                                               .attention, .attention, .feedforward, .decode, .loss])
        #expect(result.events.first?.labels == ["I", "␣", "l", "o", "v"])
    }

    @Test func ctrlCStopsTrainingAndKeepsWhatWasLearned() throws {
        let s = try session("""
            gpt = GPT("I love machine learning.", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)
            before = gpt.W_encode
            losses = gpt.train(steps: 50, batch_size: 2, seed: 1)
            """)
        var steps = 0
        s.progress = { p in if !p.finished { steps = p.step } }
        s.interruptRequested = { steps >= 3 }
        let result = s.run(cell: 0)
        #expect(result.error?.contains("Ctrl-C stopped training at step 3 of 50; the model keeps what it learned so far") == true)
        s.interruptRequested = { false }
        #expect(s.evaluate("expect not (gpt.W_encode ≈ before)").checks.first?.passed == true)
    }

    @Test func bertMasksByTheRuleAndScoresOnlyTheChosenPositions() throws {
        let (_, result) = try run("""
            text = "\(Self.story.replacingOccurrences(of: "\n", with: "\\n"))"
            bert = BERT(text, dim: 8, layers: 1, heads: 2, block_size: 16, seed: 1)
            m = bert.mask("I love machine", seed: 4)
            expect len(m.chosen) == 2
            expect len(m.choices) == 14
            expect len(m.targets) == 2
            expect len(m.text) == 14
            loss = trace bert.loss(m)
            p = bert.predict(m.text)
            ids = bert.encode(m.original)
            total = 0
            for i in m.chosen:
                total = total - log(p[i, ids[i]])
            expect loss ≈ total / len(m.chosen)
            expect bert.loss(text, seed: 1) ≈ log(bert.V) within 0.2
            losses = bert.train(steps: 3, batch_size: 4, seed: 1)
            expect losses.shape == [3]
            expect len(bert.fill_mask("I l_ve")) == 6
            whole = bert.mask(text, seed: 1)
            expect len(whole.chosen) == round(0.15 * len(text))
            bert.fill_mask("I love", mask: "ab")
            """)
        #expect(result.checks.allSatisfy { $0.passed }, "\(result.failedChecks)")
        #expect(result.events.last?.kind == .loss)
        #expect(result.events.last?["losses"]?.shape == [2])
        #expect(result.error?.contains("mask must be a single character") == true)
    }

    @Test func rewindingACellRestoresTrainedAndEditedModels() throws {
        let path = try temporaryLesson("""
            # Two cells

            ```huddle
            gpt = GPT("I love machine learning.", dim: 8, layers: 1, heads: 2, block_size: 8, seed: 1)
            attn = SelfAttention(dim: 4, causal: true, seed: 1)
            attn.Wq = eye(4)
            before = gpt.W_encode
            ```

            ```huddle
            losses = gpt.train(steps: 3, batch_size: 2, seed: 1)
            attn.Wq = zeros([4, 4])
            attn.causal = false
            ```
            """)
        let lesson = try LessonSession.open(path: path, options: .init())
        _ = lesson.run(cell: 0)
        _ = lesson.run(cell: 1)
        #expect(lesson.evaluate("expect not (gpt.W_encode ≈ before)").checks.first?.passed == true)
        lesson.restore(beforeCell: 1)
        let checks = lesson.evaluate("""
            expect gpt.W_encode ≈ before
            expect attn.Wq ≈ eye(4)
            expect attn.causal
            expect gpt.generate("I ", length: 4, top_k: 1) == gpt.generate("I ", length: 4, top_k: 1, seed: 5)
            """).checks
        #expect(checks.count == 4 && checks.allSatisfy { $0.passed }, "\(checks)")
    }

    @Test func badArgumentsGetMessages() throws {
        for code in ["SelfAttention(dim: 0)", "MultiHeadAttention(dim: 4, heads: 3)", "embed([], dim: 4)", "embed(\"I\", dim: 0)",
                     "SelfAttention(dim: 4).weights", "SelfAttention(dim: 4)(ones([2, 3]))", "positions(0, dim: 4)",
                     "GPT(\"ab\", block_size: 4).generate(\"z\")", "GPT(\"abc\").train(steps: 0)",
                     "BERT(\"abc\").mask(\"xyz\")", "sequence_loss([[1, 2]], [5])"] {
            let (_, result) = try run(code)
            #expect(result.error != nil, "\(code) should report an error")
        }
    }
}
