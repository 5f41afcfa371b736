import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// `apple` (WebAuthn L3 §8.8): valid ceremonies, then one mutation per check.
@Suite struct AttestationAppleTests {
    let challenge = SoftRandom.bytes(32)
    static let anonymizationCA: TestCA = try! SharedCA.ca.intermediate(name: "passkeyd Apple-like Anonymization CA")

    func run(_ auth: SoftAuthenticator, _ options: AppleAttestationOptions = AppleAttestationOptions(), rp: RelyingParty? = nil)
        throws -> VerifiedRegistration
    {
        let reg = try auth.register(
            rpId: rpId, origin: origin, challenge: challenge, attestation: .apple(ca: Self.anonymizationCA, options: options))
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: try rp ?? makeRP())
    }

    @Test(arguments: [COSEAlgorithm.es256, .es384, .rs256])
    func validCeremony(_ alg: COSEAlgorithm) throws {
        let r = try run(try KeyBank.authenticator(alg))
        #expect(r.format == "apple")
        #expect(r.attestationType == .anonCA)
        #expect(r.attestationCertificates.count == 2)
        #expect(r.attestationTrusted == false)
    }

    @Test func nonceMustBeTheHashOfAuthDataAndClientDataHash() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AppleAttestationOptions()
        o.nonce = SoftRandom.bytes(32)
        expectCode(.appleNonceMismatch) { _ = try run(auth, o) }
        o.nonce = nil
        o.omitNonce = true
        expectCode(.appleNonceMismatch) { _ = try run(auth, o) }
        o.omitNonce = false
        for raw: [UInt8] in [
            SoftDER.octetString(SoftRandom.bytes(32)),  // a bare OCTET STRING
            SoftDER.sequence([SoftDER.explicit(2, SoftDER.octetString(SoftRandom.bytes(32)))]),  // [2], not [1]
            SoftDER.sequence([]),  // nothing inside
            [0x30, 0x05, 0x01],  // truncated
        ] {
            o.rawNonceExtension = raw
            expectCode(.appleNonceMismatch) { _ = try run(auth, o) }
        }
    }

    @Test func certifiedKeyMustBeTheCredentialKey() throws {
        let auth = try KeyBank.authenticator(.es256)
        var o = AppleAttestationOptions()
        o.certifiedKey = try PrivateKey.generateEC(.p256).publicKey
        expectCode(.attestationKeyMismatch) { _ = try run(auth, o) }
        // An RSA credential certified as another RSA key.
        let rsa = try KeyBank.authenticator(.rs256)
        o.certifiedKey = try KeyBank.authenticator(.ps256).privateKey.publicKey
        expectCode(.attestationKeyMismatch) { _ = try run(rsa, o) }
    }

    @Test func x5cIsRequired() throws {
        var o = AppleAttestationOptions()
        o.omitX5C = true
        expectCode(.invalidAttestationStatement) { _ = try run(try KeyBank.authenticator(.es256), o) }
    }
}
