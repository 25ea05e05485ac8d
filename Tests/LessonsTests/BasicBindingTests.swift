import Lessons
import Render
import Testing
import Trace

/// Builtins of the first lessons, exercised through the lesson language as a lesson uses them.
@Suite struct BasicBindingTests {
    /// Runs `code` as one cell of a script and returns what it produced.
    func run(_ code: String) throws -> CellResult {
        let session = try LessonSession(document: LessonDocument(path: "basic.hud", script: code), options: RenderOptions())
        return session.run(cell: 0)
    }

    func expectClean(_ result: CellResult) {
        #expect(result.error == nil, "\(result.error ?? "")")
        for check in result.failedChecks { Issue.record("\(check.source): \(check.message)") }
    }

    @Test func aTeamRoundIsDeltaThenUpdate() throws {
        let result = try run("""
            h = tensor([[1, 0], [0, 0], [0, 0], [0, 1]], labels: ["Ann", "Ben", "Cat", "Dan"])
            A = [[0, 1, 0, 0], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [0, 0, 1, 0]]
            W = [[0.5, 0], [0, 2]]
            team = Team(A, W: W)
            out = trace team(h, rounds: 2)
            h1 = h + (A @ h) @ W.T
            h2 = h1 + (A @ h1) @ W.T
            expect out ≈ h2
            expect out.labels == ["Ann", "Ben", "Cat", "Dan"]
            expect team.A ≈ A
            expect team.W ≈ W
            """)
        expectClean(result)
        #expect(result.checks.count == 4)
        #expect(result.events.count == 2)
        let first = try #require(result.events.first)
        #expect(first.kind == .attention)
        #expect(first.index("round") == .int(1))
        #expect(first.labels == ["Ann", "Ben", "Cat", "Dan"])
        // The event fills in Δ_m = Σ_t A_{m→t} v_t and h_m ← h_m + W·Δ_m for Ben (row 1):
        // Δ_Ben = 0.5·[1, 0] + 0.5·[0, 0], W·Δ = [0.25, 0].
        let delta = try #require(first["delta"])
        #expect(Array(delta.data[2..<4]) == [0.5, 0])
        let update = try #require(first["update"])
        #expect(Array(update.data[2..<4]) == [0.25, 0])
        let after = try #require(first["h_after"])
        #expect(Array(after.data[2..<4]) == [0.25, 0])
        #expect(first["v"] == first["h_before"])
    }

    @Test func aTeamDefaultsToTheIdentityAndCanBeRewired() throws {
        let result = try run("""
            h = [[1, 2], [3, 4]]
            team = Team([[0, 1], [1, 0]])
            expect team.W ≈ eye(2)
            expect team(h) ≈ [[4, 6], [4, 6]]
            expect team(h, rounds: 0) ≈ h
            team.A = [[0, 0], [0, 0]]
            expect team(h, rounds: 3) ≈ h
            """)
        expectClean(result)
        #expect(result.checks.count == 4)
    }

    @Test func aTeamSaysWhatShapesItNeeds() throws {
        let notSquare = try run("Team([[0, 1, 0], [1, 0, 0]])")
        #expect(notSquare.error?.contains("square (N, N)") == true)
        let wrongAgents = try run("Team([[0, 1], [1, 0]])([[1, 2], [3, 4], [5, 6]])")
        #expect(wrongAgents.error?.contains("expected (2, 2)") == true)
        let wrongW = try run("Team([[0, 1], [1, 0]], W: [1, 2])")
        #expect(wrongW.error?.contains("W must be a square") == true)
    }

    /// A mistake in a constructor is told in the names the student typed, not in the
    /// engine's own type names.
    @Test func constructorMistakesNameWhatWasTyped() throws {
        let cases: [(code: String, says: String)] = [
            ("MLP([2, 0, 1])", "MLP: every layer size must be positive, got [2, 0, 1]"),
            ("Embedding(Vocabulary([\"a\", \"b\"]), dim: 0)", "Embedding: the dimension d must be positive, got 0"),
            ("Decoder(Vocabulary([\"a\", \"b\"]), dim: 0)", "Decoder: the dimension d must be positive, got 0"),
            ("Vocabulary(\"a b\", max_size: 1, unknown: true)", "Vocabulary: a maximum size of 1 is too small"),
            ("Gaussian([1, 2], std: -1)", "Gaussian(): std must be a positive number, got -1"),
            ("mha = MultiHeadAttention(dim: 4, heads: 2)\nmha(ones([3, 4]), mask: 1)", "mha() got an unexpected keyword 'mask'"),
            ("ms = [MultiHeadAttention(dim: 4, heads: 2)]\nms[0](ones([3, 4]), mask: 1)", "MultiHeadAttention() got an unexpected keyword 'mask'"),
            ("Embedding(Vocabulary([\"a\", \"b\"]), dim: 2)", ""),
        ]
        for (code, says) in cases {
            let result = try run(code)
            let error = result.error ?? ""
            #expect(says.isEmpty ? error.isEmpty : error.contains(says), "\(code): \(error)")
            let shown = result.outputs.map { if case .picture(let p) = $0 { p.lines.map(\.plainText).joined() } else { "" } }.joined()
            #expect(!shown.contains("WordEmbedding"), "\(code) shows \(shown)")
            for engineName in ["WordEmbedding", "WordDecoder", "maxSize", "Linear"] {
                #expect(!error.contains(engineName), "\(code): \(error)")
            }
        }
    }

    @Test func aTeamCopiesWithItsFormation() throws {
        // Rewinding a cell copies every model; a rewired team must stay rewired.
        let session = try LessonSession(path: "basic.md", text: """
            # Copies

            ```huddle
            team = Team([[0, 1], [1, 0]])
            team.A = [[0, 0], [1, 0]]
            ```

            ```huddle
            team.A = [[1, 1], [1, 1]]
            ```

            ```huddle
            expect team.A ≈ [[0, 0], [1, 0]]
            ```
            """, options: RenderOptions())
        _ = session.run(cell: 0)
        _ = session.run(cell: 1)
        session.restore(beforeCell: 1)
        let result = session.run(cell: 2)
        expectClean(result)
        #expect(result.checks.count == 1)
    }

    @Test func anMLPShowsTheVectorsOfEveryLayer() throws {
        let result = try run("""
            x = tensor([[0, 1], [1, 0], [1, 1]], labels: ["a", "b", "c"])
            mlp = MLP([2, 3, 2], seed: 4)
            hs = mlp.h(x)
            expect len(hs) == 3
            expect hs[0] ≈ x
            expect hs[1] ≈ tanh(x @ mlp.W1.T + mlp.b1)
            expect hs[2] ≈ hs[1] @ mlp.W2.T + mlp.b2
            expect hs[2] ≈ mlp(x)
            expect hs[1].labels == ["a", "b", "c"]
            expect mlp.sizes == [2, 3, 2]
            expect mlp.activation == "tanh"
            r = MLP([2, 4, 1], activation: "relu", seed: 1)
            expect r.h(x)[1] ≈ relu(x @ r.W1.T + r.b1)
            """)
        expectClean(result)
        #expect(result.checks.count == 9)
        // h(x) records no events of its own, even inside a trace.
        let traced = try run("""
            mlp = MLP([2, 3, 1], seed: 0)
            hs = trace mlp.h([[1, 2]])
            """)
        expectClean(traced)
        #expect(traced.events.isEmpty)
    }
}
