/// Checks, before ZIPFoundation reads a .npz, that every entry's data lies inside the file.
///
/// Why: ZIPFoundation reads an entry by asking for its size in chunks from where its data
/// starts, and a read past the end of the file gives nothing rather than an error, so an
/// entry claiming more bytes than the file holds is read for ever (the checkpoint fuzzer
/// found two such files of 404 bytes). It takes the sizes from the central directory —
/// or its zip64 extra field — which its public `Entry` does not show (`compressedSize`
/// may come from a data descriptor instead); so the directory is walked here, from the
/// end-of-directory record, as the zip format (APPNOTE 4.3) lays it out.
enum ZipBounds {
    /// nil when every entry's data, as the directory places and sizes it, ends within
    /// `bytes`; else what is wrong, for the message.
    static func problem(in bytes: [UInt8]) -> String? {
        let end = bytes.count
        /// Whether `length` bytes from `offset` lie in the file (no arithmetic that can trap).
        func fits(_ offset: UInt64, _ length: Int) -> Bool { offset <= UInt64(end) && UInt64(end) - offset >= UInt64(length) }
        guard let eocd = lastSignature(0x0605_4B50, in: bytes, minimumLength: 22) else {
            return nil  // not a zip archive: ZIPFoundation refuses it with its own message
        }
        var count = UInt64(uint16(bytes, eocd + 10)), directory = UInt64(uint32(bytes, eocd + 16))
        if count == 0xFFFF || directory == 0xFFFF_FFFF {
            // zip64: the locator just before the record points at the zip64 record.
            let locator = eocd - 20
            guard locator >= 0, uint32(bytes, locator) == 0x0706_4B50 else { return "its zip64 directory is missing" }
            let record = uint64(bytes, locator + 8)
            guard fits(record, 56), uint32(bytes, Int(record)) == 0x0606_4B50 else {
                return "its zip64 directory record is outside the file"
            }
            count = uint64(bytes, Int(record) + 32)
            directory = uint64(bytes, Int(record) + 48)
        }
        var at = directory
        for index in 0..<count {
            guard fits(at, 46), uint32(bytes, Int(at)) == 0x0201_4B50 else {
                return "its directory entry \(index + 1) is outside the file"
            }
            let p = Int(at)
            let method = uint16(bytes, p + 10)
            var compressed = UInt64(uint32(bytes, p + 20)), uncompressed = UInt64(uint32(bytes, p + 24))
            var offset = UInt64(uint32(bytes, p + 42))
            let (nameLength, extraLength, commentLength) = (Int(uint16(bytes, p + 28)), Int(uint16(bytes, p + 30)), Int(uint16(bytes, p + 32)))
            let next = UInt64(p + 46 + nameLength + extraLength + commentLength)
            guard next <= UInt64(end) else { return "its directory entry \(index + 1) runs past the end of the file" }
            // The zip64 extra field (id 1) holds, in this order, each size marked 0xFFFFFFFF.
            var extra = p + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let (id, size) = (uint16(bytes, extra), Int(uint16(bytes, extra + 2)))
                var field = extra + 4
                let fieldEnd = min(field + size, extraEnd)
                if id == 1 {
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= fieldEnd { uncompressed = uint64(bytes, field); field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= fieldEnd { compressed = uint64(bytes, field); field += 8 }
                    if offset == 0xFFFF_FFFF, field + 8 <= fieldEnd { offset = uint64(bytes, field) }
                }
                extra += 4 + size
            }
            guard fits(offset, 30), uint32(bytes, Int(offset)) == 0x0403_4B50 else {
                return "its entry \(index + 1) starts outside the file"
            }
            let local = Int(offset)
            let dataStart = UInt64(local + 30 + Int(uint16(bytes, local + 26)) + Int(uint16(bytes, local + 28)))
            // A stored entry is read for its uncompressed size, a deflated one for its compressed size.
            let read = method == 0 ? max(compressed, uncompressed) : compressed
            guard fits(dataStart, 0), read <= UInt64(end) - dataStart else {
                return "its entry \(index + 1) says it holds \(read) bytes, but only \(UInt64(end) - min(dataStart, UInt64(end))) bytes of the file follow where it starts"
            }
            at = next
        }
        return nil
    }

    /// The last place `signature` (little-endian) starts with at least `minimumLength` bytes after it.
    private static func lastSignature(_ signature: UInt32, in bytes: [UInt8], minimumLength: Int) -> Int? {
        guard bytes.count >= minimumLength else { return nil }
        // The end record is at most 22 bytes plus a comment of up to 65,535 from the end.
        let lowest = max(0, bytes.count - minimumLength - 0xFFFF)
        var p = bytes.count - minimumLength
        while p >= lowest {
            if uint32(bytes, p) == signature { return p }
            p -= 1
        }
        return nil
    }

    private static func uint16(_ b: [UInt8], _ p: Int) -> UInt16 {
        p >= 0 && p + 2 <= b.count ? UInt16(b[p]) | UInt16(b[p + 1]) << 8 : 0
    }

    private static func uint32(_ b: [UInt8], _ p: Int) -> UInt32 {
        p >= 0 && p + 4 <= b.count ? UInt32(uint16(b, p)) | UInt32(uint16(b, p + 2)) << 16 : 0
    }

    private static func uint64(_ b: [UInt8], _ p: Int) -> UInt64 {
        p >= 0 && p + 8 <= b.count ? UInt64(uint32(b, p)) | UInt64(uint32(b, p + 4)) << 32 : 0
    }
}
