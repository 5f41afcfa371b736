import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// The verified-chain cache seen from registrations: what it saves (through its counters) and what it must not
/// change (a chain that stops validating still fails the ceremony).
@Suite struct AttestationChainCacheTests {
    let challenge = SoftRandom.bytes(32)

    func relyingParty(_ cache: VerifiedChainCache, time: Int64? = nil) throws -> RelyingParty {
        try relyingParty(TrustAnchors(certificates: [SharedCA.ca.root], chainCache: cache), time: time)
    }

    func relyingParty(_ anchors: TrustAnchors, time: Int64?) throws -> RelyingParty {
        try makeRP {
            $0.trustAnchors = anchors
            $0.verificationTime = time
        }
    }

    func register(_ attestation: SoftAttestation, _ rp: RelyingParty, credential: COSEAlgorithm = .es256) throws -> VerifiedRegistration {
        let reg = try KeyBank.authenticator(credential).register(rpId: rpId, origin: origin, challenge: challenge, attestation: attestation)
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
    }

    @Test func aBatchCertificateIsVerifiedOnceForManyRegistrations() throws {
        let cache = VerifiedChainCache()
        let rp = try relyingParty(cache)
        let batch = try TPMFixture.issuer.issueAttestation()
        #expect(try register(.packed(batch), rp).attestationTrusted)
        let first = cache.statistics
        #expect(first.chainVerifications == 1)
        #expect(try register(.packed(batch), rp).attestationTrusted)
        let second = cache.statistics
        // One fewer chain verification: the second registration's chain is found whole.
        #expect(second.chainVerifications == first.chainVerifications)
        #expect(second.pathHits == first.pathHits + 1)
    }

    @Test func aTPMWithItsOwnAIKCertificateVerifiesOnlyThatCertificate() throws {
        let cache = VerifiedChainCache()
        let rp = try relyingParty(cache)
        let tpm = SoftAttestation.tpm(issuer: TPMFixture.issuer, aik: TPMFixture.rsaAIK, algorithm: .rs256)
        #expect(try register(tpm, rp, credential: .rs256).attestationTrusted)
        let first = cache.statistics
        #expect(first.certificateSignatures == 2)  // AIK certificate, intermediate
        // A new AIK certificate (issued per registration): the intermediate is not verified again.
        #expect(try register(tpm, rp, credential: .rs256).attestationTrusted)
        let second = cache.statistics
        #expect(second.issuerHits == first.issuerHits + 1)
        #expect(second.certificateSignatures == first.certificateSignatures + 1)
    }

    @Test func aCachedIntermediateDoesNotVouchForAForeignLeaf() throws {
        let cache = VerifiedChainCache()
        let rp = try relyingParty(cache)
        #expect(try register(.packed(try TPMFixture.issuer.issueAttestation()), rp).attestationTrusted)
        // Leaf from another CA with the same intermediate name would need that CA's key: a chain of another root's
        // intermediate sent under this root's policy fails as without the cache.
        let foreign = try SharedCA.otherCA.intermediate(name: "passkeyd Test TPM AIK CA")
        expectCode(.untrustedAttestation) { _ = try register(.packed(try foreign.issueAttestation()), rp) }
    }

    @Test func aChainThatExpiresAfterCachingFailsTheCeremony() throws {
        let cache = VerifiedChainCache()
        let anchors = TrustAnchors(certificates: [SharedCA.ca.root], chainCache: cache)
        let batch = try TPMFixture.issuer.issueAttestation()
        #expect(try register(.packed(batch), try relyingParty(anchors, time: WallClock.now())).attestationTrusted)
        #expect(cache.statistics.entries > 0)
        // The same chain, the same trust store and cache, a verification time past every certificate of it.
        let later = try relyingParty(anchors, time: 4_100_000_000)
        expectCode(.untrustedAttestation) { _ = try register(.packed(batch), later) }
        #expect(cache.statistics.pathHits == 0)
    }
}
