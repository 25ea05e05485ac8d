/// The JSON Lines export: one event per line, the stable contract other tools read.
///
///     {"version": 2, "seq": 12, "trace": 3, "cell": 5, "line": 71, "kind": "attention",
///      "step": 7, "formula": "…", "index": {"layer": 1, "head": 2},
///      "labels": ["I", "love"], "tensors": {"q": {"shape": [4, 2], "data": [...]}, ...}}
///
/// `version` is this format's (2: `seq`, `trace`, `cell` and `line` added). `seq` numbers
/// the events of one export from 0; `step` numbers them within their cell. `trace`,
/// `cell` and `line` say where the event was recorded, when that is known. `labels` (row
/// names) and `column_labels` (e.g. the vocabulary of a decode step) appear only when the
/// event has them. Each kind's tensors and index entries are those its schema declares
/// (`docs/trace-format.md`, generated from it by `JSONLines.documentation()`).
/// Keys keep the order shown (JSON objects are unordered; the order is for people).
/// `data` is row-major; each Float is written with the shortest decimal that reads back
/// to the same bits. JSON has no NaN or infinity, so those are written as the strings
/// "NaN", "Infinity" and "-Infinity".
public enum JSONLines {
    /// The format's version, written on every line.
    public static let version = 2

    public static func encode(_ event: TraceEvent, seq: Int? = nil) -> String {
        var out = "{\"version\": \(version)"
        if let seq { out += ", \"seq\": \(seq)" }
        if let origin = event.origin {
            out += ", \"trace\": \(origin.trace)" + (origin.cell.map { ", \"cell\": \($0)" } ?? "") + ", \"line\": \(origin.line)"
        }
        out += ", \"kind\": \(string(event.kind.rawValue)), \"step\": \(event.step), \"formula\": \(string(event.formula))"
        out += ", \"index\": {"
        out += event.index.map { "\(string($0.key)): \(value($0.value))" }.joined(separator: ", ")
        out += "}"
        if let labels = event.labels {
            out += ", \"labels\": [" + labels.map(string).joined(separator: ", ") + "]"
        }
        if !event.patched.isEmpty {
            out += ", \"patched\": [" + event.patched.map(string).joined(separator: ", ") + "]"
        }
        if let columnLabels = event.columnLabels {
            out += ", \"column_labels\": [" + columnLabels.map(string).joined(separator: ", ") + "]"
        }
        out += ", \"tensors\": {"
        out += event.tensors.map { name, snapshot in
            let shape = snapshot.shape.map(String.init).joined(separator: ", ")
            let data = snapshot.data.map(number).joined(separator: ", ")
            return "\(string(name)): {\"shape\": [\(shape)], \"data\": [\(data)]}"
        }.joined(separator: ", ")
        out += "}}"
        return out
    }

    /// All events, one line each, ending in a newline; `seq` counts them from 0.
    public static func encode(_ events: [TraceEvent]) -> String {
        events.enumerated().map { encode($1, seq: $0) + "\n" }.joined()
    }

    /// The format and every kind's declaration as Markdown: `docs/trace-format.md` is this
    /// text, and a test fails when the file is stale.
    public static func documentation() -> String {
        var lines = [
            "# The trace format (JSON Lines, version \(version))", "",
            "`huddle run LESSON --trace-json FILE` writes every traced event of the lesson, one JSON object per line:", "",
            "```json",
            "{\"version\": \(version), \"seq\": 12, \"trace\": 3, \"cell\": 5, \"line\": 71, \"kind\": \"attention\", \"step\": 7,",
            " \"formula\": \"…\", \"index\": {\"layer\": 1, \"head\": 2}, \"labels\": [\"I\", \"love\"],",
            " \"tensors\": {\"A\": {\"shape\": [4, 4], \"data\": [0.25, …]}}}",
            "```", "",
            "| field | what it is |", "|---|---|",
            "| `version` | this format's version, \(version) |",
            "| `seq` | the event's number in the file, from 0 |",
            "| `trace`, `cell`, `line` | which `trace` of the run recorded it (from 1), in which cell (from 1), at which line of the lesson |",
            "| `kind` | the kind of step, below |",
            "| `step` | its number within its cell, from 0 |",
            "| `formula` | the lecture's formula it fills in |",
            "| `index` | where it happened and its settings: the kind's index entries below |",
            "| `patched` | the tensors a patch changed at this step, when one did |",
            "| `labels`, `column_labels` | the names of the rows (tokens, agents) and, where they differ, of the columns |",
            "| `tensors` | each tensor by its key: `shape` and row-major `data`; floats read back to the same bits; NaN and infinities as the strings \"NaN\", \"Infinity\", \"-Infinity\" |",
            "",
            "This file is generated from the event schema (`Sources/Trace/EventKinds.swift`); a test fails when it is stale.",
        ]
        for kind in EventKind.allCases {
            let schema = kind.schema
            lines += ["", "## `\(kind.rawValue)`", "", cell(schema.summary), "", "| tensor | symbol | shape | what it holds |", "|---|---|---|---|"]
            for t in schema.tensors {
                var notes: [String] = []
                if t.role == .weight { notes.append("a weight") }
                if t.isPatchable { notes.append("patchable") }
                let extra = t.names.dropFirst().map { "`\($0)`" }.joined(separator: ", ")
                let what = t.meaning + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")")
                    + (extra.isEmpty ? "" : "; also typed as " + extra)
                lines.append("| `\(t.key)` | \(cell(t.symbol)) | \(t.shape) | \(cell(what)) |")
            }
            if !schema.index.isEmpty {
                lines += ["", "| index | what it says |", "|---|---|"]
                for entry in schema.index {
                    lines.append("| `\(entry.key)` | \(cell(entry.meaning))" + (entry.isRound ? "; a new round for `:next`" : "") + " |")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text for a Markdown table cell: a `|` (as in p(w | h)) would end the cell.
    static func cell(_ text: String) -> String {
        String(text.flatMap { $0 == "|" ? ["\\", "|"] : [$0] })
    }

    static func value(_ v: IndexValue) -> String {
        switch v {
        case .int(let i): String(i)
        case .number(let d): d.isFinite ? String(d) : string(d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))
        case .bool(let b): b ? "true" : "false"
        case .text(let s): string(s)
        }
    }

    static func number(_ f: Float) -> String {
        if f.isNaN { return "\"NaN\"" }
        if f.isInfinite { return f > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        // Swift prints the shortest round-tripping form ("0.1", "1e-05", "3.0").
        return f.description
    }

    /// A JSON string literal of `s`, control characters escaped.
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
