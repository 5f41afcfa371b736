import PasskeyCrypto
import Testing

@Suite struct ECDSASignatureTests {
    let curve = ECCurve.p256
    let key: PrivateKey
    let message = Message(seed: 5)
    let signature: [UInt8]
    let r: [UInt8]
    let s: [UInt8]

    /// Uses a signature whose r and s are both 32 bytes with the high bit clear (70 bytes of
    /// DER), so every mutation below stays under the 72-byte size cap and fails for its own reason.
    init() throws {
        key = try PrivateKey.generateEC(.p256)
        var attempt = 0
        while true {
            let candidate = try key.sign(message.joined, scheme: .ecdsa(.sha256))
            attempt += 1
            if candidate.count == 70 || attempt > 200 {
                signature = candidate
                break
            }
        }
        (r, s) = DER.parseECDSA(signature)
        #expect(signature.count == 70)
    }

    /// Expects the DER to be rejected both by `validate` and by `verify`.
    func expectMalformed(_ der: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let reason = ECDSASignature.validate(der: der, curve: curve)
        #expect(reason != nil, sourceLocation: sourceLocation)
        #expect(reason?.contains(fragment) == true, "reason: \(reason ?? "nil")", sourceLocation: sourceLocation)
        let outcome = SignatureVerifier().verify(der, message, key: key.publicKey, scheme: .ecdsa(.sha256))
        #expect(outcome.isMalformed, "outcome: \(outcome)", sourceLocation: sourceLocation)
    }

    @Test func baselineIsValid() {
        #expect(ECDSASignature.validate(der: signature, curve: curve) == nil)
        #expect(SignatureVerifier().verify(signature, message, key: key.publicKey, scheme: .ecdsa(.sha256)) == .valid)
    }

    @Test func zeroAndOutOfRangeScalars() {
        expectMalformed(DER.ecdsa(r: [0], s: s), "r is zero")
        expectMalformed(DER.ecdsa(r: r, s: [0]), "s is zero")
        expectMalformed(DER.ecdsa(r: curve.order, s: s), "r is not less than the curve order")
        expectMalformed(DER.ecdsa(r: r, s: curve.order), "s is not less than the curve order")
        expectMalformed(DER.ecdsa(r: r, s: add(curve.order, 1)), "s is not less")
        expectMalformed(DER.ecdsa(r: r, s: [UInt8](repeating: 0xFF, count: 32)), "s is not less")
        // n - 1 is in range (and just fails to verify).
        let nMinus1 = subtract(curve.order, [1])
        #expect(ECDSASignature.validate(der: DER.ecdsa(r: r, s: nMinus1), curve: curve) == nil)
        #expect(SignatureVerifier().verify(DER.ecdsa(r: r, s: nMinus1), message, key: key.publicKey, scheme: .ecdsa(.sha256)) == .invalidSignature)
    }

    @Test func nonMinimalAndNegativeIntegers() {
        // Extra leading 0x00 before a byte < 0x80.
        let rInt = DER.integer(r)
        let padded: [UInt8] = [0x02, UInt8(rInt[1] + 1), 0x00] + Array(rInt[2...])
        expectMalformed(DER.sequence(padded + DER.integer(s)), "r is not minimally encoded")
        // Negative: high bit set without the 0x00 pad.
        let negative: [UInt8] = [0x02, 0x20] + [0x80] + [UInt8](repeating: 1, count: 31)
        expectMalformed(DER.sequence(DER.integer(r) + negative), "s is negative")
        // Empty INTEGER.
        expectMalformed(DER.sequence([0x02, 0x00] + DER.integer(s) + [0x02, 0x01, 0x01]), "r is empty")
    }

    @Test func lengthEncodings() {
        // Short scalars keep every variant under the size cap, so the length rule is what fails.
        let r = Array(self.r.prefix(20)), s = Array(self.s.prefix(20))
        let content = DER.integer(r) + DER.integer(s)
        // Long-form SEQUENCE length for a short length.
        expectMalformed([0x30, 0x81, UInt8(content.count)] + content, "long-form length")
        // Long-form INTEGER length.
        let rLong: [UInt8] = [0x02, 0x81, UInt8(r.count)] + r
        expectMalformed(DER.sequence(rLong + DER.integer(s)), "long-form length")
        // Indefinite length.
        expectMalformed([0x30, 0x80] + content + [0x00, 0x00], "indefinite")
        // Two-byte long form.
        expectMalformed([0x30, 0x82, 0x00, UInt8(content.count)] + content, "not minimally encoded")
    }

    @Test func framing() {
        expectMalformed(signature + [0x00], "trailing bytes after")
        let content = DER.integer(Array(r.prefix(20))) + DER.integer(s) + [0x05, 0x00]
        expectMalformed(DER.sequence(content), "trailing bytes inside")
        // Largest well-formed P-256 shape (both scalars padded) is 72 bytes; one more is oversized.
        let big = DER.ecdsa(r: [0x80] + [UInt8](repeating: 1, count: 31), s: [0x80] + [UInt8](repeating: 2, count: 31))
        #expect(big.count == 72)
        #expect(ECDSASignature.validate(der: big, curve: curve) == nil)
        expectMalformed(big + [0], "at most 72")
        expectMalformed([0x31] + signature.dropFirst(), "SEQUENCE tag")
        expectMalformed(Array(signature.dropLast()), "truncated")
        expectMalformed([0x30, 0x03, 0x02, 0x01, 0x01], "too short")
        expectMalformed([], "too short")
        expectMalformed(DER.sequence(DER.integer(r)), "missing INTEGER s")
        expectMalformed(DER.sequence([0x04] + Array(DER.integer(r).dropFirst()) + DER.integer(s)), "r is not an INTEGER")
        expectMalformed([UInt8](repeating: 0x30, count: 200), "at most")
    }

    @Test func longFormRequiredForP521() throws {
        // P-521 signatures are usually > 127 content bytes and must use 0x81.
        let p521 = try PrivateKey.generateEC(.p521)
        var sawLongForm = false
        for seed in 0..<8 {
            let sig = try p521.sign(Message(seed: UInt8(seed)).joined, scheme: .ecdsa(.sha512))
            #expect(ECDSASignature.validate(der: sig, curve: .p521) == nil)
            if sig[1] == 0x81 {
                sawLongForm = true
                // The same content with a short-form length byte is malformed.
                let short = [0x30, sig[2] & 0x7F] + sig[3...]
                #expect(ECDSASignature.validate(der: Array(short), curve: .p521) != nil)
            }
        }
        #expect(sawLongForm)
    }
}
