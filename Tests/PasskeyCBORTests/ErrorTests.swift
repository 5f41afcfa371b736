import PasskeyCBOR
import Testing

/// Every error code with the offset it is reported at.
@Suite struct ErrorTests {
    @Test func emptyInputIsTruncated() {
        expectFailure([], .truncated, at: 0)
    }

    @Test func truncatedArguments() {
        expectFailure(hex("18"), .truncated, at: 0)
        expectFailure(hex("1903"), .truncated, at: 0)
        expectFailure(hex("1a000f42"), .truncated, at: 0)
        expectFailure(hex("1b000000e8d4a510"), .truncated, at: 0)
        expectFailure(hex("f9"), .truncated, at: 0)
        expectFailure(hex("8218"), .lengthExceedsInput, at: 0)  // count 2 with 1 byte left
        expectFailure(hex("82 1820"), .truncated, at: 3)  // second element missing
        expectFailure(hex("82 01 19"), .truncated, at: 2)  // second element's argument cut
        expectFailure(hex("c1"), .truncated, at: 1)  // tag without content
    }

    /// Every proper prefix of a valid item fails (never traps) with `.truncated` or `.lengthExceedsInput`.
    @Test(arguments: [
        "a5 01 02 03 26 20 01 21 58 20 " + String(repeating: "01", count: 32) + " 22 58 20 " + String(repeating: "02", count: 32),
        "a3 63666d74 646e6f6e65 67 6174745374 6d74 a0 68617574684461 7461 43 010203",
        "8301820203820405", "1b000000e8d4a51000", "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        "fb3ff199999999999a", "c1 1a514b67b0", "a2 61 61 81 f5 61 62 f8 ff",
    ])
    func everyPrefixFails(_ encoding: String) throws {
        let full = hex(encoding)
        #expect(throws: Never.self) { try validate(full).get() }
        for n in 0..<full.count {
            let prefix = Array(full[..<n])
            switch validate(prefix) {
            case .success:
                Issue.record("prefix of length \(n) of \(encoding) validated")
            case .failure(let e):
                #expect(e.code == .truncated || e.code == .lengthExceedsInput, "\(e)")
                #expect(e.offset >= 0 && e.offset <= n)
            }
        }
    }

    @Test func hugeDeclaredLengths() {
        // 2^63-byte byte string in a 9-byte input.
        expectFailure(hex("5b 8000000000000000"), .lengthExceedsInput, at: 0)
        expectFailure(hex("5b ffffffffffffffff 00"), .lengthExceedsInput, at: 0)
        expectFailure(hex("7b 7fffffffffffffff 61"), .lengthExceedsInput, at: 0)
        expectFailure(hex("5a 00010000 00"), .lengthExceedsInput, at: 0)
        expectFailure(hex("9b ffffffffffffffff"), .lengthExceedsInput, at: 0)
        expectFailure(hex("9b 8000000000000000 01"), .lengthExceedsInput, at: 0)
        expectFailure(hex("bb ffffffffffffffff 0102"), .lengthExceedsInput, at: 0)
        expectFailure(hex("bb 8000000000000000 0102"), .lengthExceedsInput, at: 0)
        // A map pair needs two bytes: one pair with only 1 byte left.
        expectFailure(hex("a1 01"), .lengthExceedsInput, at: 0)
        // Nested: the inner string is checked against the bytes left in the whole input.
        expectFailure(hex("82 01 45 0102"), .lengthExceedsInput, at: 2)
        expectFailure(hex("44 010203"), .lengthExceedsInput, at: 0)
    }

    @Test func lengthErrorDescribesNumbers() {
        guard case .failure(let e) = validate(hex("5b 0000000100000000 000102")) else {
            Issue.record("expected failure")
            return
        }
        #expect(e.description == "malformed CBOR at byte 0: declared length 4294967296 exceeds the 3 bytes left")
        guard case .failure(let c) = validate(hex("81 9a 00010000 01")) else {
            Issue.record("expected failure")
            return
        }
        #expect(c.description == "malformed CBOR at byte 1: declared count 65536 exceeds the 1 bytes left")
    }

    @Test func nesting() {
        let limits = CBORLimits(maxDepth: 4, maxItems: 100)
        // Depth 4: [[[[]]]] and [[[1]]] are fine.
        #expect(throws: Never.self) { try validate(hex("81818180"), limits: limits).get() }
        #expect(throws: Never.self) { try validate(hex("81818101"), limits: limits).get() }
        // Depth 5: reported at the first item that is too deep.
        expectFailure(hex("8181818180"), .nestingTooDeep, at: 4, limits: limits)
        expectFailure(hex("8181818101"), .nestingTooDeep, at: 4, limits: limits)
        // Tags and maps nest too.
        expectFailure(hex("c1 c1 c1 c1 01"), .nestingTooDeep, at: 4, limits: limits)
        expectFailure(hex("a1 01 a1 01 a1 01 81 01"), .nestingTooDeep, at: 7, limits: limits)
        expectFailure(hex("a1 81 81 81 01 01"), .nestingTooDeep, at: 4, limits: limits)  // in a key
        // maxDepth 1: only scalars and empty containers.
        let flat = CBORLimits(maxDepth: 1, maxItems: 10)
        #expect(throws: Never.self) { try validate(hex("80"), limits: flat).get() }
        expectFailure(hex("8101"), .nestingTooDeep, at: 1, limits: flat)
        expectFailure(hex("01"), .nestingTooDeep, at: 0, limits: CBORLimits(maxDepth: 0, maxItems: 10))
    }

    @Test func defaultDepthIsSixteen() {
        let ok = [UInt8](repeating: 0x81, count: 15) + [0x01]  // 16 levels
        #expect(throws: Never.self) { try validate(ok).get() }
        let deep = [UInt8](repeating: 0x81, count: 16) + [0x01]  // 17 levels
        expectFailure(deep, .nestingTooDeep, at: 16)
        let veryDeep = [UInt8](repeating: 0x81, count: 100_000) + [0x01]
        expectFailure(veryDeep, .nestingTooDeep, at: 16)
    }

    @Test func hugeDepthLimitDoesNotOverflowTheStack() throws {
        let deep = [UInt8](repeating: 0x81, count: 200_000) + [0x01]
        let limits = CBORLimits(maxDepth: .max, maxItems: .max)
        let item = try validate(deep, limits: limits).get()
        #expect(item.end == deep.count)
    }

    @Test func tooManyItems() {
        let limits = CBORLimits(maxDepth: 16, maxItems: 4)
        #expect(throws: Never.self) { try validate(hex("83010203"), limits: limits).get() }
        expectFailure(hex("8401020304"), .tooManyItems, at: 4, limits: limits)
        expectFailure(hex("a2 01 02 03 04"), .tooManyItems, at: 4, limits: limits)
        // Default: 4096 items in total.
        var w = CBORWriter()
        w.beginArray(4095)
        for _ in 0..<4095 { w.writeNull() }
        #expect(throws: Never.self) { try validate(w.bytes).get() }
        var w2 = CBORWriter()
        w2.beginArray(4096)
        for _ in 0..<4096 { w2.writeNull() }
        expectFailure(w2.bytes, .tooManyItems, at: 3 + 4095)
    }

    @Test func indefiniteAnywhere() {
        for b: UInt8 in [0x1f, 0x3f, 0x5f, 0x7f, 0x9f, 0xbf, 0xdf, 0xff] {
            expectFailure([b, 0x00, 0x00], .indefiniteLength, at: 0)
            expectFailure([0x82, 0x00, b, 0xff], .indefiniteLength, at: 2)
        }
    }

    @Test func reservedAdditionalInfo() {
        for major: UInt8 in 0..<8 {
            for ai: UInt8 in 28...30 {
                expectFailure([major << 5 | ai, 0, 0, 0, 0, 0, 0, 0, 0], .reservedAdditionalInfo, at: 0)
            }
        }
        expectFailure(hex("a1 01 1c"), .reservedAdditionalInfo, at: 2)
    }

    @Test func nonMinimalEncodings() {
        expectFailure(hex("1805"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("1817"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("190010"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("1900ff"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("1a0000ffff"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("1b00000000ffffffff"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("3800"), .nonMinimalEncoding, at: 0)
        expectFailure(hex("5801 00"), .nonMinimalEncoding, at: 0)  // byte length
        expectFailure(hex("7801 61"), .nonMinimalEncoding, at: 0)  // text length
        expectFailure(hex("9800"), .nonMinimalEncoding, at: 0)  // array count
        expectFailure(hex("b800"), .nonMinimalEncoding, at: 0)  // map count
        expectFailure(hex("d801 00"), .nonMinimalEncoding, at: 0)  // tag number
        expectFailure(hex("82 01 1801"), .nonMinimalEncoding, at: 2)
        // The boundaries themselves are minimal.
        for ok in ["1818", "190100", "1a00010000", "1b0000000100000000", "38ff", "f90000", "fa00000000", "fb0000000000000000"] {
            #expect(throws: Never.self) { try validate(hex(ok)).get() }
        }
    }

    @Test func invalidSimpleValues() {
        for v: UInt8 in 0..<32 {
            expectFailure([0xf8, v], .invalidSimpleValue, at: 0)
        }
        expectFailure(hex("81 f810"), .invalidSimpleValue, at: 1)
        #expect(throws: Never.self) { try validate(hex("f820")).get() }
    }

    @Test func trailingBytes() throws {
        expectFailure(hex("0100"), .trailingBytes, at: 1)
        expectFailure(hex("83010203 ff"), .trailingBytes, at: 4)
        guard case .failure(let e) = validate(hex("01 0203")) else {
            Issue.record("expected failure")
            return
        }
        #expect(e.description == "malformed CBOR at byte 1: 2 trailing bytes after the top-level item")
    }

    @Test func readItemAtOffsetReportsEnd() throws {
        // A COSE-key-like map followed by extension bytes, as in authenticator data.
        let bytes = hex("ff ff a2 01 02 03 26 a1 6b 6372656450726f74656374 02")
        try CBORReader.withReader(bytes) { r in
            let first = try r.readItem(at: 2)
            #expect(first.type == .map && first.start == 2 && first.end == 7)
            let second = try r.readItem(at: first.end)
            #expect(second.type == .map && second.end == bytes.count)
            #expect(try r.value(in: second, textKey: "credProtect").map { try r.int($0) } == 2)
            #expect(throws: CBORError(.indefiniteLength, at: 0)) { try r.readItem(at: 0) }
            #expect(throws: CBORError(.truncated, at: bytes.count)) { try r.readItem(at: bytes.count) }
            #expect(throws: CBORError(.truncated, at: bytes.count + 5)) { try r.readItem(at: bytes.count + 5) }
        }
    }

    @Test func errorEqualityIsByCodeAndOffset() {
        #expect(CBORError(.truncated, at: 3) == CBORError(.truncated, at: 3))
        #expect(CBORError(.truncated, at: 3) != CBORError(.truncated, at: 4))
        #expect(CBORError(.truncated, at: 3) != CBORError(.trailingBytes, at: 3))
        #expect(Set([CBORError(.truncated, at: 3), CBORError(.truncated, at: 3)]).count == 1)
        #expect(CBORError(.duplicateMapKey, at: 17).description == "malformed CBOR at byte 17: duplicate map key")
    }
}
