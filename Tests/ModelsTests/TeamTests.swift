import Models
import Tensor
import Testing
import Trace

@Suite struct TeamTests {
    @Test func eachRoundAddsWhatEveryAgentHears() throws {
        let a = try Tensor([[0, 1, 0], [0.5, 0, 0.5], [0, 1, 0]])
        let w = try Tensor([[1, 0], [0, 2]])
        let team = try Team(formation: a, W: w)
        let h = try Tensor([[1, 0], [0, 1], [2, 2]])
        let (out, events) = try recording { try team(h, rounds: 2, labels: ["a", "b", "c"]) }
        // Independently, in Double: h ← h + (A h) Wᵀ, twice.
        var x = Naive.rows(h)
        for _ in 0..<2 {
            var next = x
            for m in 0..<3 {
                var heard = [0.0, 0.0]
                for t in 0..<3 {
                    for j in 0..<2 { heard[j] += Double(a.scalars[m * 3 + t]) * x[t][j] }
                }
                for i in 0..<2 {
                    for j in 0..<2 { next[m][i] += Double(w.scalars[i * 2 + j]) * heard[j] }
                }
            }
            x = next
        }
        #expect(maxDifference(x.flatMap { $0 }, out.scalars) < 1e-5)
        #expect(events.count == 2 && events.map { $0.index("round") } == [.int(1), .int(2)])
        for event in events {
            let before = try #require(event["h_before"]).data, update = try #require(event["update"]).data
            let after = try #require(event["h_after"]).data
            #expect(maxDifference(zip(before, update).map { $0 + $1 }, after) < 1e-6)
        }
        #expect(throws: TensorError.self) { try team(Tensor([[1, 2]]), rounds: 1) }
        #expect(throws: TensorError.self) { try Team(formation: Tensor([[1, 2]]), W: w) }
    }
}
