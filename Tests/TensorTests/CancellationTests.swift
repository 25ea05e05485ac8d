import CKernels
import Testing
@testable import Tensor

/// Long computations inside one op ask `Cancellation` as they go, so the time limit and
/// Ctrl-C need not wait for them: an 8000 × 8000 product ran 7 s past a 2 s limit.
struct CancellationTests {
    /// A check that counts how often it is asked and throws from the `stopAt`-th time.
    final class CountingCheck: @unchecked Sendable {
        struct Stop: Error {}
        var asked = 0
        let stopAt: Int
        init(stopAt: Int) { self.stopAt = stopAt }
        var check: Cancellation.Check {
            Cancellation.Check { [self] in
                asked += 1
                if asked >= stopAt { throw Stop() }
            }
        }
    }

    static func filled(_ shape: [Int], seed: UInt64) throws -> Tensor {
        try Tensor.randomUniform(shape, low: -1, high: 1, seed: seed)
    }

    @Test func aProductInBandsHasTheBitsOfOneCall() throws {
        // 512 rows of 1024 × 512: 2²⁸ multiply-adds, two bands of 256 rows.
        let (m, k, n) = (512, 1024, 512)
        #expect(m * k * n > Tensor.sgemmBandWork)
        let a = try Self.filled([m, k], seed: 1), b = try Self.filled([k, n], seed: 2)
        let counting = CountingCheck(stopAt: .max)
        let banded = try Cancellation.withCheck(counting.check) { try a.matmul(b) }
        var whole = [Float](repeating: 0, count: m * n)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                hk_sgemm(Int64(m), Int64(n), Int64(k), pa.baseAddress, Int64(k), 1, pb.baseAddress, Int64(n), 1, &whole, Int64(n), 0)
            }
        }
        #expect(banded.scalars.map(\.bitPattern) == whole.map(\.bitPattern))
        #expect(counting.asked >= 1)   // asked between the bands (and as the result was made)
    }

    @Test func aLongProductStopsAtTheFirstBandAfterTheAsk() throws {
        // 2³⁰ multiply-adds in eight bands; the check stops it at its first ask after the
        // shape checks, so at most one band is computed.
        let a = try Self.filled([1024, 1024], seed: 3)
        let counting = CountingCheck(stopAt: 1)
        #expect(throws: CountingCheck.Stop.self) { try Cancellation.withCheck(counting.check) { try a.matmul(a) } }
        let banded = CountingCheck(stopAt: 3)   // past the result's own check: in the bands
        #expect(throws: CountingCheck.Stop.self) { try Cancellation.withCheck(banded.check) { try a.matmul(a) } }
        #expect(banded.asked == 3)
    }

    @Test func theGradientOfALongProductStopsToo() throws {
        let a = try Self.filled([1024, 1024], seed: 4).requiringGrad()
        let loss = try a.matmul(a).sum()
        let counting = CountingCheck(stopAt: 2)
        #expect(throws: CountingCheck.Stop.self) { try Cancellation.withCheck(counting.check) { try loss.backward() } }
    }

    @Test func manyRandomDrawsAreStoppable() throws {
        // The check is asked every 65 536 draws: 2¹⁸ draws ask it four times after the
        // shape's own ask.
        let counting = CountingCheck(stopAt: .max)
        _ = try Cancellation.withCheck(counting.check) { try Tensor.randomNormal([1 << 18], seed: 5) }
        #expect(counting.asked >= 5)
        let stop = CountingCheck(stopAt: 2)
        #expect(throws: CountingCheck.Stop.self) {
            try Cancellation.withCheck(stop.check) { try Tensor.randomUniform([1 << 18], seed: 6) }
        }
    }

    @Test func aConvolutionIsAskedBetweenImages() throws {
        let x = try Self.filled([8, 2, 6, 6], seed: 7), w = try Self.filled([3, 2, 3, 3], seed: 8)
        let counting = CountingCheck(stopAt: .max)
        _ = try Cancellation.withCheck(counting.check) { try x.conv2d(weight: w) }
        #expect(counting.asked >= 8)
        let stop = CountingCheck(stopAt: counting.asked)
        #expect(throws: CountingCheck.Stop.self) { try Cancellation.withCheck(stop.check) { try x.conv2d(weight: w) } }
    }
}
