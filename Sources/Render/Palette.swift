/// Colour scales for heatmaps and strips.
///
/// Probabilities (A_{m→t}, p(w|h)) use a sequential scale, dark to bright (viridis's
/// end points, which stay distinct for colour-blind readers). Signed values (weights,
/// updates) use a diverging scale, blue below zero and red above (coolwarm), scaled to the
/// largest magnitude so zero is always the neutral middle. Without colour, the shade
/// characters ░▒▓█ carry the magnitude.
public enum Palette: Sendable {
    case sequential
    case diverging

    static let viridis = [RGB(68, 1, 84), RGB(59, 82, 139), RGB(33, 145, 140), RGB(94, 201, 98), RGB(253, 231, 37)]
    static let cool = RGB(59, 76, 192), neutral = RGB(221, 221, 221), warm = RGB(180, 4, 38)

    /// The colour for `value`, scaled by `limit` (the largest magnitude shown).
    public func color(_ value: Float, limit: Float) -> RGB {
        guard value.isFinite else { return RGB(128, 128, 128) }
        switch self {
        case .sequential:
            let t = Double(limit > 0 ? min(max(value / limit, 0), 1) : 0) * Double(Palette.viridis.count - 1)
            let i = min(Int(t), Palette.viridis.count - 2)
            return Palette.viridis[i].mixed(with: Palette.viridis[i + 1], t - Double(i))
        case .diverging:
            let t = Double(limit > 0 ? min(max(value / limit, -1), 1) : 0)
            return t < 0 ? Palette.neutral.mixed(with: Palette.cool, -t) : Palette.neutral.mixed(with: Palette.warm, t)
        }
    }

    /// A style for a cell showing `value`: its colour as background, text in black or
    /// white, whichever reads.
    public func cellStyle(_ value: Float, limit: Float) -> Style {
        let bg = color(value, limit: limit)
        return Style(foreground: bg.luminance > 0.55 ? RGB(0, 0, 0) : RGB(255, 255, 255), background: bg)
    }

    /// A shade character for `value` when there is no colour: magnitude relative to
    /// `limit` in five steps.
    public func shade(_ value: Float, limit: Float) -> Character {
        guard value.isFinite else { return "?" }
        guard limit > 0 else { return " " }  // everything is zero
        let t = min(Swift.abs(value) / limit, 1)
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        return shades[min(Int(t * 4 + 0.5), 4)]
    }

    /// The largest finite magnitude (for the diverging scale) or value (sequential) in a set;
    /// probabilities are scaled to 1 so that 0.5 always looks like 0.5.
    public func limit(for values: some Sequence<Float>) -> Float {
        let finite = values.filter(\.isFinite)
        switch self {
        case .sequential:
            let top = finite.max() ?? 1
            return top <= 1 && (finite.min() ?? 0) >= 0 ? 1 : top
        case .diverging:
            return finite.map(Swift.abs).max() ?? 1
        }
    }
}
