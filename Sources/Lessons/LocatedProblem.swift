import Language

/// A problem with a lesson file's structure (a fence never closed, a setting that cannot
/// be read, an exercise block missing a field), rendered the way the scanner renders its
/// errors: `file:line:column: error: …`, the line quoted, a caret under the spot. A bare
/// `file:8:` had left the author to count lines for themselves.
enum LocatedProblem {
    /// `length` characters from `column` are underlined (at least one).
    static func render(_ message: String, path: String, line: Int, column: Int, length: Int, lineText: String?) -> String {
        Diagnostic(kind: .syntaxError, message: message, file: path, location: SourceLocation(line: line, column: column),
                   end: SourceLocation(line: line, column: column + max(length, 1)), lineText: lineText).render()
    }

    /// The problem underlining the whole of a line's text (a fence, a comment that opens a
    /// block), from its first character that is not a space.
    static func render(_ message: String, path: String, line: Int, lineText: String?) -> String {
        let text = lineText ?? ""
        let indent = text.prefix { $0 == " " || $0 == "\t" }.count
        let body = text.dropFirst(indent).trimmingWhitespace()
        return render(message, path: path, line: line, column: indent + 1, length: body.count, lineText: lineText)
    }
}
