#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Charts for the handout's figures: labelled bars (the likeliest words, each target's
/// loss), scatter plots of point clouds (diffusion), arrows at points (the score), and a
/// curve over steps (a training run's loss).
public enum SVGChart {
    /// Horizontal bars, one per item, its number at its end; bars start at 0.
    public static func bars(_ items: [(label: String, value: Float)], title: String, color: String = SVGColors.after,
                            barWidth: Double = 180) -> SVGPanel {
        let size = 11.0, rowHeight = 18.0
        let labelWidth = min(items.map { SVGText.width($0.label, size: size) }.max() ?? 0, SVGText.width(String(repeating: "m", count: 14), size: size)) + 8
        let largest = items.map { $0.value.isFinite ? abs($0.value) : 0 }.max() ?? 0
        var canvas = SVGCanvas(), marks = SVGCanvas()
        canvas.text(title, x: 0, y: 14, size: 13, bold: true)
        let top = 24.0
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * rowHeight
            canvas.text(SVGText.fitted(item.label, width: labelWidth - 8, size: size), x: labelWidth - 6, y: y + 13, size: size, anchor: .end)
            let length = item.value.isFinite && largest > 0 ? max(Double(abs(item.value) / largest) * barWidth, 1) : 0
            if item.value.isFinite {
                marks.rect(x: labelWidth, y: y + 3, width: length, height: rowHeight - 6, fill: color)
            } else {
                marks.rect(x: labelWidth, y: y + 3, width: 12, height: rowHeight - 6, fill: SVGColors.notANumber, stroke: SVGColors.error)
            }
            canvas.text(NumberFormat.short(item.value), x: labelWidth + length + 5, y: y + 13, size: size,
                        fill: item.value.isFinite ? SVGColors.muted : SVGColors.error)
        }
        canvas.place(marks, dx: 0, dy: 0, attributes: [("class", "marks")])
        let width = labelWidth + barWidth + 60
        return SVGPanel(canvas: canvas, width: max(width, SVGText.width(title, size: 13)), height: top + Double(items.count) * rowHeight + 4)
    }

    /// A cloud of points drawn on a square frame; dots as zero-length round-capped path
    /// segments (a few bytes each, so 300-point clouds over 70 steps stay small).
    public struct Cloud {
        public var points: [(Float, Float)]
        public var color: String
        public var label: String

        public init(_ points: [(Float, Float)], color: String, label: String) {
            self.points = points
            self.color = color
            self.label = label
        }
    }

    /// Clouds (later ones on top) and optional arrows from `arrows.from` by `arrows.by`,
    /// in the window `bounds`. Points outside it, or not finite, are counted, not drawn.
    public static func scatter(title: String, clouds: [Cloud], arrows: (from: [(Float, Float)], by: [(Float, Float)], color: String)? = nil,
                               bounds: PlotBounds, side: Double = 230) -> SVGPanel {
        let left = 34.0, top = 24.0
        var canvas = SVGCanvas(), marks = SVGCanvas()
        canvas.text(title, x: 0, y: 14, size: 13, bold: true)
        func px(_ x: Float) -> Double { left + Double((x - bounds.minX) / max(bounds.maxX - bounds.minX, 1e-12)) * side }
        func py(_ y: Float) -> Double { top + Double((bounds.maxY - y) / max(bounds.maxY - bounds.minY, 1e-12)) * side }
        func inside(_ p: (Float, Float)) -> Bool {
            p.0.isFinite && p.1.isFinite && p.0 >= bounds.minX && p.0 <= bounds.maxX && p.1 >= bounds.minY && p.1 <= bounds.maxY
        }
        canvas.rect(x: left, y: top, width: side, height: side, fill: "#fbfbfd", stroke: SVGColors.grid)
        if bounds.minX < 0, bounds.maxX > 0 { canvas.line(x1: px(0), y1: top, x2: px(0), y2: top + side, stroke: SVGColors.grid, dash: "3 3") }
        if bounds.minY < 0, bounds.maxY > 0 { canvas.line(x1: left, y1: py(0), x2: left + side, y2: py(0), stroke: SVGColors.grid, dash: "3 3") }
        for (value, anchor) in [(bounds.minX, SVGCanvas.Anchor.start), (bounds.maxX, .end)] {
            canvas.text(tick(value), x: px(value), y: top + side + 13, size: 10, anchor: anchor, fill: SVGColors.muted)
        }
        canvas.text(tick(bounds.maxY), x: left - 4, y: top + 9, size: 10, anchor: .end, fill: SVGColors.muted)
        canvas.text(tick(bounds.minY), x: left - 4, y: top + side, size: 10, anchor: .end, fill: SVGColors.muted)

        var outside = 0
        if let arrows {
            var d = ""
            for (p, v) in zip(arrows.from, arrows.by) where inside(p) && v.0.isFinite && v.1.isFinite {
                let (x, y) = (px(p.0), py(p.1))
                let (dx, dy) = (px(p.0 + v.0) - x, py(p.1 + v.1) - y)
                d += "M\(SVGCanvas.number(x)) \(SVGCanvas.number(y))l\(SVGCanvas.number(dx)) \(SVGCanvas.number(dy))"
            }
            marks.path(d, stroke: arrows.color, width: 1, opacity: 0.8)
        }
        for cloud in clouds {
            var d = ""
            for p in cloud.points {
                guard inside(p) else { outside += 1; continue }
                d += "M\(SVGCanvas.number(px(p.0))) \(SVGCanvas.number(py(p.1)))h0"
            }
            marks.path(d, stroke: cloud.color, width: 4, linecap: "round", opacity: 0.85)
        }
        canvas.place(marks, dx: 0, dy: 0, attributes: [("class", "marks")])
        // The legend under the frame: each cloud's colour and name.
        var x = left, y = top + side + 30
        for cloud in clouds where !cloud.label.isEmpty {
            let width = SVGText.width(cloud.label, size: 11) + 22
            if x + width > left + side, x > left { x = left; y += 16 }
            canvas.circle(cx: x + 4, cy: y - 4, r: 4, fill: cloud.color)
            canvas.text(cloud.label, x: x + 12, y: y, size: 11)
            x += width
        }
        if outside > 0 {
            y += 16
            canvas.text("\(outside) point\(outside == 1 ? "" : "s") outside the frame", x: left, y: y, size: 10, fill: SVGColors.muted)
        }
        return SVGPanel(canvas: canvas, width: max(left + side + 4, SVGText.width(title, size: 13)), height: y + 6)
    }

    /// A curve of `values` over `steps` (a training run's loss), with its first and last
    /// values marked and written under it; on a log scale when it spans more than two decades.
    public static func curve(title: String, steps: [Double], values: [Float], color: String = SVGColors.after,
                             width plotWidth: Double = 420, height plotHeight: Double = 200, xLabel: String = "step") -> SVGPanel {
        let left = 56.0, top = 26.0
        var canvas = SVGCanvas(), marks = SVGCanvas()
        canvas.text(title, x: 0, y: 14, size: 13, bold: true)
        let finite = zip(steps, values).filter { $0.1.isFinite }
        let ys = finite.map { Double($0.1) }
        let positive = !ys.isEmpty && ys.allSatisfy { $0 > 0 }
        let logScale = positive && (ys.max()! / ys.min()!) > 100
        func f(_ v: Double) -> Double { logScale ? log10(v) : v }
        var (lo, hi) = (ys.map(f).min() ?? 0, ys.map(f).max() ?? 1)
        if !logScale { lo = min(lo, 0) }  // a loss curve is read against 0
        if hi - lo < 1e-9 { hi = lo + 1 }
        hi += (hi - lo) * 0.06  // headroom: the highest point is not drawn on the frame
        let (x0, x1) = (steps.first ?? 0, max(steps.last ?? 1, (steps.first ?? 0) + 1))
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { top + (hi - f(y)) / (hi - lo) * plotHeight }

        canvas.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: "#fbfbfd", stroke: SVGColors.grid)
        for tick in ticks(lo, hi) {
            let y = top + (hi - tick) / (hi - lo) * plotHeight
            canvas.line(x1: left, y1: y, x2: left + plotWidth, y2: y, stroke: "#e5e5ea")
            let shown = Self.tick(Float(logScale ? pow10(tick) : tick))
            canvas.text(shown, x: left - 5, y: y + 4, size: 10, anchor: .end, fill: SVGColors.muted)
        }
        for tick in ticks(x0, x1) where tick >= x0 && tick <= x1 {
            canvas.text(Self.tick(Float(tick)), x: px(tick), y: top + plotHeight + 14, size: 10, anchor: .middle, fill: SVGColors.muted)
        }
        canvas.text(xLabel + (logScale ? "   (log scale)" : ""), x: left + plotWidth, y: top + plotHeight + 28, size: 10, anchor: .end,
                    fill: SVGColors.muted)
        let points = finite.map { (px($0.0), py(Double($0.1))) }
        if points.count == 1 {
            marks.circle(cx: points[0].0, cy: points[0].1, r: 3, fill: color)
        } else {
            marks.polyline(points, stroke: color, width: 1.8)
        }
        // The first and last values, marked on the curve and said under it.
        if let first = finite.first, let last = finite.last, points.count > 1 {
            for point in [points[0], points[points.count - 1]] { marks.circle(cx: point.0, cy: point.1, r: 2.5, fill: color) }
            canvas.text("\(NumberFormat.short(first.1)) → \(NumberFormat.short(last.1))", x: left, y: top + plotHeight + 28, size: 10, fill: color)
        }
        let missing = values.count - finite.count
        var height = top + plotHeight + 34
        if missing > 0 {
            canvas.text("\(missing) step\(missing == 1 ? "" : "s") not a number (nan or inf), left out", x: left, y: height + 6, size: 10, fill: SVGColors.error)
            height += 16
        }
        canvas.place(marks, dx: 0, dy: 0, attributes: [("class", "marks")])
        return SVGPanel(canvas: canvas, width: max(left + plotWidth + 8, SVGText.width(title, size: 13)), height: height)
    }

    /// An axis value as short as it can be said: `16`, `-0.5`, `0.25`, `1e-04`.
    static func tick(_ value: Float) -> String {
        if value.isFinite, value.rounded() == value, abs(value) < 1e6 { return NumberFormat.fixed(value, decimals: 0) }
        var text = NumberFormat.short(value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// About five round values between `lo` and `hi`.
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        guard hi > lo, (hi - lo).isFinite else { return [lo] }
        let raw = (hi - lo) / 4
        let magnitude = pow10((log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var values: [Double] = []
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9, values.count < 12 {
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return values
    }

    static func pow10(_ x: Double) -> Double {
        exp(x * 2.302585092994046)
    }
}
