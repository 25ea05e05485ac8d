/// One drawn piece of a figure (a heatmap, a plot, a line of numbers) with its size, so
/// pieces can be laid out beside and below each other without overlapping.
public struct SVGPanel {
    public var canvas: SVGCanvas
    public var width: Double
    public var height: Double
    /// `class`, `data-key`, … on the group that holds it.
    public var attributes: [(String, String?)]

    public init(canvas: SVGCanvas, width: Double, height: Double, attributes: [(String, String?)] = []) {
        self.canvas = canvas
        self.width = width
        self.height = height
        self.attributes = attributes
    }

    /// Lines of text, one below the other.
    public static func lines(_ lines: [(text: String, fill: String)], size: Double = 12, bold: Bool = false) -> SVGPanel {
        var canvas = SVGCanvas()
        let step = size * 1.4
        for (i, line) in lines.enumerated() {
            canvas.text(line.text, x: 0, y: size + Double(i) * step, size: size, fill: line.fill, bold: bold)
        }
        let width = lines.map { SVGText.width($0.text, size: size) }.max() ?? 0
        return SVGPanel(canvas: canvas, width: width, height: Double(lines.count) * step)
    }
}

/// Arranging panels.
public enum SVGLayout {
    /// Panels left to right, top-aligned, with `joins[i]` ("+", "=") drawn large between
    /// panel i and i + 1, centred on the panels' cell area.
    public static func row(_ panels: [SVGPanel], gap: Double = 24, joins: [String] = [], joinY: Double? = nil) -> SVGPanel {
        var canvas = SVGCanvas()
        var x = 0.0
        let height = panels.map(\.height).max() ?? 0
        for (i, panel) in panels.enumerated() {
            if i > 0 {
                if i - 1 < joins.count, !joins[i - 1].isEmpty {
                    canvas.text(joins[i - 1], x: x + gap / 2, y: joinY ?? height / 2 + 6, size: 20, anchor: .middle,
                                fill: SVGColors.muted, bold: true)
                }
                x += gap
            }
            canvas.place(panel.canvas, dx: x, dy: 0, attributes: panel.attributes)
            x += panel.width
        }
        return SVGPanel(canvas: canvas, width: x, height: height)
    }

    /// Panels one below the other, left-aligned.
    public static func column(_ panels: [SVGPanel], gap: Double = 16) -> SVGPanel {
        var canvas = SVGCanvas()
        var y = 0.0
        for (i, panel) in panels.enumerated() {
            if i > 0 { y += gap }
            canvas.place(panel.canvas, dx: 0, dy: y, attributes: panel.attributes)
            y += panel.height
        }
        return SVGPanel(canvas: canvas, width: panels.map(\.width).max() ?? 0, height: y)
    }

    /// Panels one below the other, indented, with `joins[i]` drawn large to the left of
    /// panel i + 1 at `joinY` below its top: a row of `row(_:joins:)` too wide for the page.
    public static func stacked(_ panels: [SVGPanel], joins: [String], joinY: (SVGPanel) -> Double, gap: Double = 14) -> SVGPanel {
        var canvas = SVGCanvas()
        var y = 0.0
        let indent = 26.0
        for (i, panel) in panels.enumerated() {
            if i > 0 {
                y += gap
                if i - 1 < joins.count {
                    canvas.text(joins[i - 1], x: indent / 2, y: y + joinY(panel), size: 20, anchor: .middle, fill: SVGColors.muted, bold: true)
                }
            }
            canvas.place(panel.canvas, dx: indent, dy: y, attributes: panel.attributes)
            y += panel.height
        }
        return SVGPanel(canvas: canvas, width: indent + (panels.map(\.width).max() ?? 0), height: y)
    }

    /// Panels left to right, starting a new row whenever the next would pass `maxWidth`
    /// (a panel wider than that gets a row of its own).
    public static func flow(_ panels: [SVGPanel], maxWidth: Double, gap: Double = 28, rowGap: Double = 20) -> SVGPanel {
        var rows: [[SVGPanel]] = []
        var width = 0.0
        for panel in panels {
            if let last = rows.last, !last.isEmpty, width + gap + panel.width <= maxWidth {
                rows[rows.count - 1].append(panel)
                width += gap + panel.width
            } else {
                rows.append([panel])
                width = panel.width
            }
        }
        return column(rows.map { row($0, gap: gap) }, gap: rowGap)
    }
}
