/// A colour, as red-green-blue in 0…255. Turned into the 256-colour palette's nearest
/// entry or a 24-bit escape according to the options.
public struct RGB: Sendable, Equatable {
    public var r: Int, g: Int, b: Int

    public init(_ r: Int, _ g: Int, _ b: Int) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Linear blend towards `other` by `t` ∈ [0, 1].
    func mixed(with other: RGB, _ t: Double) -> RGB {
        let t = min(max(t, 0), 1)
        func lerp(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGB(lerp(r, other.r), lerp(g, other.g), lerp(b, other.b))
    }

    /// Perceived brightness in 0…1, to choose a readable text colour on top.
    var luminance: Double { (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)) / 255 }

    /// Index in xterm's 256-colour palette: the 6×6×6 cube or the grey ramp, whichever is
    /// closer.
    var ansi256Index: Int {
        func cube(_ v: Int) -> Int { v < 48 ? 0 : (v < 115 ? 1 : (v - 35) / 40) }
        let levels = [0, 95, 135, 175, 215, 255]
        let (cr, cg, cb) = (cube(r), cube(g), cube(b))
        let cubeColor = RGB(levels[cr], levels[cg], levels[cb])
        let average = (r + g + b) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let greyLevel = 8 + greyIndex * 10
        let grey = RGB(greyLevel, greyLevel, greyLevel)
        func distance(_ c: RGB) -> Int { (c.r - r) * (c.r - r) + (c.g - g) * (c.g - g) + (c.b - b) * (c.b - b) }
        return distance(grey) < distance(cubeColor) ? 232 + greyIndex : 16 + 36 * cr + 6 * cg + cb
    }
}

/// Text attributes; rendered as ANSI SGR escapes, or nothing at all without colour.
public struct Style: Sendable, Equatable {
    public var foreground: RGB?
    public var background: RGB?
    public var bold = false
    public var dim = false
    public var italic = false
    public var underline = false

    public init(foreground: RGB? = nil, background: RGB? = nil, bold: Bool = false, dim: Bool = false,
                italic: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let dim = Style(dim: true)
    public static let italic = Style(italic: true)

    var isPlain: Bool { self == Style.plain }

    /// The escape that switches this style on, for the given colour mode.
    public func opening(_ mode: RenderOptions.ColorMode) -> String {
        guard mode != .none, !isPlain else { return "" }
        var codes: [String] = []
        if bold { codes.append("1") }
        if dim { codes.append("2") }
        if italic { codes.append("3") }
        if underline { codes.append("4") }
        if let c = foreground { codes.append(mode == .truecolor ? "38;2;\(c.r);\(c.g);\(c.b)" : "38;5;\(c.ansi256Index)") }
        if let c = background { codes.append(mode == .truecolor ? "48;2;\(c.r);\(c.g);\(c.b)" : "48;5;\(c.ansi256Index)") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    static let reset = "\u{1B}[0m"
}

/// Colours used across pictures, chosen to read on dark and light backgrounds alike.
public enum Theme {
    public static let heading = Style(foreground: RGB(95, 175, 255), bold: true)
    public static let label = Style(foreground: RGB(175, 175, 215))
    public static let formula = Style(foreground: RGB(255, 215, 135))
    public static let accent = Style(foreground: RGB(135, 215, 135), bold: true)
    public static let muted = Style(dim: true)
    public static let positive = RGB(215, 95, 95)
    public static let negative = RGB(95, 135, 215)
    public static let error = Style(foreground: RGB(255, 95, 95), bold: true)
    public static let success = Style(foreground: RGB(95, 215, 95), bold: true)
}
