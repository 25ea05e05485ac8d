import Trace

/// A run of training steps as one figure: the loss over the steps (what training
/// lowers), and beside it the gradient's length and the step size when the steps
/// recorded them — one picture of θ ← θ − η∇θL repeated, rather than one per step.
enum SVGTraining {
    typealias S = TrainStep

    static func panel(_ run: [TraceEvent]) -> SVGPanel {
        // The step's own number where it has one (epoch for word2vec), else its place in the run.
        let counter = run.first.flatMap { e in e[S.step] != nil ? S.step : (e[S.epoch] != nil ? S.epoch : nil) }
        let steps = run.enumerated().map { i, e in counter.flatMap { e.number($0) } ?? Double(i + 1) }
        let unit = counter?.key ?? "step"
        var curves: [SVGPanel] = []
        for (key, color) in [(S.loss, SVGColors.after), (S.gradNorm, "#b2182b"), (S.learningRate, "#5e3c99")] {
            let values = run.map { $0[key]?.data.first ?? .nan }
            guard values.contains(where: { !$0.isNaN }) else { continue }
            // A step size that never changes is a number, not a curve.
            if key.key != S.loss.key, Set(values.filter(\.isFinite)).count <= 1 { continue }
            let big = key.key == S.loss.key
            curves.append(SVGChart.curve(title: big ? "\(key.symbol) over \(run.count) \(unit)\(run.count == 1 ? "" : "s")" : key.symbol,
                                         steps: steps, values: values, color: color,
                                         width: big ? 460 : 300, height: big ? 220 : 150, xLabel: unit))
        }
        var lines: [(String, String)] = []
        let rates = Set(run.compactMap { $0[S.learningRate]?.data.first ?? $0.number(S.lr).map(Float.init) })
        if rates.count == 1, let rate = rates.first { lines.append(("η = \(NumberFormat.short(rate)) at every step", SVGColors.muted)) }
        var column = [SVGLayout.flow(curves, maxWidth: SVGFigure.maxWidth, gap: 30)]
        if !lines.isEmpty { column.append(SVGPanel.lines(lines, size: 12)) }
        return SVGLayout.column(column, gap: 10)
    }
}
