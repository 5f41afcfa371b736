import PasskeyCrypto
import Testing

@Suite struct ECDSATests {
    static let combinations: [(ECCurve, HashAlgorithm)] = ECCurve.allCases.flatMap { curve in
        [HashAlgorithm.sha256, .sha384, .sha512].map { (curve, $0) }
    }

    @Test(arguments: combinations)
    func signVerifyAndTamper(curve: ECCurve, hash: HashAlgorithm) throws {
        let key = try PrivateKey.generateEC(curve)
        let other = try PrivateKey.generateEC(curve)
        let scheme = SignatureScheme.ecdsa(hash)
        let message = Message()
        let signature = try key.sign(message.joined, scheme: scheme)
        let verifier = SignatureVerifier()

        #expect(ECDSASignature.validate(der: signature, curve: curve) == nil)
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: scheme) == .valid)
        #expect(verifier.verify(signature: signature, message: message.joined, key: key.publicKey, scheme: scheme) == .valid)
        let digest = verifier.digest(hash, message.joined)
        #expect(verifier.verify(signature, digest: digest, key: key.publicKey, scheme: scheme) == .valid)

        // Tampered message (in either part).
        #expect(verifier.verify(signature, flipped(message.authenticatorData, at: 0), message.clientDataHash,
                                key: key.publicKey, scheme: scheme) == .invalidSignature)
        #expect(verifier.verify(signature, message.authenticatorData, flipped(message.clientDataHash, at: 31),
                                key: key.publicKey, scheme: scheme) == .invalidSignature)
        // Tampered signature: the last byte of s, and a byte inside r.
        let lastFlip = verifier.verify(flipped(signature, at: signature.count - 1), message, key: key.publicKey, scheme: scheme)
        #expect(lastFlip == .invalidSignature || lastFlip.isMalformed)
        let rFlip = verifier.verify(flipped(signature, at: signature.count / 3, mask: 0x10), message, key: key.publicKey, scheme: scheme)
        #expect(rFlip == .invalidSignature || rFlip.isMalformed)
        // Wrong key, wrong hash, wrong digest length.
        #expect(verifier.verify(signature, message, key: other.publicKey, scheme: scheme) == .invalidSignature)
        let otherHash: HashAlgorithm = hash == .sha256 ? .sha384 : .sha256
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: .ecdsa(otherHash)) == .invalidSignature)
        #expect(verifier.verify(signature, digest: Array(digest.dropLast()), key: key.publicKey, scheme: scheme) == .invalidSignature)
        // The same signature is still valid afterwards (failed verifies leave no residue).
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: scheme) == .valid)
    }

    @Test(arguments: ECCurve.allCases)
    func schemeKeyMismatchIsInvalid(curve: ECCurve) throws {
        let ec = try PrivateKey.generateEC(curve)
        let ed = try PrivateKey.generateEdwards(.ed25519)
        let message = Message()
        let signature = try ec.sign(message.joined, scheme: .ecdsa(.sha256))
        let verifier = SignatureVerifier()
        #expect(verifier.verify(signature, message, key: ec.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: ec.publicKey, scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: Fixtures.rsaA.publicKey, scheme: .ecdsa(.sha256)) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: ed.publicKey, scheme: .ecdsa(.sha256)) == .invalidSignature)
        #expect(throws: CryptoError.self) { try ec.sign(message.joined, scheme: .eddsa) }
    }

    /// s' = n - s is the other valid signature; this also proves the hard-coded orders match
    /// OpenSSL's (a wrong n would make s' invalid).
    @Test(arguments: ECCurve.allCases)
    func highSIsValid(curve: ECCurve) throws {
        let key = try PrivateKey.generateEC(curve)
        let message = Message(seed: 9)
        let signature = try key.sign(message.joined, scheme: .ecdsa(.sha256))
        let (r, s) = DER.parseECDSA(signature)
        let twin = DER.ecdsa(r: r, s: subtract(curve.order, s))
        let verifier = SignatureVerifier()
        #expect(ECDSASignature.validate(der: twin, curve: curve) == nil)
        #expect(verifier.verify(twin, message, key: key.publicKey, scheme: .ecdsa(.sha256)) == .valid)
        // And the re-encoding helper reproduces OpenSSL's own encoding.
        #expect(DER.ecdsa(r: r, s: s) == signature)
    }

    @Test func curveOrdersAreTheStandardOnes() {
        #expect(hexString(ECCurve.p256.order) == "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        #expect(hexString(ECCurve.secp256k1.order) == "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        #expect(ECCurve.p384.order.count == 48)
        #expect(ECCurve.p521.order.count == 66 && ECCurve.p521.order[0] == 0x01)
        #expect(ECCurve.allCases.map(\.coordinateByteCount) == [32, 48, 66, 32])
    }
}
