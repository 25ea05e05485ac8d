import Trace

/// A reverse diffusion step: the cloud before (grey) and after (bright) the step
/// x ← x + σ²Δt·score + σ√Δt·z, and how much of the move was drift towards the data
/// versus fresh noise.
struct DiffusionPicture {
    let event: TraceEvent

    func block(_ options: RenderOptions) -> TextBlock {
        guard let x = event["x"], let next = event["x_next"], x.shape.last == 2 else {
            return Fallback(event: event).block(options)
        }
        let before = points(x), after = points(next)
        let columns = min(48, max(20, options.width - 30))
        var block = TextBlock()
        let plot = Plots.scatter(before, highlight: after, bounds: PlotBounds.around(before + after),
                                 columns: columns, rows: columns / 3, options: options)
        var legend = TextBlock()
        legend.append(Line("· before  ", options.usesColor ? Style(foreground: RGB(128, 128, 128)) : .plain)
                      + Line("· after", options.usesColor ? Style(foreground: RGB(95, 215, 255)) : .plain))
        if let score = event["score"], let z = event["z"],
           case .number(let sigma)? = event.index("sigma"), case .number(let dt)? = event.index("dt") {
            let drift = Float(sigma * sigma * dt) * meanNorm(score)
            let noise = Float(sigma * dt.squareRoot()) * meanNorm(z)
            legend.blank()
            legend.append(Line("mean move per point", Theme.muted))
            legend.append(Line("drift σ²Δt·score ", Theme.label) + Line(NumberFormat.short(drift)))
            legend.append(Line("noise σ√Δt·z     ", Theme.label) + Line(NumberFormat.short(noise)))
            legend.append(Line("points           ", Theme.label) + Line(String(before.count)))
        }
        block.append(TextBlock.beside([plot, legend], gap: 2))
        return block
    }

    func points(_ s: Snapshot) -> [(Float, Float)] {
        stride(from: 0, to: s.count - 1, by: 2).map { (s.data[$0], s.data[$0 + 1]) }
    }

    func meanNorm(_ s: Snapshot) -> Float {
        let p = points(s)
        guard !p.isEmpty else { return 0 }
        return p.reduce(0) { $0 + ($1.0 * $1.0 + $1.1 * $1.1).squareRoot() } / Float(p.count)
    }
}
