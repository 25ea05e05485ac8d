/// Small charts: horizontal bars for distributions.
public enum Charts {
    /// One bar per item, longest for the largest value: `love  ████████▌ 0.62`.
    public static func bars(_ items: [(label: String, value: Float)], width: Int = 24, decimals: Int = 2,
                            color: RGB = RGB(95, 175, 255)) -> TextBlock {
        let labelWidth = min(items.map { displayWidth($0.label) }.max() ?? 0, 14)
        let top = items.map(\.value).filter(\.isFinite).max() ?? 1
        let eighths: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var block = TextBlock()
        for item in items {
            var line = Line()
            var label = item.label
            while displayWidth(label) > labelWidth, !label.isEmpty { label.removeLast() }
            line.append(label + String(repeating: " ", count: labelWidth - displayWidth(label)) + " ", Theme.label)
            let fraction = top > 0 && item.value.isFinite ? Double(max(item.value, 0) / top) : 0
            let units = Int((fraction * Double(width) * 8).rounded())
            let bar = String(repeating: "█", count: units / 8) + eighths[units % 8]
            line.append(bar, Style(foreground: color))
            line.append(String(repeating: " ", count: max(0, width - displayWidth(bar))) + " ")
            line.append(NumberFormat.fixed(item.value, decimals: decimals))
            block.append(line)
        }
        return block
    }
}

/// A canvas of braille characters: each character cell holds 2×4 dots, so a 60-column
/// plot has 120×(4·rows) points of resolution. Used for point clouds and curves.
public struct BrailleCanvas {
    public let columns: Int, rows: Int
    private var dots: [UInt8]
    private var colors: [RGB?]

    public init(columns: Int, rows: Int) {
        self.columns = max(columns, 1)
        self.rows = max(rows, 1)
        dots = [UInt8](repeating: 0, count: self.columns * self.rows)
        colors = [RGB?](repeating: nil, count: self.columns * self.rows)
    }

    /// Braille dot numbering: left column 1, 2, 3, 7 and right column 4, 5, 6, 8, top to
    /// bottom. A table made once: built in `set` for every dot, a curve through 16 million
    /// values took 4.6 s.
    private static let bits: [UInt8] = [0x01, 0x02, 0x04, 0x40, 0x08, 0x10, 0x20, 0x80]

    public var pixelWidth: Int { columns * 2 }
    public var pixelHeight: Int { rows * 4 }

    /// Sets the dot at pixel (x, y), y growing downwards; outside points are ignored.
    public mutating func set(_ x: Int, _ y: Int, color: RGB? = nil) {
        guard x >= 0, y >= 0, x < pixelWidth, y < pixelHeight else { return }
        let cell = (y / 4) * columns + x / 2
        dots[cell] |= BrailleCanvas.bits[(x % 2) * 4 + y % 4]
        if let color { colors[cell] = color }
    }

    /// A straight line between two pixels (Bresenham).
    public mutating func line(from a: (Int, Int), to b: (Int, Int), color: RGB? = nil) {
        var (x0, y0) = a
        let (x1, y1) = b
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        for _ in 0...(dx - dy) {
            set(x0, y0, color: color)
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }

    public func block() -> TextBlock {
        var block = TextBlock()
        for r in 0..<rows {
            var line = Line()
            for c in 0..<columns {
                let cell = r * columns + c
                let ch = String(UnicodeScalar(0x2800 + UInt32(dots[cell])) ?? " ")
                line.append(ch, colors[cell].map { Style(foreground: $0) } ?? .plain)
            }
            block.append(line)
        }
        return block
    }
}

/// The visible region of a 2-D plot, in data coordinates.
public struct PlotBounds: Sendable, Equatable {
    public var minX: Float, maxX: Float, minY: Float, maxY: Float

    public init(minX: Float, maxX: Float, minY: Float, maxY: Float) {
        self.minX = minX
        self.maxX = maxX
        self.minY = minY
        self.maxY = maxY
    }

    /// Bounds that hold all finite points with a margin, square in data units so that
    /// circles look like circles (a character cell is about twice as tall as wide, and
    /// braille packs 2×4 dots into it, so pixels are square).
    public static func around(_ points: [(Float, Float)], margin: Float = 0.05) -> PlotBounds {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard let first = finite.first else { return PlotBounds(minX: -1, maxX: 1, minY: -1, maxY: 1) }
        var b = PlotBounds(minX: first.0, maxX: first.0, minY: first.1, maxY: first.1)
        for (x, y) in finite {
            b.minX = min(b.minX, x); b.maxX = max(b.maxX, x)
            b.minY = min(b.minY, y); b.maxY = max(b.maxY, y)
        }
        let span = min(max(b.maxX - b.minX, b.maxY - b.minY, 1e-6) * (1 + 2 * margin), .greatestFiniteMagnitude)
        let cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2
        return PlotBounds(minX: cx - span / 2, maxX: cx + span / 2, minY: cy - span / 2, maxY: cy + span / 2)
    }

    /// The pixel for a data point, or nil outside the canvas (or when the numbers are too
    /// wild to place: computed in Double, so even a span beyond Float's range is safe).
    func pixel(_ x: Float, _ y: Float, on canvas: BrailleCanvas) -> (Int, Int)? {
        let (x, y, x0, x1, y0, y1) = (Double(x), Double(y), Double(minX), Double(maxX), Double(minY), Double(maxY))
        guard x.isFinite, y.isFinite, x1 > x0, y1 > y0 else { return nil }
        let fx = (x - x0) / (x1 - x0) * Double(canvas.pixelWidth - 1)
        let fy = (y1 - y) / (y1 - y0) * Double(canvas.pixelHeight - 1)
        guard fx.isFinite, fy.isFinite, fx >= -1, fy >= -1, fx <= Double(canvas.pixelWidth), fy <= Double(canvas.pixelHeight) else { return nil }
        return (Int(fx.rounded()), Int(fy.rounded()))
    }
}

/// Plots built on the braille canvas.
public enum Plots {
    /// Points as dots; `highlight` points (a second cloud) in another colour.
    public static func scatter(_ points: [(Float, Float)], highlight: [(Float, Float)] = [], bounds: PlotBounds? = nil,
                               columns: Int = 40, rows: Int = 16, options: RenderOptions) -> TextBlock {
        let b = bounds ?? PlotBounds.around(points + highlight)
        var canvas = BrailleCanvas(columns: columns, rows: rows)
        let base = options.usesColor ? RGB(128, 128, 128) : nil
        let accent = options.usesColor ? RGB(95, 215, 255) : nil
        for (x, y) in points { if let p = b.pixel(x, y, on: canvas) { canvas.set(p.0, p.1, color: base) } }
        for (x, y) in highlight { if let p = b.pixel(x, y, on: canvas) { canvas.set(p.0, p.1, color: accent) } }
        return framed(canvas.block(), bounds: b)
    }

    /// A curve through `values` (a loss curve), x = index.
    public static func curve(_ values: [Float], columns: Int = 50, rows: Int = 8, options: RenderOptions) -> TextBlock {
        let finite = values.filter(\.isFinite)
        guard finite.count >= 2, let lo = finite.min(), let hi = finite.max() else {
            return TextBlock([Line(finite.first.map { "loss \(NumberFormat.short($0))" } ?? "no values yet", Theme.muted)])
        }
        var canvas = BrailleCanvas(columns: columns, rows: rows)
        let b = PlotBounds(minX: 0, maxX: Float(values.count - 1), minY: lo, maxY: hi > lo ? hi : lo + 1)
        let color = options.usesColor ? RGB(255, 215, 135) : nil
        if values.count <= strokesPast {
            var previous: (Int, Int)?
            for (i, v) in values.enumerated() {
                guard let p = b.pixel(Float(i), v, on: canvas) else { previous = nil; continue }
                if let q = previous { canvas.line(from: q, to: p, color: color) } else { canvas.set(p.0, p.1, color: color) }
                previous = p
            }
        } else {
            strokes(values, bounds: b, on: &canvas, color: color)
        }
        var block = TextBlock()
        let plot = canvas.block()
        let top = NumberFormat.short(hi), bottom = NumberFormat.short(lo)
        let labelWidth = max(top.count, bottom.count)
        for (i, line) in plot.lines.enumerated() {
            let label = i == 0 ? top : (i == plot.lines.count - 1 ? bottom : "")
            block.append(Line(String(repeating: " ", count: labelWidth - label.count) + label + " ┤", Theme.muted) + line)
        }
        block.append(Line(String(repeating: " ", count: labelWidth + 1) + "└ step 1 … \(values.count)", Theme.muted))
        return block
    }

    /// Past this many values a curve is drawn a pixel column at a time (`strokes`).
    static let strokesPast = 100_000

    /// The pixels of the polyline through `values`, without a line per value: the values
    /// that fall in one pixel column, one after another, cover the column from their
    /// lowest pixel to their highest, and one line joins each such run to the next. A
    /// curve through 16 million values (a 1-D tensor shown) took 1.5 s point by point.
    static func strokes(_ values: [Float], bounds b: PlotBounds, on canvas: inout BrailleCanvas, color: RGB?) {
        var run: (x: Int, low: Int, high: Int, last: Int)?  // the column being covered
        func finish() { if let r = run { canvas.line(from: (r.x, r.low), to: (r.x, r.high), color: color) } }
        for (i, v) in values.enumerated() {
            guard let p = b.pixel(Float(i), v, on: canvas) else {
                finish()
                run = nil
                continue
            }
            if var r = run, r.x == p.0 {
                (r.low, r.high, r.last) = (min(r.low, p.1), max(r.high, p.1), p.1)
                run = r
                continue
            }
            finish()
            if let r = run { canvas.line(from: (r.x, r.last), to: p, color: color) } else { canvas.set(p.0, p.1, color: color) }
            run = (p.0, p.1, p.1, p.1)
        }
        finish()
    }

    /// A box around a plot with its x and y ranges written underneath.
    static func framed(_ plot: TextBlock, bounds: PlotBounds) -> TextBlock {
        var block = TextBlock()
        let width = plot.width
        block.append(Line("┌" + String(repeating: "─", count: width) + "┐", Theme.muted))
        for line in plot.lines { block.append(Line("│", Theme.muted) + line + Line("│", Theme.muted)) }
        block.append(Line("└" + String(repeating: "─", count: width) + "┘", Theme.muted))
        let range = "x \(NumberFormat.short(bounds.minX))…\(NumberFormat.short(bounds.maxX))  y \(NumberFormat.short(bounds.minY))…\(NumberFormat.short(bounds.maxY))"
        block.append(range, Theme.muted)
        return block
    }
}
