import Trace

/// Any tensor of an event drawn by what its declaration says it is: a number as a line,
/// a vector as a strip, a matrix as a heatmap (rows named after the agents when they are
/// agents, columns after the vocabulary where the event names it), and a batch of
/// signals or images (a convolution's) as one heatmap per channel.
enum SVGTensors {
    /// `scale` overrides the tensor's own (pictures that compare tensors share one).
    /// `decimals` too: the tensors of one update print alike.
    static func panel(_ name: String, _ value: Snapshot, schema: TensorSchema?, event: TraceEvent,
                      scale: SVGColors.Scale? = nil, title: String? = nil, decimals: Int? = nil) -> SVGPanel {
        let title = title ?? schema?.symbol ?? name
        let scale = scale ?? SVGColors.Scale.of(schema?.palette, values: value.data)
        if value.count == 1 && value.shape.count <= 1 && (value.shape.isEmpty || schema?.role == .value) {
            return number(title, value.data[0], key: name)
        }
        switch value.shape.count {
        case 0, 1:
            // A vector of one number per agent is labelled along the strip.
            var strip = SVGHeatmap(value, title: title, columnLabels: event.rowLabels(for: name), scale: scale, key: name)
            strip.decimals = decimals
            return strip.panel()
        case 2:
            // A decoder's rows are the vocabulary's words.
            let words = schema == DecodeStep.W.schema && event.columnLabels?.count == value.shape[0] ? event.columnLabels : nil
            var map = SVGHeatmap(value, title: title, rowLabels: event.rowLabels(for: name) ?? words,
                                 columnLabels: columnLabels(name, value, schema: schema, event: event), scale: scale, key: name)
            map.decimals = decimals
            return map.panel()
        default:
            return grids(name, value, title: title, schema: schema, scale: scale)
        }
    }

    /// `total = 3.21`.
    static func number(_ title: String, _ value: Float, key: String?) -> SVGPanel {
        var canvas = SVGCanvas()
        canvas.text(title + " = ", x: 0, y: 16, size: 13, bold: true)
        let shown = value.isFinite && value.rounded() == value && abs(value) < 1e7 ? NumberFormat.fixed(value, decimals: 0) : NumberFormat.short(value)
        canvas.text(shown, x: SVGText.width(title + " = ", size: 13), y: 16, size: 13, fill: value.isFinite ? SVGColors.ink : SVGColors.error)
        let width = SVGText.width(title + " = " + shown, size: 13)
        // Underlined by a thin bar, so a figure of numbers alone still draws a mark.
        var marks = SVGCanvas()
        marks.rect(x: 0, y: 22, width: width, height: 2, fill: SVGColors.grid)
        canvas.place(marks, dx: 0, dy: 0, attributes: [("class", "marks")])
        return SVGPanel(canvas: canvas, width: width, height: 26, attributes: [("class", "value"), ("data-key", key)])
    }

    /// The vocabulary for the columns of a (T, V) tensor of a decode step; nil elsewhere.
    static func columnLabels(_ name: String, _ value: Snapshot, schema: TensorSchema?, event: TraceEvent) -> [String]? {
        guard let columns = event.columnLabels, schema?.role == .perAgent, value.shape.last == columns.count else { return nil }
        return columns
    }

    /// A batch of one-channel signals (N, 1, L) as one heatmap, a row per signal; images
    /// and kernels as a small heatmap per channel (of the first item) or per (out, in)
    /// pair, all on one colour scale.
    static func grids(_ name: String, _ s: Snapshot, title: String, schema: TensorSchema?, scale: SVGColors.Scale) -> SVGPanel {
        let isKernel = schema?.role == .weight
        if !isKernel, s.shape.count == 3, s.shape[1] == 1 {
            let signals = Snapshot(shape: [s.shape[0], s.shape[2]], data: s.data)
            var map = SVGHeatmap(signals, title: title, rowLabels: (0..<s.shape[0]).map { "signal \($0)" }, scale: scale, key: name)
            map.title = title
            var panel = map.panel()
            panel.attributes.append(("data-tensor-shape", s.shape.map(String.init).joined(separator: ",")))
            return panel
        }
        let spatial = Array(s.shape.dropFirst(2))
        let plane = spatial.reduce(1, *)
        let (rows, columns) = (spatial.count >= 2 ? spatial[spatial.count - 2] : 1, spatial.last ?? 1)
        let count = isKernel ? s.shape[0] * s.shape[1] : s.shape[1]
        let limit = 16
        let decimals = SVGHeatmap.decimals(for: s.data)
        var tiles: [SVGPanel] = []
        for k in 0..<min(count, limit) {
            let start = k * plane
            guard plane > 0, start + plane <= s.count, rows * columns == plane else { break }
            let tileTitle = isKernel ? "[\(k / s.shape[1]), \(k % s.shape[1])]" : "channel \(k)"
            var tile = SVGHeatmap(Snapshot(shape: [rows, columns], data: Array(s.data[start..<(start + plane)])),
                                  title: tileTitle, scale: scale, key: nil)
            tile.decimals = decimals
            tiles.append(tile.panel())
        }
        // A kernel's (out, in) pairs as a table: a row per output channel.
        let grid: SVGPanel
        if isKernel, s.shape[1] > 1 {
            let perRow = s.shape[1]
            grid = SVGLayout.column(stride(from: 0, to: tiles.count, by: perRow).map {
                SVGLayout.row(Array(tiles[$0..<min($0 + perRow, tiles.count)]), gap: 16)
            }, gap: 10)
        } else {
            grid = SVGLayout.flow(tiles, maxWidth: SVGFigure.maxWidth, gap: 16, rowGap: 10)
        }
        var header = title + " " + PictureParts.shapeText(s.shape)
        if !isKernel, s.shape[0] > 1 { header += " — item 0 of \(s.shape[0])" }
        if count > limit { header += " — the first \(limit) of \(count)" }
        let heading = SVGPanel.lines([(header, SVGColors.ink)], size: 13, bold: true)
        var panel = SVGLayout.column([heading, grid], gap: 4)
        panel.attributes = [("class", "grids"), ("data-key", name)]
        return panel
    }
}
