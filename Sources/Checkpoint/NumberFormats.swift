/// The element types checkpoint files store, and how each becomes a Float32. Reading is
/// little-endian unless a .npy header says otherwise; every read is bounds-checked by
/// the callers, which slice exactly `count × size` bytes first.
enum ElementType: Equatable, Sendable {
    case f32, f16, bf16, f64, i64, i32, i16, i8, u8, bool

    /// Bytes per element.
    var size: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// The values of `bytes` (exactly count × size of them), as Float32.
    func decode(_ bytes: ArraySlice<UInt8>, bigEndian: Bool = false) -> [Float] {
        let n = bytes.count / size
        var out = [Float](repeating: 0, count: n)
        let base = bytes.startIndex
        func word(_ i: Int) -> UInt64 {
            var value: UInt64 = 0
            for k in 0..<size {
                let byte = UInt64(bytes[base + i * size + (bigEndian ? size - 1 - k : k)])
                value |= byte << (8 * UInt64(k))
            }
            return value
        }
        for i in 0..<n {
            let w = word(i)
            switch self {
            case .f32: out[i] = Float(bitPattern: UInt32(truncatingIfNeeded: w))
            case .f64: out[i] = Float(Double(bitPattern: w))
            case .f16: out[i] = Float(Float16(bitPattern: UInt16(truncatingIfNeeded: w)))
            case .bf16: out[i] = Float(bitPattern: UInt32(truncatingIfNeeded: w) << 16)
            case .i64: out[i] = Float(Int64(bitPattern: w))
            case .i32: out[i] = Float(Int32(truncatingIfNeeded: Int64(bitPattern: w)))
            case .i16: out[i] = Float(Int16(truncatingIfNeeded: Int64(bitPattern: w)))
            case .i8: out[i] = Float(Int8(truncatingIfNeeded: Int64(bitPattern: w)))
            case .u8: out[i] = Float(UInt8(truncatingIfNeeded: w))
            case .bool: out[i] = w == 0 ? 0 : 1
            }
        }
        return out
    }

    /// Float32 values as little-endian bytes (what Huddle writes).
    static func encodeF32(_ values: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 4)
        for v in values {
            let bits = v.bitPattern
            for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(k)))) }
        }
        return out
    }
}

/// Little-endian integers at an offset, for headers.
enum LittleEndian {
    static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    static func bytes(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
