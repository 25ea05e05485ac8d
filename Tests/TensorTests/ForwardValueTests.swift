import RealModule
import Testing
@testable import Tensor

/// Forward values against independent computations: hand-worked numbers, or naive loops
/// written here in the test (never the engine's own helpers).
@Suite struct ForwardValueTests {
    @Test func broadcastingEdgeCases() throws {
        let col = try Tensor([[1], [2], [3]]), row = Tensor([10, 20])
        #expect(try col + row == Tensor([[11, 21], [12, 22], [13, 23]]))
        #expect(try (Tensor(2) * row) == Tensor([20, 40]))
        // Empty axes broadcast to empty results.
        #expect(try (Tensor.zeros([0, 3]) + Tensor([1, 2, 3])).shape == [0, 3])
        // Size-1 axes on both sides and a missing leading axis.
        let a = try Tensor.ones([2, 1, 3]), b = try Tensor.ones([4, 1])
        #expect(try (a + b).shape == [2, 4, 3])
        #expect(try (a - b).scalars.allSatisfy { $0 == 0 })
    }

    @Test func reductionsByHand() throws {
        let x = try Tensor([[1, 5, 3], [4, 2, 6]])
        #expect(try x.sum() == Tensor(21))
        #expect(try x.sum(axis: 0) == Tensor([5, 7, 9]))
        #expect(try x.sum(axis: 1, keepDims: true) == Tensor([[9], [12]]))
        #expect(try x.mean(axis: 1) == Tensor([3, 4]))
        #expect(try x.max(axis: 0) == Tensor([4, 5, 6]))
        #expect(try x.argmax(axis: 1) == Tensor([1, 2]))
        #expect(try x.argmax() == Tensor(5))
        #expect(try x.variance(axis: 1) == Tensor([8 / 3, 8 / 3]))
        #expect(try x.variance(axis: 1, correction: 1) == Tensor([4, 4]))
    }

    @Test func softmaxByHand() throws {
        // softmax([0, ln 3]) = [1/4, 3/4]; a large shift changes nothing.
        let p = try Tensor([0, Float.log(3) + 1000] as [Float]).softmax()
        let q = try Tensor([1000, Float.log(3) + 2000] as [Float]).softmax()
        #expect(p.scalars[0] == 0)  // e^(−1000) underflows: no NaN, no inf
        #expect(abs(q.scalars[1] - 1) < 1e-6)
        let r = try Tensor([[0, 0.6931472], [1, 1]]).softmax()
        #expect(abs(r.scalars[0] - 1 / 3) < 1e-6 && abs(r.scalars[1] - 2 / 3) < 1e-6)
        #expect(r.scalars[2] == 0.5 && r.scalars[3] == 0.5)
        let logp = try Tensor([[0, 0.6931472]]).logSoftmax()
        #expect(abs(logp.scalars[0] - Float.log(1.0 / 3)) < 1e-6)
    }

    @Test func crossEntropyByHand() throws {
        // Uniform logits over V classes: −log(1/V) = ln V, the lecture's starting loss.
        let loss = try Tensor.zeros([3, 65]).crossEntropy(targets: [0, 10, 64])
        #expect(abs(try loss.item() - Float.log(65)) < 1e-6)
        let ignored = try Tensor([[0, 0], [5, 0]]).crossEntropy(targets: [-1, 1], ignoreIndex: -1)
        // only row 1 counts: −log(1 / (1 + e⁵)) = log(1 + e⁵)
        #expect(abs(try ignored.item() - Float.log(1 + Float.exp(5))) < 1e-5)
    }

    @Test func matmulAgainstANaiveLoop() throws {
        let a = sample([2, 7, 5], seed: 1), b = sample([5, 3], seed: 2)
        let c = try a.matmul(b)
        for batch in 0..<2 {
            for i in 0..<7 {
                for j in 0..<3 {
                    var acc: Float = 0
                    for k in 0..<5 { acc = acc.addingProduct(a.scalars[(batch * 7 + i) * 5 + k], b.scalars[k * 3 + j]) }
                    #expect(c.scalars[(batch * 7 + i) * 3 + j] == acc)
                }
            }
        }
        #expect(try Tensor([1, 2]).matmul(Tensor([[3, 4], [5, 6]])) == Tensor([13, 16]))
        #expect(try Tensor([[3, 4], [5, 6]]).matmul(Tensor([1, 2])) == Tensor([11, 17]))
        #expect(try Tensor([1, 2]).matmul(Tensor([3, 4])) == Tensor(11))
    }

    @Test func conv2dAgainstANaiveLoop() throws {
        let (n, c, h, w, o, kh, kw) = (2, 2, 5, 6, 3, 3, 2)
        let (sh, sw, ph, pw) = (2, 1, 1, 0)
        let x = sample([n, c, h, w], seed: 3), wt = sample([o, c, kh, kw], seed: 4), b = sample([o], seed: 5)
        let y = try x.conv2d(weight: wt, bias: b, stride: (sh, sw), padding: (ph, pw))
        let ho = (h + 2 * ph - kh) / sh + 1, wo = (w + 2 * pw - kw) / sw + 1
        #expect(y.shape == [n, o, ho, wo])
        for img in 0..<n {
            for oc in 0..<o {
                for i in 0..<ho {
                    for j in 0..<wo {
                        var acc: Double = 0
                        for ic in 0..<c {
                            for di in 0..<kh {
                                for dj in 0..<kw {
                                    let (r, s) = (i * sh - ph + di, j * sw - pw + dj)
                                    guard r >= 0, r < h, s >= 0, s < w else { continue }
                                    acc += Double(x.scalars[((img * c + ic) * h + r) * w + s])
                                        * Double(wt.scalars[((oc * c + ic) * kh + di) * kw + dj])
                                }
                            }
                        }
                        acc += Double(b.scalars[oc])
                        #expect(abs(Double(y.scalars[((img * o + oc) * ho + i) * wo + j]) - acc) < 1e-5)
                    }
                }
            }
        }
    }

    @Test func layerNormHasZeroMeanAndUnitVariance() throws {
        let y = try sample([4, 6], seed: 6).layerNorm()
        for row in 0..<4 {
            let values = y.scalars[(row * 6)..<(row * 6 + 6)].map(Double.init)
            let mean = values.reduce(0, +) / 6
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-3)  // ε = 1e-5 shrinks it slightly
        }
    }

    @Test func indexingAndJoining() throws {
        let x = try Tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
        #expect(try x.select(index: 1) == Tensor([3, 4, 5]))
        #expect(try x.select(axis: 1, index: -1) == Tensor([2, 5, 8]))
        #expect(try x.slice(start: -2) == Tensor([[3, 4, 5], [6, 7, 8]]))
        #expect(try x.slice(axis: 1, step: -1) == Tensor([[2, 1, 0], [5, 4, 3], [8, 7, 6]]))
        #expect(try x.slice(start: 5, end: 10).shape == [0, 3])
        #expect(try x.take([2, 0], indexShape: [1, 2]) == Tensor(shape: [1, 2, 3], scalars: [6, 7, 8, 0, 1, 2]))
        #expect(try x.T == Tensor([[0, 3, 6], [1, 4, 7], [2, 5, 8]]))
        #expect(try Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], axis: 1) == Tensor([[1, 3], [2, 4]]))
        let parts = try x.split(parts: 3, axis: 1)
        #expect(try parts[2] == Tensor([[2], [5], [8]]))
        #expect(try Tensor.concatenate(parts, axis: 1) == x)
    }

    @Test func creation() throws {
        #expect(try Tensor.eye(2) == Tensor([[1, 0], [0, 1]]))
        #expect(try Tensor.arange(0, 1, step: 0.25) == Tensor([0, 0.25, 0.5, 0.75]))
        #expect(try Tensor.linspace(-1, 1, count: 5) == Tensor([-1, -0.5, 0, 0.5, 1]))
        #expect(try Tensor.oneHot([2, 0], classes: 3) == Tensor([[0, 0, 1], [1, 0, 0]]))
        #expect(try Tensor.full([2], 7) == Tensor([7, 7]))
    }

    @Test func comparisonsAndWhere() throws {
        let a = Tensor([1, 5, 3]), b = Tensor([2, 5, 1])
        #expect(try a.lt(b) == Tensor([1, 0, 0]))
        #expect(try a.ge(b) == Tensor([0, 1, 1]))
        #expect(try a.eq(b) == Tensor([0, 1, 0]))
        #expect(try Tensor.where(a.gt(b), a, b) == Tensor([2, 5, 3]))
        // Masking with −inf must not produce NaN in the unmasked places.
        let masked = try Tensor([1, 2, 3]).maskedFill(Tensor([0, 1, 1]), with: -.infinity)
        #expect(masked.scalars[0] == 1 && masked.scalars[1] == -.infinity)
    }

    @Test func powersOfNegativeNumbersWithWholeExponents() throws {
        #expect(try Tensor([-2, -3, 2]).pow(Tensor(2)) == Tensor([4, 9, 4]))
        #expect(try Tensor([-2]).pow(Tensor(3)) == Tensor([-8]))
        #expect(try Tensor([-2]).pow(Tensor(0.5)).scalars[0].isNaN)  // no real square root
    }

    @Test func activationsByHand() throws {
        #expect(Tensor([0]).sigmoid() == Tensor([0.5]))
        let saturated = Tensor([-100, 100]).sigmoid()  // no overflow either way
        #expect(saturated.scalars[0] > 0 && saturated.scalars[0] < Float(1e-30) && saturated.scalars[1] == 1)
        #expect(Tensor([-2, 3]).relu() == Tensor([0, 3]))
        #expect(Tensor([0]).gelu() == Tensor([0]))
        // The exact GELU is x·Φ(x): Φ(1) = 0.8413447460685429, Φ(−2) = 0.0227501319481792
        // (tables of the normal CDF), and the tanh form misses it by about 1e-4 at x = 1.
        let exact = Tensor([1, -2, 0]).geluErf().scalars
        #expect(abs(exact[0] - 0.8413447) < 1e-6 && abs(exact[1] - (-2 * 0.0227501)) < 1e-6 && exact[2] == 0)
        #expect(abs(Tensor([1]).gelu().scalars[0] - exact[0]) > 1e-4)
        // softplus(x) ≈ x for large x, ≈ e^x for very negative x; never inf.
        let s = Tensor([100, -100]).softplus()
        #expect(s.scalars[0] == 100 && s.scalars[1] > 0 && s.scalars[1] < Float(1e-30))
    }
}
