import Testing
@testable import Tensor

/// Every differentiable op of the engine, checked against central differences — including
/// broadcast and reduction cases, where gradients must be summed back to the operand.
@Suite("Gradients match finite differences")
struct GradientTests {
    // MARK: elementwise, one input

    @Test("unary functions", arguments: ["neg", "exp", "tanh", "sigmoid", "relu", "gelu", "gelu_erf", "softplus", "abs"])
    func unary(name: String) throws {
        let f: (Tensor) -> Tensor = switch name {
        case "neg": { -$0 }
        case "exp": { $0.exp() }
        case "tanh": { $0.tanh() }
        case "sigmoid": { $0.sigmoid() }
        case "relu": { $0.relu() }
        case "gelu": { $0.gelu() }
        case "gelu_erf": { $0.geluErf() }
        case "softplus": { $0.softplus() }
        default: { $0.abs() }
        }
        try expectGradients([sample([3, 4], seed: 1)]) { f($0[0]) }
    }

    @Test func logAndSqrtOnPositiveInputs() throws {
        try expectGradients([sample([2, 5], seed: 2, positive: true)]) { $0[0].log() }
        try expectGradients([sample([2, 5], seed: 3, positive: true)]) { $0[0].sqrt() }
    }

    // MARK: elementwise, two inputs, with broadcasting

    static let broadcastPairs: [([Int], [Int])] = [
        ([3, 4], [3, 4]),     // same shape
        ([3, 4], [4]),        // row vector against a matrix
        ([3, 1], [1, 4]),     // outer-product-like stretch of both
        ([2, 3, 4], [3, 1]),  // middle axis
        ([3, 4], []),         // scalar
        ([], [2, 3]),         // scalar on the left
    ]

    @Test("add, subtract, multiply, divide with broadcasting", arguments: broadcastPairs)
    func arithmetic(shapes: ([Int], [Int])) throws {
        let a = sample(shapes.0, seed: 4), b = sample(shapes.1, seed: 5)
        try expectGradients([a, b]) { try $0[0] + $0[1] }
        try expectGradients([a, b]) { try $0[0] - $0[1] }
        try expectGradients([a, b]) { try $0[0] * $0[1] }
        try expectGradients([a, b]) { try $0[0] / $0[1] }
    }

    @Test func powerInBaseAndExponent() throws {
        let base = sample([2, 3], seed: 6, positive: true)
        try expectGradients([base, sample([3], seed: 7)]) { try $0[0].pow($0[1]) }
        try expectGradients([base, Tensor(2)]) { try $0[0].pow($0[1]) }
    }

    @Test func maximumAndMinimum() throws {
        let a = sample([3, 4], seed: 8), b = sample([4], seed: 9)
        try expectGradients([a, b]) { try $0[0].maximum($0[1]) }
        try expectGradients([a, b]) { try $0[0].minimum($0[1]) }
    }

    @Test func whereAndMaskedFill() throws {
        let mask = try Tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]])
        try expectGradients([sample([3, 4], seed: 10), sample([4], seed: 11)]) {
            try Tensor.where(mask, $0[0], $0[1])
        }
        try expectGradients([sample([3, 4], seed: 12)]) { try $0[0].maskedFill(mask, with: -5).exp() }
    }

    @Test func broadcastTo() throws {
        try expectGradients([sample([3, 1], seed: 13)]) { try $0[0].broadcast(to: [2, 3, 4]) }
    }

    // MARK: reductions

    @Test("reductions along each axis and over all", arguments: [nil, 0, 1, -1] as [Int?])
    func reductions(axis: Int?) throws {
        let x = sample([3, 4], seed: 14)
        for keep in [false, true] {
            try expectGradients([x]) { try $0[0].sum(axis: axis, keepDims: keep) }
            try expectGradients([x]) { try $0[0].mean(axis: axis, keepDims: keep) }
            try expectGradients([x]) { try $0[0].variance(axis: axis, keepDims: keep) }
            try expectGradients([x]) { try $0[0].variance(axis: axis, keepDims: keep, correction: 1) }
            try expectGradients([x]) { try $0[0].max(axis: axis, keepDims: keep) }
            try expectGradients([x]) { try $0[0].min(axis: axis, keepDims: keep) }
        }
    }

    @Test func reductionOfThreeDimensionsAlongTheMiddle() throws {
        try expectGradients([sample([2, 3, 4], seed: 15)]) { try $0[0].sum(axis: 1) }
        try expectGradients([sample([2, 3, 4], seed: 16)]) { try $0[0].max(axis: 1, keepDims: true) }
    }

    // MARK: moving values around

    @Test func reshapePermuteTranspose() throws {
        let x = sample([2, 3, 4], seed: 17)
        try expectGradients([x]) { try $0[0].reshaped([4, -1]) }
        try expectGradients([x]) { try $0[0].permuted([2, 0, 1]) }
        // The head split's fast path (the last axis kept), against the definition.
        let heads = sample([2, 3, 4, 5], seed: 51)
        for axes in [[0, 2, 1, 3], [2, 1, 0, 3], [1, 0, 2, 3]] {
            try expectGradients([heads]) { try $0[0].permuted(axes) }
            let y = try heads.permuted(axes)
            for flat in 0..<y.count {
                var index = [Int](repeating: 0, count: 4), rest = flat
                for axis in (0..<4).reversed() { index[axis] = rest % y.shape[axis]; rest /= y.shape[axis] }
                var source = [Int](repeating: 0, count: 4)
                for (i, a) in axes.enumerated() { source[a] = index[i] }
                #expect(y.scalars[flat] == (try heads.scalar(at: source)))
            }
        }
        try expectGradients([x]) { try $0[0].transposed() }
        try expectGradients([x]) { try $0[0].transposed(0, 2) }
        try expectGradients([x]) { $0[0].T }
    }

    @Test func slicingAndIndexing() throws {
        let x = sample([5, 3], seed: 18)
        try expectGradients([x]) { try $0[0].slice(axis: 0, start: 1, end: 4) }
        try expectGradients([x]) { try $0[0].slice(axis: 0, start: -1, end: nil, step: -2) }
        try expectGradients([x]) { try $0[0].slice(axis: 1, start: 0, end: 3, step: 2) }
        try expectGradients([x]) { try $0[0].select(axis: 0, index: -2) }
        try expectGradients([x]) { try $0[0].select(axis: 1, index: 1) }
    }

    @Test func takeWithRepeatedIndicesAddsGradients() throws {
        let table = sample([4, 3], seed: 19)
        try expectGradients([table]) { try $0[0].take([2, 0, 2, 3, 2, 1], indexShape: [2, 3]) }
    }

    @Test func concatenateStackSplit() throws {
        let a = sample([2, 3], seed: 20), b = sample([2, 2], seed: 21), c = sample([2, 3], seed: 22)
        try expectGradients([a, b]) { try Tensor.concatenate([$0[0], $0[1]], axis: 1) }
        try expectGradients([a, c]) { try Tensor.stack([$0[0], $0[1]], axis: 1) }
        try expectGradients([sample([5, 2], seed: 23)]) {
            let parts = try $0[0].split(sizes: [2, 3], axis: 0)
            return try parts[0].sum() * parts[1].mean()
        }
    }

    // MARK: products

    @Test("matmul shapes", arguments: [
        ([3, 4], [4, 5]),
        ([2, 3, 4], [4, 5]),        // batched left, shared right (folded)
        ([2, 3, 4], [2, 4, 5]),     // batched both
        ([2, 1, 3, 4], [3, 4, 2]),  // broadcast batch axes
        ([4], [4, 3]),              // row vector
        ([3, 4], [4]),              // column vector
        ([4], [4]),                 // vector · vector: a number
        ([2, 3, 4], [4]),           // batched matrix · vector
    ])
    func matmul(shapes: ([Int], [Int])) throws {
        try expectGradients([sample(shapes.0, seed: 24), sample(shapes.1, seed: 25)]) { try $0[0].matmul($0[1]) }
    }

    @Test func matmulWithTransposedOperand() throws {
        // The attention score q·kᵀ, written with the transpose op.
        try expectGradients([sample([4, 3], seed: 26), sample([5, 3], seed: 27)]) {
            try $0[0].matmul($0[1].transposed())
        }
    }

    @Test("x @ Wᵀ without the transpose", arguments: [([5, 3], [4, 3]), ([2, 5, 3], [4, 3]), ([2, 5, 3], [2, 4, 3]), ([1, 5, 3], [3, 4, 3])])
    func matmulTransposed(shapes: ([Int], [Int])) throws {
        let (a, b) = (sample(shapes.0, seed: 48), sample(shapes.1, seed: 49))
        try expectGradients([a, b]) { try $0[0].matmul(transposed: $0[1]) }
        // The same bits as materialising the transpose, forward and backward.
        func run(_ product: (Tensor, Tensor) throws -> Tensor) throws -> [Tensor] {
            let (x, w) = (a.requiringGrad(), b.requiringGrad())
            let y = try product(x, w)
            try y.backward(seed: sample(y.shape, seed: 50))
            return [y.detached(), x.grad!, w.grad!]
        }
        #expect(try run { try $0.matmul(transposed: $1) } == run { try $0.matmul($1.transposed()) })
    }

    // MARK: softmax, losses, normalisation

    @Test func softmaxAndLogSoftmax() throws {
        let x = sample([3, 5], seed: 28)
        try expectGradients([x]) { try $0[0].softmax() }
        try expectGradients([x]) { try $0[0].softmax(axis: 0) }
        try expectGradients([x]) { try $0[0].logSoftmax() }
        try expectGradients([sample([2, 3, 4], seed: 29)]) { try $0[0].logSoftmax(axis: 1) }
    }

    @Test func scaledCausalSoftmax() throws {
        // The attention weights' fused op: softmax(scale · s) with the causal mask, against
        // the same thing spelled out with a −∞ mask, and gradient-checked.
        let s = sample([2, 4, 4], seed: 40)
        var mask = [Float](repeating: 0, count: 16)
        for m in 0..<4 { for t in (m + 1)..<4 { mask[m * 4 + t] = -.infinity } }
        let spelled = try (s * 0.5 + Tensor(shape: [4, 4], scalars: mask)).softmax()
        let fused = try s.scaledSoftmax(scale: 0.5, causal: true)
        #expect(zip(fused.scalars, spelled.scalars).allSatisfy { abs($0 - $1) <= 1e-7 })
        try expectGradients([s]) { try $0[0].scaledSoftmax(scale: 0.5, causal: true) }
        try expectGradients([sample([3, 6], seed: 41)]) { try $0[0].scaledSoftmax(scale: -1.5) }
        #expect(throws: TensorError.self) { try sample([2, 3], seed: 1).scaledSoftmax(causal: true) }
    }

    @Test func crossEntropyWithIgnoredRows() throws {
        let logits = sample([4, 5], seed: 30)
        try expectGradients([logits]) { try $0[0].crossEntropy(targets: [1, 4, 0, 2]) }
        try expectGradients([logits]) { try $0[0].crossEntropy(targets: [1, -1, 3, -1], ignoreIndex: -1) }
    }

    @Test func layerNorm() throws {
        let x = sample([3, 4], seed: 31)
        try expectGradients([x, sample([4], seed: 32), sample([4], seed: 33)]) {
            try $0[0].layerNorm(gamma: $0[1], beta: $0[2])
        }
        // Without γ or β, and over a batch of sequences (B, T, d) as a transformer uses it.
        try expectGradients([sample([2, 3, 5], seed: 42)]) { try $0[0].layerNorm() }
        try expectGradients([sample([2, 3, 5], seed: 43), sample([5], seed: 44)]) { try $0[0].layerNorm(gamma: $0[1]) }
    }

    @Test func layerNormIsTheFormulaSpelledOut() throws {
        // The fused op rounds as the formula's ops do: the same bits as (x − μ)/√(σ² + ε)·γ + β.
        let x = sample([6, 7], seed: 45), gamma = sample([7], seed: 46), beta = sample([7], seed: 47)
        let mu = try x.mean(axis: -1, keepDims: true)
        let variance = try x.variance(axis: -1, keepDims: true)
        let spelled = try (x - mu) / (variance + Tensor(1e-5)).sqrt() * gamma + beta
        #expect(try x.layerNorm(gamma: gamma, beta: beta) == spelled)
    }

    // MARK: the fused LSTM step

    /// The LSTM step's formulas op by op: (c, h, Δc, i, g, o, f).
    static func spelledLSTMStep(_ pre: Tensor, _ bias: Tensor, _ cPrev: Tensor, forgetGate: Bool) throws -> [Tensor] {
        let parts = try (pre + bias).split(parts: forgetGate ? 4 : 3, axis: -1)
        let (i, g, o) = (parts[0].sigmoid(), parts[1].tanh(), parts[2].sigmoid())
        let f = forgetGate ? parts[3].sigmoid() : nil
        let deltaC = try f.map { try ($0 - 1) * cPrev + i * g } ?? (i * g)
        let c = try cPrev + deltaC
        return [c, try o * c.tanh(), deltaC, i, g, o] + (f.map { [$0] } ?? [])
    }

    @Test(arguments: [true, false]) func lstmStepIsTheFormulasSpelledOut(forgetGate: Bool) throws {
        // Every value the fused step shows, bit for bit; a batch of 3 and a single vector.
        let G = forgetGate ? 4 : 3
        for batch in [[3], []] {
            let pre = sample(batch + [G * 5], seed: 50), bias = sample([G * 5], seed: 51), cPrev = sample(batch + [5], seed: 52)
            let fused = try Tensor.lstmStep(pre: pre, bias: bias, cPrev: cPrev, forgetGate: forgetGate)
            let spelled = try Self.spelledLSTMStep(pre, bias, cPrev, forgetGate: forgetGate)
            #expect(fused.c == spelled[0] && fused.h == spelled[1] && fused.deltaC == spelled[2])
            #expect((0..<G).map { fused.gate($0) } == Array(spelled[3...]))
        }
    }

    @Test(arguments: [true, false]) func lstmStepGradients(forgetGate: Bool) throws {
        let G = forgetGate ? 4 : 3
        let inputs = [sample([2, G * 3], seed: 53), sample([G * 3], seed: 54), sample([2, 3], seed: 55)]
        // c and h both weighed (h + 0.7·c), through two steps so c_{t−1}'s gradient meets
        // both of its uses.
        func twoSteps(_ x: [Tensor]) throws -> Tensor {
            let first = try Tensor.lstmStep(pre: x[0], bias: x[1], cPrev: x[2], forgetGate: forgetGate)
            let second = try Tensor.lstmStep(pre: x[0] * 0.5, bias: x[1], cPrev: first.c, forgetGate: forgetGate)
            return try second.h + second.c * 0.7 + first.h
        }
        try expectGradients(inputs, twoSteps)
        // The spelled-out graph's gradients agree to rounding (the order of adding differs).
        func spelled(_ x: [Tensor]) throws -> Tensor {
            let first = try Self.spelledLSTMStep(x[0], x[1], x[2], forgetGate: forgetGate)
            let second = try Self.spelledLSTMStep(x[0] * 0.5, x[1], first[0], forgetGate: forgetGate)
            return try second[1] + second[0] * 0.7 + first[1]
        }
        func gradients(_ f: ([Tensor]) throws -> Tensor) throws -> [Float] {
            let leaves = inputs.map { $0.requiringGrad() }
            try f(leaves).sum().backward()
            return leaves.flatMap { $0.grad!.scalars }
        }
        let (a, b) = (try gradients(twoSteps), try gradients(spelled))
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
        #expect(throws: TensorError.self) { try Tensor.lstmStep(pre: inputs[0], bias: inputs[1], cPrev: sample([2, 4], seed: 1), forgetGate: forgetGate) }
    }

    // MARK: the linear layer as one op

    /// x·Wᵀ + b in one op: the bits of the two ops it replaces, forward and backward, for
    /// a matrix and a batch of them; its gradients against finite differences; shapes that
    /// are not a linear layer's get the two ops' own messages.
    @Test func linearIsTheProductThenTheAdd() throws {
        for xShape in [[5, 3], [2, 4, 3]] {
            let x = sample(xShape, seed: 80), w = sample([6, 3], seed: 81), b = sample([6], seed: 82)
            try expectGradients([x, w, b]) { try $0[0].linear(weight: $0[1], bias: $0[2]) }
            func run(_ f: ([Tensor]) throws -> Tensor) throws -> [[Float]] {
                let leaves = [x, w, b].map { $0.requiringGrad() }
                let y = try f(leaves)
                try (y * sample(y.shape, seed: 83)).sum().backward()
                return [y.scalars] + leaves.map { $0.grad!.scalars }
            }
            let fused = try run { try $0[0].linear(weight: $0[1], bias: $0[2]) }
            let twoOps = try run { try $0[0].matmul(transposed: $0[1]) + $0[2] }
            #expect(fused == twoOps)
        }
        let x = sample([5, 3], seed: 84)
        #expect(try x.linear(weight: sample([6, 3], seed: 85), bias: nil) == x.matmul(transposed: sample([6, 3], seed: 85)))
        #expect(throws: TensorError.self) { try x.linear(weight: sample([6, 4], seed: 86), bias: sample([6], seed: 87)) }
        #expect(throws: TensorError.self) { try x.linear(weight: sample([6, 3], seed: 86), bias: sample([5], seed: 87)) }
    }

    // MARK: the LSTM over a sequence

    /// The sequence op against the fused step it is made of, run step by step over the
    /// product [x_t, h_{t−1}]·W'ᵀ with W's x columns first: every h and c, bit for bit.
    @Test(arguments: [true, false]) func lstmSequenceIsTheStepsOneAfterAnother(forgetGate: Bool) throws {
        let (G, N, T, dx, H) = (forgetGate ? 4 : 3, 3, 4, 2, 5)
        let x = sample([N, T, dx], seed: 60), w = sample([G * H, H + dx], seed: 61), b = sample([G * H], seed: 62)
        let h0 = sample([N, H], seed: 63), c0 = sample([N, H], seed: 64)
        let run = try Tensor.lstmSequence(x: x, weights: w, bias: b, h0: h0, c0: c0, forgetGate: forgetGate)
        let inputFirst = try Tensor.concatenate([w.slice(axis: 1, start: H), w.slice(axis: 1, end: H)], axis: 1)
        var (h, c) = (h0, c0)
        for t in 0..<T {
            let z = try Tensor.concatenate([x.select(axis: 1, index: t), h], axis: -1)
            let step = try Tensor.lstmStep(pre: z.matmul(transposed: inputFirst), bias: b, cPrev: c, forgetGate: forgetGate)
            (h, c) = (step.h, step.c)
            #expect(try run.h.select(axis: 1, index: t) == h && run.c.select(axis: 1, index: t) == c, "step \(t)")
            let shown = run.step(t)
            #expect(shown.gates == step.gates && shown.deltaC == step.deltaC && shown.h == h)
        }
    }

    /// Every input's gradient — x, the stacked weights, the bias, h0, c0 — through both
    /// outputs (h and c weighed differently), against finite differences; and the same as
    /// the step-by-step graph's to rounding (the order of adding differs).
    @Test(arguments: [true, false]) func lstmSequenceGradients(forgetGate: Bool) throws {
        let (G, N, T, dx, H) = (forgetGate ? 4 : 3, 2, 3, 2, 3)
        let inputs = [sample([N, T, dx], seed: 65), sample([G * H, H + dx], seed: 66), sample([G * H], seed: 67),
                      sample([N, H], seed: 68), sample([N, H], seed: 69)]
        let probe = sample([N, T, H], seed: 70)
        func sequence(_ v: [Tensor]) throws -> Tensor {
            let run = try Tensor.lstmSequence(x: v[0], weights: v[1], bias: v[2], h0: v[3], c0: v[4], forgetGate: forgetGate)
            return try run.h * probe + run.c * 0.7
        }
        try expectGradients(inputs, sequence)
        func stepped(_ v: [Tensor]) throws -> Tensor {
            let inputFirst = try Tensor.concatenate([v[1].slice(axis: 1, start: H), v[1].slice(axis: 1, end: H)], axis: 1)
            var (h, c) = (v[3], v[4]), hs: [Tensor] = [], cs: [Tensor] = []
            for t in 0..<T {
                let z = try Tensor.concatenate([v[0].select(axis: 1, index: t), h], axis: -1)
                let step = try Tensor.lstmStep(pre: z.matmul(transposed: inputFirst), bias: v[2], cPrev: c, forgetGate: forgetGate)
                (h, c) = (step.h, step.c)
                hs.append(h)
                cs.append(c)
            }
            return try Tensor.stack(hs, axis: 1) * probe + Tensor.stack(cs, axis: 1) * 0.7
        }
        func gradients(_ f: ([Tensor]) throws -> Tensor) throws -> [Float] {
            let leaves = inputs.map { $0.requiringGrad() }
            try f(leaves).sum().backward()
            return leaves.flatMap { $0.grad!.scalars }
        }
        let (a, b) = (try gradients(sequence), try gradients(stepped))
        #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
    }

    @Test func lstmSequenceRefusesMismatchedShapes() throws {
        let x = sample([2, 3, 2], seed: 71), w = sample([12, 5], seed: 72), b = sample([12], seed: 73), s = sample([2, 3], seed: 74)
        _ = try Tensor.lstmSequence(x: x, weights: w, bias: b, h0: s, c0: s, forgetGate: true)
        #expect(throws: TensorError.self) { try Tensor.lstmSequence(x: x, weights: w, bias: b, h0: s, c0: s, forgetGate: false) }
        #expect(throws: TensorError.self) { try Tensor.lstmSequence(x: x, weights: w, bias: b, h0: sample([3, 3], seed: 1), c0: s, forgetGate: true) }
        #expect(throws: TensorError.self) { try Tensor.lstmSequence(x: sample([2, 3], seed: 1), weights: w, bias: b, h0: s, c0: s, forgetGate: true) }
    }

    // MARK: convolution

    @Test("conv2d with padding and stride", arguments: [((1, 1), (0, 0)), ((1, 1), (1, 1)), ((2, 1), (1, 0))])
    func conv2d(geometry: ((Int, Int), (Int, Int))) throws {
        let x = sample([2, 2, 5, 4], seed: 34), w = sample([3, 2, 3, 2], seed: 35), b = sample([3], seed: 36)
        try expectGradients([x, w, b]) {
            try $0[0].conv2d(weight: $0[1], bias: $0[2], stride: geometry.0, padding: geometry.1)
        }
    }

    @Test func conv1d() throws {
        let x = sample([2, 3, 7], seed: 37), w = sample([2, 3, 3], seed: 38), b = sample([2], seed: 39)
        try expectGradients([x, w, b]) { try $0[0].conv1d(weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
        try expectGradients([x, w]) { try $0[0].conv1d(weight: $0[1]) }
    }

    // MARK: a composite, to check that gradients flow through a whole graph

    @Test func twoLayerNetworkWithSharedInput() throws {
        let x = sample([4, 3], seed: 40), w1 = sample([3, 5], seed: 41), w2 = sample([5, 2], seed: 42)
        try expectGradients([x, w1, w2]) {
            let h = try $0[0].matmul($0[1]).tanh()
            // x is used twice: its gradient must be the sum of both paths.
            return try h.matmul($0[2]).sum(axis: 1) + $0[0].sum(axis: 1)
        }
    }
}
