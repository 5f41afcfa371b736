import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// `android-key` (WebAuthn L3 §8.4): a valid ceremony per key kind, then one mutation per check, each with its code.
@Suite struct AttestationAndroidKeyTests {
    let challenge = SoftRandom.bytes(32)
    /// An Android-like chain: leaf ← intermediate ← SharedCA.ca (the "root").
    static let intermediate: TestCA = try! SharedCA.ca.intermediate(name: "passkeyd Android Attestation Intermediate")

    func run(
        _ auth: SoftAuthenticator, _ options: AndroidKeyAttestationOptions = AndroidKeyAttestationOptions(),
        rp: RelyingParty? = nil
    ) throws -> VerifiedRegistration {
        let reg = try auth.register(
            rpId: rpId, origin: origin, challenge: challenge, attestation: .androidKey(ca: Self.intermediate, options: options))
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: try rp ?? makeRP())
    }

    func detail(_ r: VerifiedRegistration, _ name: String) -> String? { r.attestationDetails.first { $0.name == name }?.value }

    @Test(arguments: [COSEAlgorithm.es256, .es384, .rs256, .ps256])
    func validCeremony(_ alg: COSEAlgorithm) throws {
        let auth = try KeyBank.authenticator(alg)
        let r = try run(auth)
        #expect(r.format == "android-key")
        #expect(r.attestationType == .basic)
        #expect(r.attestationCertificates.count == 2)  // leaf + intermediate, as sent
        #expect(detail(r, "android_security_level") == "tee")
        #expect(detail(r, "android_attestation_version") == "300")
        #expect(r.attestationTrusted == false)  // the test root is not Google's
    }

    @Test func securityLevelsAreReported() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.attestationSecurityLevel = 2
        o.attestationVersion = 400
        let strongbox = try run(auth, o)
        #expect(detail(strongbox, "android_security_level") == "strongbox")
        #expect(detail(strongbox, "android_attestation_version") == "400")
        o.attestationSecurityLevel = 0
        #expect(detail(try run(auth, o), "android_security_level") == "software")
    }

    @Test func signatureChecks() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.corruptSignature = true
        expectCode(.badSignature) { _ = try run(auth, o) }
        o = AndroidKeyAttestationOptions()
        o.signingKey = try PrivateKey.generateEC(.p256)  // another key signs; the certificate still names the credential's
        expectCode(.badSignature) { _ = try run(auth, o) }
        o = AndroidKeyAttestationOptions()
        o.algorithm = .es384  // a P-256 key cannot sign ES384
        expectCode(.algorithmMismatch) { _ = try run(auth, o) }
    }

    @Test func rs1NeedsThePolicySwitch() throws {
        let auth = try KeyBank.authenticator(.rs256)
        var o = AndroidKeyAttestationOptions()
        o.algorithm = .rs1
        expectCode(.algorithmNotAllowed) { _ = try run(auth, o) }
        let allowing = try makeRP { $0.allowedAlgorithms.insert(.rs1) }
        #expect(try run(auth, o, rp: allowing).attestationType == .basic)
    }

    @Test func certifiedKeyMustBeTheCredentialKey() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        let other = try PrivateKey.generateEC(.p256)
        o.certifiedKey = other.publicKey
        o.signingKey = other  // the signature verifies under the certified key, which is not the credential's
        expectCode(.attestationKeyMismatch) { _ = try run(auth, o) }
    }

    @Test func keyDescriptionMustBeReadable() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.omitKeyDescription = true
        expectCode(.androidKeyDescriptionInvalid) { _ = try run(auth, o) }
        for raw: [UInt8] in [
            [0x30, 0x00],  // an empty SEQUENCE
            [0x04, 0x01, 0x00],  // not a SEQUENCE
            [0x30, 0x03, 0x02, 0x01, 0x03],  // ends after attestationVersion
        ] {
            o.omitKeyDescription = false
            o.rawKeyDescription = raw
            expectCode(.androidKeyDescriptionInvalid) { _ = try run(auth, o) }
        }
        o = AndroidKeyAttestationOptions()
        o.attestationSecurityLevel = 7  // not a SecurityLevel
        expectCode(.androidKeyDescriptionInvalid) { _ = try run(auth, o) }
    }

    @Test func challengeMustBeTheClientDataHash() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.challenge = SoftRandom.bytes(32)
        expectCode(.androidKeyChallengeMismatch) { _ = try run(auth, o) }
        o.challenge = []
        expectCode(.androidKeyChallengeMismatch) { _ = try run(auth, o) }
    }

    @Test func allApplicationsInEitherListFails() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.hardwareEnforced.allApplications = true
        expectCode(.androidKeyAllApplications) { _ = try run(auth, o) }
        o = AndroidKeyAttestationOptions()
        o.softwareEnforced.allApplications = true
        expectCode(.androidKeyAllApplications) { _ = try run(auth, o) }
        // Even a policy that accepts software-enforced keys refuses it.
        let soft = try makeRP { $0.attestation.androidKeyAllowSoftware = true }
        expectCode(.androidKeyAllApplications) { _ = try run(auth, o, rp: soft) }
    }

    @Test func originMustBeGenerated() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.hardwareEnforced.origin = 2  // IMPORTED
        expectCode(.androidKeyNotGenerated) { _ = try run(auth, o) }
        o.hardwareEnforced.origin = nil
        expectCode(.androidKeyNotGenerated) { _ = try run(auth, o) }
    }

    /// §8.4: purpose "is equal to KM_PURPOSE_SIGN".
    @Test func purposeMustBeSignAlone() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        o.hardwareEnforced.purposes = [0, 1, 3]  // ENCRYPT, DECRYPT, VERIFY
        expectCode(.androidKeyPurposeNotSign) { _ = try run(auth, o) }
        o.hardwareEnforced.purposes = [2, 3]  // SIGN and VERIFY: not equal to SIGN
        expectCode(.androidKeyPurposeNotSign) { _ = try run(auth, o) }
        o.hardwareEnforced.purposes = []
        expectCode(.androidKeyPurposeNotSign) { _ = try run(auth, o) }
        o.hardwareEnforced.purposes = nil
        expectCode(.androidKeyPurposeNotSign) { _ = try run(auth, o) }
        o.hardwareEnforced.purposes = [2]  // SIGN alone
        #expect(try run(auth, o).attestationType == .basic)
    }

    @Test func softwareEnforcedOnlyNeedsThePolicySwitch() throws {
        let auth = try KeyBank.authenticator(.es256)
        let soft = try makeRP { $0.attestation.androidKeyAllowSoftware = true }
        // Origin only in softwareEnforced.
        var o = AndroidKeyAttestationOptions()
        o.hardwareEnforced.origin = nil
        o.softwareEnforced.origin = 0
        expectCode(.androidKeyNotHardware) { _ = try run(auth, o) }
        #expect(try run(auth, o, rp: soft).attestationType == .basic)
        // Purpose only in softwareEnforced.
        o = AndroidKeyAttestationOptions()
        o.hardwareEnforced.purposes = nil
        o.softwareEnforced.purposes = [2]
        expectCode(.androidKeyNotHardware) { _ = try run(auth, o) }
        #expect(try run(auth, o, rp: soft).attestationType == .basic)
        // The switch does not accept what neither list says.
        o.softwareEnforced.purposes = [3]
        expectCode(.androidKeyPurposeNotSign) { _ = try run(auth, o, rp: soft) }
        o = AndroidKeyAttestationOptions()
        o.hardwareEnforced.origin = 1
        o.softwareEnforced.origin = 3
        expectCode(.androidKeyNotGenerated) { _ = try run(auth, o, rp: soft) }
    }

    @Test func statementMembersAreRequired() throws {
        let auth = try KeyBank.authenticator(.es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .androidKey(ca: Self.intermediate))
        let leaf = try Self.intermediate.issue(subject: [("CN", "x")], publicKey: auth.privateKey.publicKey)
        // Each member left out in turn (the others present, so only the missing one can fail).
        for missing in ["alg", "sig", "x5c"] {
            var w = CBORWriter()
            w.beginMap(2)
            if missing != "alg" { w.writeText("alg"); w.writeInt(-7) }
            if missing != "sig" { w.writeText("sig"); w.writeBytes([1, 2, 3]) }
            if missing != "x5c" { w.writeText("x5c"); w.beginArray(1); w.writeBytes(leaf.derBytes) }
            var r = reg
            r.attestationObject = SoftAuthenticator.attestationObject(fmt: "android-key", statement: w.bytes, authData: reg.authenticatorData)
            expectCode(.invalidAttestationStatement) {
                _ = try WebAuthnVerifier().verifyRegistration(
                    credentialID: r.credentialID, clientDataJSON: r.clientDataJSON, attestationObject: r.attestationObject,
                    challenge: challenge, relyingParty: try makeRP())
            }
        }
    }

    @Test func unknownAuthorizationFieldsAreSkipped() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AndroidKeyAttestationOptions()
        // Fields from future KeyMint versions, large tag numbers, nested structures: none is interpreted.
        o.hardwareEnforced.otherFields += [
            (724, SoftDER.sequence([SoftDER.octetString(SoftRandom.bytes(40))])),
            (100_000, SoftDER.null),
            (5000, SoftDER.sequence([SoftDER.sequence([SoftDER.integer(1)])])),
        ]
        o.softwareEnforced.otherFields += [(1_000_000, SoftDER.octetString([1, 2, 3]))]
        #expect(try run(auth, o).attestationType == .basic)
    }
}
