import Foundation
import Testing
import Trace

/// The schema is the one place a kind's tensors are named: it is consistent in itself,
/// and no code outside Trace names an event's tensor or index entry by a string.
@Suite struct SchemaTests {
    @Test func everyKindDeclaresItselfAndUniqueNames() {
        for kind in EventKind.allCases {
            let schema = kind.schema
            #expect(schema.kind == kind)
            let keys = schema.tensors.map(\.key)
            #expect(Set(keys).count == keys.count, "\(kind): a tensor key twice")
            // A typed name picks out one tensor: no two tensors of a kind share one.
            let names = schema.tensors.flatMap(\.names)
            #expect(Set(names).count == names.count, "\(kind): a name given to two tensors: \(names)")
            let index = schema.index.map(\.key)
            #expect(Set(index).count == index.count, "\(kind): an index key twice")
            if let rows = schema.focusRows { #expect(schema.tensors.contains(rows)) }
        }
    }

    @Test func symbolsThatAreNamesAreTypedNames() {
        #expect(TensorSchema.identifier("Δc_t") == "Δc_t")
        #expect(TensorSchema.identifier("x_{t−1}") == nil)  // the minus sign is no name's
        #expect(TensorSchema.identifier("h⁽ˡ⁾") == nil)
        #expect(TensorSchema.identifier("A_{m}") == "A_m")
        #expect(LSTMStep.deltaC.schema.names == ["delta_c", "Δc_t", "Δc", "dc_t", "dc"])
        #expect(LSTMStep.c.schema.names == ["c", "c_t"])
    }

    /// A typed key reads only events of its own kind.
    @Test func aKeyOfAnotherKindReadsNothing() {
        let event = TraceEvent(LSTMStep.self, formula: "c_t = c_{t−1} + Δc_t", index: [(LSTMStep.t, .int(3))],
                               tensors: [(LSTMStep.c, Snapshot(shape: [2], data: [1, 2]))])
        #expect(event[LSTMStep.c]?.data == [1, 2])
        #expect(event[RecurrentStep.h] == nil && event[LSTMStep.h] == nil)
        #expect(event.integer(LSTMStep.t) == 3 && event.round?.key == "t")
        #expect(event.undeclaredNames.isEmpty)
        let odd = TraceEvent(kind: .lstm, formula: "", tensors: [("cell", Snapshot(scalar: 1))])
        #expect(odd.undeclaredNames == ["cell"])
    }

    /// Outside Trace, tensors and index entries are read and written through typed keys
    /// only: the old string forms would let a name be mistyped on one side.
    @Test func noCodeOutsideTraceNamesATensorByString() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources").standardized
        let forbidden = ["event[\"", ".index(\"", "TraceEvent(kind:", "Tracing.emit(."]
        var found: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" && !file.path.contains("/Sources/Trace/") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in forbidden where text.contains(pattern) { found.append("\(file.lastPathComponent): \(pattern)") }
        }
        #expect(files.count > 100)
        #expect(found.isEmpty, "\(found)")
    }
}

/// The trace format's document is generated from the schema and kept in the repository;
/// set HUDDLE_WRITE_DOCS=1 to write it anew after changing the schema.
@Suite struct TraceFormatDocumentTests {
    @Test func theCheckedInDocumentIsTheGeneratedOne() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/trace-format.md").standardized
        let generated = JSONLines.documentation()
        if ProcessInfo.processInfo.environment["HUDDLE_WRITE_DOCS"] == "1" {
            try generated.write(to: file, atomically: true, encoding: .utf8)
        }
        let checkedIn = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(checkedIn == generated, "docs/trace-format.md is stale: run the tests once with HUDDLE_WRITE_DOCS=1")
        for kind in EventKind.allCases { #expect(generated.contains("## `\(kind.rawValue)`")) }
    }

    /// Every line says the format's version and its place in the export; events that
    /// know where they were recorded say so.
    @Test func everyLineIsNumberedAndSaysWhereItCameFrom() throws {
        var first = TraceEvent(LSTMStep.self, formula: "c", tensors: [(LSTMStep.c, Snapshot(scalar: 1))])
        first.origin = TraceEvent.Origin(trace: 2, cell: 4, line: 31)
        let second = TraceEvent(LSTMStep.self, formula: "c", tensors: [(LSTMStep.c, Snapshot(scalar: 2))])
        let lines = JSONLines.encode([first, second]).split(separator: "\n")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["version"] as? Int } == [2, 2])
        #expect(objects.map { $0["seq"] as? Int } == [0, 1])
        #expect(objects[0]["trace"] as? Int == 2 && objects[0]["cell"] as? Int == 4 && objects[0]["line"] as? Int == 31)
        #expect(objects[1]["trace"] == nil)
    }
}
