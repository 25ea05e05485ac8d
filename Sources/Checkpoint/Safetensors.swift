import Foundation

/// The safetensors format (huggingface/safetensors), which PyTorch users export today:
/// an 8-byte little-endian header length N, N bytes of JSON naming each tensor's dtype,
/// shape and byte range in the buffer after the header, then the buffer.
///
/// Reading trusts nothing in the file: the header must fit in the file, every range in
/// the buffer, every byte count match its shape; float types other than F32 (F16, BF16,
/// F64) and integer types are converted to Float32.
public enum Safetensors {
    /// The largest header read: real ones are kilobytes.
    static let headerLimit = 16 << 20

    static let types: [String: ElementType] = [
        "F32": .f32, "F16": .f16, "BF16": .bf16, "F64": .f64,
        "I64": .i64, "I32": .i32, "I16": .i16, "I8": .i8, "U8": .u8, "BOOL": .bool,
    ]

    /// The tensors of a file's bytes, in the order they lie in the buffer, and its
    /// `__metadata__` (strings only).
    public static func read(_ bytes: [UInt8], file: String) throws -> (tensors: [(name: String, tensor: StoredTensor)], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw CheckpointError(file: file, "is \(bytes.count) bytes long; a safetensors file starts with an 8-byte header length")
        }
        let length = LittleEndian.uint64(bytes, at: 0)
        guard length <= UInt64(bytes.count - 8) else {
            throw CheckpointError(file: file, "its header says it is \(length) bytes long, but only \(bytes.count - 8) bytes follow (a truncated file, or not safetensors)")
        }
        guard length <= UInt64(headerLimit) else {
            throw CheckpointError(file: file, "its header is \(length) bytes long; Huddle reads headers up to \(headerLimit >> 20) MiB")
        }
        let headerEnd = 8 + Int(length)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw CheckpointError(file: file, "its header is not JSON (is it a safetensors file?)")
        }
        guard let header = json as? [String: Any] else {
            throw CheckpointError(file: file, "its header is JSON but not an object of tensors")
        }
        let buffer = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var found: [(name: String, begin: Int, end: Int, tensor: StoredTensor)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                for (key, value) in entry as? [String: Any] ?? [:] { if let text = value as? String { metadata[key] = text } }
                continue
            }
            guard let fields = entry as? [String: Any] else {
                throw CheckpointError(file: file, tensor: name, "its entry is not an object with dtype, shape and data_offsets")
            }
            guard let dtype = fields["dtype"] as? String else {
                throw CheckpointError(file: file, tensor: name, "has no dtype")
            }
            guard let type = types[dtype] else {
                throw CheckpointError(file: file, tensor: name, "has dtype \(dtype), which Huddle does not read (it reads \(types.keys.sorted().joined(separator: ", ")))")
            }
            guard let shape = integers(fields["shape"]) else {
                throw CheckpointError(file: file, tensor: name, "its shape is not a list of whole numbers ≥ 0")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw CheckpointError(file: file, tensor: name, "its data_offsets are not two whole numbers [begin, end]")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin <= end, end <= buffer else {
                throw CheckpointError(file: file, tensor: name, "its bytes [\(begin), \(end)) lie outside the \(buffer) bytes after the header")
            }
            guard let needed = StoredTensor.bytes(of: shape, size: type.size), needed == end - begin else {
                throw CheckpointError(file: file, tensor: name, "shape \(StoredTensor.text(shape)) of \(dtype) needs \(StoredTensor.bytesText(shape, size: type.size)) bytes, but it has \(end - begin)")
            }
            let values = type.decode(bytes[(headerEnd + begin)..<(headerEnd + end)])
            found.append((name, begin, end, StoredTensor(shape: shape, values: values)))
        }
        // Two tensors may not share bytes: a file where they do is malformed.
        let sorted = found.sorted { $0.begin < $1.begin }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.end > b.begin {
            throw CheckpointError(file: file, tensor: b.name, "its bytes overlap those of '\(a.name)'")
        }
        return (sorted.map { ($0.name, $0.tensor) }, metadata)
    }

    /// Non-negative whole numbers from a JSON list.
    static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var out: [Int] = []
        for item in list {
            guard let number = item as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double == double.rounded(), double >= 0, double < 9.0e15 else { return nil }
            out.append(Int(double))
        }
        return out
    }

    /// A file of Float32 tensors, in the order given, with optional metadata.
    public static func encode(_ tensors: [(name: String, tensor: StoredTensor)], metadata: [String: String] = [:]) -> [UInt8] {
        var header: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(quoted($0.value))" }
            header.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        var body: [UInt8] = []
        for (name, tensor) in tensors {
            let bytes = ElementType.encodeF32(tensor.values)
            header.append("\(quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes.count)]}")
            offset += bytes.count
            body += bytes
        }
        var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        // Padded with spaces to a multiple of 8, as the reference writer does, so the buffer is aligned.
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        return LittleEndian.bytes(UInt64(json.count), count: 8) + json + body
    }

    /// A JSON string literal, escaped by Foundation's JSON writer.
    static func quoted(_ text: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [text]), let array = String(data: data, encoding: .utf8) else {
            return "\"\""
        }
        return String(array.dropFirst().dropLast())  // ["…"] → "…"
    }
}
