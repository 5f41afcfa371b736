import PasskeyCrypto
import Testing

@Suite struct KeyValidationTests {
    static func coordinates(_ key: PrivateKey) -> (ECCurve, [UInt8], [UInt8]) {
        guard case .ec(let curve, let x, let y) = key.publicComponents else { fatalError("not EC") }
        return (curve, x, y)
    }

    func expectInvalidKey(_ fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: () throws(CryptoError) -> PublicKey) {
        do {
            let key = try body()
            Issue.record("accepted \(key)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .invalidKey, sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ECCurve.allCases)
    func ecPointChecks(curve: ECCurve) throws {
        let (_, x, y) = Self.coordinates(try PrivateKey.generateEC(curve))
        #expect(x.count == curve.coordinateByteCount && y.count == curve.coordinateByteCount)
        let good = try PublicKey.ec(curve: curve, x: x, y: y)
        #expect(good.kind == .ec(curve))

        expectInvalidKey("not on") { () throws(CryptoError) in try .ec(curve: curve, x: x, y: flipped(y, at: y.count - 1)) }
        expectInvalidKey("not on") { () throws(CryptoError) in try .ec(curve: curve, x: flipped(x, at: 5), y: y) }
        let zeros = [UInt8](repeating: 0, count: curve.coordinateByteCount)
        expectInvalidKey("infinity") { () throws(CryptoError) in try .ec(curve: curve, x: zeros, y: zeros) }
        expectInvalidKey("bytes") { () throws(CryptoError) in try .ec(curve: curve, x: Array(x.dropFirst()), y: y) }
        expectInvalidKey("bytes") { () throws(CryptoError) in try .ec(curve: curve, x: x, y: y + [0]) }
        expectInvalidKey("bytes") { () throws(CryptoError) in try .ec(curve: curve, x: [0] + x, y: [0] + y) }
        let ones = [UInt8](repeating: 0xFF, count: curve.coordinateByteCount)
        expectInvalidKey("not on") { () throws(CryptoError) in try .ec(curve: curve, x: ones, y: y) }
        // Right coordinates, wrong curve.
        let otherCurve: ECCurve = curve == .p256 ? .secp256k1 : .p256
        if otherCurve.coordinateByteCount == curve.coordinateByteCount {
            expectInvalidKey("not on") { () throws(CryptoError) in try .ec(curve: otherCurve, x: x, y: y) }
        }
    }

    @Test func p256CoordinateEqualToFieldPrime() {
        let p = hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
        let y = hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")   // G.y
        expectInvalidKey("not on") { () throws(CryptoError) in try .ec(curve: .p256, x: p, y: y) }
        // G itself is fine.
        let gx = hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")
        #expect(throws: Never.self) { try PublicKey.ec(curve: .p256, x: gx, y: y) }
    }

    @Test func rsaChecks() throws {
        guard case .rsa(let n, let e) = Fixtures.rsaA.publicComponents else {
            Issue.record("not RSA")
            return
        }
        #expect(e == [0x01, 0x00, 0x01])
        #expect(try PublicKey.rsa(modulus: n, exponent: e).kind == .rsa(bits: 2048))
        #expect(try PublicKey.rsa(modulus: [0, 0] + n, exponent: [0] + e).kind == .rsa(bits: 2048))

        guard case .rsa(let small, let smallE) = Fixtures.rsa1024.publicComponents else {
            Issue.record("not RSA")
            return
        }
        expectInvalidKey("1024 bits") { () throws(CryptoError) in try .rsa(modulus: small, exponent: smallE) }
        #expect(try PublicKey.rsa(modulus: small, exponent: smallE, minimumModulusBits: 1024).kind == .rsa(bits: 1024))

        expectInvalidKey("at least 3") { () throws(CryptoError) in try .rsa(modulus: n, exponent: [1]) }
        expectInvalidKey("zero") { () throws(CryptoError) in try .rsa(modulus: n, exponent: [0]) }
        expectInvalidKey("zero") { () throws(CryptoError) in try .rsa(modulus: n, exponent: []) }
        expectInvalidKey("even") { () throws(CryptoError) in try .rsa(modulus: n, exponent: [2]) }
        expectInvalidKey("even") { () throws(CryptoError) in try .rsa(modulus: n, exponent: [0x01, 0x00, 0x00]) }
        expectInvalidKey("256 bits") { () throws(CryptoError) in try .rsa(modulus: n, exponent: [0x01] + [UInt8](repeating: 0, count: 31) + [0x01]) }
        expectInvalidKey("modulus is even") { () throws(CryptoError) in try .rsa(modulus: Array(n.dropLast()) + [n.last! & 0xFE], exponent: e) }
        expectInvalidKey("0 bits") { () throws(CryptoError) in try .rsa(modulus: [], exponent: e) }
        // e >= n (only reachable with tiny minimums).
        expectInvalidKey("not less than the modulus") { () throws(CryptoError) in
            try .rsa(modulus: [0x0F], exponent: [0x11], minimumModulusBits: 1)
        }
        // 256-bit exponent is allowed by the rule (OpenSSL accepts it as a public key).
        let bigE = [0x01] + [UInt8](repeating: 0, count: 30) + [0x01]
        #expect(try PublicKey.rsa(modulus: n, exponent: bigE).kind == .rsa(bits: 2048))
    }

    @Test func edwardsLengths() throws {
        expectInvalidKey("32 bytes") { () throws(CryptoError) in try .edwards(curve: .ed25519, publicKey: [UInt8](repeating: 1, count: 31)) }
        expectInvalidKey("32 bytes") { () throws(CryptoError) in try .edwards(curve: .ed25519, publicKey: [UInt8](repeating: 1, count: 33)) }
        expectInvalidKey("57 bytes") { () throws(CryptoError) in try .edwards(curve: .ed448, publicKey: [UInt8](repeating: 1, count: 56)) }
        expectInvalidKey("32 bytes") { () throws(CryptoError) in try .edwards(curve: .ed25519, publicKey: []) }
        #expect(EdwardsCurve.allCases.map(\.publicKeyByteCount) == [32, 57])
    }

    @Test func subjectPublicKeyInfoRoundTrip() throws {
        let keys: [(PrivateKey, SignatureScheme)] = [
            (try PrivateKey.generateEC(.p256), .ecdsa(.sha256)),
            (try PrivateKey.generateEC(.p384), .ecdsa(.sha384)),
            (try PrivateKey.generateEC(.p521), .ecdsa(.sha512)),
            (try PrivateKey.generateEC(.secp256k1), .ecdsa(.sha256)),
            (Fixtures.rsaA, .rsaPSS(.sha256)),
            (try PrivateKey.generateEdwards(.ed25519), .eddsa),
            (try PrivateKey.generateEdwards(.ed448), .eddsa),
        ]
        let verifier = SignatureVerifier()
        let message = Message()
        for (key, scheme) in keys {
            let der = key.publicKey.subjectPublicKeyInfoDER()
            #expect(der.first == 0x30)
            let parsed = try PublicKey.subjectPublicKeyInfo(der: der)
            #expect(parsed.kind == key.publicKey.kind)
            #expect(parsed.subjectPublicKeyInfoDER() == der)
            let signature = try key.sign(message.joined, scheme: scheme)
            #expect(verifier.verify(signature, message, key: parsed, scheme: scheme) == .valid)
            expectInvalidKey("trailing") { () throws(CryptoError) in try .subjectPublicKeyInfo(der: der + [0]) }
            expectInvalidKey("unparsable") { () throws(CryptoError) in try .subjectPublicKeyInfo(der: Array(der.dropLast())) }
        }
        expectInvalidKey("empty") { () throws(CryptoError) in try .subjectPublicKeyInfo(der: []) }
        expectInvalidKey("unparsable") { () throws(CryptoError) in try .subjectPublicKeyInfo(der: [0x30, 0x03, 0x02, 0x01, 0x00]) }
        // Small RSA keys in SPKI follow the same minimum.
        let small = Fixtures.rsa1024.publicKey.subjectPublicKeyInfoDER()
        expectInvalidKey("1024 bits") { () throws(CryptoError) in try .subjectPublicKeyInfo(der: small) }
        #expect(try PublicKey.subjectPublicKeyInfo(der: small, minimumRSAModulusBits: 1024).kind == .rsa(bits: 1024))
    }

    /// A compressed-point SPKI (prime256v1) is accepted and canonicalised to uncompressed.
    @Test func compressedPointSPKI() throws {
        let key = try PrivateKey.generateEC(.p256)
        guard case .ec(_, let x, let y) = key.publicComponents else { return }
        let uncompressed = key.publicKey.subjectPublicKeyInfoDER()
        // SPKI prefix for P-256 with a 33-byte compressed point.
        let prefix = hex("3039301306072a8648ce3d020106082a8648ce3d030107032200")
        let compressed = prefix + [0x02 | (y.last! & 1)] + x
        let parsed = try PublicKey.subjectPublicKeyInfo(der: compressed)
        #expect(parsed.subjectPublicKeyInfoDER() == uncompressed)
    }
}
