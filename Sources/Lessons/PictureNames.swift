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

/// One name a picture binds and the value it binds it to.
struct PictureBinding {
    let name: PictureName
    let value: Value
}

extension TraceEvent {
    /// Every name typed code can use at this event's picture, in the schema's order.
    public var pictureNames: [PictureName] { pictureBindings.map(\.name) }

    /// The names and their values: each declared tensor by every name its schema gives it
    /// (first name wins), then the index numbers the schema marks as picture names (not
    /// `d`, too common a name for a student's own variable).
    var pictureBindings: [PictureBinding] {
        var bindings: [PictureBinding] = []
        func add(_ name: String, _ summary: String, _ value: Value) {
            guard !bindings.contains(where: { $0.name.name == name }) else { return }
            bindings.append(PictureBinding(name: PictureName(name: name, summary: summary), value: value))
        }
        for (schema, snapshot) in declaredTensors {
            let symbol = schema.symbol == schema.key ? "" : schema.symbol + " — "
            let value = Value.host(TensorValue(snapshot.tensor, labels: rowLabels(for: schema.key)))
            for name in schema.names { add(name, symbol + schema.meaning + ", " + formatShape(snapshot.shape), value) }
        }
        for (key, value) in index where schema(ofIndex: key)?.isPictureName == true {
            let shown = String(value.shown(as: key).dropFirst(key.count + 1))  // "layer 2" → "2"
            let summary = (schema(ofIndex: key)?.meaning ?? key) + ", here \(shown)"
            switch value {
            case .int(let n): add(key, summary, .number(Double(n)))
            // Stored as Float by the model: Float's digits, 0.2622225 not 0.2622225284576416.
            case .number(let d): add(key, summary, .number(Double(Float(d).description) ?? d))
            default: continue
            }
        }
        return bindings
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
