/// A tiny SVG writer for the handout's figures: elements appended as text, every piece
/// of text and every attribute value XML-escaped on the way in, every coordinate a
/// finite number. The figures need nothing more (no DOM, no parser), and a writer this
/// small can be read in one sitting and trusted not to let a token like `<s>` break a
/// page.
public enum XML {
    /// `text` safe inside an element or a double- or single-quoted attribute.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML.
                if let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, scalar.value < 0x20,
                   scalar != "\t", scalar != "\n" {
                    out += "\u{FFFD}"
                } else {
                    out.append(ch)
                }
            }
        }
        return out
    }
}

/// Where a figure's elements go, in the figure's own coordinates (pixels, y down).
/// Numbers are written with at most one decimal; a NaN or infinite coordinate is
/// written as 0, so no value can make the document invalid.
public struct SVGCanvas {
    public private(set) var body = ""

    public init() {}

    /// One coordinate or length.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        if tenths == 0 { return "0" }
        let whole = Int(tenths) / 10, fraction = abs(Int(tenths) % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// ` name="value"` for each pair whose value is not nil, values escaped.
    static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(XML.escape($0))\"" } }.joined()
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                              strokeWidth: Double? = nil, title: String? = nil) {
        let attrs = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(width, 0)))\" height=\"\(Self.number(max(height, 0)))\""
            + Self.attributes([("fill", fill), ("stroke", stroke), ("stroke-width", strokeWidth.map(Self.number))])
        if let title {
            body += "<rect \(attrs)><title>\(XML.escape(title))</title></rect>"
        } else {
            body += "<rect \(attrs)/>"
        }
    }

    public enum Anchor: String { case start, middle, end }

    /// Text whose baseline starts (or is centred, or ends) at (x, y).
    public mutating func text(_ text: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                              fill: String = SVGColors.ink, bold: Bool = false, italic: Bool = false, rotate: Double? = nil) {
        var attrs = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\""
        if size != 12 { attrs += " font-size=\"\(Self.number(size))\"" }
        if anchor != .start { attrs += " text-anchor=\"\(anchor.rawValue)\"" }
        if fill != SVGColors.ink { attrs += Self.attributes([("fill", fill)]) }
        if bold { attrs += " font-weight=\"bold\"" }
        if italic { attrs += " font-style=\"italic\"" }
        if let rotate { attrs += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        body += "<text \(attrs)>\(XML.escape(text))</text>"
    }

    /// Bare text for many small labels (a heatmap's numbers): size, anchor and colour
    /// come from the group around it, so each cell costs a few bytes.
    public mutating func plainText(_ text: String, x: Double, y: Double, fill: String? = nil) {
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\"" + Self.attributes([("fill", fill)]) + ">\(XML.escape(text))</text>"
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\""
            + Self.attributes([("stroke", stroke), ("stroke-width", Self.number(width)), ("stroke-dasharray", dash)]) + "/>"
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil) {
        body += "<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\""
            + Self.attributes([("fill", fill), ("stroke", stroke)]) + "/>"
    }

    /// A path from its `d` commands (already made of numbers written by `number`).
    public mutating func path(_ d: String, stroke: String? = nil, width: Double? = nil, fill: String = "none",
                              linecap: String? = nil, opacity: Double? = nil) {
        guard !d.isEmpty else { return }
        body += "<path d=\"\(XML.escape(d))\"" + Self.attributes([("fill", fill), ("stroke", stroke), ("stroke-width", width.map(Self.number)),
                                                               ("stroke-linecap", linecap), ("opacity", opacity.map(Self.number))]) + "/>"
    }

    /// Connected points; non-finite ones are left out (the line joins its neighbours).
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5) {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard !finite.isEmpty else { return }
        let list = finite.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" fill=\"none\"" + Self.attributes([("stroke", stroke), ("stroke-width", Self.number(width))])
            + " stroke-linejoin=\"round\"/>"
    }

    /// Another canvas's elements, moved by (dx, dy), in a group with optional attributes
    /// (`class`, `data-…`) that tests and the page's self-check read.
    public mutating func place(_ other: SVGCanvas, dx: Double, dy: Double, attributes: [(String, String?)] = []) {
        guard !other.body.isEmpty else { return }
        let move = dx == 0 && dy == 0 ? "" : " transform=\"translate(\(Self.number(dx)),\(Self.number(dy)))\""
        body += "<g\(move)\(Self.attributes(attributes))>" + other.body + "</g>"
    }
}

/// A whole figure: the `<svg>` element around a canvas, with its title for screen
/// readers and the fonts set once for every text inside.
public enum SVGDocument {
    public static let monospace = "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace"

    /// The figure on white. `standalone` adds the XML namespace a `.svg` file needs (inline in HTML it is implied,
    /// and a page without any `http:` in it is plainly one that fetches nothing).
    public static func render(_ canvas: SVGCanvas, width: Double, height: Double, title: String, standalone: Bool) -> String {
        let w = SVGCanvas.number(width.rounded(.up)), h = SVGCanvas.number(height.rounded(.up))
        let namespace = standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : ""
        return "<svg\(namespace) width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\">"
            + "<title>\(XML.escape(title))</title>"
            // White behind the figure, so a page or viewer with a dark background cannot swallow its text.
            + "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
            + "<g font-family=\"\(SVGDocument.monospace)\" font-size=\"12\" fill=\"\(SVGColors.ink)\">" + canvas.body + "</g></svg>"
    }
}

/// How wide text will be drawn: the figures use a monospace font, so a character is
/// about 0.6 of the font size across (twice that for wide East Asian characters).
public enum SVGText {
    public static func width(_ text: String, size: Double) -> Double {
        Double(displayWidth(text)) * 0.6 * size
    }

    /// `text` cut with "…" to at most `width` pixels.
    public static func fitted(_ text: String, width: Double, size: Double) -> String {
        guard self.width(text, size: size) > width else { return text }
        var t = text
        while !t.isEmpty, self.width(t + "…", size: size) > width { t.removeLast() }
        return t + "…"
    }

    /// Words broken into lines of at most `width` pixels.
    public static func wrapped(_ text: String, width: Double, size: Double) -> [String] {
        let columns = max(Int(width / (0.6 * size)), 10)
        return text.wordWrapped(width: columns, indent: 2)
    }
}
