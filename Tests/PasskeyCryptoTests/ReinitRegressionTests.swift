import PasskeyCrypto
import Testing

/// OpenSSL 3.0 can keep the OLD key when a used context is re-initialised for a different
/// key. One verifier alternating between keys must never let key B accept key A's signature.
@Suite struct ReinitRegressionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let scheme: SignatureScheme
        let make: @Sendable () throws -> PrivateKey
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ecdsa-p256", scheme: .ecdsa(.sha256)) { try .generateEC(.p256) },
        Case(name: "ecdsa-p384", scheme: .ecdsa(.sha384)) { try .generateEC(.p384) },
        Case(name: "ecdsa-p521", scheme: .ecdsa(.sha512)) { try .generateEC(.p521) },
        Case(name: "ecdsa-k1", scheme: .ecdsa(.sha256)) { try .generateEC(.secp256k1) },
        Case(name: "rsa-pkcs1", scheme: .rsaPKCS1v15(.sha256)) { Fixtures.rsaA },
        Case(name: "rsa-pss", scheme: .rsaPSS(.sha256)) { Fixtures.rsaA },
        Case(name: "ed25519", scheme: .eddsa) { try .generateEdwards(.ed25519) },
        Case(name: "ed448", scheme: .eddsa) { try .generateEdwards(.ed448) },
    ]

    @Test(arguments: cases)
    func alternatingKeysNeverCrossVerify(testCase: Case) throws {
        let a = try testCase.make()
        let b: PrivateKey = if case .rsaPKCS1v15 = testCase.scheme { Fixtures.rsaB }
            else if case .rsaPSS = testCase.scheme { Fixtures.rsaB }
            else { try testCase.make() }
        let message = Message(seed: 42)
        let sigA = try a.sign(message.joined, scheme: testCase.scheme)
        let sigB = try b.sign(message.joined, scheme: testCase.scheme)
        let verifier = SignatureVerifier()
        let digest = testCase.scheme.hash.map { verifier.digest($0, message.joined) }

        func check(_ signature: [UInt8], _ key: PrivateKey, _ expected: VerificationOutcome) {
            #expect(verifier.verify(signature, message, key: key.publicKey, scheme: testCase.scheme) == expected)
            if let digest {
                #expect(verifier.verify(signature, digest: digest, key: key.publicKey, scheme: testCase.scheme) == expected)
            }
        }
        // A then B, B then A, repeatedly, valid and invalid in every order.
        for _ in 0..<3 {
            check(sigA, a, .valid)
            check(sigA, b, .invalidSignature)
            check(sigB, b, .valid)
            check(sigB, a, .invalidSignature)
            check(sigA, b, .invalidSignature)
            check(sigA, a, .valid)
            check(sigB, a, .invalidSignature)
            check(sigB, b, .valid)
        }
    }

    /// One verifier hopping between every kind of key and scheme.
    @Test func mixedKindsOnOneVerifier() throws {
        let message = Message(seed: 7)
        let pairs: [(PrivateKey, PrivateKey, SignatureScheme)] = try Self.cases.map { c in
            let a = try c.make()
            let b: PrivateKey = a === Fixtures.rsaA ? Fixtures.rsaB : try c.make()
            return (a, b, c.scheme)
        }
        let signed = try pairs.map { (a, b, scheme) in (a, b, scheme, try a.sign(message.joined, scheme: scheme)) }
        let verifier = SignatureVerifier()
        for round in 0..<2 {
            for (a, b, scheme, signature) in (round == 0 ? signed : signed.reversed()) {
                #expect(verifier.verify(signature, message, key: a.publicKey, scheme: scheme) == .valid)
                #expect(verifier.verify(signature, message, key: b.publicKey, scheme: scheme) == .invalidSignature)
            }
        }
        // The same RSA key switching padding/hash on its pooled contexts.
        let rsa = Fixtures.rsaA.publicKey
        let pkcs1 = try Fixtures.rsaA.sign(message.joined, scheme: .rsaPKCS1v15(.sha256))
        let pss = try Fixtures.rsaA.sign(message.joined, scheme: .rsaPSS(.sha256))
        for _ in 0..<3 {
            #expect(verifier.verify(pkcs1, message, key: rsa, scheme: .rsaPKCS1v15(.sha256)) == .valid)
            #expect(verifier.verify(pkcs1, message, key: rsa, scheme: .rsaPSS(.sha256)) == .invalidSignature)
            #expect(verifier.verify(pss, message, key: rsa, scheme: .rsaPSS(.sha256)) == .valid)
            #expect(verifier.verify(pss, message, key: rsa, scheme: .rsaPKCS1v15(.sha256)) == .invalidSignature)
            #expect(verifier.verify(pkcs1, message, key: rsa, scheme: .rsaPKCS1v15(.sha384)) == .invalidSignature)
        }
        // Only successes: each switch reconfigures the single kept context of the other scheme.
        for _ in 0..<3 {
            #expect(verifier.verify(pkcs1, message, key: rsa, scheme: .rsaPKCS1v15(.sha256)) == .valid)
            #expect(verifier.verify(pss, message, key: rsa, scheme: .rsaPSS(.sha256)) == .valid)
        }
    }
}
