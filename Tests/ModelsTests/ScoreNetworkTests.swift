import Models
import RealModule
import Tensor
import Testing
import Trace

/// The score network computed independently in Double from its parameters: features
/// [x/√(1 + σ²t), u, sin(ju), cos(ju)], u = ln(σ√t), a GELU MLP, s = −ε̂/(σ√t).
private struct NaiveScoreNetwork {
    let layers: [(w: [Float], b: [Float], out: Int)]
    let sigma: Double
    let frequencies: Int

    init(_ net: ScoreNetwork) throws {
        var layers: [(w: [Float], b: [Float], out: Int)] = []
        for l in 1...(net.mlp.sizes.count - 1) {
            let w = try #require(net.parameter("mlp.W\(l)")).value, b = try #require(net.parameter("mlp.b\(l)")).value
            layers.append((w.scalars, b.scalars, w.shape[0]))
        }
        self.layers = layers
        sigma = Double(net.process.sigma)
        frequencies = net.frequencies
    }

    static func gelu(_ x: Double) -> Double {
        0.5 * x * (1 + Double.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
    }

    func epsilon(_ x: [Double], t: Double) -> [Double] {
        let cIn = 1 / (1 + sigma * sigma * t).squareRoot()
        let u = Double.log(sigma * t.squareRoot())
        var h = x.map { $0 * cIn } + [u]
        for j in stride(from: 1, through: frequencies, by: 1) { h += [Double.sin(Double(j) * u), Double.cos(Double(j) * u)] }
        for (l, layer) in layers.enumerated() {
            let pre = Naive.affine(layer.w, h, layer.b, out: layer.out)
            h = l == layers.count - 1 ? pre : pre.map(Self.gelu)
        }
        return h
    }

    func score(_ x: [Double], t: Double) -> [Double] {
        epsilon(x, t: t).map { -$0 / (sigma * t.squareRoot()) }
    }
}

@Suite struct ScoreNetworkTests {
    @Test func forwardMatchesAnIndependentDoubleComputation() throws {
        let net = try ScoreNetwork(process: ForwardProcess(sigma: 1.5, T: 3), hidden: [5, 4], frequencies: 2, seed: 4)
        #expect(net.namedParameters.map(\.path) == ["mlp.W1", "mlp.b1", "mlp.W2", "mlp.b2", "mlp.W3", "mlp.b3"])
        #expect(net.parameter("mlp.W1")?.shape == [5, 7])
        #expect(net.summary == "ScoreNetwork 7→5→4→2 (gelu), s = −ε̂/(σ√t), σ = 1.5, T = 3.0")
        // Non-zero biases so they are checked too.
        try #require(net.parameter("mlp.b1")).assign(Tensor([0.1, -0.2, 0.3, 0, 0.5]))
        try #require(net.parameter("mlp.b3")).assign(Tensor([0.05, -0.1]))
        let x = try Tensor([[0.5, -1], [2, 0.3], [-3, 4]])
        let t: [Float] = [0.01, 0.5, 3]
        let naive = try NaiveScoreNetwork(net)
        let score = try net(x, t: t), eps = try net.epsilon(x, t: t)
        for (r, p) in Naive.rows(x).enumerated() {
            #expect(maxDifference(naive.epsilon(p, t: Double(t[r])), eps.scalars[(r * 2)..<(r * 2 + 2)]) < 1e-5)
            let expected = naive.score(p, t: Double(t[r]))
            #expect(maxDifference(expected, score.scalars[(r * 2)..<(r * 2 + 2)]) < 1e-4 * (1 + expected.map(abs).max()!))
        }
        // One time for all rows gives the same as that time repeated.
        #expect(try net.score(x, at: 0.5) == net(x, t: [0.5, 0.5, 0.5]))
    }

    @Test(arguments: [ScoreMatchingWeighting.noiseVariance, .none])
    func denoisingLossOfOneBatchMatchesTheLecturesFormula(_ weighting: ScoreMatchingWeighting) throws {
        // L = (1/N) Σ_n λ(t_n)‖s_θ(x_t, t_n) + (x_t − x_0)/(σ²t_n)‖², x_t = x_0 + σ√t z, λ = σ²t or 1.
        let net = try ScoreNetwork(hidden: [6], frequencies: 1, seed: 9)
        let x0 = try Tensor([[1, 2], [-0.5, 0.3], [2, -2], [0, 0]])
        let z = try Tensor([[0.3, -1.2], [1.5, 0.2], [-0.7, 0.9], [0.1, 2]])
        let t: [Float] = [0.02, 0.4, 1.5, 4]
        let loss = try net.denoisingLoss(x0: x0, t: t, z: z, weighting: weighting).item()

        let naive = try NaiveScoreNetwork(net)
        let sigma = 2.0
        var total = 0.0
        for (n, (start, noise)) in zip(Naive.rows(x0), Naive.rows(z)).enumerated() {
            let time = Double(t[n])
            let xt = zip(start, noise).map { $0 + sigma * time.squareRoot() * $1 }
            let s = naive.score(xt, t: time)
            let residual = (0..<2).map { s[$0] + (xt[$0] - start[$0]) / (sigma * sigma * time) }
            let lambda = weighting == .noiseVariance ? sigma * sigma * time : 1
            total += lambda * residual.map { $0 * $0 }.reduce(0, +)
        }
        let expected = total / 4
        #expect(abs(Double(loss) - expected) < 1e-4 * (1 + expected))
    }

    @Test func gradientsThroughEveryParameterMatchFiniteDifferences() throws {
        let net = try ScoreNetwork(hidden: [3], frequencies: 1, seed: 5)
        let x0 = try Tensor([[1, -1], [0.5, 0.2], [-2, 1.5]])
        let z = try Tensor([[0.4, -0.6], [1.1, 0.3], [-0.2, 0.8]])
        for weighting in ScoreMatchingWeighting.allCases {
            let error = try worstGradientError(net.parameters) {
                try net.denoisingLoss(x0: x0, t: [0.3, 1, 2.5], z: z, weighting: weighting)
            }
            #expect(error < 1e-2, "\(weighting)")
        }
    }

    @Test func trainingEmitsOneTrainEventPerStepAndStopsWhenAsked() throws {
        let data = try ToyData.eightGaussians(count: 200, seed: 1)
        let net = try ScoreNetwork(hidden: [8], seed: 2)
        var seen: [(Int, Float)] = []
        let (losses, events) = try recording {
            try net.train(on: data, steps: 25, batchSize: 16, seed: 3) { step, loss in
                seen.append((step, loss))
                return true
            }
        }
        #expect(losses.count == 25 && events.count == 25)
        #expect(events.allSatisfy { $0.kind == .train && $0.formula == "θ ← θ − η∇θL" }, "the network's layer events are suspended")
        for (k, event) in events.enumerated() {
            #expect(event.index("step") == .int(k + 1))
            let loss = try #require(event["loss"]), norm = try #require(event["grad_norm"])
            #expect(loss.shape == [] && norm.shape == [])
            #expect(loss.data[0] == losses[k] && seen[k].0 == k + 1 && seen[k].1 == losses[k])
            #expect(norm.data[0] > 0 && norm.data[0].isFinite)
        }

        // The same seeds give the same training.
        let twin = try ScoreNetwork(hidden: [8], seed: 2)
        #expect(try twin.train(on: data, steps: 25, batchSize: 16, seed: 3) == losses)

        // Returning false stops after that step; throwing aborts.
        let stopped = try net.train(on: data, steps: 100, batchSize: 16) { step, _ in step < 7 }
        #expect(stopped.count == 7)
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try net.train(on: data, steps: 100, batchSize: 16) { step, _ in
                if step == 3 { throw Interrupted() }
                return true
            }
        }
    }

    /// Trained on the eight Gaussians (1000 steps of 128, the defaults; about 1 s), the
    /// network's samples sit in the blobs: median distance to the nearest mode below 0.6
    /// (3 standard deviations of a blob; the data's own median is 0.24), against about
    /// 2.7 for the starting noise N(0, 16·I); and at least 60 % of samples lie within 0.6
    /// of a mode (about 6 % of the noise does).
    @Test func trainedNetworkSamplesLandNearTheData() throws {
        let data = try ToyData.eightGaussians(count: 2000, seed: 1)
        let net = try ScoreNetwork(seed: 2)
        let losses = try net.train(on: data, seed: 3)
        let early = losses.prefix(50).reduce(0, +) / 50, late = losses.suffix(200).reduce(0, +) / 200
        #expect(late < early)

        let samples = try ReverseSampler(score: net, steps: 50).sample(count: 500, seed: 4)
        var rng = SplitMix64(seed: 4)
        let noise = try ForwardProcess().prior(count: 500, dimension: 2, using: &rng)
        let learned = MixtureMath.nearestModeDistances(samples), baseline = MixtureMath.nearestModeDistances(noise)
        #expect(MixtureMath.median(learned) < 0.6)
        #expect(MixtureMath.median(baseline) > 2)
        #expect(Double(learned.filter { $0 < 0.6 }.count) / 500 >= 0.6)
        #expect(Double(baseline.filter { $0 < 0.6 }.count) / 500 < 0.15)
    }

    @Test func badInputsAreErrorsThatSayWhatIsExpected() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch let error as TensorError { return error.message } catch { return "\(error)" }
            return "no error"
        }
        let net = try ScoreNetwork(hidden: [4], seed: 1)
        let x = try Tensor([[1, 2], [3, 4]])
        #expect(message { _ = try net(x, t: [0, 1]) }.contains("the score is not defined at t = 0"))
        #expect(message { _ = try net(x, t: [1]) }.contains("1 times for 2 points"))
        #expect(message { _ = try net(Tensor([[1, 2, 3]]), t: [1]) }.contains("points have 3 coordinates"))
        #expect(message { _ = try net.denoisingLoss(x0: x, t: [1, 1], z: Tensor([[1, 2]])) }.contains("must match"))
        #expect(message { _ = try net.train(on: x, steps: 0) }.contains("steps must be positive"))
        #expect(message { _ = try net.train(on: x, batchSize: 0) }.contains("batch size"))
        #expect(message { _ = try net.train(on: x, learningRate: -1) }.contains("learning rate must be positive"))
        #expect(message { _ = try net.train(on: x, tMin: 5) }.contains("t_min must lie in (0, T)"))
        #expect(message { _ = try net.train(on: Tensor([[1, 2, 3]])) }.contains("expected 2"))
        #expect(message { _ = try net.train(on: x, maxGradNorm: 0) }.contains("max_grad_norm must be positive"))
        // A loss that is not a number stops training before it reaches the weights.
        let before = net.checkpoint()
        #expect(message { _ = try net.train(on: Tensor([[Float.nan, 0]]), steps: 3) }.contains("the loss became nan at step 1"))
        #expect(net.checkpoint() == before)
        #expect(message { _ = try ScoreNetwork(hidden: [4, 0], seed: 1) }.contains("hidden sizes must be positive"))
        #expect(message { _ = try ScoreNetwork(dimension: 0, seed: 1) }.contains("dimension must be positive"))
    }
}
