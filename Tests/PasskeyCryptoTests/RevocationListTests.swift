import PasskeyCrypto
import Testing

/// Revocation checking in `ChainVerifier(trustAnchors:revocationLists:)`, with CRLs made by `RevocationListBuilder`.
private let now = TestPKI.now
private let day = TestPKI.day

@Suite struct RevocationListTests {
    /// root → intermediate → leaf, and a CRL of each CA (revoking nothing unless asked).
    struct Chain {
        let pki: TestPKI
        let intermediateKey: PrivateKey
        let intermediate: Certificate
        let leaf: Certificate
        let interSubject = [("C", "US"), ("O", "Passkeyd Test CA"), ("CN", "Passkeyd CRL Intermediate")]

        init() throws {
            pki = try TestPKI()
            intermediateKey = try PrivateKey.generateEC(.p256)
            var ib = CertificateBuilder(
                subject: interSubject, issuer: pki.rootSubject, serial: 7, notBefore: now - day, notAfter: now + 100 * day,
                publicKey: intermediateKey.publicKey)
            ib.isCA = true
            intermediate = try ib.sign(with: pki.rootKey)
            var lb = CertificateBuilder(
                subject: [("CN", "mds signer")], issuer: interSubject, serial: 99, notBefore: now - day, notAfter: now + 10 * day,
                publicKey: pki.leafKey.publicKey)
            lb.isCA = false
            leaf = try lb.sign(with: intermediateKey)
        }

        func rootCRL(revoking: [Certificate] = [], nextUpdate: Int64? = now + 30 * day) throws -> RevocationList {
            try RevocationListBuilder(issuer: pki.root, revoked: revoking, thisUpdate: now - day, nextUpdate: nextUpdate)
                .sign(with: pki.rootKey)
        }

        func intermediateCRL(revoking: [Certificate] = [], nextUpdate: Int64? = now + 30 * day) throws -> RevocationList {
            try RevocationListBuilder(issuer: intermediate, revoked: revoking, thisUpdate: now - day, nextUpdate: nextUpdate)
                .sign(with: intermediateKey)
        }

        func validate(_ lists: [RevocationList], at time: Int64 = now) -> ChainFailure? {
            ChainVerifier(trustAnchors: [pki.root], revocationLists: lists).validate(
                leaf: leaf, intermediates: [intermediate], at: time)
        }
    }

    @Test func currentListsThatRevokeNothingPass() throws {
        let c = try Chain()
        #expect(c.validate([try c.rootCRL(), try c.intermediateCRL()]) == nil)
        // No lists at all: no revocation checking, as before.
        #expect(c.validate([]) == nil)
    }

    @Test func revokedLeafAndRevokedIntermediate() throws {
        let c = try Chain()
        let leafRevoked = c.validate([try c.rootCRL(), try c.intermediateCRL(revoking: [c.leaf])])
        #expect(leafRevoked?.kind == .revoked && leafRevoked?.depth == 0, "\(String(describing: leafRevoked))")
        let intermediateRevoked = c.validate([try c.rootCRL(revoking: [c.intermediate]), try c.intermediateCRL()])
        #expect(intermediateRevoked?.kind == .revoked && intermediateRevoked?.depth == 1, "\(String(describing: intermediateRevoked))")
    }

    @Test func everyCertificateNeedsACurrentList() throws {
        let c = try Chain()
        // Only the root's list: the leaf has none from its issuer.
        #expect(c.validate([try c.rootCRL()])?.kind == .revocationUnknown)
        // Only the intermediate's list: the intermediate has none from the root.
        #expect(c.validate([try c.intermediateCRL()])?.kind == .revocationUnknown)
        // A list past its nextUpdate.
        let stale = c.validate([try c.rootCRL(), try c.intermediateCRL(nextUpdate: now - 1)])
        #expect(stale?.kind == .revocationUnknown, "\(String(describing: stale))")
        // A list signed by someone else under the issuer's name.
        let forger = try PrivateKey.generateEC(.p256)
        let forged = try RevocationListBuilder(issuer: c.intermediate, thisUpdate: now - day, nextUpdate: now + day).sign(with: forger)
        #expect(c.validate([try c.rootCRL(), forged])?.kind == .revocationUnknown)
    }

    @Test func failureKinds() throws {
        let c = try Chain()
        #expect(c.validate([], at: c.leaf.notAfter + 1)?.kind == .expired)
        #expect(c.validate([], at: c.leaf.notBefore - 1)?.kind == .notYetValid)
        let other = try TestPKI()
        let untrusted = ChainVerifier(trustAnchors: [other.root], revocationLists: [])
            .validate(leaf: c.leaf, intermediates: [c.intermediate], at: now)
        #expect(untrusted?.kind == .untrusted)
        // verify() still answers OpenSSL's reason with the depth.
        let text = ChainVerifier(trustAnchors: [c.pki.root]).verify(leaf: c.leaf, intermediates: [c.intermediate], at: c.leaf.notAfter + 1)
        #expect(text?.contains("expired") == true && text?.contains("depth 0") == true, "\(text ?? "nil")")
    }

    @Test func parsesPEMBundlesAndDER() throws {
        let c = try Chain()
        let a = try c.rootCRL(), b = try c.intermediateCRL(revoking: [c.leaf])
        #expect(try RevocationList.parseFile(a.derBytes).map(\.derBytes) == [a.derBytes])
        let pem = Array((pemBlock(a.derBytes) + "junk between\n" + pemBlock(b.derBytes)).utf8)
        #expect(try RevocationList.parseFile(pem).map(\.derBytes) == [a.derBytes, b.derBytes])
        #expect(a.thisUpdate == now - day && a.nextUpdate == now + 30 * day)
        #expect(throws: CryptoError.self) { try RevocationList.parseFile(a.derBytes + [0]) }
        #expect(throws: CryptoError.self) { try RevocationList.parseFile(Array("-----BEGIN X509 CRL-----\nAAAA\n".utf8)) }
        #expect(throws: CryptoError.self) { try RevocationList(der: []) }
    }

    func pemBlock(_ der: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < der.count {
            let chunk = Array(der[i..<min(i + 3, der.count)])
            let v = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for k in 0..<4 {
                out.append(k <= chunk.count ? alphabet[Int((v >> (18 - 6 * UInt32(k))) & 63)] : UInt8(ascii: "="))
            }
            i += 3
        }
        var lines = ""
        var j = 0
        while j < out.count {
            lines += String(decoding: out[j..<min(j + 64, out.count)], as: UTF8.self) + "\n"
            j += 64
        }
        return "-----BEGIN X509 CRL-----\n" + lines + "-----END X509 CRL-----\n"
    }
}
