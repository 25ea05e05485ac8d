import Foundation
import Models
import RealModule
import Tensor
import Testing
import Trace

private func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as TensorError {
        return error.message
    } catch {
        return "unexpected \(error)"
    }
}

private func sigmoid(_ v: [Double]) -> [Double] { v.map { 1 / (1 + Double.exp(-$0)) } }

/// One LSTM step in Double from the named parameters: returns (h, c) and the gates.
private func naiveLSTMStep(_ lstm: LSTM, x: [Double], h: [Double], c: [Double]) throws
    -> (h: [Double], c: [Double], f: [Double], i: [Double], g: [Double], o: [Double]) {
    let d = lstm.hiddenSize
    let z = h + x
    func affine(_ w: String, _ b: String) throws -> [Double] {
        Naive.affine(try #require(lstm.parameter(w)).value.scalars, z, try #require(lstm.parameter(b)).value.scalars, out: d)
    }
    let f = lstm.forgetGate ? sigmoid(try affine("Wf", "bf")) : [Double](repeating: 1, count: d)
    let i = sigmoid(try affine("Wi", "bi")), g = Naive.tanh(try affine("Wg", "bg")), o = sigmoid(try affine("Wo", "bo"))
    let cNew = (0..<d).map { f[$0] * c[$0] + i[$0] * g[$0] }
    let hNew = (0..<d).map { o[$0] * Double.tanh(cNew[$0]) }
    return (hNew, cNew, f, i, g, o)
}

/// Running parity of every bit string of length T: x (2^T, T, 1), targets y_t = x_1 ⊕ … ⊕ x_t.
private func parityTask(length: Int) throws -> (x: Tensor, targets: [Int]) {
    var xs: [Float] = [], ys: [Int] = []
    for s in 0..<(1 << length) {
        var parity = 0
        for t in 0..<length {
            let bit = (s >> t) & 1
            parity ^= bit
            xs.append(Float(bit))
            ys.append(parity)
        }
    }
    return (try Tensor(shape: [1 << length, length, 1], scalars: xs), ys)
}

/// "Remember the marked value": x_t = (value, marker); at t = 1 the value is ±1 (the bit
/// to remember) and the marker is 1, later values are uniform noise in [−1, 1) with
/// marker 0. The answer is the bit, asked after the last step.
private func memoryTask(count: Int, length: Int, seed: UInt64) throws -> (x: Tensor, bits: [Int]) {
    var rng = SplitMix64(seed: seed)
    var xs: [Float] = [], bits: [Int] = []
    for n in 0..<count {
        let bit = n % 2
        bits.append(bit)
        xs += [bit == 1 ? 1 : -1, 1]
        for _ in 1..<length { xs += [2 * rng.uniform() - 1, 0] }
    }
    return (try Tensor(shape: [count, length, 2], scalars: xs), bits)
}

@Suite struct RecurrentModelTests {
    // MARK: RNN

    @Test func rnnMatchesANaiveLoopAndEachStepEmitsItsFormula() throws {
        let rnn = try RNN(inputSize: 2, hiddenSize: 3, seed: 8)
        try #require(rnn.parameter("b")).assign(Tensor([0.1, -0.3, 0.2]))
        let x = try Tensor([[0.5, -1], [1, 0.2], [-0.7, 0.4], [0, 1]])  // (T = 4, d_x = 2)
        let h0 = Tensor([0.2, -0.1, 0.5])
        let (states, events) = try recording { try rnn(x, h0: h0, labels: ["I", "love", "machine", "learning"]) }
        #expect(states.shape == [4, 3])

        let w = try #require(rnn.parameter("W")).value.scalars, u = try #require(rnn.parameter("U")).value.scalars
        let b = try #require(rnn.parameter("b")).value.scalars
        var h = h0.scalars.map(Double.init)
        for (t, xt) in Naive.rows(x).enumerated() {
            let fromPast = Naive.affine(w, h, b, out: 3), fromInput = Naive.affine(u, xt, nil, out: 3)
            h = Naive.tanh(zip(fromPast, fromInput).map(+))
            #expect(maxDifference(h, states.scalars[(t * 3)..<(t * 3 + 3)]) < 1e-5)
        }

        #expect(events.map(\.kind) == [EventKind](repeating: .recurrent, count: 4))
        #expect(events.map { $0.index("t") } == [.int(1), .int(2), .int(3), .int(4)])
        #expect(events[0].formula == "h_t = tanh(W h_{t−1} + U x_t + b)")
        #expect(events[2].labels == ["I", "love", "machine", "learning"])
        for (k, event) in events.enumerated() {
            // h = tanh(W h_prev + U x + b), from the snapshots alone.
            let hPrev = try #require(event["h_prev"]).data.map(Double.init), xt = try #require(event["x"]).data.map(Double.init)
            let sw = try #require(event["W"]).data, su = try #require(event["U"]).data, sb = try #require(event["b"]).data
            let expected = Naive.tanh(zip(Naive.affine(sw, hPrev, sb, out: 3), Naive.affine(su, xt, nil, out: 3)).map(+))
            #expect(maxDifference(expected, try #require(event["h"]).data) < 1e-5)
            #expect(event["x"]?.data == Array(x.scalars[(k * 2)..<(k * 2 + 2)]))
            // A message from the past: each step starts from the state the last one left.
            #expect(event["h_prev"] == (k == 0 ? h0.snapshot : events[k - 1]["h"]))
        }
    }

    @Test func rnnBatchRunsEachSequenceIndependently() throws {
        let rnn = try RNN(inputSize: 2, hiddenSize: 3, seed: 2)
        let batch = try Tensor.randomNormal([3, 5, 2], seed: 4)
        let h0 = try Tensor.randomNormal([3, 3], seed: 5)
        let (all, events) = try recording { try rnn(batch, h0: h0) }
        #expect(all.shape == [3, 5, 3])
        #expect(events.count == 5 && events[0]["h"]?.shape == [3, 3])
        for n in 0..<3 {
            let alone = try rnn(batch.select(axis: 0, index: n), h0: h0.select(axis: 0, index: n))
            #expect(maxDifference(alone.scalars, try all.select(axis: 0, index: n).scalars) < 1e-6)
        }
        // Zero initial state by default.
        let fromZero = try rnn(batch), fromZeros = try rnn(batch, h0: Tensor.zeros([3, 3]))
        #expect(fromZero == fromZeros)
    }

    @Test func rnnHandSetWeightsGiveTheHandComputedStates() throws {
        let rnn = try RNN(inputSize: 1, hiddenSize: 1, seed: 1)
        #expect(rnn.namedParameters.map(\.path) == ["W", "U", "b"])
        #expect(rnn.parameter("W")?.shape == [1, 1] && rnn.parameter("U")?.shape == [1, 1])
        // W = 0.5, U = 2, b = −0.1: h_t = tanh(0.5 h_{t−1} + 2 x_t − 0.1).
        try #require(rnn.parameter("W")).assign(Tensor([[0.5]]))
        try #require(rnn.parameter("U")).assign(Tensor([[2]]))
        try #require(rnn.parameter("b")).assign(Tensor([-0.1]))
        let h = try rnn(Tensor([[0.5], [-0.2], [0]]))
        let h1 = Double.tanh(2 * 0.5 - 0.1), h2 = Double.tanh(0.5 * h1 - 0.4 - 0.1), h3 = Double.tanh(0.5 * h2 - 0.1)
        #expect(maxDifference([h1, h2, h3], h.scalars) < 1e-6)
        // Cut the message from the past (W = 0): each h_t hears only x_t.
        try #require(rnn.parameter("W")).assign(Tensor([[0]]))
        let forgetful = try rnn(Tensor([[0.5], [-0.2], [0]]))
        #expect(maxDifference([Double.tanh(0.9), Double.tanh(-0.5), Double.tanh(-0.1)], forgetful.scalars) < 1e-6)
    }

    @Test func rnnGradientsThroughTimeMatchFiniteDifferences() throws {
        let rnn = try RNN(inputSize: 2, hiddenSize: 3, seed: 3)
        try #require(rnn.parameter("b")).assign(Tensor([0.2, -0.1, 0.05]))
        let x = try Tensor.randomNormal([2, 4, 2], seed: 7)
        let probe = try Tensor.randomNormal([2, 4, 3], seed: 9)
        let error = try worstGradientError(rnn.parameters, step: 1e-3) { try (rnn(x) * probe).sum() }
        #expect(error < 1e-2)
        // Only the last state scored: W still gets a gradient, which can only come through time.
        rnn.zeroGrad()
        try rnn(x).select(axis: 1, index: 3).sum().backward()
        #expect((rnn.parameter("W")?.grad?.scalars.map(abs).max() ?? 0) > 1e-4)
    }

    @Test func rnnLearnsRunningParity() throws {
        let rnn = try RNN(inputSize: 1, hiddenSize: 8, seed: 1)
        var rng = SplitMix64(seed: 101)
        let readout = try Linear(8, 2, using: &rng)
        let (x, targets) = try parityTask(length: 6)  // all 64 bit strings, 384 targets
        let adam = Adam(rnn.parameters + readout.parameters, learningRate: 0.05)
        var losses: [Float] = []
        for _ in 0..<300 {
            adam.zeroGrad()
            let loss = try readout(rnn(x).reshaped([-1, 8])).crossEntropy(targets: targets)
            try loss.backward()
            adam.step()
            losses.append(try loss.item())
        }
        #expect(losses[0] > 0.6)
        #expect(losses.last ?? 1 < 0.05, "final loss \(losses.last ?? .nan)")
        let predictions = try readout(rnn(x).reshaped([-1, 8])).argmax(axis: 1).scalars.map { Int($0) }
        #expect(predictions == targets)
    }

    @Test func rnnRejectsBadInputsWithClearMessages() throws {
        let rnn = try RNN(inputSize: 2, hiddenSize: 3, seed: 1)
        #expect(errorMessage { _ = try rnn(Tensor.zeros([4, 3])) }?.contains("expected (T, 2)") == true)
        #expect(errorMessage { _ = try rnn(Tensor([1, 2])) }?.contains("expected (T, 2)") == true)
        #expect(errorMessage { _ = try rnn(Tensor.zeros([0, 2])) }?.contains("the sequence is empty") == true)
        #expect(errorMessage { _ = try rnn(Tensor.zeros([4, 2]), h0: Tensor.zeros([2])) }?
            .contains("initial state h0 has shape (2,), expected (3,)") == true)
        #expect(errorMessage { _ = try rnn(Tensor.zeros([2, 4, 2]), h0: Tensor.zeros([3])) }?.contains("expected (2, 3)") == true)
        #expect(errorMessage { _ = try rnn(Tensor.zeros([4, 2]), labels: ["a", "b"]) }?.contains("2 labels for 4 time steps") == true)
        #expect(errorMessage { _ = try rnn.cell(Tensor.zeros([2]), Tensor.zeros([1, 3])) }?.contains("h_{t−1} has shape (1, 3)") == true)
    }

    // MARK: LSTM

    @Test(arguments: [true, false])
    func lstmMatchesANaiveLoop(forgetGate: Bool) throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 3, forgetGate: forgetGate, seed: 5)
        for (k, name) in ["bi", "bg", "bo"].enumerated() {
            try #require(lstm.parameter(name)).assign(Tensor.randomNormal([3], std: 0.5, seed: UInt64(31 + k)))
        }
        let x = try Tensor.randomNormal([5, 2], seed: 2)
        let h0 = Tensor([0.1, -0.2, 0.3]), c0 = Tensor([0.5, 1, -0.4])
        let result = try lstm.run(x, h0: h0, c0: c0)
        #expect(result.h.shape == [5, 3] && result.c.shape == [5, 3])
        var h = h0.scalars.map(Double.init), c = c0.scalars.map(Double.init)
        for (t, xt) in Naive.rows(x).enumerated() {
            let step = try naiveLSTMStep(lstm, x: xt, h: h, c: c)
            (h, c) = (step.h, step.c)
            #expect(maxDifference(h, result.h.scalars[(t * 3)..<(t * 3 + 3)]) < 1e-5)
            #expect(maxDifference(c, result.c.scalars[(t * 3)..<(t * 3 + 3)]) < 1e-5)
        }
        #expect(try lstm(x, h0: h0, c0: c0) == result.h)
        // A batch runs each sequence on its own.
        let batch = try Tensor.stack([x, x * -0.5])
        let batched = try lstm(batch)
        #expect(maxDifference(try lstm(x * -0.5).scalars, try batched.select(axis: 0, index: 1).scalars) < 1e-6)
    }

    @Test(arguments: [true, false])
    func lstmEventsSatisfyTheMemoryUpdate(forgetGate: Bool) throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 3, forgetGate: forgetGate, seed: 9)
        let x = try Tensor.randomNormal([2, 4, 2], seed: 3)
        let (_, events) = try recording { try lstm(x, c0: Tensor.randomNormal([2, 3], seed: 4), labels: ["a", "b", "c", "d"]) }
        #expect(events.map(\.kind) == [EventKind](repeating: .lstm, count: 4))
        #expect(events.map { $0.index("t") } == [.int(1), .int(2), .int(3), .int(4)])
        #expect(events[0].index("forget_gate") == .bool(forgetGate) && events[0].labels == ["a", "b", "c", "d"])
        #expect(events[0].formula == (forgetGate ? "c_t = c_{t−1} + Δc_t, Δc_t = (f−1)⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t)"
                                                 : "c_t = c_{t−1} + Δc_t, Δc_t = i⊙g, h_t = o⊙tanh(c_t)"))
        for (k, event) in events.enumerated() {
            func v(_ name: String) throws -> [Double] { try #require(event[name]).data.map(Double.init) }
            let (cPrev, f, i, g, o) = (try v("c_prev"), try v("f"), try v("i"), try v("g"), try v("o"))
            let (deltaC, c, h) = (try v("delta_c"), try v("c"), try v("h"))
            #expect(event["c"]?.shape == [2, 3])
            let n = c.count
            // c = c_prev + Δc, Δc = (f − 1)⊙c_prev + i⊙g (resp. i⊙g), h = o⊙tanh(c) — snapshots alone.
            #expect(maxDifference((0..<n).map { cPrev[$0] + deltaC[$0] }, c) < 1e-6)
            let expectedDelta = (0..<n).map { (forgetGate ? (f[$0] - 1) * cPrev[$0] : 0) + i[$0] * g[$0] }
            #expect(maxDifference(expectedDelta, deltaC) < 1e-6)
            #expect(maxDifference((0..<n).map { o[$0] * Double.tanh(c[$0]) }, h) < 1e-6)
            if !forgetGate { #expect(f.allSatisfy { $0 == 1 }) }
            // The gates are the lecture's σ/tanh of W·[h_prev, x] + b, per row.
            let hPrev = try #require(event["h_prev"]), xs = try #require(event["x"])
            for r in 0..<2 {
                let s = try naiveLSTMStep(lstm, x: xs.row(r).map(Double.init), h: hPrev.row(r).map(Double.init),
                                          c: Array(cPrev[(r * 3)..<(r * 3 + 3)]))
                #expect(maxDifference(s.f + s.i + s.g + s.o, [f, i, g, o].flatMap { Array($0[(r * 3)..<(r * 3 + 3)]) }) < 1e-5)
            }
            if k > 0 {
                #expect(event["c_prev"] == events[k - 1]["c"] && event["h_prev"] == events[k - 1]["h"])
            }
        }
    }

    /// The whole run is one op: the same bits forward as one product per gate (the cell's
    /// formula written out with Tensor ops), each product over [x_t, h_{t−1}] — the order
    /// in which the op sums, x_t's part first for all steps at once. Backward, the sums
    /// run in other orders (over steps inside one product, over all gates' rows at once),
    /// so the parameters' gradients agree to float rounding, not bits.
    @Test(arguments: [true, false])
    func stackedGatesGiveTheBitsOfOneProductPerGate(forgetGate: Bool) throws {
        let lstm = try LSTM(inputSize: 32, hiddenSize: 64, forgetGate: forgetGate, seed: 3)
        let x = try Tensor.randomNormal([16, 5, 32], seed: 4)
        func parameter(_ name: String) throws -> Tensor { try #require(lstm.parameter(name)).value }
        func perGate() throws -> (h: Tensor, loss: Tensor) {
            var h = try Tensor.zeros([16, 64]), c = try Tensor.zeros([16, 64]), hs: [Tensor] = []
            for t in 0..<5 {
                let z = try Tensor.concatenate([x.select(axis: 1, index: t), h], axis: -1)
                func gate(_ w: String, _ b: String) throws -> Tensor {
                    let W = try parameter(w), inputFirst = try Tensor.concatenate([W.slice(axis: 1, start: 64), W.slice(axis: 1, end: 64)], axis: 1)
                    return try z.matmul(transposed: inputFirst) + parameter(b)
                }
                let i = try gate("Wi", "bi").sigmoid(), g = try gate("Wg", "bg").tanh(), o = try gate("Wo", "bo").sigmoid()
                let delta = forgetGate ? try (gate("Wf", "bf").sigmoid() - 1) * c + i * g : try i * g
                c = try c + delta
                h = try o * c.tanh()
                hs.append(h)
            }
            let stacked = try Tensor.stack(hs, axis: 1)
            return (stacked, try (stacked * stacked).sum())
        }
        let reference = try perGate()
        try reference.loss.backward()
        let referenceGrads = lstm.parameters.map { $0.grad?.scalars ?? [] }
        lstm.zeroGrad()
        let h = try lstm(x)
        #expect(h.scalars == reference.h.scalars, "forward: the same bits")
        try (h * h).sum().backward()
        for (p, expected) in zip(lstm.parameters, referenceGrads) {
            let got = try #require(p.grad?.scalars)
            let scale = expected.map { abs($0) }.max() ?? 1
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(got.count == expected.count && worst <= 1e-5 * scale, "gradient of \(p.name): off by \(worst) of \(scale)")
        }
    }

    /// A run is one op; stepping the cell by hand, tracing the run, and a run with a patch
    /// on its steps (which goes step by step) all give its bits.
    @Test(arguments: [true, false])
    func steppingTracingAndPatchingGiveTheRunsBits(forgetGate: Bool) throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 4, forgetGate: forgetGate, seed: 8)
        let x = try Tensor.randomNormal([2, 6, 3], seed: 9), c0 = try Tensor.randomNormal([2, 4], seed: 10)
        let run = try lstm.run(x, c0: c0)
        var state = LSTMState(h: try Tensor.zeros([2, 4]), c: c0), hs: [Tensor] = []
        for t in 0..<6 {
            state = try lstm.cell(x.select(axis: 1, index: t), state, t: t + 1)
            hs.append(state.h)
        }
        #expect(try Tensor.stack(hs, axis: 1) == run.h)
        let (traced, events) = try recording { try lstm.run(x, c0: c0) }
        #expect(traced.h == run.h && traced.c == run.c)
        #expect(events.last?["h"]?.data == state.h.scalars)
        let patched = try Patching.with([TensorPatch(kind: .lstm, key: "h", step: ["t": .int(7)], at: [], value: Tensor(0).snapshot)]) {
            try lstm.run(x, c0: c0)
        }
        #expect(patched.h == run.h, "a patch at a step that never comes changes nothing")
        let single = try lstm.run(x.select(axis: 0, index: 1), c0: c0.select(axis: 0, index: 1))
        #expect(try single.h == run.h.select(axis: 0, index: 1), "one sequence alone has its bits in the batch")
    }

    @Test func lstmParametersAreNamedAndHandSetWeightsGiveHandComputedStates() throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 3, seed: 4)
        #expect(lstm.namedParameters.map(\.path) == ["Wf", "Wi", "Wg", "Wo", "bf", "bi", "bg", "bo"])
        #expect(lstm.parameter("Wf")?.shape == [3, 5] && lstm.parameter("bo")?.shape == [3])
        #expect(lstm.parameter("bf")?.value.scalars == [1, 1, 1])  // starts out remembering
        let original = try LSTM(inputSize: 2, hiddenSize: 3, forgetGate: false, seed: 4)
        #expect(original.namedParameters.map(\.path) == ["Wi", "Wg", "Wo", "bi", "bg", "bo"])
        #expect(original.parameter("Wf") == nil)
        #expect(original.parameter("Wi")?.value == lstm.parameter("Wi")?.value)

        // All weights 0, biases 0 except bg = atanh(0.2): i = o = 0.5, g = 0.2 at every step.
        // The 1997 cell only adds: c_t = c_{t−1} + 0.1, so it counts time — c_t = 0.1·t.
        // With the forget gate at f = σ(0) = 0.5 it leaks: c_t = 0.5 c_{t−1} + 0.1.
        for model in [lstm, original] {
            for p in model.parameters { try p.assign(Tensor.zeros(p.shape)) }
            try #require(model.parameter("bg")).assign(Tensor([Float](repeating: Float(Double.atanh(0.2)), count: 3)))
        }
        let x = try Tensor.randomNormal([6, 2], seed: 1)
        let counted = try original.run(x)
        let leaky = try lstm.run(x)
        var c = 0.0
        for t in 1...6 {
            c = 0.5 * c + 0.1
            #expect(abs(Double(try counted.c.scalar(at: [t - 1, 0])) - 0.1 * Double(t)) < 1e-6)
            #expect(abs(Double(try counted.h.scalar(at: [t - 1, 2])) - 0.5 * Double.tanh(0.1 * Double(t))) < 1e-6)
            #expect(abs(Double(try leaky.c.scalar(at: [t - 1, 1])) - c) < 1e-6)
        }
    }

    @Test(arguments: [true, false])
    func lstmGradientsMatchFiniteDifferences(forgetGate: Bool) throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 2, forgetGate: forgetGate, seed: 6)
        let x = try Tensor.randomNormal([2, 3, 2], seed: 1)
        let probe = try Tensor.randomNormal([2, 3, 2], seed: 2)
        let error = try worstGradientError(lstm.parameters, step: 1e-3) {
            let s = try lstm.run(x)
            return try (s.h * probe).sum() + (s.c * probe).sum() * 0.5
        }
        #expect(error < 1e-2)
    }

    @Test(arguments: [true, false])
    func lstmRemembersAMarkedValueForTwelveSteps(forgetGate: Bool) throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 6, forgetGate: forgetGate, seed: 1)
        var rng = SplitMix64(seed: 101)
        let readout = try Linear(6, 2, using: &rng)
        let (x, bits) = try memoryTask(count: 32, length: 12, seed: 77)
        let adam = Adam(lstm.parameters + readout.parameters, learningRate: 0.05)
        var losses: [Float] = []
        for _ in 0..<100 {
            adam.zeroGrad()
            // Only the last step is asked: the bit must survive 11 noisy steps in c.
            let loss = try readout(lstm(x).select(axis: 1, index: 11)).crossEntropy(targets: bits)
            try loss.backward()
            adam.step()
            losses.append(try loss.item())
        }
        #expect(losses[0] > 0.5)
        #expect(losses.last ?? 1 < 0.01, "final loss \(losses.last ?? .nan)")
        // New sequences (fresh noise) are answered right too.
        let (test, testBits) = try memoryTask(count: 64, length: 12, seed: 78)
        let predictions = try readout(lstm(test).select(axis: 1, index: 11)).argmax(axis: 1).scalars.map { Int($0) }
        #expect(predictions == testBits)
    }

    @Test func lstmRejectsBadInputsWithClearMessages() throws {
        let lstm = try LSTM(inputSize: 2, hiddenSize: 3, seed: 1)
        #expect(errorMessage { _ = try lstm(Tensor.zeros([5, 4])) }?.contains("input has shape (5, 4), expected (T, 2)") == true)
        #expect(errorMessage { _ = try lstm(Tensor.zeros([5, 2]), c0: Tensor.zeros([1, 3])) }?
            .contains("initial state c0 has shape (1, 3), expected (3,)") == true)
        #expect(errorMessage { _ = try lstm(Tensor.zeros([5, 2]), labels: []) }?.contains("0 labels for 5 time steps") == true)
        let state = LSTMState(h: try Tensor.zeros([3]), c: try Tensor.zeros([4]))
        #expect(errorMessage { _ = try lstm.cell(Tensor.zeros([2]), state) }?.contains("c_{t−1} has shape (4,)") == true)
        #expect(errorMessage { _ = try LSTM(inputSize: 0, hiddenSize: 3, seed: 1) }?.contains("sizes must be positive") == true)
    }
}
