@testable import Checkpoint
import Foundation
import Testing

/// .npy and .npz as NumPy writes them (committed fixtures), Huddle's own round trip, and
/// every malformed header a clear error naming the file.
@Suite struct NPYTests {
    let expected = StoredTensor(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25])

    @Test func readsWhatNumPyWrites() throws {
        #expect(try NPY.read(fixture("c_order_f4.npy")[...], file: "a.npy") == expected)
        #expect(try NPY.read(fixture("big_endian_f4.npy")[...], file: "a.npy") == expected)
        // Fortran order, float64: turned into row-major float32.
        #expect(try NPY.read(fixture("fortran_f8.npy")[...], file: "a.npy") == StoredTensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5]))
        #expect(try NPY.read(fixture("int64.npy")[...], file: "a.npy") == StoredTensor(shape: [3], values: [1, -2, 3]))
    }

    /// The zip64 pair is two_compressed.npz rewritten by Python's zipfile with its zip64
    /// limit lowered to 100 bytes, so the central directory marks each size 0xFFFFFFFF
    /// and gives it in a zip64 extra field (as for arrays past 4 GB).
    @Test func readsNpzStoredAndCompressed() throws {
        for name in ["two.npz", "two_compressed.npz", "two_zip64.npz", "two_zip64_compressed.npz"] {
            let arrays = try NPZ.read(fixture(name), file: name)
            #expect(arrays.map(\.name).sorted() == ["bias", "weight"])
            #expect(arrays.first { $0.name == "weight" }?.tensor == expected)
            #expect(arrays.first { $0.name == "bias" }?.tensor == StoredTensor(shape: [2], values: [0.5, -0.25]))
        }
    }

    @Test func roundTripsAndWritesWhatNumPyWouldRead() throws {
        let bytes = NPY.encode(expected)
        #expect(bytes.count == 128 + 24)           // a 64-aligned header, then 6 floats
        #expect(Array(bytes[...]) == (try fixture("c_order_f4.npy")))  // byte for byte NumPy's own
        #expect(try NPY.read(bytes[...], file: "x.npy") == expected)
        let scalar = StoredTensor(shape: [], values: [3])
        #expect(try NPY.read(NPY.encode(scalar)[...], file: "x.npy") == scalar)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huddle-\(UUID().uuidString).npz").path
        try NPZ.write([("w", expected), ("b", scalar)], to: path)
        let back = try NPZ.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        #expect(back.map(\.name) == ["w", "b"] && back[0].tensor == expected && back[1].tensor == scalar)
    }

    @Test func malformedFilesAreClearErrors() throws {
        let good = NPY.encode(expected)
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try NPY.read(bytes[...], file: "m.npy", tensor: "w"); return "read" } catch { return "\(error)" }
        }
        #expect(message(Array("hello".utf8)) == "m.npy: tensor 'w': does not start with \\x93NUMPY: it is not a .npy file")
        #expect(message(Array(good.dropLast(4))).contains("shape (2, 3) of <f4 needs 24 bytes of data, but it has 20"))
        var version = good; version[6] = 9
        #expect(message(version).contains("is .npy version 9"))
        var length = good; length[8] = 0xFF; length[9] = 0xFF
        #expect(message(length).contains("its header says it is 65535 bytes, but only"))
        /// A version 1.0 file with this header and 24 bytes of data.
        func npy(_ header: String) -> [UInt8] {
            let h = Array((header + "\n").utf8)
            return NPY.magic + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + [UInt8](repeating: 0, count: 24)
        }
        #expect(message(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")) == "read")
        #expect(message(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2, 3), }")).contains("has dtype '<c8', which Huddle does not read"))
        #expect(message(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (9999999999999, 99999999), }")).contains("needs more than 2⁶³ bytes"))
        // Found by the fuzzer: the element count fits in Int, its bytes do not (the message
        // itself multiplied them and trapped).
        #expect(message(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (4099276460824344802,), }"))
            == "m.npy: tensor 'w': shape (4099276460824344802,) of <f8 needs more than 2⁶³ bytes of data, but it has 24")
        #expect(message(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }")).contains("is not a tuple of whole numbers"))
        #expect(message(npy("{'descr': '<f4', 'shape': (2, 3), }")).contains("lacks descr, fortran_order or shape"))
        #expect(throws: CheckpointError.self) { try NPZ.read(Array("not a zip".utf8), file: "z.npz") }
    }
}
