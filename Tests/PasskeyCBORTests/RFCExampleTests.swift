import PasskeyCBOR
import Testing

/// RFC 8949 Appendix A examples that are valid under the strict (CTAP2) rules.
@Suite struct RFCExampleTests {
    @Test(arguments: [
        ("00", Int64(0)), ("01", 1), ("0a", 10), ("17", 23), ("1818", 24), ("1819", 25), ("1864", 100),
        ("1903e8", 1000), ("1a000f4240", 1_000_000), ("1b000000e8d4a51000", 1_000_000_000_000),
        ("20", -1), ("29", -10), ("3863", -100), ("3903e7", -1000),
        ("1b7fffffffffffffff", Int64.max), ("3b7fffffffffffffff", Int64.min),
    ])
    func integers(_ encoding: String, _ value: Int64) throws {
        let bytes = hex(encoding)
        let item = try validate(bytes).get()
        #expect(item.start == 0 && item.end == bytes.count)
        let decoded = try CBORReader.withReader(bytes) { try $0.int(item) }
        #expect(decoded == value)
    }

    @Test func largestUnsignedAndNegative() throws {
        let big = hex("1bffffffffffffffff")
        let item = try validate(big).get()
        #expect(item.type == .unsigned && item.argument == UInt64.max)
        #expect(throws: CBORError(.integerOverflow, at: 0)) { try CBORReader.withReader(big) { try $0.int(item) } }
        #expect(try CBORReader.withReader(big) { try $0.unsigned(item) } == UInt64.max)

        let neg = hex("3bffffffffffffffff")  // -18446744073709551616
        let negItem = try validate(neg).get()
        #expect(negItem.type == .negative && negItem.argument == UInt64.max)
        #expect(throws: CBORError(.integerOverflow, at: 0)) { try CBORReader.withReader(neg) { try $0.int(negItem) } }
        // One past Int64.min.
        let below = hex("3b8000000000000000")
        let belowItem = try validate(below).get()
        #expect(throws: CBORError(.integerOverflow, at: 0)) { try CBORReader.withReader(below) { try $0.int(belowItem) } }
    }

    @Test(arguments: [
        ("f90000", 0.0), ("f93c00", 1.0), ("f93e00", 1.5), ("f97bff", 65504.0), ("fa47c35000", 100000.0),
        ("fb3ff199999999999a", 1.1), ("f9c400", -4.0), ("f97c00", Double.infinity), ("f90001", 5.960464477539063e-8),
        ("fa7f7fffff", 3.4028234663852886e+38), ("fbc010666666666666", -4.1),
    ])
    func floats(_ encoding: String, _ value: Double) throws {
        let bytes = hex(encoding)
        let item = try validate(bytes).get()
        #expect(item.type == .simple)
        #expect(try CBORReader.withReader(bytes) { try $0.double(item) } == value)
    }

    @Test func floatNaN() throws {
        let bytes = hex("f97e00")
        let item = try validate(bytes).get()
        #expect(try CBORReader.withReader(bytes) { try $0.double(item) }.isNaN)
        #expect(item.argument == 0x7E00)
    }

    @Test func simpleValues() throws {
        try withItem(hex("f4")) { (r: CBORReader, item: CBORItem) throws in #expect(try r.bool(item) == false) }
        try withItem(hex("f5")) { (r: CBORReader, item: CBORItem) throws in #expect(try r.bool(item) == true) }
        try withItem(hex("f6")) { (r: CBORReader, item: CBORItem) throws in #expect(r.isNull(item)) }
        try CBORReader.withReader(hex("f7")) { r in
            let item = try r.readSingleItem()
            #expect(!r.isNull(item) && item.additionalInfo == 23)
        }
        #expect(try validate(hex("f0")).get().argument == 16)
        let f8ff = try validate(hex("f8ff")).get()
        #expect(f8ff.argument == 255 && f8ff.additionalInfo == 24 && f8ff.end == 2)
    }

    @Test func tags() throws {
        let epoch = hex("c11a514b67b0")
        try CBORReader.withReader(epoch) { r in
            let item = try r.readSingleItem()
            #expect(item.type == .tag && item.argument == 1 && item.contentStart == 1 && item.end == 6)
            #expect(try r.int(r.tagContent(item)) == 1_363_896_240)
        }
        let uri = hex("d82076687474703a2f2f7777772e6578616d706c652e636f6d")
        try CBORReader.withReader(uri) { r in
            let item = try r.readSingleItem()
            #expect(item.argument == 32)
            #expect(try r.string(r.tagContent(item)) == "http://www.example.com")
        }
        let bytesTag = hex("d74401020304")
        try CBORReader.withReader(bytesTag) { r in
            let item = try r.readSingleItem()
            #expect(Array(try r.bytes(r.tagContent(item))) == [1, 2, 3, 4])
        }
    }

    @Test(arguments: [
        ("60", ""), ("6161", "a"), ("6449455446", "IETF"), ("62225c", "\"\\"), ("62c3bc", "\u{00fc}"),
        ("63e6b0b4", "\u{6c34}"), ("64f0908591", "\u{10151}"),
    ])
    func text(_ encoding: String, _ value: String) throws {
        let bytes = hex(encoding)
        try CBORReader.withReader(bytes) { r in
            let item = try r.readSingleItem()
            #expect(try r.string(item) == value)
            #expect(Array(try r.textBytes(item)) == Array(value.utf8))
            #expect(item.argument == UInt64(value.utf8.count))
        }
    }

    @Test func byteStrings() throws {
        try withItem(hex("40")) { (r: CBORReader, item: CBORItem) throws in #expect(try r.bytes(item).isEmpty) }
        try CBORReader.withReader(hex("4401020304")) { r in
            let item = try r.readSingleItem()
            #expect(Array(try r.bytes(item)) == [1, 2, 3, 4])
            #expect(item.contentStart == 1 && item.end == 5 && item.encodedLength == 5)
        }
    }

    @Test func arrays() throws {
        try withItem(hex("80")) { (r: CBORReader, item: CBORItem) throws in #expect(Array(try r.elements(of: item)).isEmpty) }
        try CBORReader.withReader(hex("83010203")) { r in
            let values = try r.elements(of: r.readSingleItem()).map { try r.int($0) }
            #expect(values == [1, 2, 3])
        }
        // [1, [2, 3], [4, 5]]
        try CBORReader.withReader(hex("8301820203820405")) { r in
            let outer = Array(try r.elements(of: r.readSingleItem()))
            #expect(outer.count == 3)
            #expect(try r.int(outer[0]) == 1)
            #expect(try r.elements(of: outer[1]).map { try r.int($0) } == [2, 3])
            #expect(try r.elements(of: outer[2]).map { try r.int($0) } == [4, 5])
            #expect(outer[1].start == 2 && outer[1].end == 5 && outer[2].end == 8)
        }
        // [1, 2, ..., 25]
        let long = hex("98190102030405060708090a0b0c0d0e0f101112131415161718181819")
        try CBORReader.withReader(long) { r in
            let item = try r.readSingleItem()
            #expect(item.argument == 25 && item.contentStart == 2)
            #expect(try r.elements(of: item).map { try r.int($0) } == Array(1...25))
        }
    }

    @Test func maps() throws {
        try withItem(hex("a0")) { (r: CBORReader, item: CBORItem) throws in #expect(Array(try r.entries(of: item)).isEmpty) }
        // {1: 2, 3: 4}
        try CBORReader.withReader(hex("a201020304")) { r in
            let pairs = try r.entries(of: r.readSingleItem()).map { (try r.int($0.key), try r.int($0.value)) }
            #expect(pairs.map(\.0) == [1, 3] && pairs.map(\.1) == [2, 4])
        }
        // {"a": 1, "b": [2, 3]}
        try CBORReader.withReader(hex("a26161016162820203")) { r in
            let map = try r.readSingleItem()
            #expect(try r.value(in: map, textKey: "a").map { try r.int($0) } == 1)
            let b = try #require(try r.value(in: map, textKey: "b"))
            #expect(try r.elements(of: b).map { try r.int($0) } == [2, 3])
        }
        // ["a", {"b": "c"}]
        try CBORReader.withReader(hex("826161a161626163")) { r in
            let items = Array(try r.elements(of: r.readSingleItem()))
            #expect(try r.string(items[0]) == "a")
            #expect(try r.value(in: items[1], textKey: "b").map { try r.string($0) } == "c")
        }
        // {"a": "A", ..., "e": "E"}
        try CBORReader.withReader(hex("a56161614161626142616361436164614461656145")) { r in
            let map = try r.readSingleItem()
            for (k, v) in zip(["a", "b", "c", "d", "e"], ["A", "B", "C", "D", "E"]) {
                #expect(try r.value(in: map, textKey: k).map { try r.string($0) } == v)
            }
        }
    }

    @Test(arguments: ["5f42010243030405ff", "7f657374726561646d696e67ff", "9fff", "bfff", "9f018202039f0405ffff"])
    func indefiniteExamplesRejected(_ encoding: String) {
        expectFailure(hex(encoding), .indefiniteLength, at: 0)
    }
}
