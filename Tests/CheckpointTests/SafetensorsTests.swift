@testable import Checkpoint
import Testing

/// safetensors: Huddle's round trip, the float types PyTorch exports converted, and every
/// way a header can lie refused with the file and the tensor named.
@Suite struct SafetensorsTests {
    let w = StoredTensor(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25])
    let b = StoredTensor(shape: [3], values: [-1, 2, 3.5])

    @Test func roundTripsInOrderWithMetadata() throws {
        let bytes = Safetensors.encode([("layer.weight", w), ("layer.bias", b)], metadata: ["format": "pt"])
        #expect((bytes.count - 8 - 36) % 8 == 0)  // the buffer starts aligned
        let (tensors, metadata) = try Safetensors.read(bytes, file: "m.safetensors")
        #expect(tensors.map(\.name) == ["layer.weight", "layer.bias"])
        #expect(tensors[0].tensor == w && tensors[1].tensor == b)
        #expect(metadata == ["format": "pt"])
    }

    /// A file written by hand with F16, BF16 and F64, as `safetensors.torch.save_file` lays them out.
    static func file(_ json: String, _ buffer: [UInt8]) -> [UInt8] {
        LittleEndian.bytes(UInt64(json.utf8.count), count: 8) + Array(json.utf8) + buffer
    }

    @Test func convertsHalfBrainAndDoubleFloats() throws {
        // 1.5 in F16 is 0x3E00; -2 in BF16 is 0xC000; 0.1 in F64.
        let double = (0.1).bitPattern
        let buffer: [UInt8] = [0x00, 0x3E] + [0x00, 0xC0] + (0..<8).map { UInt8(truncatingIfNeeded: double >> (8 * UInt64($0))) }
        let json = #"{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]},"d":{"dtype":"F64","shape":[],"data_offsets":[4,12]}}"#
        let tensors = try Safetensors.read(Self.file(json, buffer), file: "t.safetensors").tensors
        #expect(tensors.map(\.name) == ["h", "b", "d"])
        #expect(tensors[0].tensor.values == [1.5] && tensors[1].tensor.values == [-2] && tensors[2].tensor.values == [Float(0.1)])
        #expect(tensors[2].tensor.shape == [])
    }

    @Test func everyLieInTheHeaderIsAClearError() {
        func message(_ bytes: [UInt8]) -> String {
            do { _ = try Safetensors.read(bytes, file: "m.safetensors"); return "read" } catch { return "\(error)" }
        }
        let entry = { (dtype: String, shape: String, offsets: String) in
            Self.file(#"{"x":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}}"#, [UInt8](repeating: 0, count: 8))
        }
        #expect(message([1, 2, 3]) == "m.safetensors: is 3 bytes long; a safetensors file starts with an 8-byte header length")
        #expect(message(LittleEndian.bytes(1 << 40, count: 8) + [0, 0]).contains("its header says it is 1099511627776 bytes long, but only 2 bytes follow"))
        #expect(message(Self.file("not json", [])).contains("its header is not JSON"))
        #expect(message(Self.file("[1, 2]", [])).contains("not an object of tensors"))
        #expect(message(entry("C64", "[2]", "[0,8]")) == "m.safetensors: tensor 'x': has dtype C64, which Huddle does not read (it reads BF16, BOOL, F16, F32, F64, I16, I32, I64, I8, U8)")
        #expect(message(entry("F32", "[2]", "[0,9]")).contains("its bytes [0, 9) lie outside the 8 bytes after the header"))
        #expect(message(entry("F32", "[3]", "[0,8]")).contains("shape (3,) of F32 needs 12 bytes, but it has 8"))
        #expect(message(entry("F32", "[-1]", "[0,8]")).contains("its shape is not a list of whole numbers ≥ 0"))
        #expect(message(entry("F32", "[99999999999, 99999999999]", "[0,8]")).contains("needs more than 2⁶³ bytes"))
        #expect(message(entry("F32", "[3000000000, 1000000000]", "[0,8]")).contains("shape (3000000000, 1000000000) of F32 needs more than 2⁶³ bytes, but it has 8"))
        #expect(message(entry("F32", "[2]", "[8,0]")).contains("lie outside"))
        #expect(message(entry("F32", "[2]", "[0]")).contains("data_offsets are not two whole numbers"))
        let overlap = Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, [UInt8](repeating: 0, count: 8))
        #expect(message(overlap).contains("tensor 'b': its bytes overlap those of 'a'"))
    }
}

@Suite struct SafetensorsNameTests {
    @Test func namesWithQuotesAndNewlinesSurvive() throws {
        let t = StoredTensor(shape: [1], values: [1])
        let names = ["a\"b", "c\\d", "e\nf", "ü/ß"]
        let bytes = Safetensors.encode(names.map { ($0, t) })
        #expect(try Safetensors.read(bytes, file: "n").tensors.map(\.name) == names)
    }
}
