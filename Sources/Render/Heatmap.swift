import Trace

/// A matrix as a grid of coloured cells with the numbers inside, rows and columns
/// labelled (by tokens, when the rows are agents). The workhorse picture: attention
/// weights, weight matrices, the vectors of a team of agents.
public struct Heatmap {
    public var values: Snapshot
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var palette: Palette
    public var title: String?
    /// Largest magnitude the colours are scaled to; shared by pictures that must be
    /// compared (before and after an update).
    public var limit: Float?
    /// Mark the cell row of the agent in focus.
    public var highlightRow: Int?
    /// Cells drawn empty (flat row-major indices): entries that are not messages at all,
    /// such as what the causal mask hides.
    public var blank: Set<Int> = []
    /// The fewest columns a number takes, so that several heatmaps stacked line up.
    public var minimumNumberWidth = 0
    /// Cells right of the diagonal drawn empty: what the causal mask hides.
    public var blankAboveDiagonal = false

    /// Past this many rows, a heatmap shows its first and last rows (and the one in focus).
    static let maxRows = 40

    /// The rows drawn, in order: all of them, or the first and last 16 and `keeping`.
    static func shownRows(_ rows: Int, keeping focus: Int?) -> [Int] {
        guard rows > maxRows else { return Array(0..<rows) }
        var shown = Set(0..<16).union((rows - 16)..<rows)
        if let focus, (0..<rows).contains(focus) { shown.insert(focus) }
        return shown.sorted()
    }

    public init(_ values: Snapshot, rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                palette: Palette = .diverging, title: String? = nil, limit: Float? = nil, highlightRow: Int? = nil) {
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.palette = palette
        self.title = title
        self.limit = limit
        self.highlightRow = highlightRow
    }

    var rows: Int { values.shape.count == 2 ? values.shape[0] : 1 }
    var columns: Int { values.shape.count == 2 ? values.shape[1] : values.count }

    public func block(_ options: RenderOptions) -> TextBlock {
        let decimals = NumberFormat.decimals(for: values.data)
        // Cells line up by the widest number of all, though only those shown are written.
        let numberWidth = max(values.data.isEmpty ? 1 : NumberFormat.widestFixed(values.data, decimals: decimals), minimumNumberWidth)
        let scale = limit ?? (palette == .diverging ? options.colorLimit : nil) ?? palette.limit(for: values.data)
        let labelWidth = min(rowLabels?.map { displayWidth($0) }.max() ?? 0, 10)
        let labelColumns = labelWidth > 0 ? labelWidth + 1 : 0
        // With colour, adjacent backgrounds separate the cells; without, a shade mark and
        // a space do.
        var cellWidth = options.usesColor ? numberWidth + 1 : numberWidth + 2
        // Widen cells to show whole column labels ("machine") when the terminal allows.
        let columnLabelWidth = min(columnLabels?.map { displayWidth($0) }.max() ?? 0, 9)
        if labelColumns + columns * (columnLabelWidth + 1) <= options.width {
            cellWidth = max(cellWidth, columnLabelWidth + 1)
        }
        let showNumbers = labelColumns + columns * cellWidth <= options.width
        if !showNumbers { cellWidth = 2 }

        // What fits: the columns the width holds, and at most `maxRows` rows (the first
        // and last, and the one in focus). A (3000, 3000) attention took 69 s to draw
        // whole, and no terminal shows it.
        let fitting = max(1, (options.width - labelColumns) / cellWidth)
        let shownColumns = columns <= fitting ? columns : max(1, fitting - 1)
        let cutColumns = columns - shownColumns

        var block = TextBlock()
        if let title { block.append(title, Theme.label) }
        if let columnLabels, showNumbers {
            var header = Line(String(repeating: " ", count: labelColumns))
            for c in 0..<shownColumns {
                let label = c < columnLabels.count ? columnLabels[c] : ""
                header.append(fit(label, cellWidth, alignRight: true, pad: 1), Theme.label)
            }
            block.append(header)
        }
        var previous = -1
        for r in Heatmap.shownRows(rows, keeping: highlightRow) {
            if r > previous + 1 { block.append(Line("⋮ \(r - previous - 1) rows not shown", Theme.muted)) }
            previous = r
            var line = Line()
            if labelColumns > 0 {
                let label = rowLabels.map { r < $0.count ? $0[r] : "" } ?? ""
                let style = r == highlightRow ? Theme.accent : Theme.label
                line.append(fit(label, labelWidth, alignRight: false) + " ", style)
            }
            for c in 0..<shownColumns {
                let v = values.data[r * columns + c]
                let text = showNumbers ? NumberFormat.fixed(v, decimals: decimals) : ""
                if blank.contains(r * columns + c) || (blankAboveDiagonal && c > r) {
                    line.append(String(repeating: " ", count: cellWidth))
                    continue
                }
                if options.usesColor {
                    line.append(fit(text, cellWidth, alignRight: true, pad: 1), palette.cellStyle(v, limit: scale))
                } else {
                    let mark = String(palette.shade(v, limit: scale))
                    line.append(showNumbers ? fit(text, cellWidth - 1, alignRight: true) + mark : mark + mark)
                }
            }
            if cutColumns > 0 { line.append("…", Theme.muted) }
            if r == highlightRow { line.append(" ◀", Theme.accent) }
            block.append(line)
        }
        if previous < rows - 1 { block.append(Line("⋮ \(rows - 1 - previous) rows not shown", Theme.muted)) }
        if cutColumns > 0 { block.append(Line("(\(cutColumns) of \(columns) columns not shown)", Theme.muted)) }
        // Without its numbers a heatmap still says how to read it.
        if !showNumbers, values.count > 0 {
            let largest = values.data.map(abs).filter(\.isFinite).max() ?? 0
            block.append(Line("(too wide for its numbers: the darker, the larger |x|, up to \(NumberFormat.short(largest)); "
                              + "index a row to read it)", Theme.muted))
        }
        return block
    }

    /// `text` cut or padded to `width` columns.
    func fit(_ text: String, _ width: Int, alignRight: Bool = true, pad: Int = 0) -> String {
        let inner = width - pad
        var t = text
        while displayWidth(t) > inner, !t.isEmpty { t.removeLast() }
        let spaces = String(repeating: " ", count: max(0, inner - displayWidth(t)))
        let padding = String(repeating: " ", count: pad)
        return alignRight ? spaces + t + padding : t + spaces + padding
    }
}
