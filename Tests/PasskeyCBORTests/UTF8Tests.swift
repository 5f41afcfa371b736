import PasskeyCBOR
import Testing

/// Text strings must be well-formed UTF-8; errors point at the first byte of the bad sequence.
@Suite struct UTF8Tests {
    /// Wraps `content` in a text-string header.
    func text(_ content: [UInt8]) -> [UInt8] {
        var w = CBORWriter()
        w.writeHead(.text, UInt64(content.count))
        w.writeRaw(content)
        return w.bytes
    }

    @Test(arguments: [
        ([0xc0, 0x80], 0),  // overlong NUL
        ([0xc1, 0xbf], 0),  // overlong
        ([0xe0, 0x80, 0x80], 0),  // overlong 3-byte
        ([0xe0, 0x9f, 0xbf], 0),
        ([0xf0, 0x80, 0x80, 0x80], 0),  // overlong 4-byte
        ([0xf0, 0x8f, 0xbf, 0xbf], 0),
        ([0xed, 0xa0, 0x80], 0),  // U+D800
        ([0xed, 0xbf, 0xbf], 0),  // U+DFFF
        ([0xf4, 0x90, 0x80, 0x80], 0),  // U+110000
        ([0xf5, 0x80, 0x80, 0x80], 0),
        ([0xff], 0), ([0xfe], 0),
        ([0x80], 0),  // lone continuation
        ([0x61, 0xbf], 1),
        ([0xc3], 0),  // truncated 2-byte
        ([0xe6, 0xb0], 0),  // truncated 3-byte
        ([0xf0, 0x90, 0x85], 0),  // truncated 4-byte
        ([0xc3, 0x41], 0),  // missing continuation
        ([0xe6, 0xb0, 0x41], 0),
        ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xc0, 0x80], 9),  // after the ASCII fast path
        ([0x41, 0x42, 0xc3, 0xbc, 0x43, 0xed, 0xa0, 0x80], 5),
    ] as [([UInt8], Int)])
    func rejected(_ content: [UInt8], _ badIndex: Int) {
        let encoded = text(content)
        let headerLength = encoded.count - content.count
        expectFailure(encoded, .invalidUTF8, at: headerLength + badIndex)
        // The same inside a map value, further into the input.
        expectFailure([0xa1, 0x01] + encoded, .invalidUTF8, at: 2 + headerLength + badIndex)
    }

    @Test(arguments: [
        "", "plain ASCII that is longer than eight bytes", "\u{7f}\u{80}\u{7ff}\u{800}\u{fff}\u{d7ff}\u{e000}\u{ffff}",
        "\u{10000}\u{10ffff}", "mixed: caf\u{e9} \u{6c34} \u{1f600} end", "\u{0}",
    ])
    func accepted(_ s: String) throws {
        var w = CBORWriter()
        w.writeText(s)
        try withItem(w.bytes) { (r: CBORReader, item: CBORItem) throws in #expect(try r.string(item) == s) }
    }

    @Test func byteStringsAreNotChecked() throws {
        #expect(throws: Never.self) { try validate(hex("42 c080")).get() }
    }

    /// Agrees with the standard library's validation on every 1- and 2-byte content and on random 3/4-byte ones.
    @Test func agreesWithStandardLibrary() {
        func stdlibValid(_ b: [UInt8]) -> Bool { String(validating: b, as: UTF8.self) != nil }
        func ours(_ b: [UInt8]) -> Bool { (try? validate(text(b)).get()) != nil }
        for a in 0...255 {
            #expect(ours([UInt8(a)]) == stdlibValid([UInt8(a)]))
            for b in 0...255 {
                let s = [UInt8(a), UInt8(b)]
                if ours(s) != stdlibValid(s) { Issue.record("disagree on \(s)") }
            }
        }
        var rng = SplitMix64(seed: 42)
        for _ in 0..<100_000 {
            let n = Int.random(in: 3...6, using: &rng)
            let s = (0..<n).map { _ in UInt8(truncatingIfNeeded: [0xc3, 0xe0, 0xed, 0xf0, 0xf4, 0x80, 0x9f, 0xa0, 0xbf, 0x90, 0x8f, 0x41].randomElement(using: &rng)!) }
            if ours(s) != stdlibValid(s) { Issue.record("disagree on \(s)") }
        }
    }
}
