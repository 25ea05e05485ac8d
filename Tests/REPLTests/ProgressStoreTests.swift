import Foundation
import Testing
@testable import REPL

/// The progress file is the user's, and may hold anything: lines that are not a place
/// are skipped, never trusted (a huge step number trapped the resume prompt and the menu).
struct ProgressStoreTests {
    @Test func linesThatAreNotAPlaceAreSkipped() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-progress-\(UUID().uuidString)").path
        try """
            9223372036854775807\t9223372036854775807\t/lessons/14-gpt.md
            -3\t2\t/lessons/13-bert.md
            4\t99999999999999999999\t/lessons/12-x.md
            7\t9\t/lessons/06-lstm.md
            not a line at all

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let entries = ProgressStore(path: path).load()
        #expect(entries.count == 1)
        #expect(entries[ProgressStore.identity("/lessons/06-lstm.md")] == ProgressStore.Entry(position: 7, furthest: 9))
    }
}
