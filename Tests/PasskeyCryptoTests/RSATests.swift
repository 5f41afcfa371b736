import PasskeyCrypto
import Testing

@Suite struct RSATests {
    static let schemes: [SignatureScheme] = [
        .rsaPKCS1v15(.sha1), .rsaPKCS1v15(.sha256), .rsaPKCS1v15(.sha384), .rsaPKCS1v15(.sha512),
        .rsaPSS(.sha256), .rsaPSS(.sha384), .rsaPSS(.sha512),
    ]

    @Test(arguments: schemes)
    func signVerifyAndTamper(scheme: SignatureScheme) throws {
        let key = Fixtures.rsaA
        let message = Message()
        let signature = try key.sign(message.joined, scheme: scheme)
        let verifier = SignatureVerifier()
        #expect(signature.count == 256)
        #expect(key.publicKey.kind == .rsa(bits: 2048))

        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: scheme) == .valid)
        let digest = verifier.digest(scheme.hash!, message.joined)
        #expect(verifier.verify(signature, digest: digest, key: key.publicKey, scheme: scheme) == .valid)

        #expect(verifier.verify(signature, flipped(message.authenticatorData, at: 10), message.clientDataHash,
                                key: key.publicKey, scheme: scheme) == .invalidSignature)
        #expect(verifier.verify(flipped(signature, at: 100), message, key: key.publicKey, scheme: scheme) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: Fixtures.rsaB.publicKey, scheme: scheme) == .invalidSignature)

        // Length must equal the modulus length.
        #expect(verifier.verify(Array(signature.dropLast()), message, key: key.publicKey, scheme: scheme).isMalformed)
        #expect(verifier.verify(signature + [0], message, key: key.publicKey, scheme: scheme).isMalformed)
        #expect(verifier.verify([0] + signature, message, key: key.publicKey, scheme: scheme).isMalformed)
        #expect(verifier.verify([UInt8](repeating: 1, count: 4096), message, key: key.publicKey, scheme: scheme).isMalformed)

        // Padding or hash confusion.
        let swapped: SignatureScheme = switch scheme {
        case .rsaPKCS1v15(let h): .rsaPSS(h == .sha1 ? .sha256 : h)
        case .rsaPSS(let h): .rsaPKCS1v15(h)
        default: scheme
        }
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: swapped) == .invalidSignature)
        let otherHash: HashAlgorithm = scheme.hash == .sha256 ? .sha512 : .sha256
        let rehashed: SignatureScheme = if case .rsaPSS = scheme { .rsaPSS(otherHash) } else { .rsaPKCS1v15(otherHash) }
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: rehashed) == .invalidSignature)

        // Still valid after all the failures (pooled contexts are not poisoned).
        #expect(verifier.verify(signature, message, key: key.publicKey, scheme: scheme) == .valid)
    }

    @Test func mismatchedKeyKinds() throws {
        let message = Message()
        let signature = try Fixtures.rsaA.sign(message.joined, scheme: .rsaPKCS1v15(.sha256))
        let ec = try PrivateKey.generateEC(.p256)
        let verifier = SignatureVerifier()
        #expect(verifier.verify(signature, message, key: ec.publicKey, scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: Fixtures.rsaA.publicKey, scheme: .eddsa) == .invalidSignature)
        #expect(verifier.verify(signature, message, key: Fixtures.rsaA.publicKey, scheme: .ecdsa(.sha256)) == .invalidSignature)
    }

    @Test func rsa3072AndExponent3() throws {
        let key = try PrivateKey.generateRSA(bits: 3072, exponent: 3)
        guard case .rsa(let n, let e) = key.publicComponents else {
            Issue.record("not RSA")
            return
        }
        #expect(n.count == 384)
        #expect(e == [3])
        let message = Message()
        let signature = try key.sign(message.joined, scheme: .rsaPSS(.sha384))
        #expect(signature.count == 384)
        #expect(SignatureVerifier().verify(signature, message, key: key.publicKey, scheme: .rsaPSS(.sha384)) == .valid)
    }
}
