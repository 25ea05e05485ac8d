import Trace

/// Layers where every unit hears a set of others: an MLP layer (all units below), a
/// convolution (a window), a recurrent step (the past and the present input). Shown as
/// the input, the weights, and the output.
struct LayerPicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        let names: [(String, String)] = switch event.kind {
        case .layer: [("h_in", "h⁽ˡ⁻¹⁾"), ("W", "W⁽ˡ⁾"), ("pre", "W h + b"), ("h_out", "h⁽ˡ⁾")]
        case .recurrent: [("h_prev", "h_{t−1}"), ("x", "x_t"), ("h", "h_t")]
        default: [("input", "input"), ("W", "kernel W"), ("output", "output")]
        }
        let present = names.compactMap { name, title in event[name].map { (title: title, value: $0) } }
        guard present.count >= 2 else { return Fallback(event: event).block(options) }
        var blocks: [TextBlock] = []
        for part in present {
            blocks.append(PictureParts.generic(part.title, limited(part.value), labels: event.labels, options: options))
        }
        let side = TextBlock.beside(blocks, gap: 3)
        var block = TextBlock()
        if side.width <= options.width {
            block.append(side)
        } else {
            for b in blocks { block.append(b) }
        }
        if event.kind == .conv, let window = event["window"] {
            block.blank()
            block.append(PictureParts.generic("window heard by the focus position", window, labels: nil, options: options))
        }
        return block
    }

    /// Large tensors (a batch of 256 rows) are cut to their first rows for the picture.
    func limited(_ s: Snapshot, rows: Int = 8) -> Snapshot {
        if s.shape.count > 2 {
            let perRow = s.count / max(s.shape[0], 1)
            let head = Swift.min(s.shape[0], rows)
            return Snapshot(shape: [head, perRow], data: Array(s.data.prefix(head * perRow)))
        }
        guard s.shape.count == 2, s.shape[0] > rows else { return s }
        return Snapshot(shape: [rows, s.shape[1]], data: Array(s.data.prefix(rows * s.shape[1])))
    }
}
