import Language
import Models
import Render
import Tensor
import Trace

/// Diffusion: 2-D toy clouds, Gaussian mixtures whose noised score is exact, forward
/// noising x_t = x_0 + σ√t z, a score network trained by denoising score matching, and
/// the reverse sampler x ← x + σ²Δt ∇ₓlog p_t(x) + σ√Δt z, one `diffusion` event per step.
enum DiffusionBindings: BindingFamily {
    static var builtins: [Builtin] {
        toyData + distributions + [noise, exactScore, scoreNetworkBuiltin, sample, sampleSteps, cov, scatter]
    }

    // MARK: toy data

    static var toyData: [Builtin] { [
        Kit.builtin("eight_gaussians", [Kit.p("n", .none), Kit.p("radius", 2), Kit.p("noise", 0.2), Kit.p("seed", 0)],
                    "eight blobs of std noise on a circle; with n, n points (n, 2); without, the distribution itself (p.sample(n), p.mean, p.covariance, exact_score(p))") { args in
            let p = try GaussianMixture.eightGaussians(radius: Float(args.number("radius")), noise: Float(args.number("noise")))
            if args["n"].isNone { return .host(MixtureValue(p)) }
            let n = try Conversions.integer(args["n"], what: "eight_gaussians()'s n")
            return Kit.tensor(try ToyData.eightGaussians(count: n, radius: Float(args.number("radius")),
                                                         noise: Float(args.number("noise")), seed: args.seed()))
        },
        Kit.builtin("two_moons", [Kit.p("n"), Kit.p("radius", 1.5), Kit.p("noise", 0.1), Kit.p("seed", 0)],
                    "n points (n, 2) on two interleaved half circles") { args in
            Kit.tensor(try ToyData.twoMoons(count: args.integer("n"), radius: Float(args.number("radius")),
                                            noise: Float(args.number("noise")), seed: args.seed()))
        },
        Kit.builtin("swiss_roll", [Kit.p("n"), Kit.p("radius", 2), Kit.p("noise", 0.05), Kit.p("seed", 0)],
                    "n points (n, 2) on a spiral of one and a half turns") { args in
            Kit.tensor(try ToyData.swissRoll(count: args.integer("n"), radius: Float(args.number("radius")),
                                             noise: Float(args.number("noise")), seed: args.seed()))
        },
        Kit.builtin("rings", [Kit.p("n"), Kit.p("radius", 2), Kit.p("rings", 2), Kit.p("noise", 0.05), Kit.p("seed", 0)],
                    "n points (n, 2) on concentric circles") { args in
            Kit.tensor(try ToyData.rings(count: args.integer("n"), radius: Float(args.number("radius")), rings: args.integer("rings"),
                                         noise: Float(args.number("noise")), seed: args.seed()))
        },
        Kit.builtin("toy_data", [Kit.p("name"), Kit.p("n"), Kit.p("seed", 0)],
                    "n points (n, 2) of \"" + ToyData.names.joined(separator: "\", \"") + "\"") { args in
            let name = try args.string("name")
            guard ToyData.names.contains(name) else {
                throw RuntimeError("toy_data(): no data set \"\(name)\"",
                                   hint: "choose one of \"" + ToyData.names.joined(separator: "\", \"") + "\"")
            }
            return Kit.tensor(try ToyData.named(name, count: args.integer("n"), seed: args.seed()))
        },
    ] }

    // MARK: distributions

    static var distributions: [Builtin] { [
        Kit.builtin("GaussianMixture", [Kit.p("means"), Kit.p("std", 1), Kit.p("weights", .none)],
                    "p(x) = Σ_k w_k N(μ_k, s_k² I) with one mean per row of means (K, d); std is s (one number, or one per component); weights equal unless given") { args in
            let means = try Conversions.tensor(args["means"], what: "GaussianMixture()'s means")
            let rows = means.rank == 1 ? try means.reshaped([1, -1]) : means
            guard rows.rank == 2 else {
                throw RuntimeError("GaussianMixture(): means must be one row per component (K, d), got shape \(formatShape(means.shape))")
            }
            let k = rows.shape[0]
            let stds = try perComponent(args["std"], k, what: "std")
            let weights = args["weights"].isNone ? [Float](repeating: 1, count: k) : try perComponent(args["weights"], k, what: "weights")
            return .host(MixtureValue(try GaussianMixture(weights: weights, means: rows, variances: stds.map { $0 * $0 })))
        },
        Kit.builtin("Gaussian", [Kit.p("mean"), Kit.p("std", 1)],
                    "the distribution N(μ, s² I), e.g. Gaussian([1, 0], std: 0.5); noised, it stays Gaussian: p_t = N(μ, (s² + σ²t) I)") { args in
            let mean = try Conversions.tensor(args["mean"], what: "Gaussian()'s mean")
            guard mean.rank <= 1 else {
                throw RuntimeError("Gaussian(): mean must be one point, e.g. [1, 0], got shape \(formatShape(mean.shape))")
            }
            let s = Float(try Conversions.number(args["std"], what: "Gaussian()'s std"))
            guard s > 0, s.isFinite else {
                throw RuntimeError("Gaussian(): std must be a positive number, got \(Value.format(Double(s)))",
                                   hint: "std is the spread s of N(μ, s² I), e.g. std: 0.5")
            }
            return .host(MixtureValue(try GaussianMixture(weights: [1], means: mean.reshaped([1, -1]), variances: [s * s])))
        },
    ] }

    /// One number for every component (a single number is repeated).
    static func perComponent(_ value: Value, _ k: Int, what: String) throws -> [Float] {
        let t = try Conversions.tensor(value, what: what)
        if t.count == 1 { return [Float](repeating: t.scalars[0], count: k) }
        guard t.rank == 1, t.count == k else {
            throw RuntimeError("\(what) needs one number per component (\(k)), or a single number; got shape \(formatShape(t.shape))")
        }
        return t.scalars
    }

    // MARK: forward noising

    static var noise: Builtin {
        Kit.builtin("noise", [Kit.p("x0"), Kit.p("t"), Kit.p("sigma", 2), Kit.p("seed", 0)],
                    "the forward process x_t = x_0 + σ√t z, z ~ N(0, I) (z is randn(x0.shape, seed: seed)), for points x0 (N, d)") { args in
            let x0 = try Conversions.tensor(args["x0"], what: "noise()'s x0")
            let t = Float(try Conversions.number(args["t"], what: "noise()'s t"))
            guard t >= 0, t.isFinite else { throw RuntimeError("noise(): the time t must be ≥ 0, got \(t)") }
            let process = try ForwardProcess(sigma: Float(try Conversions.number(args["sigma"], what: "sigma")), T: max(t, 1))
            var rng = SplitMix64(seed: try args.seed())
            return Kit.tensor(try process.noised(x0.detached(), t: t, using: &rng).xt)
        }
    }

    /// A forward process from `sigma` and `T` arguments.
    static func process(_ args: BoundArguments, sigma: String = "sigma", T: String = "T") throws -> ForwardProcess {
        try ForwardProcess(sigma: Float(try Conversions.number(args[sigma], what: "sigma")),
                           T: Float(try Conversions.number(args[T], what: "T")))
    }

    // MARK: scores

    static var exactScore: Builtin {
        Kit.builtin("exact_score", [Kit.p("p"), Kit.p("sigma", 2), Kit.p("T", 4)],
                    "the score ∇ₓlog p_t(x) of a Gaussian mixture p noised by x_t = x_0 + σ√t z, in closed form (no training); call it as s(x, t)") { args in
            guard case .host(let host) = args["p"], let p = host as? MixtureValue else {
                let hint = args["p"].tensorValue != nil
                    ? "a cloud of points has no formula for its score: train a ScoreNetwork on it, or use a distribution such as eight_gaussians()"
                    : "give a distribution: eight_gaussians(), Gaussian([0, 0], std: 1) or GaussianMixture(means, std: …)"
                throw RuntimeError("exact_score() needs a Gaussian mixture, got \(args["p"].kindPhrase)", hint: hint)
            }
            return .host(ExactScoreValue(ExactScore(p.mixture, process: try process(args))))
        }
    }

    static var scoreNetworkBuiltin: Builtin {
        Kit.builtin("ScoreNetwork", [Kit.p("hidden", .list([.number(32), .number(32)])), Kit.p("sigma", 2), Kit.p("T", 4),
                                     Kit.p("frequencies", 2), Kit.p("activation", "gelu"), Kit.p("seed", 0)],
                    "a learned score s_θ(x, t) ≈ ∇ₓlog p_t(x) for 2-D points; net.train(data) fits it by denoising score matching; call it as net(x, t)") { args in
            let hidden = try Conversions.shape(args["hidden"], what: "hidden")
            let p = try process(args)
            let f = try args.integer("frequencies")
            let a = try ModelBindings.activation(args["activation"])
            let seed = try args.seed()
            return try ModelBindings.make {
                try ScoreNetwork(process: p, dimension: 2, hidden: hidden, frequencies: f, activation: a, seed: seed)
            }
        }
    }

    /// One time for every row of x: a number, or a list/tensor of N times.
    static func times(_ value: Value, rows: Int, what: String) throws -> [Float] {
        let t = try Conversions.tensor(value, what: what)
        if t.count == 1 { return [Float](repeating: t.scalars[0], count: rows) }
        guard t.count == rows else {
            throw RuntimeError("\(what): \(t.count) times for \(rows) points; give one time, or one per point")
        }
        return t.scalars
    }

    static func scoreNetwork(_ m: ScoreNetwork) -> ModelBinding {
        var binding = ModelBinding(typeName: "ScoreNetwork", callParameters: [Kit.p("x"), Kit.p("t")]) { args in
            let x = try ModelBindings.input(args).tensor
            return Kit.tensor(try m(x, t: times(args["t"], rows: x.rank == 2 ? x.shape[0] : 1, what: "ScoreNetwork's t")))
        }
        binding.property("sigma", "σ, the noise scale of the forward process") { .number(Double(m.process.sigma)) }
        binding.property("T", "T, the time the noising runs for") { .number(Double(m.process.T)) }
        binding.methods = [
            Kit.builtin("train", [Kit.p("data"), Kit.p("steps", 500), Kit.p("batch", 128), Kit.p("lr", 0.01), Kit.p("seed", 0)],
                        "denoising score matching with Adam on points data (N, 2) — each step noises a batch, x_t = x_0 + σ√t z, and fits s_θ(x_t, t) to −(x_t − x_0)/(σ²t); returns the losses") { args in
                try train(m, args)
            },
            Kit.builtin("epsilon", [Kit.p("x"), Kit.p("t")],
                        "the noise ε̂ the network thinks was added; its score is −ε̂/(σ√t)") { args in
                let x = try ModelBindings.input(args).tensor
                return Kit.tensor(try m.epsilon(x, t: times(args["t"], rows: x.rank == 2 ? x.shape[0] : 1, what: "epsilon()'s t")))
            },
            Kit.builtin("denoise", [Kit.p("x"), Kit.p("t")],
                        "Tweedie's best guess of the clean points, E[x_0 | x_t] = x_t + σ²t·s_θ(x_t, t)") { args in
                let x = try ModelBindings.input(args).tensor
                return Kit.tensor(try m.denoised(x, at: Float(Conversions.number(args["t"], what: "denoise()'s t"))))
            },
        ]
        return binding
    }

    /// `net.train(...)`: the model's own loop, reporting to the progress bar after each
    /// step and stopping on Ctrl-C (the network keeps the steps already taken).
    static func train(_ m: ScoreNetwork, _ args: BoundArguments) throws -> Value {
        let data = try Conversions.tensor(args["data"], what: "train()'s data")
        let steps = try args.integer("steps")
        guard steps > 0 else { throw RuntimeError("train() needs steps ≥ 1, got \(steps)") }
        let observer = HostTrainingObserver(args, total: steps)
        return try observer.train {
            try m.train(on: data, steps: steps, batchSize: args.integer("batch"), learningRate: Float(args.number("lr")),
                        seed: args.seed()) { step, loss in
                try observer.didStep(TrainingReport(step: step, total: steps, loss: loss))
                return true
            }
        }
    }

    // MARK: sampling

    static var sampleParameters: [Language.Parameter] { [
        Kit.p("score"), Kit.p("n", .none), Kit.p("steps", 40), Kit.p("seed", 0), Kit.p("start", .none),
        Kit.p("center", .none), Kit.p("spacing", "noise"), Kit.p("denoise", false), Kit.p("sigma", .none), Kit.p("T", .none),
    ] }

    static var sample: Builtin {
        Kit.builtin("sample", sampleParameters,
                    "new points by the reverse process x ← x + σ²Δt·score(x, t) + σ√Δt·z from x_T ~ N(center, σ²T·I) (or from the points start) down to t = 0; trace it to step through every step") { args in
            Kit.tensor(try run(args))
        }
    }

    static var sampleSteps: Builtin {
        Kit.builtin("sample_steps", sampleParameters,
                    "the same run as sample(…) with the same arguments, as a list of its steps; each step s has s.x, s.score, s.z, s.x_next, s.t, s.dt, s.sigma") { args in
            let recorder = TraceRecorder.withinBudget()
            _ = try Tracing.recording(into: recorder) { try run(args) }
            if recorder.dropped > 0 {
                // A list with its later steps silently missing would mislead: say so instead.
                throw RuntimeError("\(args.callee)(): \(recorder.events.count + recorder.dropped) steps are more than a list of steps can hold (it kept \(recorder.events.count), \(MemoryBudget.formatBytes(recorder.bytes)) of snapshots); ask for fewer steps, or use sample(…) for the points alone")
            }
            for event in recorder.events { Tracing.emit { event } }
            return .list(recorder.events.map { .host(StepValue(event: $0, total: recorder.events.count)) })
        }
    }

    /// Runs the reverse sampler as the arguments say; returns x_0.
    static func run(_ args: BoundArguments) throws -> Tensor {
        let start = args["start"].isNone ? nil : try Conversions.tensor(args["start"], what: "\(args.callee)()'s start").detached()
        let base = try score(args, dimension: start.map { $0.rank == 2 ? $0.shape[1] : 2 } ?? 2)
        let host = args.context.host
        // The same score, asking after each step whether Ctrl-C was pressed.
        let score = try ClosureScore(process: base.process, dimension: base.dimension) { x, t in
            try host.checkInterrupt()
            return try base.score(x, at: t)
        }
        let spacings = ["noise": TimeSpacing.noiseScale, "uniform": .uniform]
        let spacingName = try args.string("spacing")
        guard let spacing = spacings[spacingName] else {
            throw RuntimeError("\(args.callee)(): spacing must be \"noise\" (equal steps in σ√t) or \"uniform\" (equal Δt), got \"\(spacingName)\"")
        }
        let sampler = try ReverseSampler(score: score, steps: args.integer("steps"), spacing: spacing, denoise: args.bool("denoise"))
        var rng = SplitMix64(seed: try args.seed())
        if let start {
            if !args["n"].isNone, let rows = start.shape.first, try args.integer("n") != rows {
                throw RuntimeError("\(args.callee)(): n = \(try args.integer("n")) but start has \(rows) points; leave n out when giving start")
            }
            return try sampler.run(from: start, using: &rng)
        }
        let n = args["n"].isNone ? 300 : try Conversions.integer(args["n"], what: "\(args.callee)()'s n")
        let center = args["center"].isNone ? nil : try Conversions.tensor(args["center"], what: "center").scalars
        return try sampler.sample(count: n, center: center, using: &rng)
    }

    /// The score argument of `sample`: an exact score, a score network, or a function
    /// s(x, t) written in the lesson.
    static func score(_ args: BoundArguments, dimension: Int) throws -> any Score {
        let value = args["score"]
        let sigma = args["sigma"].isNone ? nil : Float(try Conversions.number(args["sigma"], what: "sigma"))
        let T = args["T"].isNone ? nil : Float(try Conversions.number(args["T"], what: "T"))
        func checked(_ s: any Score) throws -> any Score {
            if let sigma, sigma != s.process.sigma {
                throw RuntimeError("\(args.callee)(): this score belongs to σ = \(s.process.sigma), not \(sigma)",
                                   hint: "leave sigma out: the sampler takes σ and T from the score")
            }
            if let T, T != s.process.T {
                throw RuntimeError("\(args.callee)(): this score belongs to T = \(s.process.T), not \(T)",
                                   hint: "leave T out: the sampler takes σ and T from the score")
            }
            return s
        }
        switch value {
        case .host(let host):
            if let exact = host as? ExactScoreValue { return try checked(exact.score) }
            if let model = host as? ModelValue, let net = model.model as? ScoreNetwork { return try checked(net) }
            if host is MixtureValue {
                throw RuntimeError("\(args.callee)() needs a score ∇ₓlog p_t, got a distribution", hint: "wrap it: \(args.callee)(exact_score(p), …)")
            }
        case .function, .builtin:
            let process = try ForwardProcess(sigma: sigma ?? 2, T: T ?? 4)
            let context = args.context
            return try ClosureScore(process: process, dimension: dimension) { x, t in
                let result = try context.call(value, Arguments([.host(TensorValue(x)), .number(Double(t))]))
                return try Conversions.tensor(result, what: "the score function's result")
            }
        default: break
        }
        throw RuntimeError("\(args.callee)() needs a score, got \(value.kindPhrase)",
                           hint: "give exact_score(p), a ScoreNetwork, or a function s(x, t) returning one arrow per point")
    }

    // MARK: statistics

    static var cov: Builtin {
        Kit.builtin("cov", [Kit.p("x")],
                    "the covariance (d, d) of the points in the rows of x (N, d): mean of (x − x̄)ᵀ(x − x̄) over the rows (divides by N, like var)") { args in
            let x = try Conversions.tensor(args["x"], what: "cov()'s x").detached()
            guard x.rank == 2, x.shape[0] > 0 else {
                throw RuntimeError("cov() needs points as rows (N, d), got shape \(formatShape(x.shape))")
            }
            let centred = try x - x.mean(axis: 0, keepDims: true)
            return Kit.tensor(try centred.T.matmul(centred) * Tensor(1 / Float(x.shape[0])))
        }
    }
}

extension DiffusionBindings {
    static var scatter: Builtin {
        Kit.builtin("scatter", [Kit.p("x"), Kit.p("y", .none)],
                    "a picture of the points x (N, 2) as braille dots; a second cloud y is drawn over them in colour, on the same axes") { args in
            func cloud(_ name: String) throws -> [(Float, Float)] {
                let t = try Conversions.tensor(args[name], what: "scatter()'s \(name)")
                guard t.rank == 2, t.shape[1] == 2 else {
                    throw RuntimeError("scatter() draws 2-D points, one per row (N, 2); \(name) has shape \(formatShape(t.shape))")
                }
                return stride(from: 0, to: t.count, by: 2).map { (t.scalars[$0], t.scalars[$0 + 1]) }
            }
            return .host(ScatterValue(first: try cloud("x"), second: args["y"].isNone ? [] : try cloud("y")))
        }
    }
}

// The bindings of this family's models (see LanguageBound).
extension ScoreNetwork: LanguageBound { var languageBinding: ModelBinding { DiffusionBindings.scoreNetwork(self) } }
