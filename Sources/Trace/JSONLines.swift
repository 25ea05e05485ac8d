/// The JSON Lines export: one event per line, the stable contract other tools read.
///
///     {"kind": "attention", "step": 7, "formula": "…", "index": {"layer": 1, "head": 2},
///      "labels": ["I", "love"], "tensors": {"q": {"shape": [4, 2], "data": [...]}, ...}}
///
/// `labels` (row names) and `column_labels` (e.g. the vocabulary of a decode step) appear
/// only when the event has them.
/// Keys keep the order shown (JSON objects are unordered; the order is for people).
/// `data` is row-major; each Float is written with the shortest decimal that reads back
/// to the same bits. JSON has no NaN or infinity, so those are written as the strings
/// "NaN", "Infinity" and "-Infinity".
public enum JSONLines {
    public static func encode(_ event: TraceEvent) -> String {
        var out = "{\"kind\": \(string(event.kind.rawValue)), \"step\": \(event.step), \"formula\": \(string(event.formula))"
        out += ", \"index\": {"
        out += event.index.map { "\(string($0.key)): \(value($0.value))" }.joined(separator: ", ")
        out += "}"
        if let labels = event.labels {
            out += ", \"labels\": [" + labels.map(string).joined(separator: ", ") + "]"
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

    /// All events, one line each, ending in a newline.
    public static func encode(_ events: [TraceEvent]) -> String {
        events.map { encode($0) + "\n" }.joined()
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

    static func string(_ s: String) -> String {
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
