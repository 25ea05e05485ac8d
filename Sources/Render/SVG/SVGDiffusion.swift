import Trace

/// A reverse diffusion step as scatter plots: the cloud before (grey) and after (blue)
/// the step on one frame, the score as an arrow at each point (which way density grows),
/// the fresh noise z, and the step's numbers — how far the drift and the noise moved the
/// points on average and how the spread changed.
///
/// The frame is the terminal picture's (`DiffusionPicture.window`): a power-of-two
/// half-height that holds 98 % of the points, so it stays put for many steps in a row and
/// the cloud is seen to contract inside it.
struct SVGDiffusion {
    let event: TraceEvent
    typealias S = DiffusionStep

    func panel() -> SVGPanel? {
        guard let x = event[S.x], let next = event[S.xNext], x.shape.last == 2, next.shape.last == 2 else { return nil }
        let before = Self.points(x), after = Self.points(next)
        let bounds = DiffusionPicture.window(before + after, aspect: 1)
        var plots = [SVGChart.scatter(title: "\(S.x.symbol) → \(S.xNext.symbol)",
                                      clouds: [.init(before, color: SVGColors.before, label: "\(S.x.symbol), before"),
                                               .init(after, color: SVGColors.after, label: "\(S.xNext.symbol), after")],
                                      bounds: bounds)]
        if let score = event[S.score], score.shape.last == 2 {
            let arrows = Self.points(score)
            // Scaled so the average arrow is a twentieth of the frame: directions, not lengths.
            let mean = arrows.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }.filter(\.isFinite).reduce(0, +) / Float(max(arrows.count, 1))
            let k = mean > 0 ? (bounds.maxY - bounds.minY) / 20 / mean : 0
            plots.append(SVGChart.scatter(title: "\(S.score.symbol) at each point",
                                          clouds: [.init(before, color: "#c7c7cc", label: "arrows: direction, scaled to read")],
                                          arrows: (before, arrows.map { ($0.0 * k, $0.1 * k) }, "#b2182b"), bounds: bounds))
        }
        if let z = event[S.z], z.shape.last == 2, event[S.denoise] != .bool(true) {
            let noise = Self.points(z)
            plots.append(SVGChart.scatter(title: "\(S.z.symbol), the fresh noise", clouds: [.init(noise, color: "#5e3c99", label: "")],
                                          bounds: DiffusionPicture.window(noise, aspect: 1)))
        }
        return SVGLayout.column([SVGLayout.flow(plots, maxWidth: SVGFigure.maxWidth, gap: 30),
                                 SVGPanel.lines(numbers(before: before, after: after), size: 12)], gap: 12)
    }

    /// The step's settings and what it did, in words.
    func numbers(before: [(Float, Float)], after: [(Float, Float)]) -> [(text: String, fill: String)] {
        var lines: [(String, String)] = []
        let settings = [(S.t, "t"), (S.dt, "Δt"), (S.sigma, "σ")].compactMap { key, symbol in
            event[key].map { value -> String in
                if case .number(let d) = value { return "\(symbol) = \(NumberFormat.short(Float(d)))" }
                return "\(symbol) = \(value)"
            }
        }
        if !settings.isEmpty { lines.append((settings.joined(separator: "   "), SVGColors.ink)) }
        if event[S.denoise] == .bool(true) { lines.append(("the last step: no noise is added (Tweedie's formula)", SVGColors.muted)) }
        if let score = event[S.score], let z = event[S.z], let sigma = event.number(S.sigma), let dt = event.number(S.dt) {
            let drift = Float(sigma * sigma * dt) * PictureParts.meanRowNorm(score)
            let noise = Float(sigma * dt.squareRoot()) * PictureParts.meanRowNorm(z)
            lines.append(("mean move per point: drift σ²Δt·score \(NumberFormat.short(drift)), noise σ√Δt·z \(NumberFormat.short(noise))", SVGColors.ink))
        }
        lines.append(("spread (std) \(NumberFormat.short(Self.spread(before))) → \(NumberFormat.short(Self.spread(after))), \(before.count) points",
                      SVGColors.ink))
        return lines
    }

    static func points(_ s: Snapshot) -> [(Float, Float)] {
        stride(from: 0, to: s.count - 1, by: 2).map { (s.data[$0], s.data[$0 + 1]) }
    }

    /// The standard deviation per coordinate, √((var x + var y)/2), of the finite points.
    static func spread(_ points: [(Float, Float)]) -> Float {
        let p = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard !p.isEmpty else { return 0 }
        let n = Float(p.count)
        let mx = p.reduce(0) { $0 + $1.0 } / n, my = p.reduce(0) { $0 + $1.1 } / n
        return (p.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) + ($1.1 - my) * ($1.1 - my) } / (2 * n)).squareRoot()
    }
}
