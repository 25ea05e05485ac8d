import CKernels
import Foundation
import Tensor
import Testing

// elementwise.c promises (1) a stated maximum error against the true function, over the
// whole float range, NaN, ±inf, denormals and the overflow edges included, and (2) the
// same bits on every code path. The reference is the same function in Double, rounded
// once; errors are in units in the last place of the float result.

/// Every 997th bit pattern of the 2³² floats (both signs, all exponents, denormals, inf
/// and NaN among them), and the edges named in the contract.
private let sample: [Float] = {
    var values: [Float] = []
    var bits: UInt64 = 0
    while bits < 1 << 32 {
        values.append(Float(bitPattern: UInt32(bits)))
        bits += 997
    }
    let edges: [Float] = [0, -0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                          .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                          88.72283, 88.72284, 88.7228394, 89, -87.33655, -103.27893, -103.97208, -104, 0.625, -0.625,
                          0.62499994, 1e-30, -1e-30, 9, -9, 20, -20, 44, -44]
    return values + edges
}()

/// |got − want| in ulps of the float nearest `want` (denormals: of the smallest denormal).
/// Infinities and NaN must match exactly (count as 0 or infinity).
private func ulps(_ got: Float, _ want: Double) -> Double {
    if want.isNaN { return got.isNaN ? 0 : .infinity }
    let rounded = Float(want)
    if rounded.isInfinite {
        // A true value just below the overflow threshold may round to the largest float.
        return got == rounded || (Double(got.magnitude) == Double(Float.greatestFiniteMagnitude)) ? 0 : .infinity
    }
    if got.isNaN || got.isInfinite { return .infinity }
    let unit = rounded.magnitude < .leastNormalMagnitude ? Double(Float.leastNonzeroMagnitude) : Double(rounded.ulp)
    return abs(Double(got) - want) / unit
}

private typealias ArrayKernel = (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64) -> Void

private func run(_ kernel: ArrayKernel, _ x: [Float]) -> [Float] {
    var y = [Float](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { kernel(xs.baseAddress, $0.baseAddress, Int64(x.count)) } }
    return y
}

private func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) }

/// Serialized: the tests switch the process-wide code path.
@Suite(.serialized) struct ElementwiseKernelTests {
    fileprivate static var cases: [(name: String, kernel: ArrayKernel, reference: (Double) -> Double, maxUlps: Double)] {
        [
        ("exp", hk_exp, { Foundation.exp($0) }, 1),
        ("tanh", hk_tanh, { Foundation.tanh($0) }, 1.5),
        ("sigmoid", hk_sigmoid, sigmoid, 2.5),
    ]
    }

    @Test("within the stated error over the whole float range", arguments: 0..<cases.count)
    func accuracy(_ index: Int) {
        let c = Self.cases[index]
        defer { _ = hk_elementwise_force_path(0) }
        for path in [1, 2, 3] {
            let name = String(cString: hk_elementwise_force_path(Int32(path)))
            let y = run(c.kernel, sample)
            var worst = 0.0, worstX: Float = 0
            for (x, got) in zip(sample, y) {
                let error = ulps(got, c.reference(Double(x)))
                if error > worst { worst = error; worstX = x }
            }
            #expect(worst <= c.maxUlps, "\(c.name) on the \(name) path: \(worst) ulp at x = \(worstX) (bits \(String(worstX.bitPattern, radix: 16)))")
        }
    }

    @Test func edgesAreIEEE() {
        #expect(run(hk_exp, [.infinity, -.infinity, 0, 89, -104, .nan]).map { $0.isNaN ? -1 : $0 } == [.infinity, 0, 1, .infinity, 0, -1])
        #expect(run(hk_tanh, [.infinity, -.infinity, -0.0, 50]) == [1, -1, 0, 1])
        #expect(run(hk_tanh, [-0.0])[0].sign == .minus)
        #expect(run(hk_sigmoid, [.infinity, -.infinity, 0]) == [1, 0, 0.5])
        #expect(run(hk_exp, [-100])[0] > 0 && run(hk_exp, [-100])[0] < .leastNormalMagnitude)  // a denormal, not 0
        #expect([hk_exp, hk_tanh, hk_sigmoid, hk_gelu].allSatisfy { run($0, [.nan])[0].isNaN })
    }

    /// The portable, AVX2 and AVX-512 builds of every kernel agree bit for bit (on a
    /// machine without one, forcing it takes the best path there and the test still holds).
    @Test func everyPathGivesTheSameBits() {
        defer { _ = hk_elementwise_force_path(0) }
        let g = sample.indices.map { Float(($0 * 7919) % 2001 - 1000) / 250 }
        let finite = sample.map { $0.isFinite ? $0.magnitude < 1e4 ? $0 : $0 / 1e30 : $0 }
        func all() -> [[UInt32]] {
            var outputs = [hk_exp, hk_tanh, hk_sigmoid, hk_gelu].map { run($0, finite) }
            var dx = [Float](repeating: 0, count: finite.count)
            hk_gelu_backward(finite, g, &dx, Int64(finite.count))
            outputs.append(dx)
            // GELU keeping its tanh: the same value, and from the kept tanh the same slope.
            var y = [Float](repeating: 0, count: finite.count), t = y, dxFromTanh = y
            hk_gelu_saving_tanh(finite, &y, &t, Int64(finite.count))
            hk_gelu_backward_from_tanh(finite, t, g, &dxFromTanh, Int64(finite.count))
            #expect(y.map(\.bitPattern) == outputs[3].map(\.bitPattern))
            #expect(dxFromTanh.map(\.bitPattern) == dx.map(\.bitPattern))
            var shifted = [Float](repeating: 0, count: finite.count)
            hk_shifted_exp(finite, 0.75, 1, &shifted, Int64(finite.count))
            outputs.append(shifted)
            var p = [Float](repeating: 0, count: 64 * 32)
            hk_softmax_rows(Array(g.prefix(64 * 32)), &p, 64, 32, 0.25, 32)
            outputs.append(p)
            return outputs.map { $0.map(\.bitPattern) }
        }
        _ = hk_elementwise_force_path(1)
        let portable = all()
        for path in [2, 3] {
            let name = String(cString: hk_elementwise_force_path(Int32(path)))
            #expect(all() == portable, "the \(name) path")
        }
        // One value at a time gives the array's bits too.
        let scalar = [finite.map(hk_expf), finite.map(hk_tanhf), finite.map(hk_sigmoidf), finite.map(hk_geluf)]
        #expect(scalar.map { $0.map(\.bitPattern) } == Array(portable.prefix(4)))
        // A softmax row's exponentials with s = 1 are e^(x − m), as the scalar loop made them.
        #expect(finite.map { hk_expf($0 - 0.75).bitPattern } == portable[5])
    }

    @Test func geluMatchesItsFormulaInDouble() {
        let xs = stride(from: -10.0, through: 10.0, by: 0.01).map { Float($0) }
        let y = run(hk_gelu, xs)
        var dx = [Float](repeating: 0, count: xs.count)
        hk_gelu_backward(xs, [Float](repeating: 1, count: xs.count), &dx, Int64(xs.count))
        let c = (2 / Double.pi).squareRoot(), a = 0.044715
        for (i, x) in xs.map(Double.init).enumerated() {
            let t = Foundation.tanh(c * (x + a * x * x * x))
            let want = 0.5 * x * (1 + t)
            let slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * a * x * x)
            #expect(abs(Double(y[i]) - want) <= 4e-7 * max(1, abs(want)), "gelu(\(x))")
            #expect(abs(Double(dx[i]) - slope) <= 1e-6 * max(1, abs(slope)), "gelu'(\(x))")
        }
    }

    /// The softmax rows run several rows side by side and take their maximum in lanes;
    /// each row must still be the one-row-at-a-time loop's bits: its maximum, e^(v − m),
    /// its normaliser summed in double in order, the same for the backward's dot product.
    /// Rows of every visible length, a count of rows that is not a multiple of the group,
    /// NaN, ±inf, ±0 and all-masked rows included.
    @Test(arguments: [false, true]) func softmaxRowsAreTheOneRowAtATimeLoopsBits(causal: Bool) {
        func reference(_ x: [Float], _ rows: Int, _ n: Int, _ scale: Float) -> [Float] {
            var y = [Float](repeating: 0, count: x.count)
            for r in 0..<rows {
                let visible = causal ? min(r % n + 1, n) : n
                var m = -Float.infinity
                for t in 0..<visible { let v = x[r * n + t] * scale; m = v > m ? v : m }
                if m == -.infinity { m = 0 }
                var z: Double = 0
                for t in 0..<visible {
                    y[r * n + t] = hk_expf(x[r * n + t] * scale - m)
                    z += Double(y[r * n + t])
                }
                let inv = Float(1 / z)
                for t in 0..<visible { y[r * n + t] = y[r * n + t] * inv }
            }
            return y
        }
        func referenceBackward(_ y: [Float], _ g: [Float], _ rows: Int, _ n: Int, _ scale: Float) -> [Float] {
            var dx = [Float](repeating: 0, count: y.count)
            for r in 0..<rows {
                var dot: Double = 0
                for t in 0..<n { dot += Double(g[r * n + t] * y[r * n + t]) }
                let d = Float(dot)
                for t in 0..<n { dx[r * n + t] = scale * (y[r * n + t] * (g[r * n + t] - d)) }
            }
            return dx
        }
        var rng = SplitMix64(seed: 12)
        for n in [1, 5, 16, 17, 33] {
            let rows = 3 * n + 5
            var x = (0..<(rows * n)).map { _ in Float(rng.normal() * 3) }
            let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 88, -104]
            for (i, v) in specials.enumerated() where i * 7 < x.count { x[i * 7] = v }
            if rows > 4 { for t in 0..<n { x[4 * n + t] = -.infinity } }  // a row of nothing
            let g = (0..<(rows * n)).map { _ in Float(rng.normal()) }
            var y = [Float](repeating: 0, count: x.count), dx = y
            hk_softmax_rows(x, &y, Int64(rows), Int64(n), 0.7, causal ? Int64(n) : 0)
            hk_softmax_rows_backward(y, g, &dx, Int64(rows), Int64(n), 0.7)
            #expect(y.map(\.bitPattern) == reference(x, rows, n, 0.7).map(\.bitPattern), "softmax, n = \(n)")
            #expect(dx.map(\.bitPattern) == referenceBackward(y, g, rows, n, 0.7).map(\.bitPattern), "backward, n = \(n)")
        }
    }

    @Test func causalSoftmaxRowsSumToOneAndHideTheFuture() {
        let T = 5
        let scores = (0..<(2 * T * T)).map { Float(($0 * 37) % 11) - 5 }
        var p = [Float](repeating: .nan, count: scores.count)
        hk_softmax_rows(scores, &p, Int64(2 * T), Int64(T), 0.5, Int64(T))
        for row in 0..<(2 * T) {
            let m = row % T, r = Array(p[(row * T)..<((row + 1) * T)])
            #expect(r[(m + 1)...].allSatisfy { $0 == 0 })
            #expect(abs(r.reduce(0, +) - 1) < 1e-6)
            // Against softmax(0.5 · s) over the visible columns, in Double.
            let visible = scores[(row * T)...(row * T + m)].map { Double($0) * 0.5 }
            let z = visible.map { Foundation.exp($0 - visible.max()!) }.reduce(0, +)
            for t in 0...m {
                #expect(abs(Double(r[t]) - Foundation.exp(visible[t] - visible.max()!) / z) < 1e-7)
            }
        }
        var q = [Float](repeating: 0, count: 3)
        hk_softmax_rows([-.infinity, -.infinity, -.infinity], &q, 1, 3, 1, 0)
        #expect(q.allSatisfy { $0.isNaN })  // nothing to attend to
    }
}
