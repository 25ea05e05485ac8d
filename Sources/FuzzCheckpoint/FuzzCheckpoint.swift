import Checkpoint
import Foundation

// The checkpoint readers under a coverage-guided fuzzer (libFuzzer): every input must be
// read or refused with a CheckpointError — never a crash, a trap or a runaway allocation
// — and whatever is read must survive writing it back and reading it again unchanged.
// `scripts/fuzz` builds this with -sanitize=fuzzer,address and -DFUZZING; built normally
// it is a replayer: `FuzzCheckpoint FILE…` runs each file once (a crash file libFuzzer
// left, or the seed corpus), which is how a crash becomes a regression test.

/// The first byte picks the reader — 0…3 safetensors, 4…6 .npy, 7 .npz (modulo 8: the
/// .npz reader goes through a temporary file and is a hundred times slower, so it gets
/// fewer of the runs) — and the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data, count > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    do {
        switch data[0] % 8 {
        case 0...3:
            let (tensors, metadata) = try Safetensors.read(bytes, file: "f")
            let again = try Safetensors.read(Safetensors.encode(tensors, metadata: metadata), file: "again")
            check(again.tensors.map(\.name) == tensors.map(\.name) && again.metadata == metadata, "safetensors names or metadata")
            check(zip(again.tensors, tensors).allSatisfy { same($0.tensor, $1.tensor) }, "safetensors values")
        case 4...6:
            let tensor = try NPY.read(bytes[...], file: "f")
            check(same(try NPY.read(NPY.encode(tensor)[...], file: "again"), tensor), "npy values")
        default:
            _ = try NPZ.read(bytes, file: "f", limit: 1 << 20)
        }
    } catch is CheckpointError {
        // Refused with a message: what a damaged file must get.
    } catch {
        fatalError("not a CheckpointError: \(error)")
    }
    return 0
}

/// Same shape and the same bits (NaN payloads included).
private func same(_ a: StoredTensor, _ b: StoredTensor) -> Bool {
    a.shape == b.shape && a.values.map(\.bitPattern) == b.values.map(\.bitPattern)
}

private func check(_ condition: Bool, _ what: String) {
    if !condition { fatalError("a file read, written and read again changed its \(what)") }
}

#if !FUZZING
@main
enum Replay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("FuzzCheckpoint: cannot read \(path)\n".utf8))
                exit(2)
            }
            _ = data.withUnsafeBytes { fuzzCheckpoint($0.bindMemory(to: UInt8.self).baseAddress, data.count) }
        }
        print("FuzzCheckpoint: \(paths.count) input\(paths.count == 1 ? "" : "s") read or refused cleanly")
    }
}
#endif
