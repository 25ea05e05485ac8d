import Trace

/// One optimiser step: the loss and the size of the gradient.
struct TrainPicture {
    let event: TraceEvent

    func block(_ options: RenderOptions) -> TextBlock {
        var line = Line("θ ← θ − η∇θL", Theme.formula)
        for (schema, value) in event.declaredTensors where value.count == 1 {
            line.append("   \(schema.key) ", Theme.label)
            line.append(NumberFormat.short(value.data[0]))
        }
        return TextBlock([line])
    }
}
