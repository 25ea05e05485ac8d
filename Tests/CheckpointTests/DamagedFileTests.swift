import Foundation
@testable import Checkpoint
import Testing

/// Damaged files — every truncation of a real file, and thousands of flipped bytes —
/// are read or refused with a CheckpointError, never a crash or a runaway allocation.
/// (A coverage-guided fuzzer goes further; this pins the property in every test run.)
@Suite struct DamagedFileTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D1_049B_B133_111E
            return z ^ (z >> 31)
        }
    }

    static func read(_ format: String, _ bytes: [UInt8]) throws {
        switch format {
        case "safetensors": _ = try Safetensors.read(bytes, file: "f")
        case "npy": _ = try NPY.read(bytes[...], file: "f")
        default: _ = try NPZ.read(bytes, file: "f", limit: 1 << 20)
        }
    }

    static func samples() throws -> [String: [UInt8]] {
        let w = StoredTensor(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25])
        return [
            "safetensors": Safetensors.encode([("a.weight", w), ("a.bias", StoredTensor(shape: [3], values: [1, 2, 3]))]),
            "npy": try fixture("fortran_f8.npy"),
            "npz": try fixture("two_compressed.npz"),
        ]
    }

    func survives(_ reader: ([UInt8]) throws -> Void, _ bytes: [UInt8]) -> Bool {
        do { try reader(bytes) } catch is CheckpointError { } catch { return false }
        return true
    }

    @Test(arguments: ["safetensors", "npy", "npz"])
    func everyTruncationIsReadOrRefused(_ format: String) throws {
        let bytes = try #require(try Self.samples()[format])
        let reader = { (b: [UInt8]) in try Self.read(format, b) }
        for length in 0..<bytes.count {
            #expect(survives(reader, Array(bytes.prefix(length))), "\(format) cut to \(length) bytes")
        }
    }

    @Test(arguments: ["safetensors", "npy", "npz"])
    func flippedBytesAreReadOrRefused(_ format: String) throws {
        let bytes = try #require(try Self.samples()[format])
        let reader = { (b: [UInt8]) in try Self.read(format, b) }
        var random = Generator(state: 18)
        for round in 0..<2000 {
            var damaged = bytes
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let at = Int(random.next() % UInt64(damaged.count))
                damaged[at] = UInt8(truncatingIfNeeded: random.next())
            }
            #expect(survives(reader, damaged), "\(format) round \(round)")
        }
    }

    /// The fuzzer's hangs: a .npz whose entry claims more bytes than the file holds was
    /// read for ever (ZIPFoundation's reads past the end give nothing, not an error). The
    /// second claims them in the central directory only, not in the entry ZIPFoundation
    /// shows. Their inputs are kept in Tests/FuzzRegressions/checkpoint/.
    @Test(arguments: ["npz-entry-larger-than-file", "npz-entry-larger-than-file-2"])
    func anEntryLargerThanTheFileIsRefusedAtOnce(input name: String) throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let input = try [UInt8](Data(contentsOf: here.appendingPathComponent("../FuzzRegressions/checkpoint/" + name)))
        #expect(input.first == 7)  // the byte that picks the .npz reader
        let clock = ContinuousClock(), start = clock.now
        do {
            _ = try NPZ.read(Array(input.dropFirst()), file: "f.npz")
            Issue.record("read")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("f.npz: could not be unpacked: the archive is damaged (its entry 1 says it holds "), "\(error)")
            #expect(text.hasSuffix(" bytes, but only 0 bytes of the file follow where it starts)"), "\(error)")
        }
        #expect(clock.now - start < .seconds(5))
    }

    /// The fuzzer's trap inside ZIPFoundation: a zip64 record just before its locator put
    /// the directory at 0xffff018000000000, and the seek there trapped converting to off_t.
    @Test func aDirectoryPastTheFileIsRefused() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let input = try [UInt8](Data(contentsOf: here.appendingPathComponent("../FuzzRegressions/checkpoint/npz-zip64-directory-past-int64")))
        #expect(throws: CheckpointError.self) { try NPZ.read(Array(input.dropFirst()), file: "f.npz") }
        #expect(ZipBounds.problem(in: Array(input.dropFirst())) == "its directory entry 1 is outside the file")
    }

    /// The directory check itself on small archives: an end record with every field
    /// random, 24 to 120 bytes, pointing anywhere (the fuzzer found its first version
    /// trapping on a 23-byte file within 21 runs).
    @Test func theDirectoryCheckTakesAnyShortArchive() {
        var random = Generator(state: 5)
        for round in 0..<20_000 {
            let count = 22 + Int(random.next() % 100)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let eocd = Int(random.next() % UInt64(count - 21))
            bytes.replaceSubrange(eocd..<(eocd + 4), with: [0x50, 0x4B, 0x05, 0x06])
            if round % 3 == 0, eocd >= 20 { bytes.replaceSubrange((eocd - 20)..<(eocd - 16), with: [0x50, 0x4B, 0x06, 0x07]) }
            if round % 2 == 0 {
                let place = Int(random.next() % UInt64(count - 3))
                bytes.replaceSubrange(place..<(place + 4), with: [0x50, 0x4B, 0x01, 0x02])
            }
            _ = ZipBounds.problem(in: bytes)
        }
        #expect(ZipBounds.problem(in: []) == nil)
    }
}

