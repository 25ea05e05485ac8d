/// Turns the bytes of typed keys into Unicode scalars, one key at a time, reading no
/// byte that the key does not need — a terminal sends a key's bytes and then waits, so
/// a decoder that reads ahead (Swift's `UTF8` fills four bytes) would wait with it.
/// A byte that cannot start or continue a UTF-8 sequence gives `.invalid`; a byte that
/// broke a sequence but can start one is kept for the next key.
public struct KeyDecoder {
    public enum Key: Equatable {
        case scalar(Unicode.Scalar)
        case invalid
        case end
    }

    private var pending: UInt8?

    public init() {}

    /// The next key; `read` gives the next byte, nil at the end of input.
    public mutating func next(_ read: () -> UInt8?) -> Key {
        guard let lead = pending.take() ?? read() else { return .end }
        let (count, low, high): (Int, UInt8, UInt8)
        switch lead {
        case 0x00...0x7F: return .scalar(Unicode.Scalar(lead))
        case 0xC2...0xDF: (count, low, high) = (1, 0x80, 0xBF)
        case 0xE0: (count, low, high) = (2, 0xA0, 0xBF)  // not overlong
        case 0xED: (count, low, high) = (2, 0x80, 0x9F)  // not a surrogate
        case 0xE1...0xEF: (count, low, high) = (2, 0x80, 0xBF)
        case 0xF0: (count, low, high) = (3, 0x90, 0xBF)
        case 0xF4: (count, low, high) = (3, 0x80, 0x8F)  // not past U+10FFFF
        case 0xF1...0xF3: (count, low, high) = (3, 0x80, 0xBF)
        default: return .invalid
        }
        var value = UInt32(lead) & (0x7F >> UInt32(count + 1))
        for i in 0..<count {
            guard let byte = read() else { return .invalid }
            let range = i == 0 ? low...high : 0x80...0xBF
            guard range.contains(byte) else {
                if byte < 0x80 || byte >= 0xC2 { pending = byte }  // it may start the next key
                return .invalid
            }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return Unicode.Scalar(value).map(Key.scalar) ?? .invalid
    }
}
