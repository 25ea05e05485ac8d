/// NumPy's .npy: the magic `\x93NUMPY`, a version, a header length, a Python dict
/// literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, then the data.
/// Float and integer types of either byte order are read (as Float32); Fortran order is
/// turned into row-major. Huddle writes version 1.0, little-endian float32, C order.
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    static let types: [String: ElementType] = [
        "f4": .f32, "f2": .f16, "f8": .f64, "i8": .i64, "i4": .i32, "i2": .i16, "i1": .i8, "u1": .u8, "b1": .bool,
    ]

    public static func read(_ bytes: ArraySlice<UInt8>, file: String, tensor: String? = nil) throws -> StoredTensor {
        func fail(_ problem: String) -> CheckpointError { CheckpointError(file: file, tensor: tensor, problem) }
        let b = Array(bytes)
        guard b.count >= 10, Array(b[0..<6]) == magic else { throw fail("does not start with \\x93NUMPY: it is not a .npy file") }
        let major = b[6]
        let headerLength: Int, start: Int
        switch major {
        case 1:
            headerLength = Int(b[8]) | Int(b[9]) << 8
            start = 10
        case 2, 3:
            guard b.count >= 12 else { throw fail("its header is cut off") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            start = 12
        default:
            throw fail("is .npy version \(major), which Huddle does not read (1, 2 and 3 it does)")
        }
        guard headerLength <= b.count - start else { throw fail("its header says it is \(headerLength) bytes, but only \(b.count - start) follow") }
        let header = String(decoding: b[start..<(start + headerLength)], as: UTF8.self)
        guard let descr = value(of: "descr", in: header)?.trimming("'\""),
              let order = value(of: "fortran_order", in: header),
              let shapeText = value(of: "shape", in: header) else {
            throw fail("its header \(header.prefix(80)) lacks descr, fortran_order or shape")
        }
        let endian = descr.first
        let code = String(descr.drop { "<>|=".contains($0) })
        guard let type = types[code] else { throw fail("has dtype '\(descr)', which Huddle does not read (float and integer types do)") }
        guard order == "False" || order == "True" else { throw fail("its fortran_order is \(order)") }
        let inner = shapeText.trimming("()")
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let word = String(part).trimming(" ")
            if word.isEmpty { continue }
            guard let size = Int(word), size >= 0 else { throw fail("its shape \(shapeText) is not a tuple of whole numbers ≥ 0") }
            shape.append(size)
        }
        let dataStart = start + headerLength
        guard let needed = StoredTensor.bytes(of: shape, size: type.size), needed == b.count - dataStart else {
            throw fail("shape \(StoredTensor.text(shape)) of \(descr) needs \(StoredTensor.bytesText(shape, size: type.size)) bytes of data, but it has \(b.count - dataStart)")
        }
        var values = type.decode(b[dataStart...], bigEndian: endian == ">")
        if order == "True" && shape.count > 1 { values = rowMajor(fromColumnMajor: values, shape: shape) }
        return StoredTensor(shape: shape, values: values)
    }

    /// The text after `'key':` up to the next top-level comma (a tuple counts as one).
    static func value(of key: String, in header: String) -> String? {
        guard let range = header.firstRange(of: "'\(key)':") ?? header.firstRange(of: "\"\(key)\":") else { return nil }
        var depth = 0
        var out = ""
        for ch in header[range.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            out.append(ch)
        }
        return out.trimming(" ")
    }

    /// Column-major (Fortran) values in row-major order.
    static func rowMajor(fromColumnMajor values: [Float], shape: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        var strides = [Int](repeating: 1, count: shape.count)  // Fortran strides
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        for position in 0..<values.count {
            out[position] = values[zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }]
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// Version 1.0, '<f4', C order; the header padded so the data starts at a multiple of 64.
    public static func encode(_ tensor: StoredTensor) -> [UInt8] {
        let shape = tensor.shape.map(String.init).joined(separator: ", ") + (tensor.shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        return magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + ElementType.encodeF32(tensor.values)
    }
}

extension String {
    /// The string without the characters of `set` at either end.
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
