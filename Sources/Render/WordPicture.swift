import Trace

/// Word vectors in and out: one-hot → dense vector (embed), vector → a distribution over
/// words (decode), and the loss −log p of each target.
struct WordPicture: StepPicture {
    let event: TraceEvent
    let focus: Int?

    func block(_ options: RenderOptions) -> TextBlock {
        switch event.kind {
        case .decode: return decode(options)
        case .loss: return loss(options)
        default: return embed(options)
        }
    }

    func embed(_ options: RenderOptions) -> TextBlock {
        typealias S = EmbedStep
        guard let vectors = event[S.h] else { return Fallback(event: event).block(options) }
        var block = TextBlock()
        if let oneHot = event[S.oneHot] {
            let width = oneHot.shape.last ?? oneHot.count
            let hot = (0..<PictureParts.rowCount(oneHot)).map { r in
                PictureParts.row(oneHot, r).firstIndex(of: 1).map { $0 - r * width } ?? -1
            }
            let part = event[S.layout] == .text("row") ? "row" : "column"
            for (r, k) in hot.enumerated() where r < 8 {
                block.append(Line(PictureParts.name(event.labels, r).padded(to: 12), Theme.label)
                             + Line("one-hot: the 1 is at index \(k) of \(width)  →  \(part) \(k) of W_encode", Theme.muted))
            }
            if hot.count > 8 { block.append(Line("… and \(hot.count - 8) more, one per \(event.labels == nil ? "row" : "token")", Theme.muted)) }
            block.blank()
        }
        block.append(PictureParts.generic("dense vectors " + S.h.symbol, vectors, schema: S.h.schema, labels: event.labels, options: options))
        return block
    }

    func decode(_ options: RenderOptions) -> TextBlock {
        guard let p = event[DecodeStep.p] else { return Fallback(event: event).block(options) }
        let rows = PictureParts.rowCount(p)
        let m = min(focus ?? rows - 1, rows - 1)
        let probabilities = Array(PictureParts.row(p, m))
        var block = TextBlock()
        let who = rows > 1 ? " for \(PictureParts.name(event.labels, m))" : ""
        block.append(Line("most likely tokens\(who): p(w | h) = softmax(W_dec h)_w", Theme.muted))
        let vocabulary = event.columnLabels ?? []
        let top = probabilities.enumerated().sorted { $0.element > $1.element }.prefix(8)
        block.append(Charts.bars(top.map { entry in
            (entry.offset < vocabulary.count ? vocabulary[entry.offset] : "#\(entry.offset + 1)", entry.element)
        }))
        return block
    }

    func loss(_ options: RenderOptions) -> TextBlock {
        guard let losses = event[LossStep.losses] else { return Fallback(event: event).block(options) }
        var block = TextBlock()
        block.append(Line("−log p of each target: near 0 for a confident right guess, large for a wrong one", Theme.muted))
        let items = losses.data.enumerated().map { (PictureParts.name(event.labels, $0.offset), $0.element) }
        block.append(Charts.bars(Array(items.prefix(16)), color: Theme.positive))
        if let total = event[LossStep.total], let sum = total.data.first {
            block.append(Line("total \(LossFormula(event.formula).total) = ", Theme.formula) + Line(NumberFormat.short(sum)))
            if losses.count > 1 {
                let mean = sum / Float(losses.count)
                block.append(Line("mean over the \(losses.count) positions = \(NumberFormat.short(mean)) — the number training reports and lowers",
                                  Theme.muted))
            }
        }
        return block
    }

    func explanation(place: String) -> String {
        switch event.kind {
        case .decode:
            return "Vectors to words: the vector h is scored against every word (W_dec h), and softmax turns the scores into "
                + "probabilities p(w | h) that add up to 1; the likeliest word is the decoder's guess."
        case .loss:
            let total = event[LossStep.total]?.data.first.map(NumberFormat.short) ?? "?"
            let formula = LossFormula(event.formula)
            return "The loss adds up −log p of each target, \(formula.sum): a confident right guess costs almost nothing, "
                + "a confident wrong one costs a lot. Here \(formula.total) = \(total)."
        default:
            return "Words to vectors: a word is a one-hot vector e_w (all zeros, a single 1 at its number in the dictionary). "
                + (event[EmbedStep.layout] == .text("row")
                    ? "The model keeps its table as (V, d), a row per token, so e_w picks out row w — the token's dense, distributed representation."
                    : "W_encode·e_w picks out column w of W_encode — the word's dense, distributed representation.")
        }
    }
}

/// The two sides of a loss event's formula, so the picture and the words name the loss
/// the model computed: GPT's −log p(y|x) = −Σ_t log p(y_t | y_<t, x), or BERT's sum
/// over the chosen positions.
struct LossFormula {
    /// The left side, e.g. `−log p(y|x)`.
    let total: String
    /// The right side, e.g. `−Σ_t log p(y_t | y_<t, x)`.
    let sum: String

    init(_ formula: String) {
        if let equals = formula.firstRange(of: " = ") {
            total = String(formula[..<equals.lowerBound])
            sum = String(formula[equals.upperBound...])
        } else {
            total = "−log p(y|x)"
            sum = formula
        }
    }
}

