import CKernels
import Testing

// hk_sgemm promises that every C[i, j] is one fused multiply-add chain over k in order,
// starting from 0 (beta = 0) or the old C[i, j] (beta = 1), on every code path. The
// reference below is that chain written out with Float.addingProduct (an IEEE fused
// multiply-add), so every comparison here is bit for bit.

/// SplitMix64: a tiny seeded generator, so every run sees the same inputs.
private struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float with a full 24-bit significand in [-1, 1), scaled by 2^-6 … 2^6 so that
    /// sums of products round differently if their order changes.
    mutating func nextFloat() -> Float {
        let bits = next()
        let unit = Float(Int64(bits >> 40) - (1 << 23)) / Float(1 << 23)
        let exponent = Int(bits % 13) - 6   // the significand used bits 40-63
        return unit * Float(sign: .plus, exponent: exponent, significand: 1)
    }
}

/// A matrix stored with arbitrary element strides; the gaps hold NaN, so a kernel that
/// reads outside the matrix poisons its result.
private struct Strided {
    var rows: Int, cols: Int
    var rowStride: Int, colStride: Int
    var storage: [Float]

    enum Layout: CaseIterable { case rowMajor, columnMajor, gapped }

    /// A rows × cols matrix whose (i, j) element is element(i, j), filled in row order.
    init(rows: Int, cols: Int, layout: Layout, element: (Int, Int) -> Float) {
        self.rows = rows
        self.cols = cols
        switch layout {
        case .rowMajor: (rowStride, colStride) = (cols, 1)
        case .columnMajor: (rowStride, colStride) = (1, rows + 1)   // padded leading dim
        case .gapped: (rowStride, colStride) = (2 * cols + 3, 2)
        }
        let count = rows == 0 || cols == 0
            ? 0 : (rows - 1) * rowStride + (cols - 1) * colStride + 1
        storage = Array(repeating: .nan, count: count)
        for i in 0..<rows {
            for j in 0..<cols { storage[i * rowStride + j * colStride] = element(i, j) }
        }
    }

    init(rows: Int, cols: Int, layout: Layout, rng: inout SplitMix64,
         value: (inout SplitMix64) -> Float = { $0.nextFloat() }) {
        self.init(rows: rows, cols: cols, layout: layout) { _, _ in value(&rng) }
    }

    subscript(i: Int, j: Int) -> Float { storage[i * rowStride + j * colStride] }
}

/// C = beta·C + A·B, one addingProduct chain per element: the contract, written plainly.
private func referenceGemm(_ a: Strided, _ b: Strided, _ c: inout [Float], ldc: Int,
                           beta: Bool) {
    for i in 0..<a.rows {
        for j in 0..<b.cols {
            var acc: Float = beta ? c[i * ldc + j] : 0
            for k in 0..<a.cols { acc = acc.addingProduct(a[i, k], b[k, j]) }
            c[i * ldc + j] = acc
        }
    }
}

private func runGemm(_ a: Strided, _ b: Strided, _ c: inout [Float], ldc: Int,
                     beta: Bool) {
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                hk_sgemm(Int64(a.rows), Int64(b.cols), Int64(a.cols),
                         pa.baseAddress, Int64(a.rowStride), Int64(a.colStride),
                         pb.baseAddress, Int64(b.rowStride), Int64(b.colStride),
                         pc.baseAddress, Int64(ldc), beta ? 1 : 0)
            }
        }
    }
}

/// The code paths this CPU can run, as (hk_sgemm_force_path argument, name).
private let availablePaths: [(id: Int32, name: String)] = {
    defer { _ = hk_sgemm_force_path(0) }
    return [(1, "portable"), (2, "avx2"), (3, "avx512")].filter { path in
        String(cString: hk_sgemm_force_path(path.0)) == path.1
    }
}()

private func bitsEqual(_ x: [Float], _ y: [Float]) -> Bool {
    x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
}

private func firstDifference(_ x: [Float], _ y: [Float]) -> String {
    guard let i = x.indices.first(where: { x[$0].bitPattern != y[$0].bitPattern }) else {
        return "none"
    }
    return "element \(i): \(x[i]) (0x\(String(x[i].bitPattern, radix: 16))) vs "
        + "\(y[i]) (0x\(String(y[i].bitPattern, radix: 16)))"
}

/// Runs C = beta·C + A·B on every available path and demands the reference's bits in the
/// whole C buffer: the M × N result, and untouched padding columns when ldc > N. For
/// beta = 0 the result region starts as NaN, which must be overwritten.
private func expectMatchesReference(
    m: Int, n: Int, k: Int, layoutA: Strided.Layout, layoutB: Strided.Layout,
    beta: Bool, ldcPadding: Int = 0, seed: UInt64,
    value: @escaping (inout SplitMix64) -> Float = { $0.nextFloat() },
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var rng = SplitMix64(state: seed)
    let a = Strided(rows: m, cols: k, layout: layoutA, rng: &rng, value: value)
    let b = Strided(rows: k, cols: n, layout: layoutB, rng: &rng, value: value)
    let ldc = n + ldcPadding
    var initial = [Float](repeating: -7.25, count: m * ldc)   // -7.25 marks padding
    for i in 0..<m {
        for j in 0..<n { initial[i * ldc + j] = beta ? rng.nextFloat() : .nan }
    }
    var expected = initial
    referenceGemm(a, b, &expected, ldc: ldc, beta: beta)

    for path in availablePaths {
        #expect(String(cString: hk_sgemm_force_path(path.id)) == path.name)
        var c = initial
        runGemm(a, b, &c, ldc: ldc, beta: beta)
        let what = "\(path.name) \(m)×\(n)×\(k) A \(layoutA) B \(layoutB) beta \(beta) ldc \(ldc)"
        let same = bitsEqual(c, expected)   // a Bool, so a failure does not print C
        #expect(same, "\(what): \(firstDifference(c, expected))",
                sourceLocation: sourceLocation)
    }
    _ = hk_sgemm_force_path(0)
}

// Forcing a path is process-wide, so these tests run one at a time.
@Suite(.serialized)
struct GemmKernelTests {
    @Test func pathSelection() {
        let names = availablePaths.map(\.name)
        #expect(names.first == "portable")
        let best = String(cString: hk_sgemm_force_path(0))
        #expect(best == names.last)
        #expect(String(cString: hk_sgemm_path()) == best)
        // Asking for a path the CPU lacks falls back to the best one.
        #expect(String(cString: hk_sgemm_force_path(99)) == best)
        _ = hk_sgemm_force_path(0)
    }

    /// Shapes around the register tiles (6 × 16 for AVX2, 6 × 64 for AVX-512) and the
    /// K block (256), plus primes, tall, wide and degenerate ones; all layout pairs. The
    /// last rows have one side at most 64, which the small-product routines read in place
    /// (an LSTM step's (16, 96)·(96, 256), its backward, attention's per-head products, a
    /// GPT's (512, 64)·(64, 64) projections and (512, 256)·(256, 64) MLP, K past one block).
    @Test(arguments: [
        (1, 1, 1), (1, 1, 300), (2, 3, 1), (7, 13, 17), (6, 16, 8), (6, 64, 9),
        (5, 15, 4), (7, 17, 3), (12, 63, 5), (13, 65, 11), (18, 129, 2), (37, 48, 255),
        (11, 31, 256), (9, 33, 257), (6, 40, 513), (300, 257, 129), (1000, 3, 10),
        (3, 700, 9), (2, 5, 600), (64, 64, 64), (64, 100, 70),
        (16, 256, 96), (16, 96, 256), (32, 32, 16), (32, 33, 7), (256, 16, 96), (25, 40, 300), (40, 25, 3),
        (512, 64, 64), (512, 64, 256), (64, 512, 257), (63, 130, 33), (65, 64, 17), (200, 61, 300),
    ])
    func shapesAndLayouts(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var seed: UInt64 = UInt64(m * 1_000_003 + n * 1009 + k)
        for layoutA in Strided.Layout.allCases {
            for layoutB in Strided.Layout.allCases {
                for beta in [false, true] {
                    seed &+= 1
                    expectMatchesReference(m: m, n: n, k: k, layoutA: layoutA,
                                           layoutB: layoutB, beta: beta,
                                           ldcPadding: beta ? 3 : 0, seed: seed)
                }
            }
        }
    }

    /// A·B, Aᵀ·B, A·Bᵀ and Aᵀ·Bᵀ (a transposed operand is a column-major one) at a size
    /// with full tiles, edge tiles and a K split, as forward and backward passes use them.
    @Test func transposeCombinations() {
        for layoutA in [Strided.Layout.rowMajor, .columnMajor] {
            for layoutB in [Strided.Layout.rowMajor, .columnMajor] {
                expectMatchesReference(m: 96, n: 80, k: 300, layoutA: layoutA,
                                       layoutB: layoutB, beta: false, seed: 7)
            }
        }
    }

    /// Empty products: M or N = 0 touches nothing; K = 0 gives 0 (beta 0, over NaN) or
    /// leaves C alone (beta 1).
    @Test func emptyDimensions() {
        for (m, n, k) in [(0, 0, 0), (0, 5, 3), (4, 0, 3), (4, 5, 0), (1, 1, 0), (0, 1, 1)] {
            for beta in [false, true] {
                expectMatchesReference(m: m, n: n, k: k, layoutA: .rowMajor,
                                       layoutB: .rowMajor, beta: beta, ldcPadding: 2,
                                       seed: 11)
            }
        }
    }

    /// beta = 1 continues each chain, so splitting K across two calls must give exactly
    /// the bits of one call over all of K.
    @Test func betaOneContinuesTheChain() {
        let (m, n, k, split) = (23, 70, 300, 137)
        var rng = SplitMix64(state: 99)
        let a = Strided(rows: m, cols: k, layout: .rowMajor, rng: &rng)
        let b = Strided(rows: k, cols: n, layout: .rowMajor, rng: &rng)
        let a1 = Strided(rows: m, cols: split, layout: .rowMajor) { a[$0, $1] }
        let a2 = Strided(rows: m, cols: k - split, layout: .rowMajor) { a[$0, split + $1] }
        let b1 = Strided(rows: split, cols: n, layout: .rowMajor) { b[$0, $1] }
        let b2 = Strided(rows: k - split, cols: n, layout: .rowMajor) { b[split + $0, $1] }
        for path in availablePaths {
            _ = hk_sgemm_force_path(path.id)
            var whole = [Float](repeating: .nan, count: m * n)
            runGemm(a, b, &whole, ldc: n, beta: false)
            var pieces = [Float](repeating: .nan, count: m * n)
            runGemm(a1, b1, &pieces, ldc: n, beta: false)
            runGemm(a2, b2, &pieces, ldc: n, beta: true)
            let same = bitsEqual(whole, pieces)
            #expect(same, "\(path.name): \(firstDifference(whole, pieces))")
        }
        _ = hk_sgemm_force_path(0)
    }

    /// Signed zeros, subnormal products and mixed magnitudes (no infinities or NaNs, whose
    /// payloads IEEE leaves unspecified) must chain identically everywhere.
    @Test func specialValues() {
        let special: (inout SplitMix64) -> Float = { rng in
            let r = rng.next()
            switch r % 8 {
            case 0: return 0
            case 1: return -0.0
            case 2: return Float.leastNonzeroMagnitude * Float(r >> 60 + 1)
            case 3: return Float(sign: r & 16 == 0 ? .plus : .minus, exponent: -70,
                                 significand: 1 + Float(r >> 41) / Float(1 << 23))
            case 4: return Float(sign: .plus, exponent: 60, significand: 1.5)
            default: return rng.nextFloat()
            }
        }
        for beta in [false, true] {
            expectMatchesReference(m: 31, n: 77, k: 129, layoutA: .rowMajor,
                                   layoutB: .columnMajor, beta: beta, seed: 5,
                                   value: special)
        }
    }

    /// A large product is split between two cores by rows of C: the reference's bits on
    /// every path, odd sizes and strides, beta 0 and 1 — and the split did happen.
    @Test func twoCoresGiveTheSameBits() {
        let before = hk_gemm_splits()
        defer { _ = hk_set_gemm_threads(0) }
        for threads: Int32 in [1, 2] {
            _ = hk_set_gemm_threads(threads)
            for (m, n, k) in [(129, 130, 131), (256, 64, 128), (67, 1000, 40)] {
                for beta in [false, true] {
                    expectMatchesReference(m: m, n: n, k: k, layoutA: .gapped, layoutB: .columnMajor,
                                           beta: beta, ldcPadding: 3, seed: UInt64(m * n + k))
                }
            }
        }
        #expect(hk_gemm_splits() > before, "with two cores a product this large is split")
    }

    /// Packing buffers are per call: concurrent callers must not disturb each other (nor
    /// the helper core, which serves one caller at a time).
    @Test func concurrentCalls() async {
        let (m, n, k) = (96, 90, 300)
        let results = await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    var rng = SplitMix64(state: UInt64(1000 + t))
                    let a = Strided(rows: m, cols: k, layout: .rowMajor, rng: &rng)
                    let b = Strided(rows: k, cols: n, layout: .columnMajor, rng: &rng)
                    var expected = [Float](repeating: 0, count: m * n)
                    referenceGemm(a, b, &expected, ldc: n, beta: false)
                    var ok = true
                    for _ in 0..<4 {
                        var c = [Float](repeating: .nan, count: m * n)
                        runGemm(a, b, &c, ldc: n, beta: false)
                        ok = ok && bitsEqual(c, expected)
                    }
                    return ok
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
    }
}
