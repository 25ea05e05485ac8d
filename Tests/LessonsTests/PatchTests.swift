@testable import Lessons
import Render
import Testing
import Trace

/// `patch(…)` changes one message at one step of the traces that follow, and the rest of
/// the run follows from it: each patched run equals the run computed by hand with that
/// tensor replaced.
@Suite struct PatchTests {
    func session(_ script: String) throws -> (LessonSession, CellResult) {
        let s = try LessonSession(document: LessonDocument(path: "patch.hud", script: script), options: RenderOptions())
        let result = s.run(cell: 0)
        #expect(result.error == nil, "\(result.error ?? "")")
        return (s, result)
    }

    func allPassed(_ result: CellResult, _ count: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.checks.count == count, sourceLocation: sourceLocation)
        for check in result.failedChecks { Issue.record("\(check.source): \(check.message)", sourceLocation: sourceLocation) }
    }

    @Test func attentionFollowsAPatchedRowOfA() throws {
        let (_, result) = try session("""
            words = ["I", "love", "machine", "learning"]
            h = embed(words, dim: 4, seed: 18)
            attn = SelfAttention(dim: 4, seed: 18)
            clean = attn(h)
            patch("A", [0, 0, 1, 0], row: 1, layer: 1, head: 1)
            out = trace attn(h)
            unpatch()
            q = h @ attn.Wq.T
            k = h @ attn.Wk.T
            v = h @ attn.Wv.T
            A = softmax(q @ k.T / sqrt(4), axis: 1)
            A[1] = [0, 0, 1, 0]
            expect out ≈ h + (A @ v) @ attn.W.T
            expect out[0] ≈ clean[0]
            expect not (out[1] ≈ clean[1])
            expect attn(h) ≈ clean
            """)
        allPassed(result, 4)
        let event = try #require(result.events.first)
        let a = try #require(event[AttentionStep.A])
        #expect(Array(a.row(1)) == [0, 0, 1, 0])
        // The step says its numbers were patched, and its picture says so.
        #expect(event.patched == ["A"])
        let options = RenderOptions(color: .none, width: 120)
        #expect(EventPicture(event).block(options).lines[0].plainText.contains("· patched: A"))
    }

    @Test func aPatchedMessageOfAMultiHeadLayerChangesOnlyItsHead() throws {
        let (_, result) = try session("""
            h = embed(["I", "love", "machine"], dim: 4, seed: 3)
            mha = MultiHeadAttention(dim: 4, heads: 2, seed: 5)
            clean = trace mha(h)
            patch("delta", 0, layer: 1, head: 2, kind: "attention")
            out = trace mha(h)
            unpatch()
            """)
        #expect(result.events.count == 4)
        let (cleanOne, cleanTwo, one, two) = (result.events[0], result.events[1], result.events[2], result.events[3])
        #expect(one[AttentionStep.delta] == cleanOne[AttentionStep.delta])
        #expect(one.patched.isEmpty && two.patched == ["delta"] && cleanTwo.patched.isEmpty)
        #expect(two[AttentionStep.delta]?.data.allSatisfy { $0 == 0 } == true && cleanTwo[AttentionStep.delta] != two[AttentionStep.delta])
        // Head 2 adds nothing: its update is zero and h after is h before.
        #expect(two[AttentionStep.update]?.data.allSatisfy { $0 == 0 } == true)
        #expect(two[AttentionStep.hAfter] == two[AttentionStep.hBefore])
    }

    @Test func aResidualStackGoesOnFromAPatchedUpdate() throws {
        let (_, result) = try session("""
            stack = ResidualStack(dim: 2, steps: 3, epsilon: 0.1, seed: 0)
            h = [[1, 0], [0, 1]]
            patch("f", [[1, 1], [0, 0]], t: 2, kind: "residual")
            out = trace stack(h)
            unpatch()
            g = h + 0.1 * stack.f1(h)
            g = g + [[1, 1], [0, 0]]
            g = g + 0.1 * stack.f3(g)
            expect out ≈ g
            """)
        allPassed(result, 1)
    }

    @Test func anLSTMGoesOnFromAPatchedCell() throws {
        let (_, result) = try session("""
            lstm = LSTM(1, 2, seed: 0)
            x = [[1], [0], [1]]
            h, c = trace lstm.run(x)
            patch("c", 0, t: 2)
            hp, cp = trace lstm.run(x)
            unpatch()
            def hear(W, b, h_prev, x_t):
                return W[:, :2] @ h_prev + W[:, 2:] @ x_t + b
            expect cp[0] ≈ c[0]
            expect cp[1] ≈ [0, 0]
            expect hp[1] ≈ [0, 0]
            f = sigmoid(hear(lstm.Wf, lstm.bf, hp[1], x[2]))
            i = sigmoid(hear(lstm.Wi, lstm.bi, hp[1], x[2]))
            g = tanh(hear(lstm.Wg, lstm.bg, hp[1], x[2]))
            o = sigmoid(hear(lstm.Wo, lstm.bo, hp[1], x[2]))
            expect cp[2] ≈ f * 0 + i * g
            expect hp[2] ≈ o * tanh(cp[2])
            expect not (cp[2] ≈ c[2])
            """)
        allPassed(result, 6)
    }

    @Test func aDiffusionRunGoesOnFromPatchedNoise() throws {
        let (_, result) = try session("""
            mix = eight_gaussians()
            s = exact_score(mix)
            x_T = noise(mix.sample(20, seed: 1), 4, seed: 2)
            a = trace sample(s, start: x_T, steps: 3, seed: 5)
            patch("z", 0, step: 2)
            b = trace sample(s, start: x_T, steps: 3, seed: 5)
            unpatch()
            """)
        typealias S = DiffusionStep
        let clean = Array(result.events[0..<3]), patched = Array(result.events[3..<6])
        #expect(patched[0] == clean[0].renumbered(3))
        let step = patched[1]
        #expect(step[S.z]?.data.allSatisfy { $0 == 0 } == true)
        let (x, score) = (try #require(step[S.x]), try #require(step[S.score]))
        let sigma = try #require(step.number(S.sigma)), dt = try #require(step.number(S.dt))
        let byHand = zip(x.data, score.data).map { Float(Double($0) + sigma * sigma * dt * Double($1)) }
        for (a, b) in zip(try #require(step[S.xNext]).data, byHand) { #expect(abs(a - b) <= 1e-4 * (1 + abs(b))) }
        #expect(patched[2][S.x] == step[S.xNext])
        #expect(patched[2][S.xNext] != clean[2][S.xNext])
    }

    /// A patch made by a cell's code ends with that cell, even one that stops before its
    /// `unpatch()`; one that fits no step changes nothing and marks nothing.
    @Test func aCodePatchEndsWithItsCellAndAMisfitMarksNothing() throws {
        let s = try LessonSession(document: LessonDocument(path: "p.md", text: """
            # P

            ```huddle
            attn = SelfAttention(dim: 4, seed: 18)
            h = embed(["I", "love", "machine", "learning"], dim: 4, seed: 18)
            patch("A", [0, 0, 1, 0], row: 1, layer: 1, head: 1)
            out = trace attn(h)
            undefined_name
            ```

            ```huddle
            clean = trace attn(h)
            patch("A", 1, row: 9, layer: 1, head: 1)
            misfit = trace attn(h)
            ```
            """), options: RenderOptions())
        let first = s.run(cell: 0)
        #expect(first.error != nil && first.events.first?.patched == ["A"])
        let second = s.run(cell: 1)
        #expect(second.error == nil, "\(second.error ?? "")")
        #expect(second.events.allSatisfy { $0.patched.isEmpty })
        #expect(second.events[0][AttentionStep.A] == second.events[1][AttentionStep.A])
        #expect(second.events[0][AttentionStep.A] != first.events[0][AttentionStep.A])
    }

    /// A team's formation is a message too: a patched round is heard as patched.
    @Test func aTeamFollowsAPatchedFormation() throws {
        let (_, result) = try session("""
            h = [[1, 0], [0, 1], [1, 1]]
            team = Team([[0, 1, 0], [0, 0, 1], [1, 0, 0]], W: [[1, 0], [0, 1]])
            patch("A", [[0, 0, 0], [0, 0, 0], [0, 0, 0]], round: 1)
            out = trace team(h, rounds: 2)
            unpatch()
            expect out ≈ h + team.A @ h                         # round 1 heard nothing; round 2 as usual
            """)
        allPassed(result, 1)
        #expect(result.events.map(\.patched) == [["A"], []])
    }

    /// The last, noise-free diffusion step reads no z: patching it is refused there, and
    /// allowed at a step with noise.
    @Test func theLastDiffusionStepsNoiseCannotBePatched() throws {
        let (s, result) = try session("mix = eight_gaussians()\ncloud = trace sample(exact_score(mix), n: 5, steps: 2, seed: 5, denoise: true)")
        let (first, last) = (try #require(result.events.first), try #require(result.events.last))
        #expect(last[DiffusionStep.denoise] == .bool(true))
        guard case .failure(let problem) = s.patch("z = 0", at: last, inCell: 0) else {
            Issue.record("z at the last step was accepted")
            return
        }
        #expect(problem.description.contains("the last step adds no noise, so its z is not used"))
        if case .failure(let problem) = s.patch("z = 0", at: first, inCell: 0) { Issue.record("\(problem)") }
    }

    @Test func mistakesSayWhatCanBePatched() throws {
        let s = try LessonSession(document: LessonDocument(path: "patch.hud", script: "x = 1"), options: RenderOptions())
        #expect(s.evaluate("patch(\"delta\", 0)").error?.contains("say which with kind: \"attention\" or \"feedforward\"") == true)
        #expect(s.evaluate("patch(\"c_prev\", 0)").error?.contains("no step has a tensor c_prev that can be patched") == true)
        #expect(s.evaluate("patch(\"A\", 0, t: 2)").error?.contains("an attention step is not told apart by t") == true)
    }
}

extension TraceEvent {
    /// The same event as recorded at another place in the cell's list.
    func renumbered(_ step: Int) -> TraceEvent {
        var copy = self
        copy.step = step
        return copy
    }
}
