import Trace

/// A matrix drawn as a grid of coloured cells with its number printed in each, rows and
/// columns labelled (by the tokens, when they are agents); a vector is a grid of one row
/// (a strip). Too many cells to print a number in each (a 214-word vocabulary) are drawn
/// small, each cell carrying its number as a tooltip, and a line under the grid says so.
public struct SVGHeatmap {
    public var values: Snapshot
    /// The lecture's symbol (`A_{m→t}`), drawn above with the shape.
    public var title: String
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var scale: SVGColors.Scale
    /// Flat row-major indices of cells that are no message at all (what a causal mask hides).
    public var blank: Set<Int> = []
    /// The tensor's key, written as `data-key` so a reader (or a test) can find it.
    public var key: String?
    /// Decimals for every number (pieces of one tensor print alike); by default chosen
    /// for these values.
    public var decimals: Int?

    public init(_ values: Snapshot, title: String, rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                scale: SVGColors.Scale, key: String? = nil) {
        self.values = values
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.scale = scale
        self.key = key
    }

    var rows: Int { values.shape.count >= 2 ? values.shape[0] : 1 }
    var columns: Int { rows > 0 ? values.count / max(rows, 1) : 0 }

    static let labelSize = 11.0, titleSize = 13.0
    /// Widest grid of printed numbers, and the most rows that still get them.
    static let maxGridWidth = 1000.0, maxPrintedRows = 64

    /// How the numbers are printed: at the reading size, or smaller when a wide matrix
    /// (a transformer's (T, 32) vectors) would not fit the page at that size.
    struct Print {
        let size: Double, cellHeight: Double, padding: Double, minimumCell: Double
    }

    static let prints = [Print(size: 11, cellHeight: 20, padding: 10, minimumCell: 30), Print(size: 9, cellHeight: 15, padding: 4, minimumCell: 16)]

    /// Numbers as the heatmap prints them: whole numbers (ids, one-hot vectors) without
    /// decimals, others with the terminal's decimals for their range.
    public static func formatted(_ data: [Float], decimals: Int? = nil) -> [String] {
        let decimals = decimals ?? self.decimals(for: data)
        return data.map { NumberFormat.fixed($0, decimals: decimals) }
    }

    public static func decimals(for data: [Float]) -> Int {
        let whole = data.allSatisfy { !$0.isFinite || ($0.rounded() == $0 && abs($0) < 1e7) }
        return whole ? 0 : NumberFormat.decimals(for: data)
    }

    /// Where everything goes, worked out before anything is drawn.
    struct Geometry {
        /// Nil when the numbers are not printed (too many cells).
        var print: Print?
        var cellWidth = 0.0, cellHeight = 0.0
        var rowLabelWidth = 0.0, rowStride = 1
        /// Column labels level (they fit their cell) or tilted, and every how many shown.
        var levelLabels = true, tiltedLength = 0.0, columnStride = 1, columnBand = 0.0
    }

    func geometry(_ texts: [String], rowLabels: [String]?, columnLabels: [String]?) -> Geometry {
        var g = Geometry()
        let longestText = texts.map { Double(displayWidth($0)) }.max() ?? 1
        let longestColumnLabel = columnLabels?.map { SVGText.width($0, size: Self.labelSize) }.max() ?? 0
        // The first way of printing whose grid fits; none, for a grid too big to print.
        g.print = rows <= Self.maxPrintedRows ? Self.prints.first { p in
            Double(columns) * max(longestText * 0.6 * p.size + p.padding, p.minimumCell) <= Self.maxGridWidth
        } : nil
        if let print = g.print {
            g.cellWidth = max(longestText * 0.6 * print.size + print.padding, print.minimumCell)
            g.cellHeight = print.cellHeight
            // Short column labels ("machine") widen the cells a little rather than tilt.
            if longestColumnLabel > 0, longestColumnLabel + 8 <= 72, Double(columns) * (longestColumnLabel + 8) <= Self.maxGridWidth {
                g.cellWidth = max(g.cellWidth, longestColumnLabel + 8)
            }
        } else {
            g.cellWidth = min(max((Self.maxGridWidth * 0.9 / Double(max(columns, 1))).rounded(.down), 3), 14)
            g.cellHeight = min(max(g.cellWidth, 3), 14)
            if Double(rows) * g.cellHeight > 640 { g.cellHeight = max((640 / Double(rows)).rounded(.down), 2) }
            if rows <= 2 { g.cellHeight = 16 }  // a strip stays a visible band however many columns
        }
        // Row labels: as many as have room (every k-th when rows are thin).
        g.rowStride = g.cellHeight >= 10 ? 1 : Int((12 / g.cellHeight).rounded(.up))
        if let rowLabels {
            let widest = SVGText.width(String(repeating: "m", count: 14), size: Self.labelSize)
            g.rowLabelWidth = min(rowLabels.map { SVGText.width($0, size: Self.labelSize) }.max() ?? 0, widest) + 8
        }
        g.levelLabels = longestColumnLabel + 4 <= g.cellWidth
        // Tilted labels need about 16 pixels between them to be read apart.
        g.columnStride = g.levelLabels || g.cellWidth >= 16 ? 1 : Int((16 / g.cellWidth).rounded(.up))
        g.tiltedLength = min(longestColumnLabel, SVGText.width(String(repeating: "m", count: 12), size: Self.labelSize))
        g.columnBand = columnLabels == nil ? 0 : (g.levelLabels ? 16 : g.tiltedLength * 0.72 + 12)
        return g
    }

    public func panel() -> SVGPanel {
        let texts = Self.formatted(values.data, decimals: decimals)
        let rowLabelText = rowLabels.map { labels in (0..<rows).map { $0 < labels.count ? labels[$0] : "" } }
        let columnLabelText = columnLabels.map { labels in (0..<columns).map { $0 < labels.count ? labels[$0] : "" } }
        let g = geometry(texts, rowLabels: rowLabelText, columnLabels: columnLabelText)
        let (print, printed, cellWidth, cellHeight) = (g.print, g.print != nil, g.cellWidth, g.cellHeight)
        let (rowLabelWidth, rowStride, columnStride, level, tiltedLength) = (g.rowLabelWidth, g.rowStride, g.columnStride, g.levelLabels, g.tiltedLength)
        let columnBand = g.columnBand

        let titleHeight = 20.0
        let top = titleHeight + columnBand
        let gridWidth = Double(columns) * cellWidth, gridHeight = Double(rows) * cellHeight
        var canvas = SVGCanvas()
        canvas.text(title, x: 0, y: 14, size: Self.titleSize, bold: true)
        canvas.text(PictureParts.shapeText(values.shape), x: SVGText.width(title, size: Self.titleSize) + 8, y: 14, size: 11,
                    fill: SVGColors.muted)

        var labels = SVGCanvas()
        if let rowLabelText {
            for r in stride(from: 0, to: rows, by: rowStride) {
                labels.plainText(SVGText.fitted(rowLabelText[r], width: rowLabelWidth - 8, size: Self.labelSize),
                                 x: rowLabelWidth - 6, y: top + (Double(r) + 0.5) * cellHeight + 4)
            }
        }
        var columnCanvas = SVGCanvas()
        if let columnLabelText {
            for c in stride(from: 0, to: columns, by: columnStride) {
                let x = rowLabelWidth + (Double(c) + 0.5) * cellWidth
                let text = SVGText.fitted(columnLabelText[c], width: tiltedLength + 1, size: Self.labelSize)
                if level {
                    columnCanvas.text(text, x: x, y: top - 5, size: Self.labelSize, anchor: .middle, fill: SVGColors.muted)
                } else {
                    columnCanvas.text(text, x: x + 3, y: top - 5, size: Self.labelSize, fill: SVGColors.muted, rotate: -45)
                }
            }
        }

        var marks = SVGCanvas(), numbers = SVGCanvas()
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                let x = rowLabelWidth + Double(c) * cellWidth, y = top + Double(r) * cellHeight
                let gap = printed ? 1.0 : (cellWidth >= 6 ? 0.5 : 0)
                if blank.contains(i) {
                    marks.rect(x: x, y: y, width: cellWidth - gap, height: cellHeight - gap, fill: "#f5f5f7")
                    continue
                }
                let v = values.data[i]
                let fill = SVGColors.fill(v, scale)
                marks.rect(x: x, y: y, width: cellWidth - gap, height: cellHeight - gap,
                           fill: fill.map(SVGColors.hex) ?? SVGColors.notANumber, title: printed ? nil : texts[i])
                if fill == nil {
                    // Not a number: crossed out, and (when there is room) spelled out.
                    marks.path("M\(SVGCanvas.number(x)) \(SVGCanvas.number(y))l\(SVGCanvas.number(cellWidth - gap)) \(SVGCanvas.number(cellHeight - gap))",
                               stroke: SVGColors.error, width: 1)
                }
                if let print {
                    numbers.plainText(texts[i], x: x + (cellWidth - gap) / 2, y: y + (cellHeight - gap) / 2 + print.size * 0.36,
                                      fill: fill == nil ? SVGColors.error : (SVGColors.textColor(on: fill) == SVGColors.ink ? nil : "#ffffff"))
                }
            }
        }
        canvas.place(labels, dx: 0, dy: 0, attributes: [("font-size", "11"), ("text-anchor", "end")])
        canvas.place(columnCanvas, dx: 0, dy: 0)
        canvas.place(marks, dx: 0, dy: 0, attributes: [("class", "marks")])
        canvas.place(numbers, dx: 0, dy: 0, attributes: [("class", "numbers"), ("font-size", SVGCanvas.number(print?.size ?? 11)),
                                                         ("text-anchor", "middle")])

        var height = top + gridHeight
        let note = "\(values.count) numbers, too many to print: hover a cell to read it"
        if !printed, values.count > 0 {
            canvas.text(note, x: rowLabelWidth, y: height + 14, size: 10, fill: SVGColors.muted)
            height += 18
        }
        let width = max(rowLabelWidth + gridWidth + (level ? 0 : tiltedLength * 0.72),
                        SVGText.width(title, size: Self.titleSize) + 8 + SVGText.width(PictureParts.shapeText(values.shape), size: 11),
                        printed ? 0 : SVGText.width(note, size: 10) + rowLabelWidth)
        return SVGPanel(canvas: canvas, width: width, height: height,
                        attributes: [("class", "heatmap"), ("data-key", key), ("data-shape", values.shape.map(String.init).joined(separator: ","))])
    }
}
