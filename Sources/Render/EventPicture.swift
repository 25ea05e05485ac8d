import Trace

/// The picture of one message-passing step: where it is, the lecture's formula, the
/// tensors drawn the way that kind of step is best read, and the formula again with the
/// numbers of one agent filled in.
public struct EventPicture {
    public var event: TraceEvent
    /// The agent (row) whose numbers fill the formula; by default see `resolvedFocus`.
    public var focus: Int?
    /// "step 7/24" when the caller knows the total.
    public var total: Int?

    public init(_ event: TraceEvent, focus: Int? = nil, total: Int? = nil) {
        self.event = event
        self.focus = focus
        self.total = total
    }

    public func block(_ options: RenderOptions) -> TextBlock {
        let focus = resolvedFocus
        var block = TextBlock()
        block.append(Self.wrapAtSeparators(header(focus: focus), width: options.width))
        block.append(Self.wrapFormula(event.formula, width: options.width))
        block.blank()
        block.append(event.kind.picture.init(event: event, focus: focus).block(options))
        return block.fitted(to: options.width)
    }

    /// The lecture's formula, never cut: too wide for the terminal, it breaks after each
    /// "; " or ",  " between its equations (`h_m ← h_m + W·Δ_m` is the point of the line),
    /// and only an equation wider than the terminal on its own is broken within.
    static func wrapFormula(_ formula: String, width: Int) -> TextBlock {
        guard displayWidth(formula) > width, width > 8 else { return TextBlock([Line(formula, Theme.formula)]) }
        var pieces: [String] = []
        var rest = Substring(formula)
        while let cut = rest.firstRange(of: "; ") ?? rest.firstRange(of: ",  ") {
            pieces.append(String(rest[..<cut.upperBound]).trimmingTrailingSpaces())
            rest = rest[cut.upperBound...]
        }
        pieces.append(String(rest))
        var lines: [String] = []
        for piece in pieces {
            if let last = lines.last, displayWidth(last + " " + piece) <= width {
                lines[lines.count - 1] = last + " " + piece
            } else {
                lines.append(piece)
            }
        }
        // An equation still too wide continues on the next line, indented.
        var block = TextBlock()
        for line in lines {
            var text = Substring(line)
            var first = true
            while displayWidth(String(text)) > width - (first ? 0 : 4) {
                let room = width - (first ? 0 : 4)
                var cut = text.startIndex
                var used = 0
                for index in text.indices {
                    let w = displayWidth(String(text[index]))
                    if used + w > room { break }
                    used += w
                    cut = text.index(after: index)
                }
                if let space = text[..<cut].lastIndex(of: " "), space > text.startIndex { cut = space }
                block.append(Line((first ? "" : "    ") + String(text[..<cut]), Theme.formula))
                text = text[cut...].drop { $0 == " " }
                first = false
            }
            block.append(Line((first ? "" : "    ") + String(text), Theme.formula))
        }
        return block
    }

    /// A header too long for the terminal continues on further lines, broken after a " · ".
    static func wrapAtSeparators(_ line: Line, width: Int) -> TextBlock {
        guard line.width > width else { return TextBlock([line]) }
        var lines: [Line] = []
        var current = Line()
        for run in line.runs {
            if run.text == " · " && current.width + 3 > width - 12 {
                lines.append(current)
                current = Line("  ", Theme.muted)
                continue
            }
            current.append(run.text, run.style)
        }
        lines.append(current)
        return TextBlock(lines)
    }

    /// The row whose numbers fill the formula: the one asked for, else for attention the
    /// agent that listens most decisively, for updates and decoding the last row, and
    /// for layers and convolutions the first (nil).
    var resolvedFocus: Int? {
        guard let rows = event.focusRowCount, rows > 0 else { return nil }
        if let focus { return min(max(focus, 0), rows - 1) }
        if [.layer, .conv].contains(event.kind) { return nil }
        if let a = event[AttentionStep.A] {
            return (0..<rows).max { (PictureParts.row(a, $0).max() ?? 0) < (PictureParts.row(a, $1).max() ?? 0) } ?? 0
        }
        return rows - 1
    }

    /// `step 7/24 · attention · layer 1 · head 2 · causal · agent "love"`
    func header(focus: Int? = nil) -> Line {
        var line = Line()
        let number = total.map { "step \(event.step + 1)/\($0)" } ?? "step \(event.step + 1)"
        line.append(number, Theme.heading)
        line.append(" · ", Theme.muted)
        line.append(event.kind.rawValue, Theme.accent)
        for words in event.placeWords() {
            line.append(" · ", Theme.muted)
            line.append(words, Theme.label)
        }
        if !event.patched.isEmpty {
            line.append(" · ", Theme.muted)
            line.append("patched: " + event.patched.joined(separator: ", "), Theme.error)
        }
        if let focus, let labels = Focus.agents(of: event), focus < labels.count {
            line.append(" · ", Theme.muted)
            line.append("agent \"\(labels[focus])\"", Theme.accent)
        }
        return line
    }
}

/// Shared pieces of event pictures.
enum PictureParts {
    /// A filled-in formula too wide for the terminal, broken before each " = " (the
    /// result is the point of the line, so it must not be cut off at the edge).
    static func wrapped(_ line: Line, width: Int) -> TextBlock {
        guard line.width > width else { return TextBlock([line]) }
        let text = line.plainText
        var parts: [String] = []
        var rest = Substring(text)
        while let equals = rest.dropFirst().firstRange(of: " = ") {
            parts.append(String(rest[..<equals.lowerBound]))
            rest = rest[equals.lowerBound...].dropFirst()  // keep "= …" for the next line
        }
        parts.append(String(rest))
        guard parts.count > 1 else { return TextBlock([line]) }
        // As many parts to a line as fit: `Δ_love = 0.25·v_I + …` stays together.
        var lines: [String] = []
        for part in parts {
            if let last = lines.last, displayWidth(last + " " + part) <= width {
                lines[lines.count - 1] = last + " " + part
            } else {
                lines.append(lines.isEmpty ? part : "    " + part)
            }
        }
        return TextBlock(lines.enumerated().map { i, text in i == 0 ? Line(text, Theme.formula) : Line(text) })
    }

    /// How big an update is against the vector it is added to, for one agent: the focus,
    /// else the last row, as the pictures show it (`165%` of `‖h_I‖`). The picture and
    /// `:explain` both use it, so they quote the same number for the same row.
    static func updateShare(_ event: TraceEvent, focus: Int?) -> (percent: String, of: String)? {
        guard let step = UpdateStep(event), case let (before, delta) = (step.before, step.added), before.count > 0, delta.count > 0
        else { return nil }
        let rows = rowCount(before)
        let m = min(max(focus ?? rows - 1, 0), rows - 1)
        let ratio = norm(row(delta, m)) / max(norm(row(before, m)), 1e-12)
        return (NumberFormat.fixed(ratio * 100, decimals: 0) + "%", rows > 1 ? "‖h_\(name(event.labels, m))‖" : "‖h‖")
    }

    /// "[0.12, −0.30, 0.05]", at most `limit` entries.
    static func vector(_ values: some Collection<Float>, limit: Int = 6) -> String {
        let shown = values.prefix(limit).map { NumberFormat.fixed($0, decimals: 2) }
        return "[" + shown.joined(separator: ", ") + (values.count > limit ? ", …" : "") + "]"
    }

    /// The name of row `r`: its label, or its number.
    static func name(_ labels: [String]?, _ r: Int) -> String {
        if let labels, r < labels.count { return labels[r] }
        return "#\(r + 1)"
    }

    /// ‖v‖, the Euclidean length.
    static func norm(_ v: some Collection<Float>) -> Float {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The average length of the rows of a (N, d) snapshot.
    static func meanRowNorm(_ s: Snapshot) -> Float {
        let width = s.shape.last ?? 1
        let rows = s.count / Swift.max(width, 1)
        guard rows > 0 else { return 0 }
        return (0..<rows).map { norm(s.data[($0 * width)..<(($0 + 1) * width)]) }.reduce(0, +) / Float(rows)
    }

    /// Rows of a snapshot, treating a 1-d one as a single row.
    static func rowCount(_ s: Snapshot) -> Int { s.shape.count >= 2 ? s.shape[0] : 1 }

    /// Row r as a slice (the whole data for a vector).
    static func row(_ s: Snapshot, _ r: Int) -> ArraySlice<Float> {
        guard s.shape.count >= 2 else { return s.data[...] }
        let width = s.count / max(s.shape[0], 1)
        return s.data[(r * width)..<((r + 1) * width)]
    }

    /// Several same-shaped matrices side by side, joined by operators ("+", "="), with one
    /// colour scale so that equal numbers look equal across them; stacked when they do not
    /// fit the width.
    static func equation(_ parts: [(title: String, value: Snapshot)], operators: [String], labels: [String]?,
                         highlightRow: Int?, options: RenderOptions) -> TextBlock {
        let limit = options.colorLimit ?? Palette.diverging.limit(for: parts.flatMap(\.value.data))
        var blocks: [TextBlock] = []
        for (i, part) in parts.enumerated() {
            let map = Heatmap(part.value, rowLabels: i == 0 ? labels ?? defaultLabels(part.value) : nil,
                              palette: .diverging, title: (i > 0 ? operators[i - 1] + " " : "") + part.title,
                              limit: limit, highlightRow: i == parts.count - 1 ? highlightRow : nil)
            blocks.append(map.block(options))
        }
        let side = TextBlock.beside(blocks, gap: 2)
        if side.width <= options.width { return side }
        // Stacked, every part keeps the row names, so its rows line up with the first's.
        var stacked = TextBlock()
        for (i, part) in parts.enumerated() {
            let map = Heatmap(part.value, rowLabels: labels ?? defaultLabels(part.value), palette: .diverging,
                              title: (i > 0 ? operators[i - 1] + " " : "") + part.title,
                              limit: limit, highlightRow: i == parts.count - 1 ? highlightRow : nil)
            stacked.append(map.block(options))
        }
        return stacked
    }

    static func defaultLabels(_ s: Snapshot) -> [String]? {
        s.shape.count == 2 && s.shape[0] > 1 ? (1...s.shape[0]).map { "#\($0)" } : nil
    }

    /// Any tensor, drawn by its shape: a number, a strip, or a heatmap.
    /// `schema` is the tensor's declaration, which says whether it holds probabilities.
    static func generic(_ name: String, _ s: Snapshot, schema: TensorSchema?, labels: [String]?, options: RenderOptions) -> TextBlock {
        if s.count == 1 {
            return TextBlock([Line(name + " = ", Theme.label) + Line(NumberFormat.short(s.data[0]))])
        }
        let rowLabels = s.shape.count == 2 && labels?.count == s.shape[0] ? labels : nil
        let palette: Palette = schema?.palette == .probability && s.data.allSatisfy { $0 >= 0 && $0 <= 1 } ? .sequential : .diverging
        let shown = s.shape.count <= 2 ? s : Snapshot(shape: [s.shape[0], s.count / max(s.shape[0], 1)], data: s.data)
        return Heatmap(shown, rowLabels: rowLabels, palette: palette,
                       title: "\(name) \(shapeText(s.shape))").block(options)
    }

    /// The mean of a snapshot's numbers (a gate's average), nil for none.
    static func mean(_ s: Snapshot?) -> Float? {
        guard let s, !s.data.isEmpty else { return nil }
        return s.data.reduce(0, +) / Float(s.data.count)
    }

    static func percent(_ v: Float?) -> String {
        v.map { NumberFormat.fixed($0 * 100, decimals: 0) + "%" } ?? "?"
    }

    static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}

extension TraceEvent {
    /// Where the step is, as the header, `:explain`, `:list` and `:patch` say it:
    /// "layer 2", "sigma 2.000", "with a forget gate". A false flag (not causal, not tied)
    /// is the ordinary case and not worth a word; entries the schema keeps out of headers
    /// are left out, and `only` narrows to some entries (those that tell the step apart).
    public func placeWords(only: (IndexSchema) -> Bool = { _ in true }) -> [String] {
        index.compactMap { key, value in
            let schema = self.schema(ofIndex: key)
            guard value != .bool(false), schema?.inHeader != false, schema.map(only) ?? true else { return nil }
            return (value == .bool(true) ? schema?.whenTrue : nil) ?? value.shown(as: key)
        }
    }
}

extension IndexValue {
    /// "layer 2", "sigma 2.000", "causal" (a true flag is its name; callers leave out false
    /// ones): an index entry as pictures and explanations show it, numbers rounded.
    public func shown(as key: String) -> String {
        switch self {
        case .bool: return key
        case .number(let d): return "\(key) \(NumberFormat.short(Float(d)))"
        default: return "\(key) \(self)"
        }
    }
}

