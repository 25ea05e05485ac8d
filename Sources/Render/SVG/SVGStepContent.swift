import Trace

/// The drawn part of one step's figure, chosen by its kind from the schema: attention's
/// A first (rows ask, columns answer); every update h ← h + Δ as before + added = after
/// on one colour scale, so equal numbers look equal across the three; then every other
/// tensor the step carries, in the schema's order, by its shape.
struct SVGStepContent {
    let event: TraceEvent

    func panel() -> SVGPanel {
        if event.kind == .diffusion, let cloud = SVGDiffusion(event: event).panel() { return cloud }
        var drawn = Set<String>()
        var panels: [SVGPanel] = []
        if let a = event[AttentionStep.A] {
            panels.append(attentionWeights(a))
            drawn.insert(AttentionStep.A.key)
        }
        let update = equation()
        if let update { drawn.formUnion(update.keys) }
        for (name, value) in event.tensors where !drawn.contains(name) {
            let schema = event.schema(ofTensor: name)
            if schema == LossStep.losses.schema, value.shape.count == 1 {
                let items = value.data.enumerated().map { (PictureParts.name(event.rowLabels(for: name), $0.offset), $0.element) }
                panels.append(SVGChart.bars(items, title: "\(LossStep.losses.symbol) of each target", color: SVGColors.error))
                continue
            }
            let scale: SVGColors.Scale? = schema == LSTMStep.g.schema ? .signed(limit: 1) : nil  // g ∈ (−1, 1), as the gates
            // A tensor this step does not read (the 1997 LSTM's f) says so.
            let unused = schema.flatMap { event.patchability(of: $0).unusedBecause } != nil
            panels.append(SVGTensors.panel(name, value, schema: schema, event: event, scale: scale,
                                           title: unused ? (schema?.symbol ?? name) + " (not used)" : nil))
        }
        if let bars = likeliestWords() { panels.append(bars) }
        var column = [SVGLayout.flow(panels, maxWidth: SVGFigure.maxWidth)]
        if let update { column.append(update.panel) }
        return SVGLayout.column(column.filter { $0.width > 0 }, gap: 22)
    }

    /// A_{m→t} with the agents' names both ways; what the causal mask hides left empty.
    func attentionWeights(_ a: Snapshot) -> SVGPanel {
        typealias S = AttentionStep
        let labels = event.labels
        let columns = a.shape.count == 2 && labels?.count == a.shape[1] ? labels : nil
        var map = SVGHeatmap(a, title: S.A.symbol + "  (row m asks, column t answers)", rowLabels: event.rowLabels(for: S.A.key),
                             columnLabels: columns, scale: SVGColors.Scale.of(S.A.schema.palette, values: a.data), key: S.A.key)
        if event[S.causal] == .bool(true), a.shape.count == 2, !event.patched.contains(S.A.key) {
            let (T, U) = (a.shape[0], a.shape[1])
            map.blank = Set((0..<T).flatMap { m in ((m + 1)..<max(U, m + 1)).map { m * U + $0 } })
        }
        return map.panel()
    }

    /// The three tensors of an update (before, what is added, after), drawn side by side
    /// with + and = between them, on one colour scale and with the same decimals.
    func equation() -> (panel: SVGPanel, keys: Set<String>)? {
        let parts: (TensorSchema, TensorSchema, TensorSchema)
        var addedTitle: String?
        switch event.kind {
        case .attention: parts = (AttentionStep.hBefore.schema, AttentionStep.update.schema, AttentionStep.hAfter.schema)
        case .lstm: parts = (LSTMStep.cPrev.schema, LSTMStep.deltaC.schema, LSTMStep.c.schema)
        case .residual: parts = (ResidualStep.hBefore.schema, ResidualStep.f.schema, ResidualStep.hAfter.schema)
        case .position: parts = (PositionStep.hBefore.schema, PositionStep.P.schema, PositionStep.hAfter.schema)
        case .feedforward: parts = (FeedForwardStep.hBefore.schema, FeedForwardStep.delta.schema, FeedForwardStep.hAfter.schema)
        default: return nil
        }
        if [.residual, .position, .feedforward].contains(event.kind) { addedTitle = UpdateStep(event)?.addedTitle }
        let schemas = [parts.0, parts.1, parts.2]
        let values = schemas.compactMap { event[declared: $0] }
        guard values.count == 3 else { return nil }
        let all = values.flatMap(\.data)
        let (scale, decimals) = (SVGColors.Scale.signed(limit: SVGColors.Scale.signedLimit(all)), SVGHeatmap.decimals(for: all))
        let panels = zip(schemas, values).enumerated().map { i, part in
            SVGTensors.panel(part.0.key, part.1, schema: part.0, event: event, scale: scale,
                             title: i == 1 ? addedTitle ?? part.0.symbol : part.0.symbol, decimals: decimals)
        }
        // "+" and "=" level with the middle of the grids, below the titles.
        let tallest = panels.map(\.height).max() ?? 40
        let row = SVGLayout.row(panels, gap: 34, joins: ["+", "="], joinY: 20 + (tallest - 20) / 2 + 7)
        let keys = Set(schemas.map(\.key))
        guard row.width > SVGFigure.maxWidth else { return (row, keys) }
        // Too wide beside each other (a transformer's (T, 32) vectors): one below the other.
        return (SVGLayout.stacked(panels, joins: ["+", "="], joinY: { 20 + ($0.height - 20) / 2 + 7 }), keys)
    }

    /// A decode step's likeliest words for its last row, as the terminal picture lists them.
    func likeliestWords() -> SVGPanel? {
        guard let p = event[DecodeStep.p], let vocabulary = event.columnLabels, p.count > 0 else { return nil }
        let rows = PictureParts.rowCount(p)
        let m = rows - 1
        let top = PictureParts.row(p, m).enumerated().map { ($0.offset, $0.element) }.sorted { $0.1 > $1.1 }.prefix(8)
        let who = rows > 1 ? " for \(PictureParts.name(event.labels, m))" : ""
        return SVGChart.bars(top.map { ($0.0 < vocabulary.count ? vocabulary[$0.0] : "#\($0.0 + 1)", $0.1) },
                             title: "most likely tokens\(who)", color: "#3f007d")
    }
}
