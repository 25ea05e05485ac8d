import Trace

/// The handout's colours, for paper and white screens (the terminal's palette is made
/// for dark backgrounds): signed numbers on a diverging blue–white–red scale with white
/// at 0, probabilities from white at 0 to one deep colour at 1. The numbers are printed
/// in the cells too, so the colour only has to show the pattern.
public enum SVGColors {
    public static let ink = "#1d1d1f"
    public static let muted = "#6e6e73"
    public static let grid = "#c7c7cc"
    public static let formula = "#7a4a00"
    public static let accent = "#0b6e4f"
    public static let error = "#b3261e"
    /// The cloud before a step, and after it.
    public static let before = "#a1a1a6"
    public static let after = "#1f5fbf"
    /// A cell whose value is not a number (or infinite): no colour can say it.
    public static let notANumber = "#e5e5ea"

    static let blue = RGB(33, 102, 172), white = RGB(255, 255, 255), red = RGB(178, 24, 43)
    static let deep = RGB(63, 0, 125)

    /// A heatmap's scale: signed around 0, or probabilities in [0, 1].
    public enum Scale: Equatable, Sendable {
        case signed(limit: Float)
        case probability

        /// The scale the schema asks for, unless the numbers do not fit it (a patched
        /// row of A outside [0, 1] is shown as the signed numbers it is).
        public static func of(_ palette: TensorSchema.Palette?, values: [Float], limit: Float? = nil) -> Scale {
            let finite = values.filter(\.isFinite)
            if palette == .probability, finite.allSatisfy({ $0 >= 0 && $0 <= 1 }) { return .probability }
            return .signed(limit: limit ?? signedLimit(finite))
        }

        /// The largest finite magnitude, 1 for none.
        public static func signedLimit(_ values: [Float]) -> Float {
            let largest = values.lazy.filter(\.isFinite).map(abs).max() ?? 0
            return largest > 0 ? largest : 1
        }
    }

    /// The fill for `value` on `scale`; nil for NaN and ±inf, which are drawn marked.
    public static func fill(_ value: Float, _ scale: Scale) -> RGB? {
        guard value.isFinite else { return nil }
        switch scale {
        case .probability:
            return white.mixed(with: deep, Double(min(max(value, 0), 1)))
        case .signed(let limit):
            let t = Double(limit > 0 ? min(max(value / limit, -1), 1) : 0)
            return t < 0 ? white.mixed(with: blue, -t) : white.mixed(with: red, t)
        }
    }

    /// Black on light cells, white on dark ones.
    public static func textColor(on fill: RGB?) -> String {
        guard let fill else { return ink }
        return fill.luminance > 0.56 ? ink : "#ffffff"
    }

    public static func hex(_ c: RGB) -> String {
        let digits = Array("0123456789abcdef")
        func two(_ v: Int) -> String {
            let v = min(max(v, 0), 255)
            return String([digits[v / 16], digits[v % 16]])
        }
        return "#" + two(c.r) + two(c.g) + two(c.b)
    }
}
