import Testing
@testable import REPL

/// The keyboard's bytes to scalars: every valid sequence, the invalid ones the
/// standard names (overlong forms, surrogates, past U+10FFFF, stray continuations), and
/// no byte read that the key does not need.
struct KeyDecoderTests {
    func keys(_ bytes: [UInt8]) -> [KeyDecoder.Key] {
        var decoder = KeyDecoder(), rest = bytes[...], keys: [KeyDecoder.Key] = []
        while true {
            let key = decoder.next { rest.popFirst() }
            if key == .end { return keys }
            keys.append(key)
        }
    }

    @Test func everyScalarRoundTrips() {
        for value in stride(from: 0, through: 0x10FFFF, by: 7) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            #expect(keys(Array(String(scalar).utf8)) == [.scalar(scalar)], "U+\(String(value, radix: 16))")
        }
        #expect(keys(Array("é Δ 🙂\r".utf8)) == "é Δ 🙂\r".unicodeScalars.map { .scalar($0) })
    }

    @Test(arguments: [
        ([0x80], 1), ([0xFF], 1), ([0xC0, 0xAF], 2), ([0xE0, 0x80, 0xAF], 3), ([0xED, 0xA0, 0x80], 3),
        ([0xF4, 0x90, 0x80, 0x80], 4), ([0xF5, 0x80], 2),
    ] as [([UInt8], Int)])
    func invalidSequencesAreInvalid(bytes: [UInt8], atMost: Int) {
        let decoded = keys(bytes)
        #expect(decoded.first == .invalid)
        #expect(!decoded.contains { if case .scalar(let s) = $0 { s.value > 0x7F } else { false } })
        #expect(decoded.count <= atMost)
    }

    /// A broken sequence before Enter: the Enter is kept, so the line still ends.
    @Test func aByteThatBreaksASequenceStartsTheNextKey() {
        #expect(keys([0xC3, 0x0D]) == [.invalid, .scalar("\r")])
        #expect(keys([0xE2, 0xC3, 0xA9]) == [.invalid, .scalar("é")])
    }

    /// A lead byte alone is not waited past: only the bytes it announces are read.
    @Test func readsNoMoreThanTheKeyNeeds() {
        var decoder = KeyDecoder(), reads = 0
        let bytes: [UInt8] = [0x61, 0xCE, 0x94]
        #expect(decoder.next { reads += 1; return bytes[reads - 1] } == .scalar("a"))
        #expect(reads == 1)
        #expect(decoder.next { reads += 1; return bytes[reads - 1] } == .scalar("Δ"))
        #expect(reads == 3)
    }
}
