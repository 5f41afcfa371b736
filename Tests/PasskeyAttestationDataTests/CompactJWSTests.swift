import PasskeyCrypto
import PasskeyJSON
import PasskeyAttestationData
import PasskeyJSON
import Testing

@Suite struct CompactJWSTests {
    static let certificate: [UInt8] = [0x30, 0x03, 0x02, 0x01, 0x01]

    static func jws(header: String? = nil, payload: String = "{\"nonce\":\"abc=\",\"timestampMs\":1700000000000,\"ctsProfileMatch\":true}",
                    signature: [UInt8] = [1, 2, 3, 4]) -> [UInt8] {
        let h = header ?? "{\"alg\":\"RS256\",\"x5c\":[\"\(Base64.encode(certificate))\"]}"
        return Array((Base64URL.encode(Array(h.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "." + Base64URL.encode(signature)).utf8)
    }

    @Test func parsesTheThreeParts() throws {
        let bytes = Self.jws()
        let j = try CompactJWS(bytes)
        #expect(j.algorithm == "RS256")
        #expect(j.certificates == [Self.certificate])
        #expect(j.signature == [1, 2, 3, 4])
        #expect(j.signingInput == Array(bytes[..<bytes.lastIndex(of: UInt8(ascii: "."))!]))
        let p = try SafetyNetPayload(json: j.payload)
        #expect(p == SafetyNetPayload(nonce: "abc=", timestampMs: 1_700_000_000_000, ctsProfileMatch: true))
    }

    @Test func payloadMembersOfTheWrongTypeAreAbsent() throws {
        let p = try SafetyNetPayload(json: Array("{\"nonce\":1,\"timestampMs\":\"1\",\"ctsProfileMatch\":\"true\",\"basicIntegrity\":false}".utf8))
        #expect(p == SafetyNetPayload(basicIntegrity: false))
        #expect(throws: CompactJWSError.self) { _ = try SafetyNetPayload(json: Array("[]".utf8)) }
        #expect(throws: CompactJWSError.self) { _ = try SafetyNetPayload(json: Array("{\"a\":1,\"a\":2}".utf8)) }
        #expect(throws: CompactJWSError.self) { _ = try SafetyNetPayload(json: Array("{\"nonce\":\"\(String(repeating: "A", count: 300))\"}".utf8)) }
    }

    @Test func rejectsMalformedJWS() {
        let cert = Base64.encode(Self.certificate)
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("two parts", Array("e30.e30".utf8)),
            ("four parts", Self.jws() + Array(".AA".utf8)),
            ("empty signature", Array((String(decoding: Self.jws(), as: UTF8.self).split(separator: ".").prefix(2).joined(separator: ".") + ".").utf8)),
            ("padded part", Array("e30=.e30.AQ".utf8)),
            ("standard alphabet in a part", Array("e3+/.e30.AQ".utf8)),
            ("header not JSON", Self.jws(header: "{")),
            ("header not an object", Self.jws(header: "[]")),
            ("no alg", Self.jws(header: "{\"x5c\":[\"\(cert)\"]}")),
            ("alg none", Self.jws(header: "{\"alg\":\"none\",\"x5c\":[\"\(cert)\"]}")),
            ("alg not a string", Self.jws(header: "{\"alg\":1,\"x5c\":[\"\(cert)\"]}")),
            ("crit", Self.jws(header: "{\"alg\":\"RS256\",\"crit\":[],\"x5c\":[\"\(cert)\"]}")),
            ("no x5c", Self.jws(header: "{\"alg\":\"RS256\"}")),
            ("empty x5c", Self.jws(header: "{\"alg\":\"RS256\",\"x5c\":[]}")),
            ("x5c not strings", Self.jws(header: "{\"alg\":\"RS256\",\"x5c\":[1]}")),
            ("x5c unpadded", Self.jws(header: "{\"alg\":\"RS256\",\"x5c\":[\"\(cert.filter { $0 != "=" })\"]}")),
            ("x5c base64url", Self.jws(header: "{\"alg\":\"RS256\",\"x5c\":[\"-_-_\"]}")),
            ("too many certificates", Self.jws(header: "{\"alg\":\"RS256\",\"x5c\":[" + Array(repeating: "\"\(cert)\"", count: 9).joined(separator: ",") + "]}")),
            ("duplicate header member", Self.jws(header: "{\"alg\":\"RS256\",\"alg\":\"ES256\",\"x5c\":[\"\(cert)\"]}")),
            ("signature too long", Self.jws(signature: [UInt8](repeating: 1, count: 1025))),
            ("too large", [UInt8](repeating: UInt8(ascii: "A"), count: CompactJWS.maximumBytes + 1)),
        ]
        for (name, bytes) in cases {
            #expect(throws: CompactJWSError.self, "\(name)") { _ = try CompactJWS(bytes) }
        }
    }

    @Test func standardBase64IsStrict() {
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
        #expect(Base64.decode("AQ==") == [1])
        #expect(Base64.decode("AQ") == nil)  // padding required
        #expect(Base64.decode("AR==") == nil)  // non-zero unused bits
        #expect(Base64.decode("-_-_") == nil)  // base64url alphabet
        #expect(Base64.decode("AQ=\n") == nil)
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }

    @Test func ecdsaSignaturesBecomeDER() {
        let raw = [UInt8](repeating: 0x80, count: 32) + [0x00, 0x01] + [UInt8](repeating: 0x7F, count: 30)
        let der = ECDSASignature.der(raw: raw, coordinateBytes: 32)!
        #expect(der == [0x30, 0x44, 0x02, 0x21, 0x00] + [UInt8](repeating: 0x80, count: 32) + [0x02, 0x1F, 0x01] + [UInt8](repeating: 0x7F, count: 30))
        #expect(ECDSASignature.der(raw: raw, coordinateBytes: 48) == nil)
        #expect(ECDSASignature.der(raw: [UInt8](repeating: 0, count: 64), coordinateBytes: 32) == [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00])
    }

    @Test func subjectAltNameDNSNames() throws {
        let san = D.seq(D.tlv([0x82], Array("attest.android.com".utf8)), D.tlv([0x87], [127, 0, 0, 1]), D.tlv([0x82], Array("x.example".utf8)))
        #expect(try CompactJWS.dnsNames(subjectAltName: san) == ["attest.android.com", "x.example"])
        for bad in [D.seq(), D.octets([1]), D.seq(D.tlv([0xA2], [])), D.seq(D.tlv([0x82], [0xC3, 0xA9])), D.seq(D.tlv([0x82], [])) + [0]] {
            #expect(throws: CompactJWSError.self) { _ = try CompactJWS.dnsNames(subjectAltName: bad) }
        }
    }
}
