import PasskeyCBOR
import Testing

/// CBORWriter output read back by CBORReader; the writer always picks the shortest form.
@Suite struct RoundTripTests {
    @Test(arguments: [
        (UInt64(0), 1), (23, 1), (24, 2), (255, 2), (256, 3), (65535, 3), (65536, 5),
        (0xFFFF_FFFF, 5), (0x1_0000_0000, 9), (UInt64.max, 9),
    ])
    func unsigned(_ value: UInt64, _ length: Int) throws {
        var w = CBORWriter()
        w.writeUnsigned(value)
        #expect(w.bytes.count == length)
        try CBORReader.withReader(w.bytes) { r in
            let item = try r.readSingleItem()
            #expect(item.type == .unsigned && item.argument == value)
            #expect(try r.unsigned(item) == value)
        }
    }

    @Test(arguments: [
        (Int64(0), 1), (-1, 1), (-24, 1), (-25, 2), (-256, 2), (-257, 3), (-65536, 3), (-65537, 5),
        (-4_294_967_296, 5), (-4_294_967_297, 9), (Int64.min, 9), (Int64.max, 9), (1000, 3), (-1000, 3),
    ])
    func signed(_ value: Int64, _ length: Int) throws {
        var w = CBORWriter()
        w.writeInt(value)
        #expect(w.bytes.count == length)
        try withItem(w.bytes) { (r: CBORReader, item: CBORItem) throws in #expect(try r.int(item) == value) }
    }

    @Test(arguments: [0, 1, 23, 24, 255, 256, 65535, 65536])
    func byteAndTextStrings(_ length: Int) throws {
        let content = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 95 + 32) }
        let text = String(decoding: content, as: UTF8.self)
        var w = CBORWriter()
        w.beginArray(2)
        w.writeBytes(content)
        w.writeText(text)
        let headerLength = length < 24 ? 1 : length < 256 ? 2 : length < 65536 ? 3 : 5
        #expect(w.bytes.count == 1 + 2 * (headerLength + length))
        try CBORReader.withReader(w.bytes) { r in
            let items = Array(try r.elements(of: r.readSingleItem()))
            #expect(Array(try r.bytes(items[0])) == content)
            #expect(try r.string(items[1]) == text)
            #expect(items[0].contentStart - items[0].start == headerLength)
        }
    }

    @Test func everyKindNested() throws {
        var w = CBORWriter()
        w.beginMap(4)
        w.writeInt(1)
        w.beginArray(9)
        w.writeBool(true); w.writeBool(false); w.writeNull(); w.writeUndefined()
        w.writeSimple(5); w.writeSimple(200); w.writeDouble(-2.5); w.writeFloat(0.25)
        w.writeTag(24); w.writeBytes([0xA0])
        w.writeText("k")
        w.beginMap(1); w.writeInt(-1); w.beginArray(0)
        w.writeInt(-100)
        var inner = CBORWriter()
        inner.beginArray(2); inner.writeText("raw"); inner.writeInt(7)
        w.writeRaw(inner.bytes)
        w.writeText(""); w.writeBytes([])
        try CBORReader.withReader(w.bytes) { r in
            let map = try r.readSingleItem()
            #expect(map.end == w.bytes.count)
            let list = Array(try r.elements(of: try #require(try r.value(in: map, intKey: 1))))
            #expect(list.count == 9)
            #expect(try r.bool(list[0]) && !(try r.bool(list[1])) && r.isNull(list[2]))
            #expect(list[3].additionalInfo == 23)
            #expect(list[4].type == .simple && list[4].argument == 5 && list[4].encodedLength == 1)
            #expect(list[5].argument == 200 && list[5].encodedLength == 2)
            #expect(try r.double(list[6]) == -2.5 && list[6].encodedLength == 9)
            #expect(try r.double(list[7]) == 0.25 && list[7].encodedLength == 5)
            #expect(try list[8].argument == 24 && Array(r.bytes(r.tagContent(list[8]))) == [0xA0])
            let k = try #require(try r.value(in: map, textKey: "k"))
            let empty = try #require(try r.value(in: k, intKey: -1))
            #expect(empty.type == .array && empty.argument == 0)
            let raw = Array(try r.elements(of: try #require(try r.value(in: map, intKey: -100))))
            #expect(try r.string(raw[0]) == "raw" && (try r.int(raw[1])) == 7)
            #expect(try r.bytes(try #require(try r.value(in: map, textKey: ""))).isEmpty)
            var again = CBORWriter()
            try reencode(r, map, into: &again)
            #expect(again.bytes == w.bytes)
        }
    }

    @Test func countsUseShortestForm() {
        var w = CBORWriter()
        w.beginArray(23); #expect(w.bytes == [0x97])
        w = CBORWriter(); w.beginArray(24); #expect(w.bytes == [0x98, 24])
        w = CBORWriter(); w.beginMap(256); #expect(w.bytes == [0xb9, 1, 0])
        w = CBORWriter(); w.writeTag(0x1_0000); #expect(w.bytes == [0xda, 0, 1, 0, 0])
        w = CBORWriter(); w.writeSimple(32); #expect(w.bytes == [0xf8, 32])
        w = CBORWriter(); w.writeInt(-1000); #expect(w.bytes == hex("3903e7"))
        w = CBORWriter(); w.writeText("IETF"); #expect(w.bytes == hex("6449455446"))
    }
}
