import Trace

/// One optimiser step: the loss and the size of the gradient.
struct TrainPicture: StepPicture {
    let event: TraceEvent

    init(event: TraceEvent, focus: Int?) {
        self.event = event
    }

    func block(_ options: RenderOptions) -> TextBlock {
        var line = Line("θ ← θ − η∇θL", Theme.formula)
        for (schema, value) in event.declaredTensors where value.count == 1 {
            line.append("   \(schema.key) ", Theme.label)
            line.append(NumberFormat.short(value.data[0]))
        }
        return TextBlock([line])
    }

    func explanation(place: String) -> String {
        let loss = event[TrainStep.loss]?.data.first.map(NumberFormat.short) ?? "?"
        return "One training step\(place): every weight moves a little against its gradient, θ ← θ − η∇θL. The loss was \(loss)."
    }
}
