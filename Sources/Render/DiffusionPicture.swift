import Trace

/// A reverse diffusion step: the cloud before (grey) and after (bright) the step
/// x ← x + σ²Δt·score + σ√Δt·z, how much of the move was drift towards the data versus
/// fresh noise, and how the cloud's spread changed.
///
/// The plot's window is chosen from a ladder of powers of two (half-height 1, 2, 4, 8,
/// 16, …) around the origin, so it stays the same for many steps in a row: the cloud is
/// seen to contract inside a fixed frame, and the frame zooms in only when the cloud has
/// shrunk to half its size. It holds 98 % of the points; the legend counts the rest. The window is 1.5 times as wide as high (as many braille
/// dots per unit across as down), so circles stay circles.
struct DiffusionPicture: StepPicture {
    let event: TraceEvent

    init(event: TraceEvent, focus: Int?) {
        self.event = event
    }

    func block(_ options: RenderOptions) -> TextBlock {
        typealias S = DiffusionStep
        guard let x = event[S.x], let next = event[S.xNext], x.shape.last == 2 else {
            return Fallback(event: event).block(options)
        }
        let before = points(x), after = points(next)
        let columns = min(48, max(20, options.width - 32))
        let rows = columns / 3
        var block = TextBlock()
        let bounds = Self.window(before + after, aspect: Float(2 * columns) / Float(4 * rows))
        var legend = TextBlock()
        let plot: TextBlock
        if options.usesColor {
            plot = Plots.scatter(before, highlight: after, bounds: bounds, columns: columns, rows: rows, options: options)
            legend.append(Line("· before  ", Style(foreground: RGB(128, 128, 128))) + Line("· after", Style(foreground: RGB(95, 215, 255))))
        } else {
            // Without colour both clouds would be the same dots: draw them apart, on one frame.
            let half = max(16, columns / 2)
            var titled: [TextBlock] = []
            for (title, cloud) in [("before", before), ("after", after)] {
                var part = TextBlock([Line(title, Theme.label)])
                part.append(Plots.scatter(cloud, bounds: bounds, columns: half, rows: max(6, half / 3), options: options))
                titled.append(part)
            }
            plot = TextBlock.beside(titled, gap: 2)
            legend.append(Line("before (left) → after (right), same frame", Theme.muted))
        }
        if let score = event[S.score], let z = event[S.z], let sigma = event.number(S.sigma), let dt = event.number(S.dt) {
            let drift = Float(sigma * sigma * dt) * PictureParts.meanRowNorm(score)
            let noise = Float(sigma * dt.squareRoot()) * PictureParts.meanRowNorm(z)
            legend.blank()
            legend.append(Line("mean move per point", Theme.muted))
            legend.append(Line("drift σ²Δt·score ", Theme.label) + Line(NumberFormat.short(drift)))
            legend.append(Line("noise σ√Δt·z     ", Theme.label) + Line(NumberFormat.short(noise)))
        }
        legend.blank()
        legend.append(Line("spread (std) before → after", Theme.muted))
        legend.append(Line(NumberFormat.short(spread(before)) + " → " + NumberFormat.short(spread(after))))
        legend.blank()
        legend.append(Line("points           ", Theme.label) + Line(String(before.count)))
        let missing = Self.outside(after, bounds)
        if missing > 0 { legend.append(Line("\(missing) outside the frame", Theme.muted)) }
        // Two plots leave no room beside them for the numbers: those go underneath.
        let side = TextBlock.beside([plot, legend], gap: 2)
        if options.usesColor || side.width <= options.width {
            block.append(side)
        } else {
            block.append(plot)
            block.append(legend)
        }
        return block
    }

    /// A window centred on the origin (or, for a cloud far from it, on a rounded centre)
    /// whose half-height is the smallest power of two that holds 98 % of the finite
    /// points — a few stragglers do not keep the frame zoomed out; `outside` says how
    /// many were left out. `aspect` is the window's width over its height.
    static func window(_ points: [(Float, Float)], aspect: Float) -> PlotBounds {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard !finite.isEmpty else { return PlotBounds(minX: -aspect, maxX: aspect, minY: -1, maxY: 1) }
        let n = Float(finite.count)
        let midX = finite.reduce(0) { $0 + $1.0 } / n, midY = finite.reduce(0) { $0 + $1.1 } / n
        // How far the window must reach from (cx, cy) to hold 98 % of the points.
        func reach(_ cx: Float, _ cy: Float) -> Float {
            let r = finite.map { max(abs($0.0 - cx) / aspect, abs($0.1 - cy)) }.sorted()
            return r[Int((0.98 * Float(r.count - 1)).rounded(.up))] * 1.05
        }
        var (cx, cy): (Float, Float) = (0, 0)
        var half = ladder(reach(0, 0))
        // A cloud well away from the origin gets a centre of its own, rounded to a
        // quarter of the window so that it too stays put from step to step.
        if abs(midX) > half / 2 || abs(midY) > half / 2 {
            let grid = ladder(reach(midX, midY)) / 2
            (cx, cy) = ((midX / grid).rounded() * grid, (midY / grid).rounded() * grid)
            half = ladder(reach(cx, cy))
        }
        return PlotBounds(minX: cx - half * aspect, maxX: cx + half * aspect, minY: cy - half, maxY: cy + half)
    }

    /// How many of the points fall outside the window.
    static func outside(_ points: [(Float, Float)], _ b: PlotBounds) -> Int {
        points.filter { !($0.0 >= b.minX && $0.0 <= b.maxX && $0.1 >= b.minY && $0.1 <= b.maxY) }.count
    }

    /// The smallest power of two (at least 1/64) not below `value`.
    static func ladder(_ value: Float) -> Float {
        guard value.isFinite, value > 1 / 64 else { return value.isFinite ? 1 / 64 : 1 }
        var h: Float = 1 / 64
        while h < value { h *= 2 }
        return h
    }

    func points(_ s: Snapshot) -> [(Float, Float)] {
        stride(from: 0, to: s.count - 1, by: 2).map { (s.data[$0], s.data[$0 + 1]) }
    }

    /// The standard deviation of the cloud per coordinate, √((var x + var y)/2).
    func spread(_ p: [(Float, Float)]) -> Float {
        guard !p.isEmpty else { return 0 }
        let n = Float(p.count)
        let mx = p.reduce(0) { $0 + $1.0 } / n, my = p.reduce(0) { $0 + $1.1 } / n
        let v = p.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) + ($1.1 - my) * ($1.1 - my) } / (2 * n)
        return v.squareRoot()
    }

    func explanation(place: String) -> String {
        var text = "A reverse diffusion step\(place): every point drifts along the score ∇ₓlog p (towards where data is likely) "
            + "by σ²Δt, and gets fresh noise σ√Δt·z: x ← x + σ²Δt·score + σ√Δt·z."
        if let sigma = event.number(DiffusionStep.sigma), let dt = event.number(DiffusionStep.dt),
           let score = event[DiffusionStep.score], let z = event[DiffusionStep.z] {
            let drift = Float(sigma * sigma * dt) * PictureParts.meanRowNorm(score), noise = Float(sigma * dt.squareRoot()) * PictureParts.meanRowNorm(z)
            text += " Here the drift moved points by \(NumberFormat.short(drift)) on average and the noise by \(NumberFormat.short(noise))."
        }
        return text
    }
}
