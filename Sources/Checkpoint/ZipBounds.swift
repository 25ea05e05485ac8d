/// Checks, before ZIPFoundation reads a .npz, that everything it will seek to or read
/// lies inside the file.
///
/// Why: ZIPFoundation reads an entry by asking for its size in chunks from where its data
/// starts, and a read past the end of the file gives nothing rather than an error, so an
/// entry claiming more bytes than the file holds is read for ever; and it converts the
/// offsets it reads to `off_t` unchecked, so an offset past Int64.max traps. The checkpoint
/// fuzzer found both in files of a few hundred bytes. The values come from the central
/// directory, a zip64 record and zip64 extra fields, which its public `Entry` does not
/// show, so the directory is walked here the way ZIPFoundation 0.9 walks it (the end
/// record found from the end of the file; a zip64 record taken from just before its
/// locator; each entry's sizes and offset from its directory record or its zip64 extra
/// field). Where its choice among those values is hard to follow, every candidate must
/// fit: a .npz small enough to read (256 MiB) has no size or offset near 2³².
enum ZipBounds {
    /// nil when every directory record, local header and entry's data lies within
    /// `bytes`; else what is wrong, for the message.
    static func problem(in bytes: [UInt8]) -> String? {
        let end = UInt64(bytes.count)
        /// Whether `length` bytes from `offset` lie in the file (no arithmetic that can trap).
        func fits(_ offset: UInt64, _ length: UInt64) -> Bool { offset <= end && end - offset >= length }
        guard let eocd = lastSignature(0x0605_4B50, in: bytes, minimumLength: 22) else {
            return nil  // not a zip archive: ZIPFoundation refuses it with its own message
        }
        var count = UInt64(uint16(bytes, eocd + 10)), directory = UInt64(uint32(bytes, eocd + 16))
        // ZIPFoundation takes the zip64 record from just before its locator, whatever the
        // end record says.
        let locator = eocd - 20, record = locator - 56
        if record >= 0, uint32(bytes, locator) == 0x0706_4B50, uint32(bytes, record) == 0x0606_4B50 {
            count = uint64(bytes, record + 32)
            directory = uint64(bytes, record + 48)
        }
        var at = directory
        var index: UInt64 = 0
        while index < count {
            index += 1
            guard fits(at, 46), uint32(bytes, Int(at)) == 0x0201_4B50 else {
                return "its directory entry \(index) is outside the file"
            }
            let p = Int(at)
            let directoryMethod = uint16(bytes, p + 10)
            let compressed32 = UInt64(uint32(bytes, p + 20)), uncompressed32 = UInt64(uint32(bytes, p + 24))
            let offset32 = UInt64(uint32(bytes, p + 42))
            let (nameLength, extraLength, commentLength) = (Int(uint16(bytes, p + 28)), Int(uint16(bytes, p + 30)), Int(uint16(bytes, p + 32)))
            let next = at + 46 + UInt64(nameLength + extraLength + commentLength)
            guard next <= end else { return "its directory entry \(index) runs past the end of the file" }
            // Every 8-byte value of a zip64 extra field (id 1) may be taken for a size or the offset.
            var wide: [UInt64] = []
            var extra = p + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let (id, size) = (uint16(bytes, extra), Int(uint16(bytes, extra + 2)))
                if id == 1 {
                    var field = extra + 4
                    while field + 8 <= min(extra + 4 + size, extraEnd) { wide.append(uint64(bytes, field)); field += 8 }
                }
                extra += 4 + size
            }
            // A 32-bit size of 0xFFFFFFFF marks one given in the extra field.
            func largest(_ size32: UInt64) -> UInt64 {
                ((size32 == 0xFFFF_FFFF && !wide.isEmpty ? [] : [size32]) + wide).max() ?? size32
            }
            let compressed = largest(compressed32), uncompressed = largest(uncompressed32)
            // The offset is taken from the extra field only when the record marks it so.
            let offsets = Set(offset32 == 0xFFFF_FFFF && !wide.isEmpty ? wide : [offset32])
            for offset in offsets {
                guard fits(offset, 30) else { return "its entry \(index) starts outside the file" }
            }
            for offset in offsets where uint32(bytes, Int(offset)) == 0x0403_4B50 {
                let local = Int(offset)
                let localMethod = uint16(bytes, local + 8)
                let dataStart = offset + 30 + UInt64(uint16(bytes, local + 26)) + UInt64(uint16(bytes, local + 28))
                // A stored entry is read for its uncompressed size, a deflated one for its
                // compressed size; the two records may disagree on which it is.
                let read = directoryMethod == 0 || localMethod == 0 ? max(compressed, uncompressed) : compressed
                guard fits(dataStart, read) else {
                    let left = end - min(dataStart, end)
                    return "its entry \(index) says it holds \(read) bytes, but only \(left) bytes of the file follow where it starts"
                }
            }
            at = next
        }
        return nil
    }

    /// The last place `signature` (little-endian) starts with at least `minimumLength`
    /// bytes from there to the end, searched back to the start of the file as ZIPFoundation does.
    private static func lastSignature(_ signature: UInt32, in bytes: [UInt8], minimumLength: Int) -> Int? {
        guard bytes.count >= minimumLength else { return nil }
        var p = bytes.count - minimumLength
        while p >= 0 {
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
