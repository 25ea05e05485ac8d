import Language
import Models
import Render
import Tensor
import Trace

/// A scatter plot shown at the prompt: one or two clouds on shared axes.
struct ScatterValue: HostValue, PictureProviding {
    let first: [(Float, Float)]
    let second: [(Float, Float)]

    var typeName: String { "Scatter" }
    var description: String {
        "scatter plot of \(first.count) points" + (second.isEmpty ? "" : " and \(second.count) more")
    }

    func picture(_ options: RenderOptions) -> TextBlock {
        let columns = min(48, max(20, options.width - 4))
        let rows = columns / 3
        let all = (first + second).filter { $0.0.isFinite && $0.1.isFinite }
        // Equal units across and down: the window is 1.5 times as wide as high.
        let aspect = Float(2 * columns) / Float(4 * rows)
        var lowX = all.map(\.0).min() ?? -1, highX = all.map(\.0).max() ?? 1
        var lowY = all.map(\.1).min() ?? -1, highY = all.map(\.1).max() ?? 1
        let half = max((highX - lowX) / aspect, highY - lowY, 1e-3) / 2 * 1.08
        let (cx, cy) = ((lowX + highX) / 2, (lowY + highY) / 2)
        (lowX, highX, lowY, highY) = (cx - half * aspect, cx + half * aspect, cy - half, cy + half)
        var block = Plots.scatter(first, highlight: second, bounds: PlotBounds(minX: lowX, maxX: highX, minY: lowY, maxY: highY),
                                  columns: columns, rows: rows, options: options)
        if !second.isEmpty {
            block.append(Line("· x  ", options.usesColor ? Style(foreground: RGB(128, 128, 128)) : .plain)
                         + Line("· y (drawn over x)", options.usesColor ? Style(foreground: RGB(95, 215, 255)) : .plain))
        }
        return block
    }

    func copy(using copier: Copier) -> any HostValue { self }
}

/// A Gaussian mixture in the language: a distribution to sample from, with exact moments
/// and score. Immutable, so copies share it.
struct MixtureValue: HostValue {
    let mixture: GaussianMixture

    init(_ mixture: GaussianMixture) { self.mixture = mixture }

    var typeName: String { "GaussianMixture" }

    var description: String {
        let k = mixture.componentCount
        let stds = Set(mixture.variances.map { Float($0.squareRoot()) })
        let std = stds.count == 1 ? ", std \(TensorValue.format(stds.first!))" : ""
        return k == 1 ? "Gaussian in \(mixture.dimension)-D, mean [" + mixture.means[0].map { TensorValue.format(Float($0)) }.joined(separator: ", ") + "]\(std)"
            : "GaussianMixture of \(k) Gaussians in \(mixture.dimension)-D\(std)"
    }

    static let members = ["sample", "mean", "covariance", "cov", "means", "weights", "variances", "score",
                          "log_density", "noised", "dimension"]
    var memberNames: [String] { Self.members }

    var helpText: String? {
        description + "\n"
            + "  sample(n, seed=0) — n points (n, d);  mean, covariance — exact moments;\n"
            + "  means (K, d), weights (K,), variances s_k² (K,);  score(x) — ∇ₓlog p(x);\n"
            + "  log_density(x) — log p(x) per row;  noised(t, sigma=2) — p_t, every variance + σ²t"
    }

    func member(named name: String) throws -> Value? {
        let m = mixture
        switch name {
        case "sample":
            return .builtin(Kit.builtin("sample", [Kit.p("n"), Kit.p("seed", 0)], "n points (n, d) drawn from the distribution") { args in
                Kit.tensor(try m.sample(Conversions.integer(args["n"], what: "sample()'s n"), seed: args.seed()))
            })
        case "mean": return Kit.tensor(Tensor(m.mean.map(Float.init)))
        case "covariance", "cov": return Kit.tensor(try Tensor(m.covariance.map { $0.map(Float.init) }))
        case "means": return Kit.tensor(try Tensor(m.means.map { $0.map(Float.init) }))
        case "weights": return Kit.tensor(Tensor(m.weights.map(Float.init)))
        case "variances": return Kit.tensor(Tensor(m.variances.map(Float.init)))
        case "dimension": return .number(Double(m.dimension))
        case "score":
            return .builtin(Kit.builtin("score", [Kit.p("x")], "∇ₓlog p(x) for points x (N, d), an arrow per point toward likelier places") { args in
                Kit.tensor(try m.score(Conversions.tensor(args["x"], what: "score()'s x")))
            })
        case "log_density":
            return .builtin(Kit.builtin("log_density", [Kit.p("x")], "log p(x) for each row of x (N, d)") { args in
                Kit.tensor(Tensor(try m.logDensity(Conversions.tensor(args["x"], what: "log_density()'s x")).map(Float.init)))
            })
        case "noised":
            return .builtin(Kit.builtin("noised", [Kit.p("t"), Kit.p("sigma", 2)],
                                        "p_t, the distribution of x_t = x_0 + σ√t z: every component's variance grows by σ²t") { args in
                let t = try Conversions.number(args["t"], what: "t"), sigma = try Conversions.number(args["sigma"], what: "sigma")
                guard t >= 0, t.isFinite else { throw RuntimeError("noised(): the time t must be ≥ 0, got \(t)") }
                return .host(MixtureValue(m.noised(by: sigma * sigma * t)))
            })
        default: return nil
        }
    }

    func copy(using copier: Copier) -> any HostValue { self }
}

/// The exact score of a noised Gaussian mixture, callable as `s(x, t)`.
struct ExactScoreValue: HostValue {
    let score: ExactScore

    init(_ score: ExactScore) { self.score = score }

    var typeName: String { "ExactScore" }
    var description: String {
        "exact score ∇ₓlog p_t of a \(MixtureValue(score.mixture).description); σ = \(TensorValue.format(score.process.sigma)), T = \(TensorValue.format(score.process.T))"
    }

    var memberNames: [String] { ["p", "at", "denoise", "sigma", "T"] }

    var helpText: String? {
        description + "\n"
            + "  s(x, t) — the score at time t for points x (N, d);  p — the data distribution p_0;\n"
            + "  at(t) — p_t (each variance + σ²t);  denoise(x, t) — E[x_0 | x_t] = x_t + σ²t·s(x, t);  sigma, T"
    }

    func call(_ arguments: Arguments, context: CallContext) throws -> Value {
        let args = try context.bind(arguments, to: [Kit.p("x"), Kit.p("t")], callee: "exact_score")
        let x = try Conversions.tensor(args["x"], what: "the score's x")
        return Kit.tensor(try score.score(x, at: Float(Conversions.number(args["t"], what: "the score's t"))))
    }

    func member(named name: String) throws -> Value? {
        let s = score
        switch name {
        case "p": return .host(MixtureValue(s.mixture))
        case "sigma": return .number(Double(s.process.sigma))
        case "T": return .number(Double(s.process.T))
        case "at":
            return .builtin(Kit.builtin("at", [Kit.p("t")], "p_t, the data distribution noised for time t") { args in
                .host(MixtureValue(try s.distribution(at: Float(Conversions.number(args["t"], what: "t")))))
            })
        case "denoise":
            return .builtin(Kit.builtin("denoise", [Kit.p("x"), Kit.p("t")],
                                        "Tweedie's best guess of the clean points, E[x_0 | x_t] = x_t + σ²t ∇ₓlog p_t(x_t)") { args in
                let x = try Conversions.tensor(args["x"], what: "denoise()'s x")
                return Kit.tensor(try s.denoised(x, at: Float(Conversions.number(args["t"], what: "denoise()'s t"))))
            })
        default: return nil
        }
    }

    func copy(using copier: Copier) -> any HostValue { self }
}

/// One step of a reverse run, as `sample_steps` returns it: the event's tensors and
/// settings by name.
struct StepValue: HostValue {
    let event: TraceEvent
    let total: Int

    var typeName: String { "DiffusionStep" }

    var description: String {
        typealias S = DiffusionStep
        let n = event[S.x]?.shape.first ?? 0
        func number(_ key: IndexKey<S>) -> String { event.number(key).map { NumberFormat.short(Float($0)) } ?? "?" }
        return "diffusion step \(event[S.step].map { "\($0)" } ?? "?") of \(total): t = \(number(S.t)), Δt = \(number(S.dt)), \(n) points"
    }

    /// Each tensor by every name its declaration gives it (`x_next`, `score`, `s`), then
    /// the settings.
    var memberNames: [String] { event.declaredTensors.flatMap(\.schema.names) + event.index.map(\.key) }

    func member(named name: String) throws -> Value? {
        if let tensor = event.declaredTensors.first(where: { $0.schema.names.contains(name) }) { return Kit.tensor(tensor.value.tensor) }
        switch event.index(name) {
        case .int(let v)?: return .number(Double(v))
        case .number(let v)?: return .number(v)
        case .bool(let v)?: return .bool(v)
        case .text(let v)?: return .string(v)
        case nil: return nil
        }
    }

    func copy(using copier: Copier) -> any HostValue { self }
}
