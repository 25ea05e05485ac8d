import Trace

/// One optimiser step: the loss and the size of the gradient.
struct TrainPicture {
    let event: TraceEvent

    func block(_ options: RenderOptions) -> TextBlock {
        var line = Line("θ ← θ − η∇θL", Theme.formula)
        for (name, value) in event.tensors where value.count == 1 {
            line.append("   \(name) ", Theme.label)
            line.append(NumberFormat.short(value.data[0]))
        }
        return TextBlock([line])
    }
}
