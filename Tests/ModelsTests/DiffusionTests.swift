import Models
import RealModule
import Tensor
import Testing
import Trace

/// Independent Double computations for the diffusion tests, written from the formulas
/// (not from the model's helpers).
enum MixtureMath {
    /// log p(x) = log Σ_k w_k (2π v_k)^(−d/2) exp(−‖x − μ_k‖²/(2 v_k)), with the largest
    /// term factored out; weights are normalised here.
    static func logDensity(_ x: [Double], weights: [Double], means: [[Double]], variances: [Double]) -> Double {
        let total = weights.reduce(0, +)
        let terms = (0..<weights.count).map { k -> Double in
            let squared = zip(x, means[k]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            return Double.log(weights[k] / total) - Double(x.count) / 2 * Double.log(2 * Double.pi * variances[k])
                - squared / (2 * variances[k])
        }
        let top = terms.max()!
        return top + Double.log(terms.map { Double.exp($0 - top) }.reduce(0, +))
    }

    /// Mean and covariance of the mixture: E[x] = Σ w μ, E[xxᵀ] = Σ w (μμᵀ + v I).
    static func moments(weights: [Double], means: [[Double]], variances: [Double]) -> (mean: [Double], cov: [[Double]]) {
        let total = weights.reduce(0, +), d = means[0].count
        var mean = [Double](repeating: 0, count: d)
        var second = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for k in weights.indices {
            let w = weights[k] / total
            for i in 0..<d {
                mean[i] += w * means[k][i]
                for j in 0..<d { second[i][j] += w * (means[k][i] * means[k][j] + (i == j ? variances[k] : 0)) }
            }
        }
        let cov = (0..<d).map { i in (0..<d).map { j in second[i][j] - mean[i] * mean[j] } }
        return (mean, cov)
    }

    /// Sample mean and covariance (divided by N) of the rows of x.
    static func sampleMoments(_ x: Tensor) -> (mean: [Double], cov: [[Double]]) {
        let rows = Naive.rows(x), n = Double(rows.count), d = rows[0].count
        let mean = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        let cov = (0..<d).map { i in
            (0..<d).map { j in rows.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) } / n }
        }
        return (mean, cov)
    }

    /// The eight modes on a circle of radius 2, at angles 2πk/8.
    static let eightModes: [[Double]] = (0..<8).map { k in
        let a = 2 * Double.pi * Double(k) / 8
        return [2 * Double.cos(a), 2 * Double.sin(a)]
    }

    /// The distance from each row of x (N, 2) to its nearest mode.
    static func nearestModeDistances(_ x: Tensor, modes: [[Double]] = eightModes) -> [Double] {
        Naive.rows(x).map { p in
            modes.map { m in ((p[0] - m[0]) * (p[0] - m[0]) + (p[1] - m[1]) * (p[1] - m[1])).squareRoot() }.min()!
        }
    }

    static func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
}

@Suite struct DiffusionTests {
    // A lopsided mixture used by several tests: unequal weights and variances, off-centre.
    static let weights: [Double] = [0.5, 0.3, 0.2]
    static let means: [[Double]] = [[1, 0.5], [-1.5, 1], [0.5, -2]]
    static let variances: [Double] = [0.1, 0.3, 0.05]

    static func lopsided() throws -> GaussianMixture {
        try GaussianMixture(weights: weights.map(Float.init), means: Tensor(means.map { $0.map(Float.init) }),
                            variances: variances.map(Float.init))
    }

    // MARK: toy data

    @Test func toyDataAreSeededAndShapedLikeTheirPictures() throws {
        for name in ToyData.names {
            let a = try ToyData.named(name, count: 400, seed: 7), b = try ToyData.named(name, count: 400, seed: 7)
            let c = try ToyData.named(name, count: 400, seed: 8)
            #expect(a.shape == [400, 2])
            #expect(a == b, "same seed, same points: \(name)")
            #expect(a != c, "another seed, other points: \(name)")
        }
        // Eight Gaussians: distance to the nearest mode is Rayleigh with scale s = 0.2, median s√(2 ln 2) ≈ 0.2355.
        let eight = try ToyData.eightGaussians(count: 4000, seed: 1)
        #expect(abs(MixtureMath.median(MixtureMath.nearestModeDistances(eight)) - 0.2 * (2 * Double.log(2)).squareRoot()) < 0.02)
        // …and per-coordinate variance r²/2 + s² = 2.04, mean 0.
        let m = MixtureMath.sampleMoments(eight)
        #expect(abs(m.mean[0]) < 0.1 && abs(m.mean[1]) < 0.1)
        #expect(abs(m.cov[0][0] - 2.04) < 0.1 && abs(m.cov[1][1] - 2.04) < 0.1 && abs(m.cov[0][1]) < 0.1)

        // Rings: without noise every point lies on radius 1 or 2, and twice as many on the outer ring.
        let rings = try ToyData.rings(count: 3000, radius: 2, rings: 2, noise: 0, seed: 2)
        let radii = Naive.rows(rings).map { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() }
        #expect(radii.allSatisfy { abs($0 - 1) < 1e-5 || abs($0 - 2) < 1e-5 })
        let outer = Double(radii.filter { $0 > 1.5 }.count) / 3000
        #expect(abs(outer - 2.0 / 3) < 0.03)

        // Swiss roll: radius grows along the spiral up to `radius`, starting at a third of it.
        let roll = try ToyData.swissRoll(count: 2000, radius: 2, noise: 0, seed: 3)
        let rollRadii = Naive.rows(roll).map { ($0[0] * $0[0] + $0[1] * $0[1]).squareRoot() }
        #expect(rollRadii.max()! <= 2 + 1e-5 && rollRadii.min()! >= 2.0 / 3 - 1e-5)
        #expect(rollRadii.max()! > 1.95 && rollRadii.min()! < 0.72)

        // Two moons without noise: every point on one of the two circles of radius 1.5.
        let moons = try ToyData.twoMoons(count: 1000, radius: 1.5, noise: 0, seed: 4)
        for p in Naive.rows(moons) {
            let upper = ((p[0] + 0.75) * (p[0] + 0.75) + (p[1] + 0.375) * (p[1] + 0.375)).squareRoot()
            let lower = ((p[0] - 0.75) * (p[0] - 0.75) + (p[1] - 0.375) * (p[1] - 0.375)).squareRoot()
            #expect(abs(upper - 1.5) < 1e-5 || abs(lower - 1.5) < 1e-5)
        }
        let moonMean = MixtureMath.sampleMoments(moons).mean
        #expect(abs(moonMean[0]) < 0.1 && abs(moonMean[1]) < 0.1)
    }

    @Test func mixtureSamplesAndExactMomentsAgreeWithTheFormulas() throws {
        let mixture = try Self.lopsided()
        let expected = MixtureMath.moments(weights: Self.weights, means: Self.means, variances: Self.variances)
        #expect(maxDifference(mixture.mean, expected.mean) < 1e-6)
        #expect(maxDifference(mixture.covariance.flatMap { $0 }, expected.cov.flatMap { $0 }) < 1e-6)
        let sample = MixtureMath.sampleMoments(try mixture.sample(50_000, seed: 3))
        #expect(maxDifference(sample.mean, expected.mean) < 0.03)
        #expect(maxDifference(sample.cov.flatMap { $0 }, expected.cov.flatMap { $0 }) < 0.05)
        // Weights are normalised, and responsibilities sum to 1.
        #expect(abs(mixture.weights.reduce(0, +) - 1) < 1e-12)
        let r = try mixture.responsibilities(Tensor([[0, 0], [1, 0.5], [30, -40]]))
        for row in Naive.rows(r) { #expect(abs(row.reduce(0, +) - 1) < 1e-5) }
    }

    // MARK: forward noising

    @Test func forwardNoisingAddsVarianceSigmaSquaredT() throws {
        let process = try ForwardProcess(sigma: 1.5, T: 2)
        let n = 100_000, t: Float = 0.7
        let x0 = try ToyData.eightGaussians(count: n, seed: 5)
        var rng = SplitMix64(seed: 6)
        let (xt, z) = try process.noised(x0, t: t, using: &rng)
        let delta = try xt - x0
        let variance = 1.5 * 1.5 * 0.7  // σ²t = 1.575
        let m = MixtureMath.sampleMoments(delta)
        for j in 0..<2 {
            // The mean's standard error is √(σ²t/n) ≈ 0.004; the variance's relative one √(2/n) ≈ 0.0045.
            #expect(abs(m.mean[j]) < 0.02)
            #expect(abs(m.cov[j][j] / variance - 1) < 0.02)
        }
        #expect(abs(m.cov[0][1]) < 0.02)
        // x_t = x_0 + σ√t z exactly, for the z returned.
        let rebuilt = zip(x0.scalars, z.scalars).map { Double($0) + 1.5 * Double(0.7).squareRoot() * Double($1) }
        #expect(maxDifference(rebuilt, xt.scalars) < 1e-5)

        // The step form: ten steps of Δt = 0.07 add up to the same variance σ²·0.7.
        var x = try Tensor.zeros([20_000, 2])
        for _ in 0..<10 {
            let before = x
            let (next, zs) = try process.step(x, dt: 0.07, using: &rng)
            let expectedNext = zip(before.scalars, zs.scalars).map { Double($0) + 1.5 * Double(0.07).squareRoot() * Double($1) }
            #expect(maxDifference(expectedNext, next.scalars) < 1e-5)
            x = next
        }
        let stepped = MixtureMath.sampleMoments(x)
        #expect(abs(stepped.cov[0][0] / variance - 1) < 0.04 && abs(stepped.cov[1][1] / variance - 1) < 0.04)
        #expect(abs(process.noiseVariance(at: 0.7) - 1.575) < 1e-6)
        #expect(abs(process.noiseStd(at: 4.0 / 9) - 1) < 1e-6)
    }

    // MARK: exact score

    @Test func exactScoreMatchesFiniteDifferencesOfAnIndependentLogDensity() throws {
        let process = try ForwardProcess(sigma: 1.5, T: 3)
        let exact = ExactScore(try Self.lopsided(), process: process)
        let points: [[Double]] = [[0, 0], [1.1, 0.4], [-1.4, 1.2], [0.45, -1.9], [3, 3], [-0.3, -0.8], [25, -30]]
        let x = try Tensor(points.map { $0.map(Float.init) })
        // The model stores its inputs as Float first; use the same rounded numbers here.
        let weights = Self.weights.map { Double(Float($0)) }, variances = Self.variances.map { Double(Float($0)) }
        for t: Float in [0, 0.01, 0.3, 2, 3] {
            let added = 1.5 * 1.5 * Double(t)
            let noisedVariances = variances.map { $0 + added }
            let score = Naive.rows(try exact.score(x, at: t))
            let logs = try exact.logDensity(x, at: t)
            for (r, p) in Naive.rows(x).enumerated() {
                let logP = MixtureMath.logDensity(p, weights: weights, means: Self.means, variances: noisedVariances)
                #expect(abs(logs[r] - logP) < 1e-9 * (1 + abs(logP)))
                let h = 1e-5
                for j in 0..<2 {
                    var plus = p, minus = p
                    plus[j] += h
                    minus[j] -= h
                    let numeric = (MixtureMath.logDensity(plus, weights: weights, means: Self.means, variances: noisedVariances)
                        - MixtureMath.logDensity(minus, weights: weights, means: Self.means, variances: noisedVariances)) / (2 * h)
                    #expect(abs(score[r][j] - numeric) < 1e-4 * (1 + abs(numeric)), "t = \(t), point \(p), coordinate \(j)")
                }
            }
        }
    }

    @Test func singleGaussianScoreAndTweedieAreTheClosedForms() throws {
        // Data N(μ, s²I): p_t = N(μ, (s² + σ²t)I), ∇log p_t(x) = −(x − μ)/(s² + σ²t),
        // E[x_0 | x_t] = μ + s²/(s² + σ²t)·(x − μ).
        let mu: [Double] = [0.7, -1.2], s2 = 0.3
        let mixture = try GaussianMixture(weights: [2], means: Tensor([mu.map(Float.init)]), variances: [Float(s2)])
        let exact = ExactScore(mixture)  // σ = 2, T = 4
        let x = try Tensor([[0, 0], [0.7, -1.2], [3, 1], [-5, 4]])
        for t: Float in [0, 0.05, 1, 4] {
            let v = s2 + 4 * Double(t)
            let score = try exact.score(x, at: t), denoised = try exact.denoised(x, at: t)
            for (r, p) in Naive.rows(x).enumerated() {
                for j in 0..<2 {
                    #expect(abs(Double(score.scalars[r * 2 + j]) + (p[j] - mu[j]) / v) < 1e-5)
                    #expect(abs(Double(denoised.scalars[r * 2 + j]) - (mu[j] + s2 / v * (p[j] - mu[j]))) < 1e-5)
                }
            }
        }
        #expect(exact.process == ForwardProcess())
        #expect(exact.process.sigma == 2 && exact.process.T == 4)
    }

    // MARK: reverse sampling

    @Test func everyDiffusionEventSatisfiesTheReverseStepFromItsSnapshots() throws {
        let exact = ExactScore(try GaussianMixture.eightGaussians())
        for (spacing, denoise) in [(TimeSpacing.noiseScale, false), (.uniform, true)] {
            let sampler = try ReverseSampler(score: exact, steps: 12, spacing: spacing, denoise: denoise)
            let (out, events) = try recording { try sampler.sample(count: 40, seed: 3) }
            #expect(events.count == 12)
            var previousNext: Snapshot?
            var totalDt = 0.0
            for (k, event) in events.enumerated() {
                #expect(event.kind == .diffusion)
                #expect(event.index("step") == .int(k + 1))
                guard case .number(let sigma)? = event.index("sigma"), case .number(let dt)? = event.index("dt"),
                      case .number(let t)? = event.index("t") else {
                    Issue.record("event \(k) lacks sigma, dt or t")
                    continue
                }
                #expect(sigma == 2)
                #expect(abs(t - (4 - totalDt)) < 1e-5)
                totalDt += dt
                let x = try #require(event["x"]), score = try #require(event["score"])
                let z = try #require(event["z"]), next = try #require(event["x_next"])
                #expect(x.shape == [40, 2] && score.shape == [40, 2] && z.shape == [40, 2] && next.shape == [40, 2])
                // x_next = x + σ²Δt·score + σ√Δt·z, recomputed in Double from the snapshots.
                for i in 0..<x.count {
                    let expected = Double(x.data[i]) + sigma * sigma * dt * Double(score.data[i]) + sigma * dt.squareRoot() * Double(z.data[i])
                    #expect(abs(Double(next.data[i]) - expected) < 1e-5 * (1 + abs(expected)))
                }
                // The score is the mixture's exact noised score at (x, t): compare one row with the formula.
                let p = [Double(x.data[0]), Double(x.data[1])]
                let v = Array(repeating: 0.04 + sigma * sigma * t, count: 8)
                let h = 1e-5
                let numeric = (MixtureMath.logDensity([p[0] + h, p[1]], weights: Array(repeating: 1, count: 8), means: MixtureMath.eightModes, variances: v)
                    - MixtureMath.logDensity([p[0] - h, p[1]], weights: Array(repeating: 1, count: 8), means: MixtureMath.eightModes, variances: v)) / (2 * h)
                #expect(abs(Double(score.data[0]) - numeric) < 1e-3 * (1 + abs(numeric)))
                if let previousNext { #expect(x == previousNext, "each step starts where the last one ended") }
                previousNext = next
                let last = k == 11
                #expect(event.index("denoise") == .bool(denoise && last))
                #expect(event.formula == (denoise && last ? "E[x_0 | x_t] = x_t + σ²t ∇ₓlog p_t(x_t)" : "x_{t−Δt} = x_t + σ²Δt ∇ₓlog p(x_t) + σ√Δt z"))
                if denoise && last { #expect(z.data.allSatisfy { $0 == 0 }) }
            }
            #expect(abs(totalDt - 4) < 1e-5, "the steps cover [0, T]")
            #expect(out.snapshot == previousNext)
        }
        // Untraced, the same seed gives the same points and nothing is recorded.
        let sampler = try ReverseSampler(score: exact, steps: 12)
        let (traced, _) = try recording { try sampler.sample(count: 40, seed: 3) }
        #expect(try sampler.sample(count: 40, seed: 3) == traced)
        #expect(!Tracing.isActive)
    }

    /// "Within 5 %": every entry of the sample covariance within 0.05·(largest variance of
    /// the data) of the exact covariance, and every coordinate of the sample mean within
    /// 0.05·√(largest variance) of the exact mean. With 20,000 samples the sampling error
    /// alone is about a third of that.
    @Test(arguments: [0, 1])
    func exactScoreDiffusionTurnsNoiseIntoTheMixture(_ which: Int) throws {
        let mixture: GaussianMixture, expected: (mean: [Double], cov: [[Double]])
        let center: [Float]?
        if which == 0 {
            mixture = try GaussianMixture.eightGaussians()
            expected = MixtureMath.moments(weights: Array(repeating: 1, count: 8), means: MixtureMath.eightModes,
                                           variances: Array(repeating: 0.04, count: 8))
            center = nil  // start from N(0, σ²T·I)
        } else {
            // Off-centre data: start from N(data mean, σ²T·I).
            mixture = try Self.lopsided()
            expected = MixtureMath.moments(weights: Self.weights, means: Self.means, variances: Self.variances)
            center = expected.mean.map(Float.init)
        }
        let sampler = try ReverseSampler(score: ExactScore(mixture), steps: 200)
        let samples = try sampler.sample(count: 20_000, seed: 11, center: center)
        let got = MixtureMath.sampleMoments(samples)
        let largest = (0..<2).map { expected.cov[$0][$0] }.max()!
        for i in 0..<2 {
            #expect(abs(got.mean[i] - expected.mean[i]) < 0.05 * largest.squareRoot(), "mean \(i): \(got.mean[i]) vs \(expected.mean[i])")
            for j in 0..<2 {
                #expect(abs(got.cov[i][j] - expected.cov[i][j]) < 0.05 * largest, "cov[\(i)][\(j)]: \(got.cov[i][j]) vs \(expected.cov[i][j])")
            }
        }
        if which == 0 {
            // And the points sit in the blobs: median distance to the nearest mode about that of the data (0.24).
            #expect(MixtureMath.median(MixtureMath.nearestModeDistances(samples)) < 0.3)
        }
    }

    // MARK: errors

    @Test func badSettingsAndShapesAreErrorsThatSayWhatIsExpected() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch let error as TensorError { return error.message } catch { return "\(error)" }
            return "no error"
        }
        #expect(message { _ = try ForwardProcess(sigma: 0, T: 1) }.contains("σ must be a positive number"))
        #expect(message { _ = try ForwardProcess(sigma: 1, T: -2) }.contains("T must be positive"))
        let exact = ExactScore(try GaussianMixture.eightGaussians())
        #expect(message { _ = try ReverseSampler(score: exact, steps: 0) }.contains("number of steps must be between 1"))
        let sampler = try ReverseSampler(score: exact, steps: 3)
        var rng = SplitMix64(seed: 1)
        #expect(message { _ = try sampler.run(from: Tensor.zeros([5, 3]), using: &rng) }.contains("points have 3 coordinates"))
        #expect(message { _ = try sampler.run(from: Tensor([1, 2]), using: &rng) }.contains("must be a matrix (N, 2)"))
        #expect(message { _ = try sampler.sample(count: 0, seed: 1) }.contains("must be positive"))
        #expect(message { _ = try exact.score(Tensor.zeros([4, 1]), at: 1) }.contains("expected 2"))
        #expect(message { _ = try exact.score(Tensor.zeros([4, 2]), at: 5) }.contains("outside [0, T]"))
        #expect(message { _ = try ForwardProcess().noised(Tensor.zeros([2, 2]), t: -1, using: &rng) }.contains("outside [0, T]"))
        #expect(message { _ = try ForwardProcess().step(Tensor.zeros([2, 2]), dt: 0, using: &rng) }.contains("Δt must be positive"))

        #expect(message { _ = try GaussianMixture(means: Tensor(shape: [0, 2], scalars: []), variance: 1) }.contains("at least one component"))
        #expect(message { _ = try GaussianMixture(weights: [1, -1], means: Tensor([[0, 0], [1, 1]]), variance: 1) }.contains("non-negative"))
        #expect(message { _ = try GaussianMixture(weights: [0, 0], means: Tensor([[0, 0], [1, 1]]), variance: 1) }.contains("add up to 0"))
        #expect(message { _ = try GaussianMixture(weights: [1], means: Tensor([[0, 0], [1, 1]]), variance: 1) }.contains("1 weights for 2 components"))
        #expect(message { _ = try GaussianMixture(weights: [1, 1], means: Tensor([[0, 0], [1, 1]]), variances: [1, -0.5]) }.contains("non-negative"))
        #expect(message { _ = try GaussianMixture(means: Tensor([0, 0]), variance: 1) }.contains("must be a matrix (K, d)"))
        // A point mass has a score only once noise has been added.
        let points = try GaussianMixture(means: Tensor([[0, 0], [1, 1]]), variance: 0)
        #expect(message { _ = try ExactScore(points).score(Tensor.zeros([1, 2]), at: 0) }.contains("point mass"))
        #expect(try ExactScore(points).score(Tensor([[0.5, 0.5]]), at: 0.1).shape == [1, 2])

        #expect(message { _ = try ToyData.rings(count: 10, rings: 0, seed: 1) }.contains("number of rings"))
        #expect(message { _ = try ToyData.twoMoons(count: -1, seed: 1) }.contains("must be positive"))
        #expect(message { _ = try ToyData.swissRoll(count: 10, radius: 0, seed: 1) }.contains("radius must be positive"))
        #expect(message { _ = try ToyData.named("spiral", count: 10, seed: 1) }.contains("unknown data set"))
        let closure = try ClosureScore(process: ForwardProcess()) { x, _ in try x.sum(axis: 1) }
        #expect(message { _ = try ReverseSampler(score: closure, steps: 2).sample(count: 3, seed: 1) }.contains("one arrow per point"))
    }
}
