import Foundation
import Testing
import Trace

@Suite struct TraceTests {
    func event(_ kind: EventKind = .attention) -> TraceEvent {
        TraceEvent(kind: kind, formula: "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d)",
                   index: [("layer", .int(1)), ("head", .int(2)), ("causal", .bool(true)), ("sigma", .number(0.5))],
                   labels: ["I", "love \"ML\""],
                   tensors: [("A", Snapshot(shape: [2, 2], data: [1, 0, 0.1, 0.9])),
                             ("odd", Snapshot(shape: [3], data: [.nan, .infinity, -1e-5]))])
    }

    @Test func nothingIsRecordedWithoutARecorder() {
        var built = 0
        Tracing.emit { built += 1; return event() }
        #expect(built == 0)
        #expect(!Tracing.isActive)
    }

    @Test func theRecorderNumbersEventsAndKeepsThemAsRecorded() {
        let recorder = TraceRecorder()
        Tracing.recording(into: recorder) {
            #expect(Tracing.isActive)
            Tracing.emit { event(.residual) }
            Tracing.suspended { Tracing.emit { event(.train) } }
            Tracing.emit { event(.lstm) }
        }
        #expect(recorder.events.map(\.kind) == [.residual, .lstm])
        #expect(recorder.events.map(\.step) == [0, 1])
        #expect(recorder.events[0]["A"]?.shape == [2, 2])
        #expect(recorder.events[0].index("head") == .int(2))
    }

    @Test func theRecorderStopsKeepingEventsAtItsLimit() {
        let recorder = TraceRecorder(limit: 2)
        Tracing.recording(into: recorder) { for _ in 0..<5 { Tracing.emit { event() } } }
        #expect(recorder.events.count == 2 && recorder.dropped == 3)
    }

    /// Past its bytes of snapshots the recorder keeps no more events (a loop of big
    /// attentions had kept 100,000 steps, whatever their size), and counts them.
    @Test func theRecorderStopsKeepingEventsAtItsBytes() {
        let size = event().tensors.reduce(0) { $0 + $1.value.data.count * 4 }
        let recorder = TraceRecorder(byteLimit: 2 * size + size / 2)
        Tracing.recording(into: recorder) { for _ in 0..<5 { Tracing.emit { event() } } }
        #expect(recorder.events.count == 2 && recorder.dropped == 3 && recorder.bytes == 2 * size)
    }

    @Test func jsonLinesIsValidJSONWithFullPrecision() throws {
        let line = JSONLines.encode(event())
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "attention")
        #expect(object["formula"] as? String == "A_{m→t} = softmax_t(⟨q_m,k_t⟩/√d)")
        let index = try #require(object["index"] as? [String: Any])
        #expect(index["layer"] as? Int == 1 && index["causal"] as? Bool == true)
        #expect(object["labels"] as? [String] == ["I", "love \"ML\""])
        let tensors = try #require(object["tensors"] as? [String: [String: Any]])
        #expect(tensors["A"]?["shape"] as? [Int] == [2, 2])
        // Each value reads back to the same Float bits.
        let data = try #require(tensors["A"]?["data"] as? [NSNumber])
        #expect(data.map(\.floatValue) == [1, 0, 0.1, 0.9])
        let odd = try #require(tensors["odd"]?["data"] as? [Any])
        #expect(odd[0] as? String == "NaN" && odd[1] as? String == "Infinity")
        #expect((odd[2] as? NSNumber)?.floatValue == -1e-5)
        // Keys appear in the documented order.
        let order = ["\"kind\"", "\"step\"", "\"formula\"", "\"index\"", "\"labels\"", "\"tensors\""]
        let positions = order.compactMap { line.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted())
    }

    /// Row names go to the tensors that hold one row per agent, never to weights, and
    /// only when the row count matches.
    @Test func rowLabelsAreForTheAgentsTensorsOnly() {
        let event = TraceEvent(kind: .recurrent, formula: "h_t = tanh(W h_{t−1} + U x_t + b)", labels: ["a", "b", "c"],
                               tensors: [("h", Snapshot(shape: [3, 3], data: Array(repeating: 0, count: 9))),
                                         ("W", Snapshot(shape: [3, 3], data: Array(repeating: 0, count: 9))),
                                         ("U", Snapshot(shape: [3, 2], data: Array(repeating: 0, count: 6))),
                                         ("b", Snapshot(shape: [3], data: [0, 0, 0])),
                                         ("x", Snapshot(shape: [2, 2], data: [0, 0, 0, 0]))])
        #expect(event.rowLabels(for: "h") == ["a", "b", "c"])
        #expect(event.rowLabels(for: "W") == nil && event.rowLabels(for: "U") == nil && event.rowLabels(for: "b") == nil)
        #expect(event.rowLabels(for: "x") == nil)  // two rows, three names
        // Which tensors are weights is declared by the schema, not guessed from a name's first letter.
        #expect(EmbedStep.W.schema.role == .weight && DecodeStep.W.schema.role == .weight)
        #expect(AttentionStep.hBefore.schema.role == .perAgent && TrainStep.loss.schema.role == .value)
    }
}

