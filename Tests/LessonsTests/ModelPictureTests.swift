import Testing
import Lessons
import Render

/// What typing a model's name shows: its summary, every weight by name with its shape in
/// one column, and how many numbers it learns.
struct ModelPictureTests {
    /// Lesson 14 says typing `gpt` shows all its weights by name: it listed 24 of 28 and
    /// "… 4 more", and long names pushed their shapes out of the column.
    @Test func aModelShowsEveryWeightWithTheShapesInOneColumn() throws {
        let s = try session("gpt = GPT(\"hello there\", dim: 8, layers: 2, heads: 2, block_size: 4, seed: 1)\ngpt")
        let lines = s.run(cell: 0).printed.split(separator: "\n").map(String.init)
        let weights = lines.dropFirst().dropLast()
        #expect(weights.count == 28 && !lines.contains { $0.contains("more") })
        #expect(weights.contains { $0.hasPrefix("  blocks.1.feedforward.b2 ") })
        let columns = Set(weights.map { line in line.distance(from: line.startIndex, to: line.firstIndex(of: "(")!) })
        #expect(columns.count == 1, "\(weights.joined(separator: "\n"))")
        #expect(lines.last?.hasSuffix("numbers to learn") == true)
    }

    @Test func aModelWithVeryManyWeightsShowsTheFirst24() throws {
        let s = try session("gpt = GPT(\"hello there\", dim: 8, layers: 3, heads: 2, block_size: 4, seed: 1)\ngpt")
        let lines = s.run(cell: 0).printed.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 24 + 1 + 1)
        #expect(lines.dropLast().last == "  … 16 more")
    }
}
