import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// One CA per test process: key generation is not what these tests are about.
enum SharedCA {
    static let ca: TestCA = try! TestCA()
    static let otherCA: TestCA = try! TestCA(name: "Some Other Root")
}

@Suite struct RegistrationTests {
    let challenge = SoftRandom.bytes(32)

    func register(
        _ auth: SoftAuthenticator, _ attestation: SoftAttestation = .none, options: SoftCeremonyOptions = SoftCeremonyOptions(),
        rp: RelyingParty? = nil, challenge ch: [UInt8]? = nil, origin o: String = origin
    ) throws -> (SoftRegistration, () throws -> VerifiedRegistration) {
        let reg = try auth.register(rpId: rpId, origin: o, challenge: ch ?? challenge, attestation: attestation, options: options)
        let party = try rp ?? makeRP()
        return (reg, { try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: self.challenge, relyingParty: party) })
    }

    func verifyRaw(_ reg: SoftRegistration, rp: RelyingParty? = nil) throws -> VerifiedRegistration {
        try WebAuthnVerifier().verifyRegistration(
            credentialID: reg.credentialID, clientDataJSON: reg.clientDataJSON, attestationObject: reg.attestationObject,
            challenge: challenge, relyingParty: try rp ?? makeRP())
    }

    @Test(arguments: allAlgorithms)
    func noneAndPackedSelfForEveryAlgorithm(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        for attestation in [SoftAttestation.none, .packedSelf] {
            let (_, run) = try register(auth, attestation)
            let r = try run()
            #expect(r.algorithm == alg)
            #expect(r.credentialID == auth.credentialID)
            #expect(r.credentialPublicKey == auth.cosePublicKey)
            #expect(r.aaguid == auth.aaguid)
            if case .none = attestation {
                #expect(r.format == "none")
                #expect(r.attestationType == .none)
            } else {
                #expect(r.format == "packed")
                #expect(r.attestationType == .self)
            }
            // The registered key then verifies an assertion.
            let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
            _ = try verify(a, auth, challenge: challenge, rp: try makeRP())
        }
    }

    @Test(arguments: [COSEAlgorithm.es256, .es384, .es512, .ps256, .rs256, .ed25519])
    func packedFullAttestationWithEveryAttestationKeyKind(_ attAlg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(.es256)
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        let identity = try SharedCA.ca.issueAttestation(algorithm: attAlg, options: leaf)
        let (_, run) = try register(auth, .packed(identity))
        let r = try run()
        #expect(r.attestationType == .basic)
        #expect(r.attestationCertificates == identity.chain.map(\.derBytes))
        #expect(r.attestationTrusted == false)
        // With the CA configured as a trust anchor the chain must validate.
        let trusted = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root]) }
        let (_, runTrusted) = try register(auth, .packed(identity), rp: trusted)
        #expect(try runTrusted().attestationTrusted)
        let wrongAnchor = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.otherCA.root]) }
        let (_, runWrong) = try register(auth, .packed(identity), rp: wrongAnchor)
        expectCode(.untrustedAttestation) { _ = try runWrong() }
    }

    @Test func fidoU2F() throws {
        let auth = try KeyBank.authenticator(.es256)
        let identity = try SharedCA.ca.issueAttestation(algorithm: .es256)
        var o = SoftCeremonyOptions()
        o.flags = [.userPresent]
        let (reg, run) = try register(auth, .fidoU2F(identity), options: o)
        let r = try run()
        #expect(r.format == "fido-u2f")
        #expect(r.attestationType == .basic)
        #expect(!r.userVerified)
        let trusted = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root]) }
        #expect(try verifyRaw(reg, rp: trusted).attestationTrusted)
        // A flipped byte of the credential id inside authData changes the U2F verification data.
        var bad = reg
        bad.attestationObject = SoftAuthenticator.attestationObject(
            fmt: "fido-u2f", statement: try statementBytes(reg.attestationObject),
            authData: reg.authenticatorData.enumerated().map { $0.offset == 37 + 18 ? $0.element ^ 1 : $0.element })
        expectCode(.badSignature) {
            _ = try WebAuthnVerifier().verifyRegistration(
                clientDataJSON: bad.clientDataJSON, attestationObject: bad.attestationObject, challenge: challenge,
                relyingParty: try makeRP())
        }
        // A U2F device has no AAGUID: the wrapping client writes zeros, and anything else is refused.
        #expect(r.aaguid == [UInt8](repeating: 0, count: 16))
        var withAAGUID = o
        withAAGUID.aaguid = SoftRandom.bytes(16)
        let (_, runWith) = try register(auth, .fidoU2F(identity), options: withAAGUID)
        expectCode(.aaguidMismatch) { _ = try runWith() }
    }

    @Test func fidoU2FNeedsP256Everything() throws {
        let auth = try KeyBank.authenticator(.es384)
        let identity = try SharedCA.ca.issueAttestation(algorithm: .es256)
        // The soft authenticator refuses nothing; build the U2F statement by hand over a P-384 credential.
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .fidoU2F(identity))
        expectCode(.invalidAttestationStatement) { _ = try verifyRaw(reg) }
        let p384Identity = try SharedCA.ca.issueAttestation(algorithm: .es384)
        let es256 = try KeyBank.authenticator(.es256)
        let reg2 = try es256.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .fidoU2F(p384Identity))
        expectCode(.invalidAttestationCertificate) { _ = try verifyRaw(reg2) }
    }

    @Test func packedCertificateRequirements() throws {
        let auth = try KeyBank.authenticator(.es256)
        func check(_ configure: (inout TestCA.LeafOptions) -> Void, _ code: WebAuthnError.Code) throws {
            var leaf = TestCA.LeafOptions()
            leaf.aaguid = auth.aaguid
            configure(&leaf)
            let identity = try SharedCA.ca.issueAttestation(options: leaf)
            let (_, run) = try register(auth, .packed(identity))
            expectCode(code) { _ = try run() }
        }
        try check({ $0.organizationalUnit = "Something Else" }, .invalidAttestationCertificate)
        try check({ $0.organizationalUnit = nil }, .invalidAttestationCertificate)
        try check({ $0.country = nil }, .invalidAttestationCertificate)
        try check({ $0.organization = nil }, .invalidAttestationCertificate)
        try check({ $0.commonName = nil }, .invalidAttestationCertificate)
        try check({ $0.isCA = true }, .invalidAttestationCertificate)
        try check({ $0.aaguidCritical = true }, .invalidAttestationCertificate)
        try check({ $0.aaguid = SoftRandom.bytes(16) }, .aaguidMismatch)
        try check({ $0.version = 1; $0.aaguid = nil; $0.isCA = nil }, .invalidAttestationCertificate)
        // Without the AAGUID extension and without basicConstraints the certificate is acceptable.
        var plain = TestCA.LeafOptions()
        plain.isCA = nil
        let (_, run) = try register(auth, .packed(try SharedCA.ca.issueAttestation(options: plain)))
        #expect(try run().attestationType == .basic)
    }

    /// A batch leaf is parsed once and its key built once (ParsedCertificateCache, Certificate.publicKey): nothing
    /// kept may carry one registration's outcome into the next registration with the same leaf.
    @Test func repeatedBatchLeafIsCheckedEveryTime() throws {
        let auth = try KeyBank.authenticator(.es256)
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        let identity = try SharedCA.ca.issueAttestation(options: leaf)
        let (_, first) = try register(auth, .packed(identity))
        #expect(try first().attestationType == .basic)
        // The same leaf, another AAGUID in authData.
        var otherAAGUID = SoftCeremonyOptions()
        otherAAGUID.aaguid = SoftRandom.bytes(16)
        let (_, wrongAAGUID) = try register(auth, .packed(identity), options: otherAAGUID)
        expectCode(.aaguidMismatch) { _ = try wrongAAGUID() }
        // The same leaf, the statement signed by a key that is not the certificate's.
        var forged = identity
        forged.key = try PrivateKey.generateEC(.p256)
        let (_, wrongKey) = try register(auth, .packed(forged))
        expectCode(.badSignature) { _ = try wrongKey() }
        // The genuine registration still passes after the failures.
        let (_, again) = try register(auth, .packed(identity))
        #expect(try again().attestationType == .basic)
    }

    @Test func expiredChainAndReplayAtAnOldTime() throws {
        let auth = try KeyBank.authenticator(.es256)
        var leaf = TestCA.LeafOptions()
        leaf.notBefore = 1_600_000_000
        leaf.notAfter = 1_700_000_000  // expired in 2023
        let identity = try SharedCA.ca.issueAttestation(options: leaf)
        let now = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root]) }
        let (_, runNow) = try register(auth, .packed(identity), rp: now)
        expectCode(.untrustedAttestation) { _ = try runNow() }
        let replay = try makeRP {
            $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root])
            $0.verificationTime = 1_650_000_000
        }
        let (_, runThen) = try register(auth, .packed(identity), rp: replay)
        #expect(try runThen().attestationTrusted)
    }

    @Test func trustRequiredRejectsSelfAndNone() throws {
        let auth = try KeyBank.authenticator(.es256)
        let rp = try makeRP { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root]) }
        for attestation in [SoftAttestation.none, .packedSelf] {
            let (_, run) = try register(auth, attestation, rp: rp)
            expectCode(.untrustedAttestation) { _ = try run() }
        }
    }

    @Test func packedStatementMutations() throws {
        let auth = try KeyBank.authenticator(.es256)
        let (reg, _) = try register(auth, .packedSelf)
        func withStatement(_ stmt: [UInt8], fmt: String = "packed") -> SoftRegistration {
            var r = reg
            r.attestationObject = SoftAuthenticator.attestationObject(fmt: fmt, statement: stmt, authData: reg.authenticatorData)
            return r
        }
        let sig = try auth.sign(reg.authenticatorData + sha256(reg.clientDataJSON))
        // alg differs from the credential's algorithm in self attestation.
        expectCode(.algorithmMismatch) { _ = try verifyRaw(withStatement(SoftAuthenticator.packedStatement(alg: .es384, sig: sig, x5c: nil))) }
        // unknown algorithm number
        var w = CBORWriter()
        w.beginMap(2); w.writeText("alg"); w.writeInt(-4242); w.writeText("sig"); w.writeBytes(sig)
        expectCode(.unsupportedAlgorithm) { _ = try verifyRaw(withStatement(w.bytes)) }
        // missing sig
        w = CBORWriter()
        w.beginMap(1); w.writeText("alg"); w.writeInt(-7)
        expectCode(.invalidAttestationStatement) { _ = try verifyRaw(withStatement(w.bytes)) }
        // signature by another key
        let other = try SoftAuthenticator(algorithm: .es256)
        let otherSig = try other.sign(reg.authenticatorData + sha256(reg.clientDataJSON))
        expectCode(.badSignature) { _ = try verifyRaw(withStatement(SoftAuthenticator.packedStatement(alg: .es256, sig: otherSig, x5c: nil))) }
        // x5c that is not a certificate
        expectCode(.invalidAttestationCertificate) {
            _ = try verifyRaw(withStatement(SoftAuthenticator.packedStatement(alg: .es256, sig: sig, x5c: [[0x30, 0x03, 0x02, 0x01, 0x01]])))
        }
        // empty x5c
        expectCode(.invalidAttestationStatement) { _ = try verifyRaw(withStatement(SoftAuthenticator.packedStatement(alg: .es256, sig: sig, x5c: []))) }
        // ECDAA
        w = CBORWriter()
        w.beginMap(3); w.writeText("alg"); w.writeInt(-7); w.writeText("sig"); w.writeBytes(sig); w.writeText("ecdaaKeyId"); w.writeBytes([1])
        expectCode(.ecdaaNotSupported) { _ = try verifyRaw(withStatement(w.bytes)) }
        // 'none' with a non-empty statement
        expectCode(.invalidAttestationStatement) {
            _ = try verifyRaw(withStatement(SoftAuthenticator.packedStatement(alg: .es256, sig: sig, x5c: nil), fmt: "none"))
        }
        // Unknown or differently-cased format names.
        for fmt in ["Packed", "tpm-ish", ""] {
            expectCode(.unsupportedAttestationFormat) { _ = try verifyRaw(withStatement([0xA0], fmt: fmt)) }
        }
    }

    @Test func packedX5CWithMismatchedAlgorithm() throws {
        let auth = try KeyBank.authenticator(.es256)
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        let identity = try SharedCA.ca.issueAttestation(algorithm: .es256, options: leaf)
        var lying = identity
        lying.algorithm = .es384  // P-256 certificate key claiming ES384
        let (_, run) = try register(auth, .packed(lying))
        expectCode(.algorithmMismatch) { _ = try run() }
    }

    @Test func clientDataAndFlagChecksApplyToRegistration() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.type = "webauthn.get"
        expectCode(.clientDataTypeMismatch) { _ = try register(auth, options: o).1() }
        expectCode(.challengeMismatch) { _ = try register(auth, challenge: SoftRandom.bytes(32)).1() }
        expectCode(.originMismatch) { _ = try register(auth, origin: "https://evil.example").1() }
        o = SoftCeremonyOptions()
        o.flags = [.userVerified]
        expectCode(.userPresenceRequired) { _ = try register(auth, options: o).1() }
        // Conditional create: the registration-only switch accepts a credential made without UP, and says so.
        let conditional = try register(auth, options: o, rp: try makeRP { $0.requireUserPresenceAtRegistration = false }).1()
        #expect(conditional.userPresent == false)
        o.flags = [.userPresent]
        expectCode(.userVerificationRequired) { _ = try register(auth, options: o, rp: try makeRP { $0.requireUserVerification = true }).1() }
        o.flags = [.userPresent, .backedUp]
        expectCode(.backupStateWithoutEligibility) { _ = try register(auth, options: o).1() }
        let reg = try auth.register(rpId: "other.example", origin: origin, challenge: challenge)
        expectCode(.rpIdMismatch) { _ = try verifyRaw(reg) }
    }

    @Test func attestedCredentialDataChecks() throws {
        let auth = try KeyBank.authenticator(.es256)
        let (reg, _) = try register(auth)
        func withAuthData(_ ad: [UInt8]) -> SoftRegistration {
            var r = reg
            r.attestationObject = SoftAuthenticator.attestationObject(fmt: "none", statement: [0xA0], authData: ad)
            r.authenticatorData = ad
            return r
        }
        // AT not set.
        let noAT = auth.authenticatorData(rpId: rpId, flags: [.userPresent], signCount: 0, attested: false)
        expectCode(.missingAttestedCredentialData) { _ = try verifyRaw(withAuthData(noAT)) }
        // Credential id length beyond the data.
        var long = reg.authenticatorData
        long[37 + 16] = 0x03
        long[37 + 17] = 0xFF
        expectCode(.malformedAuthenticatorData) { _ = try verifyRaw(withAuthData(long)) }
        // Credential id longer than 1023 bytes.
        let bigID = SoftAuthenticator(algorithm: .es256, privateKey: auth.privateKey, credentialID: [UInt8](repeating: 7, count: 1024), aaguid: auth.aaguid)
        let big = bigID.authenticatorData(rpId: rpId, flags: [.userPresent], signCount: 0, attested: true)
        expectCode(.credentialIdTooLong) { _ = try verifyRaw(withAuthData(big)) }
        // Truncated COSE key.
        expectCode(.malformedCBOR) { _ = try verifyRaw(withAuthData(Array(reg.authenticatorData.dropLast(3)))) }
        // rawId that is not the attested credential id.
        var other = reg
        other.credentialID = [1, 2, 3]
        expectCode(.credentialIdMismatch) { _ = try verifyRaw(other) }
    }

    @Test func malformedAttestationObjects() throws {
        let auth = try KeyBank.authenticator(.es256)
        let (reg, _) = try register(auth)
        func check(_ object: [UInt8], _ code: WebAuthnError.Code) {
            var r = reg
            r.attestationObject = object
            expectCode(code) { _ = try verifyRaw(r) }
        }
        check([], .malformedCBOR)
        check([0x80], .malformedAttestationObject)  // an array
        check(reg.attestationObject + [0x00], .malformedCBOR)  // trailing byte
        var w = CBORWriter()
        w.beginMap(2); w.writeText("fmt"); w.writeText("none"); w.writeText("attStmt"); w.beginMap(0)
        check(w.bytes, .malformedAttestationObject)  // no authData
        w = CBORWriter()
        w.beginMap(3); w.writeText("fmt"); w.writeText("none"); w.writeText("fmt"); w.writeText("packed"); w.writeText("authData"); w.writeBytes([1])
        check(w.bytes, .malformedCBOR)  // duplicate key
    }

    @Test func transportsAreReturned() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = SoftCeremonyOptions()
        o.transports = ["internal", "hybrid"]
        let (_, run) = try register(auth, options: o)
        #expect(try run().transports == ["internal", "hybrid"])
    }

    func statementBytes(_ attestationObject: [UInt8]) throws -> [UInt8] {
        try CBORReader.withReader(attestationObject) { r in
            let root = try r.readSingleItem()
            let stmt = try r.value(in: root, textKey: "attStmt")!
            return Array(r.encoded(stmt))
        }
    }
}
