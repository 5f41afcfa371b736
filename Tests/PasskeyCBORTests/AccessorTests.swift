import PasskeyCBOR
import Testing

/// Typed accessors: right and wrong types, views and raw encodings.
@Suite struct AccessorTests {
    /// [h'0102', "hi", 5, -5, true, null, [], {}, 6(0), 1.5]
    static let sample = hex("8a 420102 626869 05 24 f5 f6 80 a0 c600 f93e00")

    @Test func rightTypes() throws {
        try CBORReader.withReader(Self.sample) { r in
            let items = Array(try r.elements(of: r.readSingleItem()))
            #expect(items.count == 10)
            #expect(Array(try r.bytes(items[0])) == [1, 2])
            #expect(Array(try r.textBytes(items[1])) == Array("hi".utf8))
            #expect(try r.string(items[1]) == "hi")
            #expect(try r.int(items[2]) == 5 && (try r.unsigned(items[2])) == 5)
            #expect(try r.int(items[3]) == -5)
            #expect(try r.bool(items[4]))
            #expect(r.isNull(items[5]) && !r.isNull(items[4]))
            #expect(Array(try r.elements(of: items[6])).isEmpty)
            #expect(Array(try r.entries(of: items[7])).isEmpty)
            #expect(try r.int(r.tagContent(items[8])) == 0 && items[8].argument == 6)
            #expect(try r.double(items[9]) == 1.5)
            #expect(Array(r.encoded(items[1])) == [0x62, 0x68, 0x69])
            #expect(items.map(\.start) == [1, 4, 7, 8, 9, 10, 11, 12, 13, 15])
        }
    }

    @Test func wrongTypes() throws {
        try CBORReader.withReader(Self.sample) { r in
            let items = Array(try r.elements(of: r.readSingleItem()))
            func wrong(_ body: () throws -> Void, at offset: Int, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(throws: CBORError(.unexpectedType, at: offset), sourceLocation: sourceLocation) { try body() }
            }
            wrong({ _ = try r.bytes(items[1]) }, at: 4)  // text asked as bytes
            wrong({ _ = try r.textBytes(items[0]) }, at: 1)  // bytes asked as text
            wrong({ _ = try r.string(items[0]) }, at: 1)
            wrong({ _ = try r.int(items[0]) }, at: 1)
            wrong({ _ = try r.int(items[4]) }, at: 9)
            wrong({ _ = try r.unsigned(items[3]) }, at: 8)
            wrong({ _ = try r.bool(items[5]) }, at: 10)  // null is not a bool
            wrong({ _ = try r.bool(items[2]) }, at: 7)
            wrong({ _ = try r.elements(of: items[7]) }, at: 12)
            wrong({ _ = try r.entries(of: items[6]) }, at: 11)
            wrong({ _ = try r.tagContent(items[2]) }, at: 7)
            wrong({ _ = try r.double(items[4]) }, at: 9)
            #expect(!r.isNull(items[2]))
        }
    }

    /// A float whose raw bits equal 20/21/22 is not a bool or null.
    @Test func floatBitsAreNotSimpleValues() throws {
        try CBORReader.withReader(hex("83 f90014 f90015 f90016")) { r in
            let items = Array(try r.elements(of: r.readSingleItem()))
            #expect(throws: CBORError(.unexpectedType, at: 1)) { try r.bool(items[0]) }
            #expect(throws: CBORError(.unexpectedType, at: 4)) { try r.bool(items[1]) }
            #expect(!r.isNull(items[2]))
        }
    }

    @Test func viewsPointIntoTheCallersBuffer() throws {
        let bytes = hex("a1 01 43 0a0b0c")
        bytes.withUnsafeBytes { raw in
            let r = CBORReader(raw)
            #expect(r.buffer.baseAddress == raw.baseAddress)
            let map = try? r.readSingleItem()
            let value = try? r.value(in: map!, intKey: 1)
            let view = try? r.bytes(value!)
            #expect(view?.baseAddress == raw.baseAddress! + 3)
            #expect(view?.count == 3)
            #expect(r.encoded(map!).baseAddress == raw.baseAddress)
        }
    }

    @Test func itemFields() throws {
        try CBORReader.withReader(hex("82 59 0100") + [UInt8](repeating: 9, count: 256) + [0x01]) { r in
            let array = try r.readSingleItem()
            #expect(array.type == .array && array.argument == 2 && array.contentStart == 1)
            #expect(array.additionalInfo == 2 && array.end == 1 + 3 + 256 + 1)
            let items = Array(try r.elements(of: array))
            #expect(items[0].type == .bytes && items[0].start == 1 && items[0].contentStart == 4 && items[0].end == 260)
            #expect(items[0].additionalInfo == 25 && items[0].argument == 256 && items[0].encodedLength == 259)
            #expect(items[1].contentStart == items[1].end && items[1].end == 261)
        }
    }
}
