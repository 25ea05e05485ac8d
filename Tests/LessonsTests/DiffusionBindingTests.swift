import Foundation
import Lessons
import Render
import Testing
import Trace

/// The diffusion builtins as a lesson uses them: snippets run through a `LessonSession`
/// on a temporary lesson file, their `expect` checks and errors inspected.
@Suite struct DiffusionBindingTests {
    /// A session on a lesson in a fresh temporary folder, with `cells` as its code cells.
    func session(_ cells: [String] = []) throws -> LessonSession {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-diffusion-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = "# Diffusion\n\n" + cells.map { "```huddle\n\($0)\n```\n" }.joined(separator: "\nNext.\n\n")
        return try LessonSession(path: folder + "/15-diffusion.md", text: text, options: RenderOptions(color: .none, width: 80))
    }

    /// Runs code at the prompt and requires it to finish with every check passing.
    @discardableResult
    func run(_ code: String, in session: LessonSession, sourceLocation: SourceLocation = #_sourceLocation) -> CellResult {
        let result = session.evaluate(code)
        #expect(result.error == nil, "\(result.error ?? "")", sourceLocation: sourceLocation)
        #expect(!result.checks.isEmpty || !code.contains("expect"), "no checks ran", sourceLocation: sourceLocation)
        for check in result.checks where !check.passed {
            Issue.record("expect \(check.source): \(check.message)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// The error a snippet stops with.
    func error(_ code: String, in session: LessonSession) -> String {
        session.evaluate(code).error ?? ""
    }

    @Test func toyDataAreCloudsAndEightGaussiansIsAlsoADistribution() throws {
        let s = try session()
        run("""
            p = eight_gaussians()
            x = p.sample(500, seed: 1)
            expect x.shape == [500, 2]
            expect eight_gaussians(500, seed: 1) ≈ x
            expect p.mean ≈ [0, 0]
            expect p.covariance ≈ [[2.04, 0], [0, 2.04]]
            expect p.cov ≈ p.covariance
            expect p.means.shape == [8, 2]
            expect p.means[2] ≈ [0, 2] within 1e-6
            expect p.weights ≈ ones(8) / 8
            expect p.variances ≈ full(8, 0.04)
            expect two_moons(10, seed: 2).shape == [10, 2]
            expect swiss_roll(12).shape == [12, 2]
            expect toy_data("rings", 20, seed: 3) ≈ rings(20, seed: 3)
            expect toy_data("two_moons", 20, seed: 3) ≈ two_moons(20, seed: 3)
            expect eight_gaussians(4, radius: 3, noise: 0, seed: 5).norm(axis: 1) ≈ full(4, 3)
            """, in: s)
        // A narrower mixture of our own, and the lecture's single Gaussian.
        run("""
            m = GaussianMixture([[0, 0], [4, 0]], std: [1, 0.5], weights: [3, 1])
            expect m.weights ≈ [0.75, 0.25]
            expect m.variances ≈ [1, 0.25]
            expect m.mean ≈ [1, 0]
            expect m.covariance ≈ [[0.75 * 1 + 0.25 * (16 + 0.25) - 1, 0], [0, 0.75 + 0.25 * 0.25]]
            g = Gaussian([1, -1], std: 0.5)
            expect g.covariance ≈ 0.25 * eye(2)
            expect g.noised(2).variances ≈ [0.25 + 4 * 2]
            """, in: s)
    }

    @Test func covIsTheCovarianceOfTheRows() throws {
        let s = try session()
        run("""
            expect cov([[1, 0], [3, 2]]) ≈ [[1, 1], [1, 1]]
            x = eight_gaussians(4000, seed: 7)
            expect cov(x)[0, 0] ≈ var(x, axis: 0)[0] within 1e-4
            expect cov(x) ≈ eight_gaussians().covariance within 0.1
            """, in: s)
        #expect(error("cov([1, 2, 3])", in: s).contains("cov() needs points as rows (N, d)"))
    }

    @Test func noiseIsTheForwardProcessFormula() throws {
        let s = try session()
        run("""
            x0 = eight_gaussians(50, seed: 1)
            expect noise(x0, 2, sigma: 3, seed: 4) ≈ x0 + 3 * sqrt(2) * randn([50, 2], seed: 4)
            expect noise(x0, 0) ≈ x0
            big = eight_gaussians(20000, seed: 2)
            expect var(noise(big, 1, seed: 3), axis: 0) ≈ var(big, axis: 0) + 4 within 0.03
            """, in: s)
        #expect(error("noise([[1, 2]], -1)", in: s).contains("the time t must be ≥ 0"))
    }

    @Test func theExactScoreIsClosedForm() throws {
        let s = try session()
        run("""
            σ = 2
            g = Gaussian([1, -1], std: 0.5)
            def by_hand(x, t):
                return -(x - [1, -1]) / (0.25 + σ**2 * t)
            probe = [[0, 0], [3, 1], [1, -1]]
            e = exact_score(g)
            expect e(probe, 0.3) ≈ by_hand(probe, 0.3)
            expect e.denoise(probe, 0.3) ≈ probe + σ**2 * 0.3 * by_hand(probe, 0.3)
            p = eight_gaussians()
            s = exact_score(p, sigma: 1.5, T: 2)
            expect s.sigma == 1.5 and s.T == 2
            expect s(probe, 0.5) ≈ p.noised(0.5, sigma: 1.5).score(probe)
            expect s.at(0.5).variances ≈ full(8, 0.04 + 1.5**2 * 0.5)
            expect s([[2.4, 0]], 0.01) ≈ [[-(2.4 - 2) / (0.04 + 0.01 * 2.25), 0]] within 1e-3
            """, in: s)
        #expect(error("exact_score(eight_gaussians(10))", in: s).contains("needs a Gaussian mixture, got a Tensor"))
        #expect(s.evaluate("exact_score([[1, 2]])").error?.contains("train a ScoreNetwork") == true)
        #expect(error("exact_score(eight_gaussians())([[1, 2]], 9)", in: s).contains("outside [0, T]"))
    }

    @Test func aTracedSampleEmitsOneDiffusionEventPerStep() throws {
        let s = try session()
        run("""
            p = eight_gaussians()
            s = exact_score(p)
            x_T = noise(p.sample(200, seed: 1), 4, seed: 2)
            """, in: s)
        let traced = run("cloud = trace sample(s, start: x_T, steps: 25, seed: 5)", in: s)
        #expect(traced.events.count == 25)
        #expect(traced.events.allSatisfy { $0.kind == .diffusion })
        for (k, event) in traced.events.enumerated() {
            #expect(event.index("step") == .int(k + 1))
            guard case .number(let dt)? = event.index("dt"), case .number(let sigma)? = event.index("sigma"),
                  let x = event["x"], let score = event["score"], let z = event["z"], let next = event["x_next"] else {
                Issue.record("event \(k) lacks its tensors or settings")
                continue
            }
            #expect(x.shape == [200, 2] && next.shape == [200, 2])
            for i in x.data.indices {
                let byHand = Double(x.data[i]) + sigma * sigma * dt * Double(score.data[i]) + sigma * dt.squareRoot() * Double(z.data[i])
                #expect(abs(byHand - Double(next.data[i])) < 1e-4 * (1 + abs(byHand)))
            }
        }
        // The same run untraced, and as a list of steps, gives the same numbers.
        run("""
            expect sample(s, start: x_T, steps: 25, seed: 5) ≈ cloud
            steps = sample_steps(s, start: x_T, steps: 25, seed: 5)
            expect len(steps) == 25
            expect steps[0].x ≈ x_T
            expect steps[24].x_next ≈ cloud
            expect steps[0].t == 4 and steps[24].denoise == false
            st = steps[10]
            expect st.x_next ≈ st.x + st.sigma**2 * st.dt * st.score + st.sigma * sqrt(st.dt) * st.z
            expect mean(cloud, axis: 0) ≈ p.mean within 0.25
            expect var(cloud, axis: 0) ≈ [2.04, 2.04] within 0.1
            """, in: s)
        // Without a start the run begins at N(center, σ²T·I).
        run("""
            far = sample(s, n: 100, steps: 10, seed: 1, center: [1, 1])
            expect far.shape == [100, 2]
            expect sample(s, steps: 5).shape == [300, 2]
            expect sample(s, start: x_T, steps: 10, spacing: "uniform", denoise: true).shape == [200, 2]
            """, in: s)
    }

    /// A run of more steps than the recorder keeps ends in a message, not in a list whose
    /// later steps are silently missing.
    @Test func sampleStepsSaysWhenTheStepsDoNotFit() throws {
        let message = error("s = sample_steps(exact_score(eight_gaussians()), n: 1, steps: 100001)", in: try session())
        #expect(message.contains("sample_steps(): 100001 steps are more than a list of steps can hold (it kept 100000, 3.2 MB of snapshots); ask for fewer steps, or use sample(…) for the points alone"), "\(message)")
    }

    @Test func aScoreCanBeAFunctionWrittenInTheLesson() throws {
        let s = try session()
        run("""
            g = Gaussian([1, -1], std: 0.5)
            def g_score(x, t):
                return -(x - [1, -1]) / (0.25 + 4 * t)
            a = sample(g_score, n: 50, steps: 20, seed: 3)
            b = sample(exact_score(g), n: 50, steps: 20, seed: 3)
            expect a ≈ b within 1e-3
            def nothing(x, t):
                return 0 * x
            start = randn([400, 2], seed: 1)
            lost = sample(nothing, start: start, steps: 8, seed: 2, sigma: 1, T: 2)
            expect var(lost) ≈ var(start) + 1 * 2 within 0.15
            """, in: s)
        let traced = run("lost = trace sample(nothing, start: start, steps: 8, seed: 2)", in: s)
        #expect(traced.events.count == 8, "the function's own calls are not traced, only the steps")
        #expect(error("def bad(x, t):\n    return [1, 2, 3]\nsample(bad, n: 4)", in: s).contains("one arrow per point"))
    }

    @Test func sampleSaysWhatItNeeds() throws {
        let s = try session()
        run("p = eight_gaussians()\ns = exact_score(p)", in: s)
        #expect(error("sample(p)", in: s).contains("needs a score"))
        #expect(s.evaluate("sample(p)").error?.contains("exact_score(p)") == true)
        #expect(error("sample(3)", in: s).contains("needs a score, got"))
        #expect(error("sample(s, n: 5, start: [[1, 2]])", in: s).contains("n = 5 but start has 1 points"))
        #expect(error("sample(s, sigma: 3)", in: s).contains("this score belongs to σ = 2.0"))
        #expect(error("sample(s, spacing: \"even\")", in: s).contains("spacing must be \"noise\""))
        #expect(error("sample(s, steps: 0)", in: s).contains("number of steps must be between 1"))
        #expect(error("toy_data(\"moons\", 5)", in: s).contains("no data set \"moons\""))
        #expect(error("GaussianMixture([[0, 0], [1, 1]], std: [1, 2, 3])", in: s).contains("one number per component (2)"))
    }

    @Test func aScoreNetworkTrainsWithProgressAndLearnsTheScore() throws {
        let s = try session()
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        run("""
            p = eight_gaussians()
            data = p.sample(300, seed: 1)
            net = ScoreNetwork(seed: 6)
            expect net.sigma == 2 and net.T == 4
            expect net.mlp.W1.shape == [32, 7]
            losses = net.train(data, steps: 600, seed: 7)
            expect losses.shape == [600]
            expect mean(losses[-100:]) < 0.85 * mean(losses[:100])
            probe = [[2.5, 0], [0, 2.5], [4, -4]]
            expect net(probe, 0.5) ≈ exact_score(p)(probe, 0.5) within 0.3
            expect net.denoise(probe, 0.5) ≈ probe + 4 * 0.5 * net(probe, 0.5)
            expect net(probe, 0.5) ≈ -net.epsilon(probe, 0.5) / (2 * sqrt(0.5))
            expect net(probe, [0.5, 0.5, 0.5]) ≈ net(probe, 0.5)
            """, in: s)
        #expect(reports.map(\.step) == Array(1...600))
        #expect(reports.allSatisfy { $0.total == 600 && $0.loss != nil })
        #expect(reports.last?.finished == true && reports.dropLast().allSatisfy { !$0.finished })
        // Traced, training shows its steps as `train` events.
        let traced = run("small = ScoreNetwork(hidden: [8], seed: 1)\nl = trace small.train(data, steps: 5, batch: 16)", in: s)
        #expect(traced.events.count == 5 && traced.events.allSatisfy { $0.kind == .train })
        #expect(error("net.train(data, steps: 0)", in: s).contains("steps ≥ 1"))
        #expect(error("net.train([[1, 2, 3]])", in: s).contains("expected 2"))
    }

    @Test func ctrlCStopsTrainingAndKeepsWhatWasLearned() throws {
        let s = try session()
        var reports: [TrainingProgress] = []
        s.progress = { reports.append($0) }
        // Asked after each step's report: the 31st is where training stops.
        s.interruptRequested = { reports.count >= 31 }
        run("data = eight_gaussians(100, seed: 1)\nnet = ScoreNetwork(hidden: [8], seed: 2)\nbefore = net.mlp.W1", in: s)
        let stopped = s.evaluate("losses = net.train(data, steps: 1000)")
        #expect(stopped.error?.contains("Ctrl-C stopped training at step 31 of 1000; the model keeps what it learned so far") == true)
        #expect(reports.last?.finished == true && reports.last?.step == 31)
        s.interruptRequested = { false }
        run("expect not (net.mlp.W1 ≈ before)", in: s)
    }

    @Test func rewindingACellPutsTheNetworkBack() throws {
        let s = try session([
            "data = eight_gaussians(200, seed: 1)\nnet = ScoreNetwork(hidden: [16], seed: 3)\nfresh = net.mlp.W1",
            "losses = net.train(data, steps: 30, seed: 4)\ntrained = net.mlp.W1",
            "probe = net([[1, 1]], 0.5)",
        ])
        for cell in 0..<3 { #expect(s.run(cell: cell).error == nil) }
        // Back over the probe cell: the network is still the trained one.
        s.restore(beforeCell: 2)
        run("expect net.mlp.W1 ≈ trained\nexpect not (trained ≈ fresh)", in: s)
        // Back over the training cell: the network is as it was built.
        s.restore(beforeCell: 1)
        run("expect net.mlp.W1 ≈ fresh\nexpect net.sigma == 2", in: s)
        // And training again gives the same numbers (the same seeds).
        #expect(s.run(cell: 1).error == nil)
        run("expect net.mlp.W1 ≈ trained", in: s)
    }

    @Test func distributionsAndScoresDescribeThemselves() throws {
        let s = try session()
        let shown = s.evaluate("p = eight_gaussians()\nprint(p)\nprint(exact_score(p))\nprint(Gaussian([1, 0], std: 0.5))\nprint(sample_steps(exact_score(p), n: 3, steps: 2)[1])")
        let text = shown.outputs.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
        #expect(text.contains("GaussianMixture of 8 Gaussians in 2-D, std 0.2"))
        #expect(text.contains("exact score ∇ₓlog p_t"))
        #expect(text.contains("Gaussian in 2-D, mean [1, 0]"))
        #expect(text.contains("diffusion step 2 of 2"))
        #expect(s.help("sample")?.contains("x ← x + σ²Δt·score(x, t) + σ√Δt·z") == true)
        #expect(s.help("p")?.contains("sample(n, seed=0)") == true)
    }

    @Test func scatterDrawsTheCloud() throws {
        let s = try session()
        let result = run("scatter(eight_gaussians(200, seed: 1), noise(eight_gaussians(200, seed: 1), 1, seed: 2))", in: s)
        guard case .picture(let block)? = result.outputs.first else {
            Issue.record("scatter() showed no picture")
            return
        }
        let lines = block.lines.map(\.plainText)
        #expect(lines.contains { $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } })
        #expect(lines.contains { $0.contains("· y (drawn over x)") })
        #expect(error("scatter([[1, 2, 3]])", in: s).contains("draws 2-D points"))
    }

    /// The event picture keeps one frame for many steps: the window's half-height is a
    /// power of two, so the cloud is seen to shrink inside it.
    @Test func theDiffusionPictureKeepsItsFrameWhileTheCloudShrinks() throws {
        let s = try session()
        let traced = run("""
            p = eight_gaussians()
            cloud = trace sample(exact_score(p), start: noise(p.sample(300, seed: 1), 4, seed: 2), steps: 30, seed: 5)
            """, in: s)
        let frames = traced.events.map { event -> String in
            let text = EventPicture(event).block(RenderOptions(color: .none, width: 100)).lines.map(\.plainText)
            return text.first { $0.hasPrefix("x -") }?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        // Without colour the before and after clouds are drawn apart, each in the same frame.
        #expect(frames.first == "x -24.000…24.000  y -16.000…16.000  x -24.000…24.000  y -16.000…16.000")
        #expect(frames.last == "x -6.000…6.000  y -4.000…4.000  x -6.000…6.000  y -4.000…4.000")
        #expect(Set(frames).count <= 4, "the frame changes only a few times: \(Set(frames))")
        let first = EventPicture(traced.events[0]).block(RenderOptions(color: .none, width: 100)).lines.map(\.plainText)
        #expect(first.contains { $0.contains("spread (std) before → after") })
    }
}
