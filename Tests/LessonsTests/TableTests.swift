import Foundation
@testable import Lessons
import Testing

/// `read_csv`: an instructor's own data by column, numbers as tensors.
@Suite struct TableTests {
    func session(csv: String) throws -> LessonSession {
        let path = try temporaryLesson("# CSV\n\n```huddle\nx = 1\n```\n")
        try csv.write(toFile: (path as NSString).deletingLastPathComponent + "/points.csv", atomically: true, encoding: .utf8)
        return try LessonSession.open(path: path, options: .init())
    }

    @Test func columnsByNameNumbersAsTensors() throws {
        let s = try session(csv: "x, y ,label\n1,2,cat\n3,4.5,\"a dog, brown\"\r\n-1,0.25,cow\n")
        let result = s.evaluate("""
            data = read_csv("points.csv")
            expect data["x"] ≈ [1, 3, -1]
            expect data[["x", "y"]] ≈ [[1, 2], [3, 4.5], [-1, 0.25]]
            expect data.values.shape == [3, 2]
            expect data["label"] == ["cat", "a dog, brown", "cow"]
            expect len(data) == 3
            expect data.columns == ["x", "y", "label"]
            """)
        #expect(result.error == nil, "\(result.error ?? "")")
        #expect(result.checks.count == 6 && result.failedChecks.isEmpty, "\(result.failedChecks.map(\.message))")
    }

    @Test func badFilesAndNamesSayWhere() throws {
        let s = try session(csv: "x,y\n1,2\n3\n")
        #expect(s.evaluate("read_csv(\"points.csv\")").error?.contains("row 3 has 1 fields, the header names 2") == true)
        let t = try session(csv: "x,y,name\n1,2,a\n")
        _ = t.evaluate("d = read_csv(\"points.csv\")")
        #expect(t.evaluate("d[\"z\"]").error?.contains("has no column z") == true)
        #expect(t.evaluate("d[\"nmae\"]").error?.contains("did you mean 'name'") == true)
        #expect(t.evaluate("d[[\"x\", \"name\"]]").error?.contains("column name of 'points.csv' is not all numbers (it has \"a\")") == true)
        #expect(t.evaluate("read_csv(\"../points.csv\")").error?.contains("leads out of the lesson's folder") == true)
    }
}
