import Language
import Render
import Tensor
import Trace

/// The names a picture brings into scope, read from its event's schema: each tensor by
/// every name its kind declares (key, drawn symbol, ASCII spellings), then the index
/// numbers the schema marks as picture names. `:vars`, `:help NAME`, completion and the
/// names bound at the prompt all come from this one list.
public struct PictureName: Sendable, Equatable {
    public let name: String
    /// One line on what it holds: "c_{t−1} — the cell's running total before this step, (1, 2)".
    public let summary: String
}

extension TraceEvent {
    /// Every name typed code can use at this event's picture, in the schema's order.
    public var pictureNames: [PictureName] {
        var names: [PictureName] = []
        for (schema, value) in declaredTensors {
            let symbol = schema.symbol == schema.key ? "" : schema.symbol + " — "
            let summary = symbol + schema.meaning + ", " + formatShape(value.shape)
            for name in schema.names where !names.contains(where: { $0.name == name }) {
                names.append(PictureName(name: name, summary: summary))
            }
        }
        for (key, value) in index where schema(ofIndex: key)?.isPictureName == true && !names.contains(where: { $0.name == key }) {
            switch value {
            case .int, .number:
                let shown = value.shown(as: key).dropFirst(key.count + 1)  // "layer 2" → "2"
                names.append(PictureName(name: key, summary: (schema(ofIndex: key)?.meaning ?? key) + ", here \(shown)"))
            default: continue
            }
        }
        return names
    }
}

/// `lesson.c` at a picture: the lesson's own variables that the picture's names cover
/// (an LSTM picture's `c` is its c_t; the lesson's `c` is still `lesson.c`). Bound as
/// `lesson` only at a picture that covers something, and only when no variable of the
/// student's is called `lesson`.
struct CoveredVariables: HostValue {
    let values: [String: Value]

    var typeName: String { "lesson" }
    var description: String {
        "the lesson's variables this picture covers: " + values.keys.sorted().map { "lesson.\($0)" }.joined(separator: ", ")
    }
    var memberNames: [String] { values.keys.sorted() }

    func member(named name: String) throws -> Value? {
        guard let value = values[name] else {
            throw RuntimeError("this picture covers no variable '\(name)'; type \(name) itself",
                               hint: values.isEmpty ? nil : "it covers " + memberNames.joined(separator: ", "))
        }
        return value
    }

    func copy(using copier: Copier) -> any HostValue { self }
}
