import PasskeyJSON
import PasskeyWebAuthn
import Testing

@Suite struct JSONReaderTests {
    func parse(_ s: String) throws -> (JSONReader, JSONReader.Value, [UInt8]) {
        let bytes = Array(s.utf8)
        var r = JSONReader()
        let v = try bytes.withUnsafeBytes { try r.parse($0) }
        return (r, v, bytes)
    }

    func rejects(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(s.utf8)
        var r = JSONReader()
        #expect(throws: JSONError.self, "\(s)", sourceLocation: sourceLocation) { try bytes.withUnsafeBytes { _ = try r.parse($0) } }
    }

    func rejects(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        var r = JSONReader()
        #expect(throws: JSONError.self, sourceLocation: sourceLocation) { try bytes.withUnsafeBytes { _ = try r.parse($0) } }
    }

    @Test func acceptsValidDocuments() throws {
        for s in ["{}", "[]", "0", "-0.5e+10", "\"x\"", "true", " {\"a\" : [1, 2.5, {\"b\": null}] , \"c\": false} ",
                  "\"\\u00e9\\ud83d\\ude00\\n\\\"\"", "{\"a\":{\"a\":1}}"] {
            _ = try parse(s)
        }
    }

    @Test func rejectsInvalidDocuments() {
        for s in ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "1e", "tru", "nul", "\"abc", "{\"a\" 1}",
                  "{a:1}", "[1 2]", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
                  "{} {}", "\"tab\there\"", "'x'", "NaN"] {
            rejects(s)
        }
        rejects(bytes: [0x22, 0xC0, 0x80, 0x22])  // overlong
        rejects(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22])  // surrogate in UTF-8
        rejects(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22])  // above U+10FFFF
        rejects(bytes: [0x22, 0xE2, 0x82, 0x22])  // truncated sequence
        rejects(bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D])  // BOM
    }

    @Test func duplicateNamesAtEveryLevelAfterUnescaping() {
        rejects("{\"a\":1,\"a\":2}")
        rejects("{\"a\":1,\"\\u0061\":2}")
        rejects("{\"x\":{\"k\":1,\"k\":2}}")
        rejects("[{\"k\":1,\"k\":2}]")
    }

    @Test func depthLimit() throws {
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        rejects(deep)
        _ = try parse(String(repeating: "[", count: 32) + String(repeating: "]", count: 32))
    }

    @Test func membersAndStrings() throws {
        let (r, root, bytes) = try parse("{\"type\":\"webauthn.get\",\"n\":-42,\"esc\":\"a\\/b\\u00e9\",\"arr\":[1,\"two\",3],\"t\":true}")
        try bytes.withUnsafeBytes { _ in
            #expect(r.kind(root) == .object)
            #expect(r.count(root) == 5)
            let type = try #require(r.member(root, "type"))
            #expect(r.string(type, equals: "webauthn.get"))
            #expect(!r.string(type, equals: "webauthn.ge"))
            #expect(r.int64(try #require(r.member(root, "n"))) == -42)
            let esc = try #require(r.member(root, "esc"))
            #expect(r.string(esc) == "a/bé")
            #expect(r.string(esc, equals: "a/bé"))
            var items: [String] = []
            r.forEachElement(try #require(r.member(root, "arr"))) { e in items.append(r.string(e) ?? "#\(r.int64(e)!)") }
            #expect(items == ["#1", "two", "#3"])
            #expect(r.bool(try #require(r.member(root, "t"))) == true)
            #expect(r.member(root, "missing") == nil)
        }
    }

    @Test func readerIsReusable() throws {
        var r = JSONReader()
        for i in 0..<100 {
            let bytes = Array("{\"i\":\(i)}".utf8)
            let value = try bytes.withUnsafeBytes { b -> Int64? in
                let root = try r.parse(b)
                return r.member(root, "i").flatMap { r.int64($0) }
            }
            #expect(value == Int64(i))
        }
    }
}

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() {
        for n in 0..<70 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + n) & 0xFF) }
            let s = Base64URL.encode(bytes)
            #expect(!s.contains("=") && !s.contains("+") && !s.contains("/"))
            #expect(Base64URL.decode(s) == bytes)
        }
    }

    @Test func knownVectors() {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test func strictness() {
        #expect(Base64URL.decode("Zg==") == nil)  // padding refused by default
        #expect(Base64URL.decode("Zg==", allowPadding: true) == Array("f".utf8))
        #expect(Base64URL.decode("Zg=", allowPadding: true) == nil)
        #expect(Base64URL.decode("Zh") == nil)  // non-zero unused bits
        #expect(Base64URL.decode("Z") == nil)  // length 1 mod 4
        #expect(Base64URL.decode("Zm9v+mFy") == nil)  // standard alphabet
        #expect(Base64URL.decode("Zm9v YmFy") == nil)
    }
}
