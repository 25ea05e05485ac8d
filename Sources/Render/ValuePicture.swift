import Trace

/// A tensor value shown at the prompt: its shape, then its numbers — a heatmap of cells
/// for vectors and matrices (rows named when the rows are tokens), one number for a
/// scalar, and the first slices of anything with more axes.
public struct ValuePicture {
    public var value: Snapshot
    public var labels: [String]?
    /// A name to show with the shape (`h (4, 2)`).
    public var name: String?

    public init(_ value: Snapshot, labels: [String]? = nil, name: String? = nil) {
        self.value = value
        self.labels = labels
        self.name = name
    }

    public func block(_ options: RenderOptions) -> TextBlock {
        let shape = value.shape
        var block = TextBlock()
        if shape.isEmpty || value.count == 1 && shape.allSatisfy({ $0 == 1 }) {
            let number = value.data.first.map(NumberFormat.short) ?? "nan"
            block.append(Line((name.map { "\($0) = " } ?? "") + number))
            return block
        }
        let header = (name.map { $0 + " " } ?? "") + "tensor " + PictureParts.shapeText(shape)
        block.append(Line(header, Theme.muted))
        if value.count == 0 { return block }
        let palette: Palette = value.data.allSatisfy { $0 >= 0 && $0 <= 1 } && value.data.contains { $0 > 0 && $0 < 1 } ? .sequential : .diverging
        switch shape.count {
        case 1 where shape[0] > 24:
            // A long vector — the losses of a training run, say — reads best as a curve.
            let first = value.data.first.map(NumberFormat.short) ?? "", last = value.data.last.map(NumberFormat.short) ?? ""
            block.append(Plots.curve(value.data, columns: min(60, options.width - 12), rows: 6, options: options))
            block.append(Line("first \(first), last \(last)", Theme.muted))
        case 1:
            block.append(Heatmap(Snapshot(shape: [1, shape[0]], data: value.data), palette: palette).block(options))
        case 2:
            let rows = min(shape[0], 24)
            let shown = Snapshot(shape: [rows, shape[1]], data: Array(value.data.prefix(rows * shape[1])))
            let rowLabels = labels.map { Array($0.prefix(rows)) }
            block.append(Heatmap(shown, rowLabels: rowLabels, palette: palette).block(options))
            if rows < shape[0] { block.append(Line("… \(shape[0] - rows) more rows", Theme.muted)) }
        default:
            let inner = shape.suffix(2).reduce(1, *)
            let slices = value.count / max(inner, 1)
            for s in 0..<min(slices, 3) {
                block.append(Line("[\(sliceIndex(s, shape: Array(shape.dropLast(2))))]", Theme.label))
                let data = Array(value.data[(s * inner)..<((s + 1) * inner)])
                block.append(Heatmap(Snapshot(shape: Array(shape.suffix(2)), data: data), palette: palette).block(options))
            }
            if slices > 3 { block.append(Line("… \(slices - 3) more slice\(slices == 4 ? "" : "s")", Theme.muted)) }
        }
        return block
    }

    func sliceIndex(_ flat: Int, shape: [Int]) -> String {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            index[axis] = rest % max(shape[axis], 1)
            rest /= max(shape[axis], 1)
        }
        return index.map(String.init).joined(separator: ", ") + ", :, :"
    }
}
