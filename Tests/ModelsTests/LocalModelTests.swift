import Foundation
import Models
import RealModule
import Tensor
import Testing
import Trace

/// Naive convolutions in Double over row-major arrays, written independently of the engine.
private enum NaiveConv {
    /// out[n, o, p] = b[o] + Σ_{c,δ} W[o, c, δ]·x[n, c, p·s − pad + δ] (0 outside).
    static func conv1d(_ x: [Float], n: Int, c: Int, length: Int, _ w: [Float], o: Int, k: Int, _ b: [Float],
                       stride: Int, padding: Int) -> [Double] {
        let outLength = (length + 2 * padding - k) / stride + 1
        var out: [Double] = []
        for image in 0..<n {
            for oc in 0..<o {
                for p in 0..<outLength {
                    var sum = Double(b[oc])
                    for ic in 0..<c {
                        for d in 0..<k {
                            let q = p * stride - padding + d
                            guard q >= 0, q < length else { continue }
                            sum += Double(w[(oc * c + ic) * k + d]) * Double(x[(image * c + ic) * length + q])
                        }
                    }
                    out.append(sum)
                }
            }
        }
        return out
    }

    /// out[n, o, i, j] = b[o] + Σ_{c,di,dj} W[o, c, di, dj]·x[n, c, i·s₀ − p₀ + di, j·s₁ − p₁ + dj].
    static func conv2d(_ x: [Float], n: Int, c: Int, h: Int, w: Int, _ weight: [Float], o: Int, kh: Int, kw: Int,
                       _ b: [Float], stride: (Int, Int), padding: (Int, Int)) -> [Double] {
        let ho = (h + 2 * padding.0 - kh) / stride.0 + 1, wo = (w + 2 * padding.1 - kw) / stride.1 + 1
        var out: [Double] = []
        for image in 0..<n {
            for oc in 0..<o {
                for i in 0..<ho {
                    for j in 0..<wo {
                        var sum = Double(b[oc])
                        for ic in 0..<c {
                            for di in 0..<kh {
                                for dj in 0..<kw {
                                    let (r, q) = (i * stride.0 - padding.0 + di, j * stride.1 - padding.1 + dj)
                                    guard r >= 0, r < h, q >= 0, q < w else { continue }
                                    sum += Double(weight[((oc * c + ic) * kh + di) * kw + dj]) * Double(x[((image * c + ic) * h + r) * w + q])
                                }
                            }
                        }
                        out.append(sum)
                    }
                }
            }
        }
        return out
    }
}

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

@Suite struct LocalModelTests {
    // MARK: Conv1D

    @Test func conv1dMatchesANaiveLoopAndItsEventShowsTheWindow() throws {
        let conv = try Conv1DLayer(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1,
                                   activation: .tanh, seed: 4)
        try #require(conv.parameter("b")).assign(Tensor([0.1, -0.2, 0.3]))
        let x = try Tensor.randomNormal([2, 2, 7], seed: 9)
        conv.focus = 0  // the window hangs over the left padding
        let (y, events) = try recording { try conv(x) }
        #expect(y.shape == [2, 3, 4])

        let w = try #require(conv.parameter("W")).value.scalars, b = try #require(conv.parameter("b")).value.scalars
        let pre = NaiveConv.conv1d(x.scalars, n: 2, c: 2, length: 7, w, o: 3, k: 3, b, stride: 2, padding: 1)
        #expect(maxDifference(pre.map { Double.tanh($0) }, y.scalars) < 1e-5)

        let event = try #require(events.first)
        #expect(events.count == 1 && event.kind == .conv)
        #expect(event.formula == "h′_p = tanh(Σ_δ W_δ h_{p+δ} + b)")
        #expect(event.index("layer") == .int(1) && event.index("stride") == .int(2) && event.index("padding") == .int(1))
        #expect(event.index("p") == .int(0) && event.index("window_start") == .int(-1))
        // From the snapshots alone: pre = conv(input, W) + b, output = tanh(pre).
        let input = try #require(event["input"]), kernel = try #require(event["W"]), bias = try #require(event["b"])
        let snapPre = try #require(event["pre"]), output = try #require(event["output"])
        let recomputed = NaiveConv.conv1d(input.data, n: 2, c: 2, length: 7, kernel.data, o: 3, k: 3, bias.data,
                                          stride: 2, padding: 1)
        #expect(maxDifference(recomputed, snapPre.data) < 1e-5)
        #expect(maxDifference(snapPre.data.map { Double.tanh(Double($0)) }, output.data) < 1e-6)
        // The window of p = 0 is [0 (padding), x[0], x[1]] per channel, and output[:, :, 0]
        // = tanh(Σ W ⊙ window + b).
        let window = try #require(event["window"])
        #expect(window.shape == [2, 2, 3])
        for n in 0..<2 {
            for c in 0..<2 {
                let base = (n * 2 + c) * 3
                #expect(window.data[base] == 0)
                #expect(window.data[base + 1] == x.scalars[(n * 2 + c) * 7] && window.data[base + 2] == x.scalars[(n * 2 + c) * 7 + 1])
            }
            for o in 0..<3 {
                var sum = Double(bias.data[o])
                for j in 0..<6 { sum += Double(kernel.data[o * 6 + j]) * Double(window.data[n * 6 + j]) }
                #expect(abs(Double.tanh(sum) - Double(output.data[(n * 3 + o) * 4])) < 1e-5)
            }
        }
    }

    @Test func conv1dWindowMethodAndDefaultFocus() throws {
        let conv = try Conv1DLayer(inChannels: 1, outChannels: 1, kernelSize: 3, seed: 1)
        let x = try Tensor(shape: [1, 1, 6], scalars: [1, 2, 3, 4, 5, 6])
        #expect(try conv.window(of: x, at: 2).scalars == [3, 4, 5])
        let (_, events) = try recording { try conv(x, labels: ["a", "b", "c", "d", "e", "f"]) }
        // L′ = 4, so the middle position is (4 − 1) / 2 = 1, hearing inputs 1…3.
        #expect(events.first?.index("p") == .int(1))
        #expect(events.first?["window"]?.data == [2, 3, 4])
        #expect(events.first?.labels == ["a", "b", "c", "d", "e", "f"])
    }

    @Test func conv1dHandSetKernelIsADifferenceDetector() throws {
        let conv = try Conv1DLayer(inChannels: 1, outChannels: 1, kernelSize: 2, activation: .identity, seed: 2)
        #expect(conv.namedParameters.map(\.path) == ["W", "b"])
        #expect(conv.parameter("W")?.shape == [1, 1, 2])
        // W = [−1, 1], b = 0.5: h′_p = h_{p+1} − h_p + 0.5, the same rule at every position.
        try #require(conv.parameter("W")).assign(try Tensor(shape: [1, 1, 2], scalars: [-1, 1]))
        try #require(conv.parameter("b")).assign(Tensor([0.5]))
        let y = try conv(try Tensor(shape: [1, 1, 5], scalars: [0, 0, 1, 1, 3]))
        #expect(y.scalars == [0.5, 1.5, 0.5, 2.5])
    }

    @Test func conv1dGradientsMatchFiniteDifferences() throws {
        let conv = try Conv1DLayer(inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, padding: 1,
                                   activation: .tanh, seed: 7)
        let x = try Tensor.randomNormal([2, 2, 5], seed: 3)
        let weights = try Tensor.randomNormal([2, 2, 3], seed: 5)
        let error = try worstGradientError(conv.parameters) { try (conv(x) * weights).sum() }
        #expect(error < 1e-2)
    }

    @Test func conv1dRejectsBadInputsWithClearMessages() throws {
        let conv = try Conv1DLayer(inChannels: 2, outChannels: 1, kernelSize: 3, seed: 1)
        let channels = errorMessage { _ = try conv(Tensor.zeros([1, 3, 5])) }
        #expect(channels?.contains("expected (N, 2, L)") == true)
        #expect(errorMessage { _ = try conv(Tensor.zeros([2, 5])) }?.contains("for one sequence use (1, 2, L)") == true)
        #expect(errorMessage { _ = try conv(Tensor.zeros([1, 2, 2])) }?.contains("does not fit") == true)
        #expect(errorMessage { _ = try conv(Tensor.zeros([1, 2, 4]), labels: ["a"]) }?.contains("1 labels for 4 input positions") == true)
        conv.focus = 5
        #expect(errorMessage { _ = try conv(Tensor.zeros([1, 2, 4])) }?.contains("focus position 5 is outside the output") == true)
        #expect(errorMessage { _ = try Conv1DLayer(inChannels: 1, outChannels: 1, kernelSize: 0, seed: 1) } != nil)
    }

    // MARK: Conv2D

    @Test func conv2dMatchesANaiveLoopAndItsEventShowsTheWindow() throws {
        var rng = SplitMix64(seed: 12)
        let conv = try Conv2DLayer(inChannels: 2, outChannels: 2, kernelSize: (3, 2), stride: (2, 1), padding: (1, 0),
                                   activation: .relu, layerIndex: 2, using: &rng)
        try #require(conv.parameter("b")).assign(Tensor([0.2, -0.1]))
        let x = try Tensor.randomNormal([1, 2, 5, 4], seed: 6)
        conv.focus = (row: 0, column: 2)
        let (y, events) = try recording { try conv(x) }
        #expect(y.shape == [1, 2, 3, 3])
        let w = try #require(conv.parameter("W")).value.scalars, b = try #require(conv.parameter("b")).value.scalars
        let pre = NaiveConv.conv2d(x.scalars, n: 1, c: 2, h: 5, w: 4, w, o: 2, kh: 3, kw: 2, b, stride: (2, 1), padding: (1, 0))
        #expect(maxDifference(pre.map { max($0, 0) }, y.scalars) < 1e-5)

        let event = try #require(events.first)
        #expect(event.kind == .conv && event.formula == "h′_p = relu(Σ_δ W_δ h_{p+δ} + b)")
        #expect(event.index("layer") == .int(2) && event.index("stride") == .text("2×1") && event.index("padding") == .text("1×0"))
        #expect(event.index("i") == .int(0) && event.index("j") == .int(2))
        #expect(event.index("window_top") == .int(-1) && event.index("window_left") == .int(2))
        let input = try #require(event["input"]), kernel = try #require(event["W"]), bias = try #require(event["b"])
        let snapPre = try #require(event["pre"]), output = try #require(event["output"])
        let recomputed = NaiveConv.conv2d(input.data, n: 1, c: 2, h: 5, w: 4, kernel.data, o: 2, kh: 3, kw: 2, bias.data,
                                          stride: (2, 1), padding: (1, 0))
        #expect(maxDifference(recomputed, snapPre.data) < 1e-5)
        #expect(maxDifference(snapPre.data.map { max(Double($0), 0) }, output.data) < 1e-6)
        // Window of pixel (0, 2): rows −1…1 (row −1 is padding), columns 2…3.
        let window = try #require(event["window"])
        #expect(window.shape == [1, 2, 3, 2])
        for c in 0..<2 {
            for di in 0..<3 {
                for dj in 0..<2 {
                    let r = di - 1, q = 2 + dj
                    let expected: Float = r < 0 ? 0 : x.scalars[(c * 5 + r) * 4 + q]
                    #expect(window.data[(c * 3 + di) * 2 + dj] == expected)
                }
            }
        }
        for o in 0..<2 {
            var sum = Double(bias.data[o])
            for j in 0..<12 { sum += Double(kernel.data[o * 12 + j]) * Double(window.data[j]) }
            #expect(abs(max(sum, 0) - Double(output.data[o * 9 + 2])) < 1e-5)
        }
    }

    @Test func conv2dHandSetKernelFindsVerticalEdges() throws {
        let conv = try Conv2DLayer(inChannels: 1, outChannels: 1, kernelSize: 2, activation: .identity, seed: 3)
        #expect(conv.namedParameters.map(\.path) == ["W", "b"])
        // W = [[−1, 1], [−1, 1]]: the left–right change summed over two rows.
        try #require(conv.parameter("W")).assign(try Tensor(shape: [1, 1, 2, 2], scalars: [-1, 1, -1, 1]))
        let image = try Tensor(shape: [1, 1, 3, 4], scalars: [0, 0, 1, 1,
                            0, 0, 1, 1,
                            0, 0, 1, 1])
        let y = try conv(image)
        #expect(y.shape == [1, 1, 2, 3])
        #expect(y.scalars == [0, 2, 0, 0, 2, 0])
        #expect(try conv.window(of: image, at: (row: 1, column: 1)).scalars == [0, 1, 0, 1])
    }

    @Test func conv2dGradientsMatchFiniteDifferences() throws {
        var rng = SplitMix64(seed: 8)
        let conv = try Conv2DLayer(inChannels: 2, outChannels: 2, kernelSize: (2, 2), stride: (1, 2), padding: (1, 1),
                                   activation: .tanh, using: &rng)
        let x = try Tensor.randomNormal([1, 2, 3, 3], seed: 2)
        let probe = try Tensor.randomNormal(try conv(x).shape, seed: 4)
        let error = try worstGradientError(conv.parameters) { try (conv(x) * probe).sum() }
        #expect(error < 1e-2)
    }

    @Test func conv2dRejectsBadInputsWithClearMessages() throws {
        let conv = try Conv2DLayer(inChannels: 1, outChannels: 2, kernelSize: 3, seed: 1)
        #expect(errorMessage { _ = try conv(Tensor.zeros([6, 6])) }?.contains("expected (N, 1, H, W)") == true)
        #expect(errorMessage { _ = try conv(Tensor.zeros([1, 1, 2, 6])) }?.contains("does not fit in a 2×6 input") == true)
        #expect(errorMessage { _ = try conv.window(of: Tensor.zeros([1, 1, 4, 4]), at: (row: 2, column: 0)) }?
            .contains("not an output pixel") == true)
    }

    // MARK: TinyCNN

    @Test func barImagesAreBalancedAndHoldOneBar() throws {
        let (images, labels) = try BarImages.make(count: 40, noise: 0, seed: 1)
        #expect(images.shape == [40, 1, 6, 6])
        #expect(labels.filter { $0 == 1 }.count == 20)
        for n in 0..<40 {
            let pixels = Array(images.scalars[(n * 36)..<((n + 1) * 36)])
            let on = pixels.indices.filter { pixels[$0] == 1 }
            let rows = Set(on.map { $0 / 6 }), columns = Set(on.map { $0 % 6 })
            #expect(on.count >= 3)
            // A horizontal bar lies in one row, a vertical one in one column.
            #expect(labels[n] == 0 ? rows.count == 1 : columns.count == 1)
        }
        #expect(try BarImages.make(count: 4, seed: 9).images == BarImages.make(count: 4, seed: 9).images)
        #expect(errorMessage { _ = try BarImages.make(count: 0, seed: 1) }?.contains("count must be positive") == true)
    }

    @Test func tinyCNNLearnsHorizontalVersusVerticalBars() throws {
        let cnn = try TinyCNN(channels: 4, seed: 3)
        #expect(cnn.namedParameters.map(\.path) == ["conv1.W", "conv1.b", "conv2.W", "conv2.b", "readout.W", "readout.b"])
        let (train, trainLabels) = try BarImages.make(count: 64, seed: 21)
        let (test, testLabels) = try BarImages.make(count: 200, seed: 22)
        let before = try cnn.accuracy(test, labels: testLabels)
        let adam = Adam(cnn.parameters, learningRate: 0.03)
        var losses: [Float] = []
        for _ in 0..<100 {
            adam.zeroGrad()
            let loss = try cnn(train).crossEntropy(targets: trainLabels)
            try loss.backward()
            adam.step()
            losses.append(try loss.item())
        }
        let after = try cnn.accuracy(test, labels: testLabels)
        #expect(before < 0.8)
        #expect(after >= 0.95, "held-out accuracy \(after), final loss \(losses.last ?? .nan)")
    }

    @Test func tinyCNNEmitsTwoConvolutionsThenTheReadout() throws {
        let cnn = try TinyCNN(channels: 3, seed: 5)
        let (x, _) = try BarImages.make(count: 2, seed: 1)
        let (logits, events) = try recording { try cnn(x) }
        #expect(events.map(\.kind) == [.conv, .conv, .layer])
        #expect(events.map { $0.index("layer") } == [.int(1), .int(2), .int(3)])
        // The readout hears the average of conv2's output over all pixels.
        let h2 = try #require(events[1]["output"]), pooled = try #require(events[2]["h_in"])
        for n in 0..<2 {
            for c in 0..<3 {
                let base = (n * 3 + c) * 36
                let mean = h2.data[base..<(base + 36)].reduce(0.0) { $0 + Double($1) } / 36
                #expect(abs(mean - Double(pooled.data[n * 3 + c])) < 1e-5)
            }
        }
        let w = try #require(cnn.parameter("readout.W")).value.scalars, b = try #require(cnn.parameter("readout.b")).value.scalars
        for n in 0..<2 {
            let expected = Naive.affine(w, pooled.data[(n * 3)..<(n * 3 + 3)].map(Double.init), b, out: 2)
            #expect(maxDifference(expected, logits.scalars[(n * 2)..<(n * 2 + 2)]) < 1e-5)
        }
        #expect(errorMessage { _ = try cnn(Tensor.zeros([1, 2, 6, 6])) }?.contains("expected (N, 1, H, W)") == true)
    }

    // MARK: Residual stack

    /// f(h) = W2 relu(W1 h + b1) + b2 for one row, in Double, from the named parameters.
    private func naiveUpdate(_ stack: ResidualStack, step t: Int, _ h: [Double]) throws -> [Double] {
        func p(_ name: String) throws -> [Float] { try #require(stack.parameter("f\(t).\(name)")).value.scalars }
        let hidden = Naive.affine(try p("W1"), h, try p("b1"), out: stack.hidden).map { max($0, 0) }
        return Naive.affine(try p("W2"), hidden, try p("b2"), out: stack.dim)
    }

    @Test func residualStackMatchesANaiveLoopAndEachStepAddsItsUpdate() throws {
        let stack = try ResidualStack(dim: 3, hidden: 5, epsilon: 0.1, seed: 2)
        #expect(stack.steps == 6)
        // Nonzero biases so they are checked too.
        for t in 1...6 { try #require(stack.parameter("f\(t).b1")).assign(Tensor.randomNormal([5], std: 0.3, seed: UInt64(t))) }
        let h = try Tensor([[0.5, -1, 2], [1, 0.3, -0.5]])
        let (y, events) = try recording { try stack(h, labels: ["ann", "bob"]) }

        for (r, row) in Naive.rows(h).enumerated() {
            var v = row
            for t in 1...6 {
                let f = try naiveUpdate(stack, step: t, v)
                v = zip(v, f).map { $0 + 0.1 * $1 }
            }
            #expect(maxDifference(v, y.scalars[(r * 3)..<(r * 3 + 3)]) < 1e-5)
        }

        #expect(events.map(\.kind) == [EventKind](repeating: .residual, count: 6))
        #expect(events.map { $0.index("t") } == (1...6).map { .int($0) })
        #expect(events[0].formula == "h⁽ᵗ⁾ = h⁽ᵗ⁻¹⁾ + ε·f(h⁽ᵗ⁻¹⁾)" && events[0].index("epsilon") == .number(0.1))
        #expect(events[0].labels == ["ann", "bob"])
        for (k, event) in events.enumerated() {
            let before = try #require(event["h_before"]), f = try #require(event["f"]), after = try #require(event["h_after"])
            // h_after = h_before + f, elementwise, from the snapshots alone.
            #expect(maxDifference(zip(before.data, f.data).map { Double($0) + Double($1) }, after.data) < 1e-6)
            // f = ε·f_t(h_before) with step t's own weights.
            for r in 0..<2 {
                let expected = try naiveUpdate(stack, step: k + 1, before.row(r).map(Double.init)).map { 0.1 * $0 }
                #expect(maxDifference(expected, f.row(r)) < 1e-5)
            }
            // The chain: each step starts where the last one ended.
            if k > 0 { #expect(events[k - 1]["h_after"] == before) }
        }
        #expect(events[0]["h_before"]?.data == h.scalars && events[5]["h_after"]?.data == y.scalars)
    }

    @Test func residualStackParametersAreNamedPerStepAndAssignable() throws {
        let stack = try ResidualStack(dim: 2, hidden: 3, steps: 4, seed: 1)
        #expect(stack.namedParameters.map(\.path).prefix(5) == ["f1.W1", "f1.b1", "f1.W2", "f1.b2", "f2.W1"])
        #expect(stack.namedParameters.count == 16)
        #expect(stack.parameter("f4.W2")?.shape == [2, 3])
        #expect(stack.parameter("f1.W1")?.value != stack.parameter("f2.W1")?.value)
        // With every W2 = 0 each step adds exactly b2: h⁽⁴⁾ = h + ε·Σ_t b2_t.
        stack.epsilon = 0.25
        for t in 1...4 {
            try #require(stack.parameter("f\(t).W2")).assign(Tensor.zeros([2, 3]))
            try #require(stack.parameter("f\(t).b2")).assign(Tensor([Float(t), -1]))
        }
        let y = try stack(Tensor([1, 2]))
        #expect(maxDifference(y.scalars, [1 + 0.25 * 10, 2 - 0.25 * 4]) < 1e-6)
    }

    @Test func residualStackWithSmallEpsilonBarelyMovesTheInput() throws {
        let stack = try ResidualStack(dim: 4, seed: 6)
        let h = try Tensor.randomNormal([3, 4], seed: 1)
        func drift(_ epsilon: Float) throws -> Double {
            stack.epsilon = epsilon
            return maxDifference(try stack(h).scalars, h.scalars)
        }
        let (big, small, tiny) = (try drift(1), try drift(1e-2), try drift(1e-4))
        #expect(big > 0.1)
        // Small updates that add up: the drift shrinks in proportion to ε.
        #expect(small < big / 10 && tiny < 1e-3)
        #expect(abs(tiny / small - 1e-2) < 2e-3)
        #expect(try drift(0) == 0)
    }

    @Test func residualStackGradientsMatchFiniteDifferences() throws {
        let stack = try ResidualStack(dim: 2, hidden: 3, steps: 3, epsilon: 0.7, seed: 4)
        for t in 1...3 { try #require(stack.parameter("f\(t).b1")).assign(Tensor([0.3, -0.2, 0.1])) }
        let h = try Tensor([[0.4, -0.9], [1.2, 0.5]])
        let probe = try Tensor([[1, -2], [0.5, 1.5]])
        let error = try worstGradientError(stack.parameters, step: 1e-3) { try (stack(h) * probe).sum() }
        #expect(error < 1e-2)
    }

    @Test func residualStackRejectsBadInputsWithClearMessages() throws {
        let stack = try ResidualStack(dim: 3, seed: 1)
        #expect(errorMessage { _ = try stack(Tensor.zeros([2, 4])) }?.contains("expected rows of 3 numbers") == true)
        #expect(errorMessage { _ = try stack(Tensor.zeros([2, 3]), labels: ["a"]) }?.contains("1 labels for 2 rows") == true)
        #expect(errorMessage { _ = try ResidualStack(dim: 3, steps: 0, seed: 1) }?.contains("at least one step") == true)
    }
}
