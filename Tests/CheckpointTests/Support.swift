import Foundation

/// A committed fixture's bytes (`Fixtures/`, made by NumPy; see scripts/make_fixtures.py).
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
    return Array(try Data(contentsOf: url))
}
