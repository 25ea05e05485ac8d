import Trace

/// A kind of step as its schema declares it, for `:help events` and `:help event KIND`:
/// what it is, the names its pictures bring (every spelling that can be typed), and the
/// index numbers that say where it happened.
public enum EventReference {
    /// One line per kind: `lstm — An LSTM step: c_t = c_{t−1} + Δc_t, …`.
    public static func overview() -> [String] {
        EventKind.allCases.map { "\($0.rawValue) — \($0.schema.summary)" }
    }

    /// The whole declaration of one kind.
    public static func text(for kind: EventKind) -> [String] {
        let schema = kind.schema
        var lines = ["\(kind.rawValue) — \(schema.summary)", "tensors at its pictures (every name can be typed there):"]
        for tensor in schema.tensors {
            lines.append("  " + tensor.names.joined(separator: ", ") + " — " + (tensor.symbol == tensor.key ? "" : tensor.symbol + ": ")
                         + tensor.meaning + ", shape " + tensor.shape + (tensor.role == .weight ? ", a weight every agent shares" : ""))
        }
        if !schema.index.isEmpty {
            lines.append("where it happened (index):")
            for entry in schema.index {
                lines.append("  \(entry.key) — \(entry.meaning)" + (entry.isRound ? "; :next moves to the next one" : ""))
            }
        }
        if let rows = schema.focusRows { lines.append(":focus picks a row of \(rows.key)") }
        return lines
    }
}
