import Foundation
import Lessons
import Render

/// Writes `text` as a lesson in a fresh temporary folder and returns its path.
func temporaryLesson(_ text: String, name: String = "01-test.md") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-lesson-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A session on a lesson made of one cell holding `code` (for bridge tests).
func session(_ code: String) throws -> LessonSession {
    let path = try temporaryLesson("# Test\n\n```huddle\n" + code + "\n```\n")
    return try LessonSession.open(path: path, options: RenderOptions(color: .none, width: 80))
}

extension CellResult {
    /// Everything printed, as plain text.
    var printed: String {
        outputs.map { output in
            switch output {
            case .text(let t): t
            case .picture(let block): block.lines.map(\.plainText).joined(separator: "\n") + "\n"
            case .check: ""
            }
        }.joined()
    }
}
