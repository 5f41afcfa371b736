import PasskeyCrypto
import Testing

@Suite struct EdDSATests {
    @Test(arguments: EdwardsCurve.allCases)
    func signVerifyAndTamper(curve: EdwardsCurve) throws {
        let key = try PrivateKey.generateEdwards(curve)
        let other = try PrivateKey.generateEdwards(curve)
        let message = Message()
        let signature = try key.sign(message.joined, scheme: .eddsa)
        let verifier = SignatureVerifier()
        #expect(signature.count == curve.signatureByteCount)
        #expect(key.publicKey.kind == .edwards(curve))

        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: .eddsa) == .valid)
        #expect(verifier.verify(signature: signature, message: message.joined, key: key.publicKey, scheme: .eddsa) == .valid)
        // Any split of the message gives the same result.
        let joined = message.joined
        #expect(verifier.verify(signature, Array(joined[..<5]), Array(joined[5...]), key: key.publicKey, scheme: .eddsa) == .valid)
        #expect(verifier.verify(signature, [], joined, key: key.publicKey, scheme: .eddsa) == .valid)

        #expect(verifier.verify(signature, flipped(message.authenticatorData, at: 3), message.clientDataHash,
                                key: key.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(signature, message.authenticatorData, flipped(message.clientDataHash, at: 0),
                                key: key.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(flipped(signature, at: 0), message, key: key.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(flipped(signature, at: signature.count - 1, mask: 0x40), message,
                                key: key.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: other.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(Array(signature.dropLast()), message, key: key.publicKey, scheme: .eddsa).isMalformed)
        #expect(verifier.verify(signature + [0], message, key: key.publicKey, scheme: .eddsa).isMalformed)
        // EdDSA has no pre-hashed form.
        #expect(verifier.verify(signature, digest: [UInt8](repeating: 0, count: 32), key: key.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: .eddsa) == .valid)
    }

    @Test(arguments: EdwardsCurve.allCases)
    func emptyAndLargeMessages(curve: EdwardsCurve) throws {
        let key = try PrivateKey.generateEdwards(curve)
        let verifier = SignatureVerifier()
        let empty = try key.sign([], scheme: .eddsa)
        #expect(verifier.verify(empty, [], [], key: key.publicKey, scheme: .eddsa) == .valid)
        #expect(verifier.verify(empty, [0], [], key: key.publicKey, scheme: .eddsa) == .invalidSignature)
        // Larger than the initial scratch buffer.
        let big = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        let signature = try key.sign(big, scheme: .eddsa)
        #expect(verifier.verify(signature, Array(big[..<3000]), Array(big[3000...]), key: key.publicKey, scheme: .eddsa) == .valid)
        #expect(verifier.verify(signature, Array(big[..<3000]), Array(big[3001...]), key: key.publicKey, scheme: .eddsa) == .invalidSignature)
    }

    /// RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2.
    @Test func rfc8032Vectors() throws {
        let verifier = SignatureVerifier()
        let pk1 = try PublicKey.edwards(curve: .ed25519, publicKey: hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let sig1 = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(verifier.verify(sig1, [], [], key: pk1, scheme: .eddsa) == .valid)
        let pk2 = try PublicKey.edwards(curve: .ed25519, publicKey: hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))
        let sig2 = hex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        #expect(verifier.verify(sig2, [0x72], [], key: pk2, scheme: .eddsa) == .valid)
        #expect(verifier.verify(sig2, [0x73], [], key: pk2, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(sig1, [], [], key: pk2, scheme: .eddsa) == .invalidSignature)
    }
}
