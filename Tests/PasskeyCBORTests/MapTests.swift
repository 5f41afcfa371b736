@testable import PasskeyCBOR
import Testing

/// Map lookups, iteration and duplicate keys.
@Suite struct MapTests {
    /// An ES256 COSE key: {1: 2, 3: -7, -1: 1, -2: x, -3: y}.
    static let coseKey: [UInt8] = {
        var w = CBORWriter()
        w.beginMap(5)
        w.writeInt(1); w.writeInt(2)
        w.writeInt(3); w.writeInt(-7)
        w.writeInt(-1); w.writeInt(1)
        w.writeInt(-2); w.writeBytes([UInt8](repeating: 0xAA, count: 32))
        w.writeInt(-3); w.writeBytes([UInt8](repeating: 0xBB, count: 32))
        return w.bytes
    }()

    @Test func intKeyLookups() throws {
        try CBORReader.withReader(Self.coseKey) { r in
            let map = try r.readSingleItem()
            #expect(try r.value(in: map, intKey: 1).map { try r.int($0) } == 2)
            #expect(try r.value(in: map, intKey: 3).map { try r.int($0) } == -7)
            #expect(try r.value(in: map, intKey: -1).map { try r.int($0) } == 1)
            let x = try #require(try r.value(in: map, intKey: -2))
            #expect(Array(try r.bytes(x)) == [UInt8](repeating: 0xAA, count: 32))
            let y = try #require(try r.value(in: map, intKey: -3))
            #expect(Array(try r.bytes(y)) == [UInt8](repeating: 0xBB, count: 32))
            #expect(try r.value(in: map, intKey: 2) == nil)
            #expect(try r.value(in: map, intKey: -4) == nil)
            #expect(try r.value(in: map, intKey: .max) == nil)
            #expect(try r.value(in: map, intKey: .min) == nil)
            #expect(try r.value(in: map, textKey: "1") == nil)
            #expect(Array(r.encoded(map)) == Self.coseKey)
        }
    }

    @Test func intKeyExtremes() throws {
        var w = CBORWriter()
        w.beginMap(2)
        w.writeInt(.min); w.writeText("min")
        w.writeInt(.max); w.writeText("max")
        try CBORReader.withReader(w.bytes) { r in
            let map = try r.readSingleItem()
            #expect(try r.value(in: map, intKey: .min).map { try r.string($0) } == "min")
            #expect(try r.value(in: map, intKey: .max).map { try r.string($0) } == "max")
            #expect(try r.value(in: map, intKey: 0) == nil)
        }
    }

    @Test func textKeyLookupsSkipNestedValues() throws {
        // {"fmt": "packed", "attStmt": {"alg": -7, "x5c": [h'0102', h'03']}, "authData": h'...'}
        var w = CBORWriter()
        w.beginMap(3)
        w.writeText("fmt"); w.writeText("packed")
        w.writeText("attStmt")
        w.beginMap(2)
        w.writeText("alg"); w.writeInt(-7)
        w.writeText("x5c"); w.beginArray(2); w.writeBytes([1, 2]); w.writeBytes([3])
        w.writeText("authData"); w.writeBytes([UInt8](repeating: 7, count: 300))
        try CBORReader.withReader(w.bytes) { r in
            let map = try r.readSingleItem()
            #expect(try r.value(in: map, textKey: "fmt").map { try r.string($0) } == "packed")
            let dynamicKey = String("authData".reversed().reversed())
            let authData = try #require(try r.value(in: map, textKey: dynamicKey))
            #expect(try r.bytes(authData).count == 300)
            let stmt = try #require(try r.value(in: map, textKey: "attStmt"))
            #expect(try r.value(in: stmt, textKey: "alg").map { try r.int($0) } == -7)
            let x5c = try #require(try r.value(in: stmt, textKey: "x5c"))
            #expect(try r.elements(of: x5c).map { Array(try r.bytes($0)) } == [[1, 2], [3]])
            #expect(try r.value(in: map, textKey: "fm") == nil)
            #expect(try r.value(in: map, textKey: "fmtx") == nil)
            #expect(try r.value(in: map, textKey: "") == nil)
            #expect(try r.value(in: map, intKey: 3) == nil)
            #expect(try r.value(in: stmt, textKey: "fmt") == nil)  // keys of the outer map are not found inside
        }
    }

    @Test func nonASCIIAndBridgedTextKeys() throws {
        var w = CBORWriter()
        w.beginMap(2)
        w.writeText("\u{e9}t\u{e9}"); w.writeInt(1)
        w.writeText("\u{1f600}"); w.writeInt(2)
        try CBORReader.withReader(w.bytes) { r in
            let map = try r.readSingleItem()
            #expect(try r.value(in: map, textKey: "\u{e9}t\u{e9}").map { try r.int($0) } == 1)
            #expect(try r.value(in: map, textKey: "\u{1f600}" as StaticString).map { try r.int($0) } == 2)
            let s: String = "\u{1f600}"
            #expect(try r.value(in: map, textKey: s).map { try r.int($0) } == 2)
        }
    }

    @Test func entriesInOrder() throws {
        try CBORReader.withReader(Self.coseKey) { r in
            let keys = try r.entries(of: r.readSingleItem()).map { try r.int($0.key) }
            #expect(keys == [1, 3, -1, -2, -3])
        }
    }

    @Test func duplicateIntKeys() {
        expectFailure(hex("a2 01 02 01 03"), .duplicateMapKey, at: 3)
        expectFailure(hex("a3 01 02 03 04 01 05"), .duplicateMapKey, at: 5)  // not adjacent
        expectFailure(hex("a3 20 00 03 00 20 00"), .duplicateMapKey, at: 5)  // -1 twice, unsorted map
        expectFailure(hex("a3 03 00 01 00 03 00"), .duplicateMapKey, at: 5)  // unsorted both ways
        // Same value, different types are different keys.
        #expect(throws: Never.self) { try validate(hex("a2 01 00 21 00")).get() }
        #expect(throws: Never.self) { try validate(hex("a2 01 00 6131 00")).get() }
    }

    @Test func duplicateTextKeys() {
        expectFailure(hex("a2 6161 01 6161 02"), .duplicateMapKey, at: 4)
        expectFailure(hex("a3 6162 01 6161 02 6162 03"), .duplicateMapKey, at: 7)
        // Keys of different length sorted neither way: "bb", "a", "bb".
        expectFailure(hex("a3 626262 01 6161 02 626262 03"), .duplicateMapKey, at: 8)
        // Composite keys compare by encoding.
        expectFailure(hex("a2 820102 00 820102 00"), .duplicateMapKey, at: 5)
        #expect(throws: Never.self) { try validate(hex("a2 820102 00 820201 00")).get() }
        // Duplicates inside a nested map; outer keys are distinct.
        expectFailure(hex("a2 01 a2 6178 00 6178 00 02 00"), .duplicateMapKey, at: 6)
        // The same key in two different maps is fine.
        #expect(throws: Never.self) { try validate(hex("82 a1 01 00 a1 01 00")).get() }
        #expect(throws: Never.self) { try validate(hex("a2 01 a1 01 00 02 00")).get() }
    }

    /// An unsorted map with many distinct keys validates, and a late duplicate is found.
    @Test func largeUnsortedMaps() throws {
        let n = 1500
        var keys = Array(0..<n).map { Int64($0 * 7919 % n) }  // a permutation
        func encode(_ keys: [Int64]) -> [UInt8] {
            var w = CBORWriter()
            w.beginMap(keys.count)
            for k in keys { w.writeInt(k); w.writeNull() }
            return w.bytes
        }
        let bytes = encode(keys)
        let item = try validate(bytes).get()
        try withItem(bytes) { (r: CBORReader, map: CBORItem) throws in
            #expect(map == item)
            #expect(try r.value(in: map, intKey: 1499).map { r.isNull($0) } == true)
        }
        keys.append(keys[n / 2])
        let dup = encode(keys)
        let keyLength = encode([keys[n / 2]]).count - 2  // minus map header and null
        expectFailure(dup, .duplicateMapKey, at: dup.count - 1 - keyLength)
    }

    @Test func lookupsOnWrongType() throws {
        try CBORReader.withReader(hex("83010203")) { r in
            let array = try r.readSingleItem()
            #expect(throws: CBORError(.unexpectedType, at: 0)) { try r.value(in: array, intKey: 1) }
            #expect(throws: CBORError(.unexpectedType, at: 0)) { try r.value(in: array, textKey: "a") }
            #expect(throws: CBORError(.unexpectedType, at: 0)) { try r.value(in: array, textKey: String("a")) }
            #expect(throws: CBORError(.unexpectedType, at: 0)) { try r.entries(of: array) }
        }
    }
}

/// Duplicate-key detection on unsorted maps does linear work (plus a sort of k hashes), never k² comparisons.
@Suite struct DistinctKeysWorkTests {
    /// `n` text keys of `length` bytes sharing all but their last 4 bytes, in an order sorted neither bytewise nor
    /// length-first, optionally with the key at `duplicateOf` repeated at the end.
    static func hostileMap(n: Int, length: Int, duplicateOf: Int? = nil) -> [UInt8] {
        let prefix = [UInt8](repeating: UInt8(ascii: "k"), count: length - 4)
        func key(_ i: Int) -> [UInt8] {
            // An odd multiplier permutes 0..<2^24: distinct keys in a scrambled order, four ASCII characters of 6 bits.
            let v = (i &* 2_654_435_761) & 0xFF_FFFF
            return prefix + [18, 12, 6, 0].map { alphabet64[(v >> $0) & 0x3F] }
        }
        var keys = (0..<n).map(key)
        if let d = duplicateOf { keys.append(keys[d]) }
        var w = CBORWriter()
        w.beginMap(keys.count)
        for k in keys {
            w.writeHead(.text, UInt64(k.count))
            w.writeRaw(k)
            w.writeNull()
        }
        return w.bytes
    }

    /// Runs the unsorted-map check alone on a map whose header is 0xB9 + a 2-byte count (as `hostileMap` writes).
    static func work(_ bytes: [UInt8]) -> (CBORValidator.DistinctKeysWork, CBORError?) {
        precondition(bytes[0] == 0xB9)
        let pairs = Int(bytes[1]) << 8 | Int(bytes[2])
        return bytes.withUnsafeBytes { raw in
            var work = CBORValidator.DistinctKeysWork()
            do throws(CBORError) {
                try CBORValidator.checkDistinctKeys(raw.baseAddress!, count: raw.count, firstKey: 3, pairs: pairs, work: &work)
                return (work, nil)
            } catch {
                return (work, error)
            }
        }
    }

    @Test func hostileUnsortedMapIsLinearWork() throws {
        let n = 2000, length = 400
        let bytes = Self.hostileMap(n: n, length: length)
        let (work, error) = Self.work(bytes)
        #expect(error == nil)
        // Each key is hashed once; with a 64-bit seeded hash no two distinct keys collide here, so nothing is
        // compared byte for byte. A pairwise scan would compare ~n²/2 keys of `length` bytes (~800 MB here).
        #expect(work.bytesHashed == n * (length + 3))  // each key with its 3-byte header
        #expect(work.bytesCompared <= 4 * length)
    }

    @Test func hostileUnsortedMapWithLateDuplicate() throws {
        let n = 2000, length = 400
        let bytes = Self.hostileMap(n: n, length: length, duplicateOf: n / 3)
        let (work, found) = Self.work(bytes)
        #expect(found?.code == .duplicateMapKey)
        #expect(work.bytesHashed == (n + 1) * (length + 3))
        #expect(work.bytesCompared <= 4 * length)
        // Through the public reader: the duplicate is found at its second occurrence.
        let second = bytes.count - 1 - (length + 3)  // null, then the repeated key with its 3-byte header
        expectFailure(bytes, .duplicateMapKey, at: second, limits: CBORLimits(maxDepth: 16, maxItems: 1 << 20))
    }

    /// Pairwise and hashed detection agree on many random small and large unsorted maps (earliest second occurrence).
    @Test func pairwiseAndHashedAgree() throws {
        var rng = SplitMix64(seed: 0xD15_71C7)
        for round in 0..<300 {
            let n = 2 + Int(rng.next() % 40)
            var w = CBORWriter()
            w.beginMap(n)
            let alphabet = 1 + rng.next() % 6
            for _ in 0..<n {
                if rng.next() % 2 == 0 { w.writeInt(Int64(rng.next() % (alphabet * 3)) - 5) } else { w.writeText(String(repeating: "x", count: Int(rng.next() % alphabet))) }
                w.writeNull()
            }
            let bytes = w.bytes
            let expected = ReferenceDecoder.validate(bytes, limits: .default)
            bytes.withUnsafeBytes { raw in
                var firstKey = 1
                if n >= 24 { firstKey = 2 }
                var records: [CBORValidator.KeyRecord] = []
                let reader = CBORReader(raw)
                var p = firstKey
                for _ in 0..<n {
                    let item = try? reader.readItem(at: p)
                    guard let item else { return }
                    records.append(.init(hash: 0, start: p, end: item.end))
                    p = item.end + 1
                }
                var a = records, b = records
                var work = CBORValidator.DistinctKeysWork()
                let pairwise = a.withUnsafeMutableBufferPointer { CBORValidator.firstRepeatPairwise(raw.baseAddress!, $0, &work) }
                let hashed = b.withUnsafeMutableBufferPointer { CBORValidator.firstRepeatHashed(raw.baseAddress!, $0, &work) }
                #expect(pairwise == hashed, "round \(round)")
                if let e = expected, e.code == .duplicateMapKey {
                    #expect(pairwise == e.offset, "round \(round): reference says \(e.offset)")
                } else {
                    #expect(pairwise == nil, "round \(round)")
                }
            }
        }
    }
}

let alphabet64: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
