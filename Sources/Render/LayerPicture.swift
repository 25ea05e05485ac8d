import Trace

/// Layers where every unit hears a set of others: an MLP layer (all units below), a
/// convolution (a window), a recurrent step (the past and the present input). Shown as
/// the input, the weights and the output, then the formula with one row's numbers.
struct LayerPicture: StepPicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        let shown: [TensorSchema] = switch event.kind {
        case .layer: [LayerStep.hIn, LayerStep.W, LayerStep.pre, LayerStep.hOut].map(\.schema)
        case .recurrent: [RecurrentStep.hPrev, RecurrentStep.x, RecurrentStep.h].map(\.schema)
        default: [ConvStep.input, ConvStep.W, ConvStep.output].map(\.schema)
        }
        let present = shown.compactMap { schema in event[declared: schema].map { (schema: schema, value: $0) } }
        guard present.count >= 2 else { return Fallback(event: event).block(options) }
        let blocks = present.map { part in
            part.value.shape.count > 2
                ? batchOrGrids(part.schema, part.value, options)
                : PictureParts.generic(part.schema.symbol, limited(part.value), schema: part.schema,
                                       labels: event.rowLabels(for: part.schema.key), options: options)
        }
        var block = TextBlock()
        let side = TextBlock.beside(blocks, gap: 3)
        if side.width <= options.width {
            block.append(side)
        } else {
            for b in blocks { block.append(b) }
        }
        if let window = event[ConvStep.window] {
            block.blank()
            block.append(batchOrGrids(ConvStep.window.schema, window, options, title: "the window the focus position hears"))
        }
        block.append(filledFormula(width: options.width))
        return block
    }

    /// The formula once more with the numbers of one row (the first, or the one in focus).
    func filledFormula(width: Int) -> TextBlock {
        var block = TextBlock()
        switch event.kind {
        case .layer:
            guard let pre = event[LayerStep.pre], let out = event[LayerStep.hOut] else { return block }
            let r = min(focus ?? 0, PictureParts.rowCount(pre) - 1)
            let sigma = event[LayerStep.activation].map { "\($0)" } ?? ""
            let who = event.labels.map { r < $0.count ? " for \($0[r])" : "" } ?? ""
            block.blank()
            var line = Line("h⁽ˡ⁾\(who) = ", Theme.formula)
            line.append(sigma == "identity" || sigma.isEmpty
                        ? PictureParts.vector(PictureParts.row(pre, r))
                        : "\(sigma)(\(PictureParts.vector(PictureParts.row(pre, r)))) = \(PictureParts.vector(PictureParts.row(out, r)))")
            block.append(PictureParts.wrapped(line, width: width))
        case .recurrent:
            typealias S = RecurrentStep
            guard let w = event[S.W], let u = event[S.U], let hPrev = event[S.hPrev], let x = event[S.x], let h = event[S.h] else { return block }
            let fromPast = product(w, Array(hPrev.data.suffix(w.shape.last ?? 0)))
            let fromInput = product(u, Array(x.data.suffix(u.shape.last ?? 0)))
            let t = event.integer(S.t)
            let word = t.flatMap { t in event.labels.flatMap { t - 1 < $0.count && t >= 1 ? " (\($0[t - 1]))" : nil } } ?? ""
            block.blank()
            for line in [Line("message from the past  W h_{t−1} = ", Theme.formula) + Line(PictureParts.vector(fromPast[...])),
                         Line("message from x_t\(word)  U x_t = ", Theme.formula) + Line(PictureParts.vector(fromInput[...])),
                         Line("h_t = tanh(W h_{t−1} + U x_t + b) = ", Theme.formula) + Line(PictureParts.vector(Array(h.data.suffix(w.shape[0]))[...]))] {
                block.append(PictureParts.wrapped(line, width: width))
            }
        default:
            break
        }
        return block
    }

    /// M v for a (rows, columns) matrix and a vector of `columns` numbers.
    func product(_ m: Snapshot, _ v: [Float]) -> [Float] {
        guard m.shape.count == 2, m.shape[1] == v.count else { return [] }
        return (0..<m.shape[0]).map { i in (0..<v.count).reduce(Float(0)) { $0 + m.data[i * v.count + $1] * v[$1] } }
    }

    /// A batch of one-channel signals (N, 1, L) as one heatmap, a row per signal, so all
    /// of them are seen at once; images and kernels as grids.
    func batchOrGrids(_ schema: TensorSchema, _ s: Snapshot, _ options: RenderOptions, title: String? = nil) -> TextBlock {
        let title = title ?? schema.symbol
        guard schema.role != .weight, s.shape.count == 3, s.shape[1] == 1, s.count > 0 else {
            return grids(title, s, options, item: focus ?? 0, isKernel: schema.role == .weight)
        }
        let signals = Snapshot(shape: [s.shape[0], s.shape[2]], data: s.data)
        // A conv step's labels name positions, not signals: the rows are numbered.
        let labels = (0..<s.shape[0]).map { "signal \($0)" }
        let rows = limited(signals)
        return Heatmap(rows, rowLabels: Array(labels.prefix(rows.shape[0])), palette: .diverging,
                       title: "\(title) \(PictureParts.shapeText(s.shape))").block(options)
    }

    /// Images and kernels drawn as grids: one item of a batch (N, C, …) — the focus, else
    /// the first — each channel (or each out×in kernel) a small heatmap, up to four,
    /// side by side as far as the width allows.
    func grids(_ title: String, _ s: Snapshot, _ options: RenderOptions, item: Int = 0, isKernel: Bool) -> TextBlock {
        var block = TextBlock()
        let batch = isKernel ? 1 : s.shape[0]
        guard batch > 0, s.count > 0 else { return block }
        let n = min(max(item, 0), batch - 1)
        let which = batch > 1 ? " — item \(n) of items 0 to \(batch - 1) (:focus N)" : ""
        block.append(Line("\(title) \(PictureParts.shapeText(s.shape))", Theme.label) + Line(which, Theme.muted))
        let spatial = Array(s.shape.dropFirst(2))
        let plane = spatial.reduce(1, *)
        let rows = spatial.count == 2 ? spatial[0] : 1
        let columns = spatial.last ?? 1
        let count = isKernel ? s.shape[0] * s.shape[1] : s.shape[1]  // kernels: every (out, in) pair
        let offset = isKernel ? 0 : n * s.shape[1] * plane
        var tiles: [TextBlock] = []
        for k in 0..<min(count, 4) {
            let start = offset + k * plane
            guard start + plane <= s.count else { break }
            let name = isKernel ? "[\(k / s.shape[1]), \(k % s.shape[1])]" : "channel \(k)"
            tiles.append(Heatmap(Snapshot(shape: [rows, columns], data: Array(s.data[start..<(start + plane)])),
                                 palette: .diverging, title: name).block(options))
        }
        // As many tiles to a row as fit, so the last channel is not cut off.
        var row: [TextBlock] = []
        for tile in tiles {
            if !row.isEmpty, TextBlock.beside(row + [tile], gap: 2).width > options.width {
                block.append(TextBlock.beside(row, gap: 2))
                row = []
            }
            row.append(tile)
        }
        if !row.isEmpty { block.append(TextBlock.beside(row, gap: 2)) }
        if count > 4 { block.append(Line("… and \(count - 4) more", Theme.muted)) }
        return block
    }

    /// Large tensors (a batch of 256 rows) are cut to their first rows for the picture.
    func limited(_ s: Snapshot, rows: Int = 8) -> Snapshot {
        guard s.shape.count == 2, s.shape[0] > rows else { return s }
        return Snapshot(shape: [rows, s.shape[1]], data: Array(s.data.prefix(rows * s.shape[1])))
    }

    func explanation(place: String) -> String {
        switch event.kind {
        case .recurrent:
            return "A recurrent step\(place): the new state h_t hears a message from the past, W h_{t−1}, and from the present input, U x_t; "
                + "tanh keeps it in (−1, 1). The same W and U are used at every time step."
        case .conv:
            return "A convolution\(place): each output position hears only its window of neighbours, weighed by the kernel W, "
                + "and the same kernel is used at every position."
        default:
            let squash = event[LayerStep.activation].map { "\($0)" }.flatMap { $0 == "identity" ? nil : $0 }
            return "A layer\(place): every unit hears every unit of the layer below — each row of W is how one unit listens — "
                + "and adds its bias b" + (squash.map { "; \($0) then squashes the sum." } ?? "; this last layer leaves the sum as it is (no σ).")
        }
    }
}
