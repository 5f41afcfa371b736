import PasskeyCrypto
import Testing

/// `VerifiedChainCache` under `ChainVerifier.validate`: what is found is still checked where it must be, and the
/// counters show the work saved. Every test has a cache of its own.
private let now = TestPKI.now
private let day = TestPKI.day

@Suite struct ChainVerifierCacheTests {
    /// root → intermediate → leaves (any number, each with its own key), as a vendor's attestation CA issues them.
    struct Vendor {
        let pki: TestPKI
        let intermediateKey: PrivateKey
        let intermediate: Certificate
        let interSubject = [("C", "US"), ("O", "Passkeyd Test CA"), ("CN", "Passkeyd Cache Intermediate")]

        init(intermediateNotAfter: Int64 = now + 100 * day, rootKey: PrivateKey? = nil) throws {
            pki = try TestPKI(rootKey: rootKey)
            intermediateKey = try PrivateKey.generateEC(.p256)
            var ib = CertificateBuilder(
                subject: interSubject, issuer: pki.rootSubject, serial: 7, notBefore: now - day, notAfter: intermediateNotAfter,
                publicKey: intermediateKey.publicKey)
            ib.isCA = true
            intermediate = try ib.sign(with: pki.rootKey)
        }

        func leaf(serial: UInt64 = 99, notAfter: Int64 = now + 10 * day, signer: PrivateKey? = nil) throws -> Certificate {
            var lb = CertificateBuilder(
                subject: [("CN", "attestation \(serial)")], issuer: interSubject, serial: serial, notBefore: now - day,
                notAfter: notAfter, publicKey: try PrivateKey.generateEC(.p256).publicKey)
            lb.isCA = false
            return try lb.sign(with: signer ?? intermediateKey)
        }
    }

    @Test func theSameChainTwiceIsVerifiedOnce() throws {
        let vendor = try Vendor()
        let cache = VerifiedChainCache()
        let verifier = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        let leaf = try vendor.leaf()
        #expect(verifier.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        let first = cache.statistics
        #expect(first.chainVerifications == 1)
        #expect(first.certificateSignatures == 2)
        #expect(first.misses == 1)
        // A copy parsed again from the same DER: the cache keys on bytes, not on objects.
        let copy = try Certificate(der: leaf.derBytes)
        #expect(verifier.validate(leaf: copy, intermediates: [vendor.intermediate], at: now) == nil)
        let second = cache.statistics
        #expect(second.chainVerifications == first.chainVerifications)
        #expect(second.certificateSignatures == first.certificateSignatures)
        #expect(second.pathHits == 1)
    }

    @Test func aNewLeafUnderACachedIntermediateVerifiesOnlyTheLeaf() throws {
        let vendor = try Vendor()
        let cache = VerifiedChainCache()
        let verifier = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        #expect(verifier.validate(leaf: try vendor.leaf(serial: 1), intermediates: [vendor.intermediate], at: now) == nil)
        let before = cache.statistics
        #expect(verifier.validate(leaf: try vendor.leaf(serial: 2), intermediates: [vendor.intermediate], at: now) == nil)
        let after = cache.statistics
        #expect(after.issuerHits == before.issuerHits + 1)
        #expect(after.chainVerifications == before.chainVerifications + 1)
        #expect(after.certificateSignatures == before.certificateSignatures + 1)
    }

    @Test func aCachedIntermediateStillRejectsALeafSignedByAnotherKey() throws {
        let vendor = try Vendor()
        let cache = VerifiedChainCache()
        let verifier = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        let good = try vendor.leaf(serial: 1)
        #expect(verifier.validate(leaf: good, intermediates: [vendor.intermediate], at: now) == nil)
        // Same issuer name, another key: the signature check must still run and fail.
        let forged = try vendor.leaf(serial: 2, signer: try PrivateKey.generateEC(.p256))
        let failure = verifier.validate(leaf: forged, intermediates: [vendor.intermediate], at: now)
        #expect(failure?.kind == .untrusted)
        #expect(failure?.depth == 0)
        // Failures are not remembered: the forged chain fails again, with a verification each time.
        let before = cache.statistics
        #expect(verifier.validate(leaf: forged, intermediates: [vendor.intermediate], at: now) != nil)
        #expect(cache.statistics.chainVerifications == before.chainVerifications + 1)
        #expect(cache.statistics.pathHits == before.pathHits)
        // And the leaf alone, with no intermediate, does not reach the root.
        #expect(verifier.validate(leaf: good, intermediates: [], at: now) != nil)
    }

    @Test func expiryAfterCachingIsCaught() throws {
        let vendor = try Vendor(intermediateNotAfter: now + 20 * day)
        let cache = VerifiedChainCache()
        let verifier = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        let leaf = try vendor.leaf(serial: 1, notAfter: now + 10 * day)
        #expect(verifier.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        // The leaf expires first: the cached path no longer applies.
        #expect(verifier.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now + 11 * day)?.kind == .expired)
        // A fresh leaf whose own validity is longer, after the cached intermediate has expired.
        let late = try vendor.leaf(serial: 2, notAfter: now + 40 * day)
        #expect(verifier.validate(leaf: late, intermediates: [vendor.intermediate], at: now) == nil)
        let expired = verifier.validate(leaf: late, intermediates: [vendor.intermediate], at: now + 21 * day)
        #expect(expired?.kind == .expired)
        #expect(expired?.depth == 1)
        // And the other side of the window: before notBefore.
        #expect(verifier.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now - 2 * day)?.kind == .notYetValid)
    }

    @Test func anotherTrustStoreNeverUsesTheEntries() throws {
        let vendor = try Vendor()
        let other = try Vendor()
        let cache = VerifiedChainCache()
        let leaf = try vendor.leaf()
        #expect(ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache).validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        // The roots changed (a reload without this vendor): the same chain is not trusted.
        let reloaded = ChainVerifier(trustAnchors: [other.pki.root], cache: cache)
        #expect(reloaded.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now)?.kind == .untrusted)
        // Even with the very same roots, a new store starts cold: entries are keyed on the store, not its contents.
        let before = cache.statistics
        let again = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        #expect(again.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        #expect(cache.statistics.pathHits == before.pathHits)
        #expect(cache.statistics.chainVerifications == before.chainVerifications + 1)
    }

    @Test func revocationIsNeverAnsweredFromTheCache() throws {
        let vendor = try Vendor()
        let leaf = try vendor.leaf()
        #expect(ChainVerifier(trustAnchors: [vendor.pki.root]).validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        #expect(ChainVerifier(trustAnchors: [vendor.pki.root]).cache === VerifiedChainCache.shared)
        let rootCRL = try RevocationListBuilder(issuer: vendor.pki.root, revoked: [], thisUpdate: now - day, nextUpdate: now + 30 * day)
            .sign(with: vendor.pki.rootKey)
        let revoking = try RevocationListBuilder(issuer: vendor.intermediate, revoked: [leaf], thisUpdate: now - day, nextUpdate: now + 30 * day)
            .sign(with: vendor.intermediateKey)
        let withCRLs = ChainVerifier(trustAnchors: [vendor.pki.root], revocationLists: [rootCRL, revoking])
        #expect(withCRLs.cache == nil)
        #expect(withCRLs.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now)?.kind == .revoked)
        #expect(withCRLs.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now)?.kind == .revoked)
    }

    @Test func boundedUnderManyDistinctChains() throws {
        let vendor = try Vendor()
        let cache = VerifiedChainCache(maximumEntries: 8, maximumBytes: 1 << 20)
        let verifier = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        for serial in 1...40 {
            #expect(verifier.validate(leaf: try vendor.leaf(serial: UInt64(serial)), intermediates: [vendor.intermediate], at: now) == nil)
            #expect(cache.statistics.entries <= 8)
        }
        let s = cache.statistics
        #expect(s.evictions > 0)
        // The intermediate, used by every leaf, stayed (least recently used goes first): one miss, then issuer hits.
        #expect(s.misses == 1)
        #expect(s.issuerHits == 39)

        let small = VerifiedChainCache(maximumEntries: 1_000, maximumBytes: 4_000)
        let bounded = ChainVerifier(trustAnchors: [vendor.pki.root], cache: small)
        for serial in 1...40 {
            #expect(bounded.validate(leaf: try vendor.leaf(serial: UInt64(serial)), intermediates: [vendor.intermediate], at: now) == nil)
            #expect(small.statistics.bytes <= 4_000)
        }
        #expect(small.statistics.entries > 0)
        #expect(small.statistics.evictions > 0)
    }

    @Test func aCacheOfNothingStillVerifies() throws {
        let vendor = try Vendor()
        let cache = VerifiedChainCache(maximumEntries: 0)
        let verifier = ChainVerifier(trustAnchors: [vendor.pki.root], cache: cache)
        let leaf = try vendor.leaf()
        #expect(verifier.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        #expect(verifier.validate(leaf: leaf, intermediates: [vendor.intermediate], at: now) == nil)
        #expect(cache.statistics.chainVerifications == 2)
        #expect(cache.statistics.entries == 0)
    }

    @Test func nameConstraintsAboveTheLeafKeepFullVerification() throws {
        // An intermediate with nameConstraints (permitted dNSName example.com, DER): the leaf's names matter to it,
        // so no issuer entry is made and every new leaf is verified in full.
        let pki = try TestPKI()
        let key = try PrivateKey.generateEC(.p256)
        let subject = [("CN", "constrained CA")]
        var ib = CertificateBuilder(subject: subject, issuer: pki.rootSubject, serial: 5, notBefore: now - day, notAfter: now + 100 * day,
                                    publicKey: key.publicKey)
        ib.isCA = true
        let permitted: [UInt8] = [0x30, 0x0F, 0xA0, 0x0D, 0x30, 0x0B, 0x82, 0x09] + Array("a.example".utf8)
        ib.extraExtensions = [(oid: "2.5.29.30", critical: true, derValue: permitted)]
        let intermediate = try ib.sign(with: pki.rootKey)
        let cache = VerifiedChainCache()
        let verifier = ChainVerifier(trustAnchors: [pki.root], cache: cache)
        for serial in 1...3 {
            var lb = CertificateBuilder(subject: [("CN", "leaf \(serial)")], issuer: subject, serial: UInt64(serial), notBefore: now - day,
                                        notAfter: now + 10 * day, publicKey: try PrivateKey.generateEC(.p256).publicKey)
            lb.isCA = false
            #expect(verifier.validate(leaf: try lb.sign(with: key), intermediates: [intermediate], at: now) == nil)
        }
        #expect(cache.statistics.issuerHits == 0)
        #expect(cache.statistics.misses == 3)
    }
}

@Suite struct ParsedCertificateCacheTests {
    @Test func theSameDERIsParsedOnce() throws {
        let pki = try TestPKI()
        let cache = ParsedCertificateCache()
        let a = try cache.certificate(der: pki.leaf.derBytes)
        let b = try cache.certificate(der: pki.leaf.derBytes)
        #expect(a === b)
        #expect(cache.statistics.hits == 1)
        #expect(cache.statistics.misses == 1)
        // Another certificate is another entry, not the cached one.
        let root = try cache.certificate(der: pki.root.derBytes)
        #expect(root !== a)
        #expect(root.derBytes == pki.root.derBytes)
    }

    @Test func failuresAreNotCachedAndStillFail() throws {
        let pki = try TestPKI()
        let cache = ParsedCertificateCache()
        let trailing = pki.leaf.derBytes + [0x00]
        for _ in 0..<2 {
            #expect(throws: CryptoError.self) { _ = try cache.certificate(der: trailing) }
        }
        #expect(cache.statistics.entries == 0)
        #expect(cache.statistics.misses == 2)
    }

    @Test func bounded() throws {
        let pki = try TestPKI()
        let cache = ParsedCertificateCache(maximumEntries: 4)
        for serial in 1...12 {
            var b = CertificateBuilder(subject: [("CN", "leaf \(serial)")], issuer: pki.rootSubject, serial: UInt64(serial),
                                       notBefore: TestPKI.now - TestPKI.day, notAfter: TestPKI.now + TestPKI.day,
                                       publicKey: pki.leafKey.publicKey)
            b.isCA = false
            _ = try cache.certificate(der: try b.sign(with: pki.rootKey).derBytes)
            #expect(cache.statistics.entries <= 4)
        }
        #expect(cache.statistics.evictions == 8)
        let tiny = ParsedCertificateCache(maximumEntries: 100, maximumBytes: 100)
        _ = try tiny.certificate(der: pki.leaf.derBytes)
        #expect(tiny.statistics.entries == 0)
    }
}
