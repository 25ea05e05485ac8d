/// Text from a lesson shown as text, never obeyed by the terminal: every control
/// character but newline and tab is drawn as a visible sign. A lesson file from someone
/// else must not be able to write the user's clipboard (OSC 52), retitle the window
/// (OSC 0), move the cursor to overwrite what was shown, or ring the bell — and it could,
/// through its prose, `print`, labels and errors, with or without colour.
///
/// C0 controls become their Unicode control pictures (ESC → ␛, BEL → ␇, CR → ␍), DEL
/// becomes ␡, and the C1 controls U+0080–U+009F (CSI is U+009B) become `\u{9B}`. So do
/// the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make the
/// terminal show text in an order other than the file's, and the line and paragraph
/// separators U+2028 and U+2029, which break a line the file does not break. A CR
/// right before a newline (a file written on Windows) is dropped.
public func visibleText(_ text: String) -> String {
    guard text.utf8.contains(where: isSuspect) else { return text }
    var out = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    for (i, scalar) in scalars.enumerated() {
        switch scalar.value {
        case 0x0A, 0x09:
            out.append(scalar)
        case 0x0D where i + 1 < scalars.count && scalars[i + 1] == "\n":
            continue
        case 0x00..<0x20:
            out.append(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F:
            out.append("\u{2421}")
        case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
            out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
        default:
            out.append(scalar)
        }
    }
    return String(out)
}

/// A byte that may start a control character: C0 but newline and tab, DEL, 0xC2, the
/// first byte of U+0080–U+00BF in UTF-8 (the C1 controls among them), and 0xE2, the first
/// of U+2000–U+2FFF (the separators and bidirectional controls among them).
private func isSuspect(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F || byte == 0xC2 || byte == 0xE2
}
