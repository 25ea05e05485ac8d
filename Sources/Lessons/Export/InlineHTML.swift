import Render

/// One paragraph's inline Markdown as HTML: `code`, **bold**, *emphasis* / _emphasis_,
/// [links](…) and ![images](…) as their words only, backslash escapes. Emphasis follows
/// the terminal's rules (`Prose.inline`): it opens after a space or an opening bracket
/// and closes before one, so `h_m`, `W_encode` and `A_{m→t}` stay as written.
struct InlineHTML {
    let html: String

    init(_ text: String) {
        var out = ""
        var open: [String] = []  // "strong" / "em", innermost last
        var italicMarker: Character = "*"
        let chars = Array(text)
        var i = 0
        func toggle(_ tag: String) {
            if let last = open.lastIndex(of: tag) {
                // Close it, and anything opened inside it (reopened after).
                let inner = open[(last + 1)...]
                for t in inner.reversed() { out += "</\(t)>" }
                out += "</\(tag)>"
                open.remove(at: last)
                for t in inner { out += "<\(t)>" }
            } else {
                out += "<\(tag)>"
                open.append(tag)
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, "*_`[]()\\#|!<>".contains(chars[i + 1]) {
                out += XML.escape(String(chars[i + 1]))
                i += 2
                continue
            }
            if c == "`" {
                // A run of n backticks opens a code span closed by the next run of n.
                let run = chars[i...].prefix { $0 == "`" }.count
                var j = i + run
                var end: Int?
                while j < chars.count {
                    if chars[j] == "`" {
                        let closing = chars[j...].prefix { $0 == "`" }.count
                        if closing == run { end = j; break }
                        j += closing
                    } else {
                        j += 1
                    }
                }
                if let end {
                    var code = String(chars[(i + run)..<end])
                    if run > 1, code.hasPrefix(" "), code.hasSuffix(" "), code.count > 1 { code = String(code.dropFirst().dropLast()) }
                    out += "<code>" + XML.escape(code) + "</code>"
                    i = end + run
                    continue
                }
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*",
               open.contains("strong") || String(chars[(i + 2)...]).contains("**") {
                toggle("strong")
                i += 2
                continue
            }
            if c == "*" || c == "_" {
                if Emphasis.toggles(chars, at: i, italic: open.contains("em"), openedWith: italicMarker) {
                    toggle("em")
                    italicMarker = c
                    i += 1
                    continue
                }
            }
            // [words](address) and ![words](address): the words, never the address.
            let image = c == "!" && i + 1 < chars.count && chars[i + 1] == "["
            if c == "[" || image {
                let start = image ? i + 1 : i
                if let close = chars[(start + 1)...].firstIndex(of: "]"), close + 1 < chars.count, chars[close + 1] == "(",
                   let paren = chars[(close + 1)...].firstIndex(of: ")") {
                    let words = InlineHTML(String(chars[(start + 1)..<close])).html
                    out += image ? "<span class=\"image\">[" + words + "]</span>" : "<span class=\"link\">" + words + "</span>"
                    i = paren + 1
                    continue
                }
            }
            out += XML.escape(String(c))
            i += 1
        }
        for tag in open.reversed() { out += "</\(tag)>" }
        html = out
    }
}
