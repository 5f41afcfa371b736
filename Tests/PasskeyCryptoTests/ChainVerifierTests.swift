import PasskeyCrypto
import Testing

@Suite struct ChainVerifierTests {
    @Test func validityWindow() throws {
        let pki = try TestPKI()
        let verifier = ChainVerifier(trustAnchors: [pki.root])
        #expect(verifier.verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now) == nil)
        #expect(verifier.verify(leaf: pki.leaf, intermediates: [], at: pki.leaf.notBefore + 1) == nil)

        let expired = verifier.verify(leaf: pki.leaf, intermediates: [], at: pki.leaf.notAfter + 1)
        #expect(expired != nil)
        #expect(expired?.contains("expired") == true, "\(expired ?? "nil")")
        #expect(expired?.contains("depth 0") == true)
        let early = verifier.verify(leaf: pki.leaf, intermediates: [], at: pki.leaf.notBefore - 1)
        #expect(early?.contains("not yet valid") == true, "\(early ?? "nil")")
    }

    @Test func currentTime() throws {
        let key = try PrivateKey.generateEC(.p256)
        var builder = CertificateBuilder(subject: [("CN", "now root")], serial: 1, notBefore: 0,
                                         notAfter: 4_000_000_000, publicKey: key.publicKey)
        builder.isCA = true
        let root = try builder.sign(with: key)
        let leafKey = try PrivateKey.generateEC(.p256)
        var leafBuilder = CertificateBuilder(subject: [("CN", "now leaf")], issuer: [("CN", "now root")], serial: 2,
                                             notBefore: 0, notAfter: 4_000_000_000, publicKey: leafKey.publicKey)
        leafBuilder.isCA = false
        let leaf = try leafBuilder.sign(with: key)
        #expect(ChainVerifier(trustAnchors: [root]).verify(leaf: leaf, intermediates: [], at: nil) == nil)
        leafBuilder.notAfter = 1_000_000_000
        let old = try leafBuilder.sign(with: key)
        #expect(ChainVerifier(trustAnchors: [root]).verify(leaf: old, intermediates: [], at: nil) != nil)
    }

    @Test func wrongAnchor() throws {
        let pki = try TestPKI()
        let other = try TestPKI()
        let result = ChainVerifier(trustAnchors: [other.root]).verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now)
        #expect(result != nil)
        #expect(ChainVerifier(trustAnchors: []).verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now) != nil)
        // Same subject name, different key: the signature check must fail.
        let impostor = try TestPKI()
        #expect(ChainVerifier(trustAnchors: [impostor.root]).verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now) != nil)
        #expect(ChainVerifier(trustAnchors: [other.root, pki.root]).verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now) == nil)
    }

    @Test func intermediatesAndPartialChains() throws {
        let pki = try TestPKI()
        // root -> intermediate -> leaf
        let interKey = try PrivateKey.generateEC(.p384)
        let interSubject = [("C", "US"), ("O", "Passkeyd Test CA"), ("CN", "Passkeyd Intermediate")]
        var interBuilder = CertificateBuilder(subject: interSubject, issuer: pki.rootSubject, serial: 2,
                                              notBefore: TestPKI.now - TestPKI.day, notAfter: TestPKI.now + 100 * TestPKI.day,
                                              publicKey: interKey.publicKey)
        interBuilder.isCA = true
        let intermediate = try interBuilder.sign(with: pki.rootKey, hash: .sha384)
        var leafBuilder = CertificateBuilder(subject: pki.leafSubject, issuer: interSubject, serial: 3,
                                             notBefore: TestPKI.now - TestPKI.day, notAfter: TestPKI.now + 10 * TestPKI.day,
                                             publicKey: pki.leafKey.publicKey)
        leafBuilder.isCA = false
        let leaf = try leafBuilder.sign(with: interKey, hash: .sha384)

        let fromRoot = ChainVerifier(trustAnchors: [pki.root])
        #expect(fromRoot.verify(leaf: leaf, intermediates: [intermediate], at: TestPKI.now) == nil)
        #expect(fromRoot.verify(leaf: leaf, intermediates: [], at: TestPKI.now) != nil)
        // An intermediate configured as the anchor (partial chain).
        #expect(ChainVerifier(trustAnchors: [intermediate]).verify(leaf: leaf, intermediates: [], at: TestPKI.now) == nil)
        // The intermediate expires before the leaf's check time.
        let late = fromRoot.verify(leaf: leaf, intermediates: [intermediate], at: TestPKI.now + 200 * TestPKI.day)
        #expect(late?.contains("expired") == true)

        // A leaf posing as a CA for another leaf: not a CA -> fails.
        let rogueKey = try PrivateKey.generateEC(.p256)
        let rogue = try CertificateBuilder(subject: [("CN", "rogue")], issuer: pki.leafSubject, serial: 9,
                                           notBefore: TestPKI.now - TestPKI.day, notAfter: TestPKI.now + TestPKI.day,
                                           publicKey: rogueKey.publicKey).sign(with: pki.leafKey)
        #expect(fromRoot.verify(leaf: rogue, intermediates: [pki.leaf], at: TestPKI.now) != nil)
    }

    @Test func unknownCriticalExtensionFails() throws {
        let pki = try TestPKI(leafExtensionCritical: true)
        let result = ChainVerifier(trustAnchors: [pki.root]).verify(leaf: pki.leaf, intermediates: [], at: TestPKI.now)
        #expect(result?.contains("critical") == true, "\(result ?? "nil")")
    }
}
