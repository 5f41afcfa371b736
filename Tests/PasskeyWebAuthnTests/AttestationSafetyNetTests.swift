import PasskeyCOSE
import PasskeyCrypto
import PasskeyJSON
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// `android-safetynet` (WebAuthn L3 §8.5): valid ceremonies (RS256 and ES256 JWS), then one mutation per check.
/// The verification time is pinned (no test reads the clock).
@Suite struct AttestationSafetyNetTests {
    let challenge = SoftRandom.bytes(32)
    static let time: Int64 = 1_700_000_000
    static let ca: TestCA = try! SharedCA.ca.intermediate(name: "passkeyd GTS-like CA")
    static let rsaSigner: AttestationIdentity = try! ca.issueSafetyNetSigner(algorithm: .rs256)
    static let ecSigner: AttestationIdentity = try! ca.issueSafetyNetSigner(algorithm: .es256)

    static func options() -> SafetyNetAttestationOptions { SafetyNetAttestationOptions(timestampMs: time * 1000) }

    func run(
        _ options: SafetyNetAttestationOptions = AttestationSafetyNetTests.options(), signer: AttestationIdentity = rsaSigner,
        auth: SoftAuthenticator? = nil, rp: RelyingParty? = nil
    ) throws -> VerifiedRegistration {
        let a = try auth ?? KeyBank.authenticator(.es256)
        let reg = try a.register(
            rpId: rpId, origin: origin, challenge: challenge, attestation: .safetyNet(signer: signer, options: options))
        let party = try rp ?? makeRP { $0.verificationTime = Self.time }
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: party)
    }

    @Test func validCeremonies() throws {
        for signer in [Self.rsaSigner, Self.ecSigner] {
            for alg in [COSEAlgorithm.es256, .rs256] {
                let r = try run(signer: signer, auth: try KeyBank.authenticator(alg))
                #expect(r.format == "android-safetynet")
                #expect(r.attestationType == .basic)
                #expect(r.attestationCertificates == signer.chain.map(\.derBytes))
                #expect(r.attestationDetails.contains(AttestationDetail("safetynet_timestamp_ms", "1700000000000")))
                #expect(r.attestationDetails.contains(AttestationDetail("safetynet_basic_integrity", "true")))
            }
        }
        var o = Self.options()
        o.basicIntegrity = false
        #expect(try run(o).attestationDetails.contains(AttestationDetail("safetynet_basic_integrity", "false")))
    }

    @Test func statementMembers() throws {
        var o = Self.options()
        o.ver = ""
        expectCode(.invalidAttestationStatement) { _ = try run(o) }
    }

    @Test func jwsMustBeValidAndSigned() throws {
        var o = Self.options()
        o.corruptSignature = true
        expectCode(.safetyNetJWSInvalid) { _ = try run(o) }
        expectCode(.safetyNetJWSInvalid) { _ = try run(o, signer: Self.ecSigner) }
        // Signed by a key that is not the x5c leaf's.
        o = Self.options()
        o.x5c = Self.ecSigner.chain.map(\.derBytes)
        o.headerAlgorithm = "RS256"
        expectCode(.safetyNetJWSInvalid) { _ = try run(o) }
        // Header problems.
        for header in [
            "{\"alg\":\"none\",\"x5c\":[]}", "{\"alg\":\"HS256\",\"x5c\":[\"AAAA\"]}", "[1,2]", "{\"alg\":\"RS256\"}",
            "{\"alg\":\"RS256\",\"x5c\":[\"not base64!\"]}", "{\"alg\":\"RS256\",\"x5c\":[\"AAAA\"]}",
            "{\"alg\":\"RS256\",\"alg\":\"RS256\",\"x5c\":[]}",
            "{\"alg\":\"RS256\",\"crit\":[\"b64\"],\"x5c\":[\"\(SafetyNetAttestationOptions.standardBase64(Self.rsaSigner.chain[0].derBytes))\"]}",
        ] {
            o = Self.options()
            o.rawHeader = header
            expectCode(.safetyNetJWSInvalid) { _ = try run(o) }
        }
        // ES256 header over an RSA key.
        o = Self.options()
        o.headerAlgorithm = "ES256"
        expectCode(.safetyNetJWSInvalid) { _ = try run(o) }
        // Not a compact JWS at all.
        for response in ["", "a.b", "a.b.c.d", "!!.!!.!!", "e30.e30."] {
            o = Self.options()
            o.rawResponse = Array(response.utf8)
            expectCode(.safetyNetJWSInvalid) { _ = try run(o) }
        }
        // The payload must be a JSON object.
        o = Self.options()
        o.rawPayload = "[true]"
        expectCode(.safetyNetJWSInvalid) { _ = try run(o) }
    }

    @Test func leafMustBeIssuedToAttestAndroidCom() throws {
        let wrongName = try Self.ca.issueSafetyNetSigner(commonName: "attest.android.com.evil.example", subjectAltNames: ["evil.example"])
        expectCode(.safetyNetHostnameMismatch) { _ = try run(signer: wrongName) }
        let noName = try Self.ca.issueSafetyNetSigner(commonName: nil, subjectAltNames: [])
        expectCode(.safetyNetHostnameMismatch) { _ = try run(signer: noName) }
        let caseDiffers = try Self.ca.issueSafetyNetSigner(commonName: "Attest.Android.Com", subjectAltNames: [])
        expectCode(.safetyNetHostnameMismatch) { _ = try run(signer: caseDiffers) }
        // Either the CN or a dNSName suffices.
        let cnOnly = try Self.ca.issueSafetyNetSigner(commonName: "attest.android.com", subjectAltNames: [])
        #expect(try run(signer: cnOnly).attestationType == .basic)
        let sanOnly = try Self.ca.issueSafetyNetSigner(commonName: "Google", subjectAltNames: ["other.example", "attest.android.com"])
        #expect(try run(signer: sanOnly).attestationType == .basic)
    }

    @Test func nonceMustBeTheBase64HashOfAuthDataAndClientDataHash() throws {
        var o = Self.options()
        o.nonce = SafetyNetAttestationOptions.standardBase64(SoftRandom.bytes(32))
        expectCode(.safetyNetNonceMismatch) { _ = try run(o) }
        o = Self.options()
        o.omitNonce = true
        expectCode(.safetyNetNonceMismatch) { _ = try run(o) }
        // The right digest spelled as base64url, or without padding, is not the base64 the spec names.
        o = Self.options()
        o.nonceEncoder = { Base64URL.encode($0) }
        expectCode(.safetyNetNonceMismatch) { _ = try run(o) }
        o.nonceEncoder = { String(SafetyNetAttestationOptions.standardBase64($0).dropLast()) }
        expectCode(.safetyNetNonceMismatch) { _ = try run(o) }
        o.nonceEncoder = { Hex.encode($0) }
        expectCode(.safetyNetNonceMismatch) { _ = try run(o) }
    }

    @Test func ctsProfileMatchMustBeTrue() throws {
        var o = Self.options()
        o.ctsProfileMatch = false
        expectCode(.safetyNetCtsProfileMismatch) { _ = try run(o) }
        o.ctsProfileMatch = nil
        expectCode(.safetyNetCtsProfileMismatch) { _ = try run(o) }
    }

    @Test func timestampMustBeNearTheVerificationTime() throws {
        var o = Self.options()
        o.timestampMs = Self.time * 1000 - 60_001  // one millisecond past the default skew
        expectCode(.safetyNetTimestampInvalid) { _ = try run(o) }
        o.timestampMs = Self.time * 1000 + 60_001
        expectCode(.safetyNetTimestampInvalid) { _ = try run(o) }
        o.timestampMs = Self.time * 1000 - 60_000
        #expect(try run(o).attestationType == .basic)
        o = Self.options()
        o.omitTimestamp = true
        expectCode(.safetyNetTimestampInvalid) { _ = try run(o) }
        // A wider window is the relying party's choice.
        o = Self.options()
        o.timestampMs = Self.time * 1000 - 3_600_000
        let wide = try makeRP {
            $0.verificationTime = Self.time
            $0.attestation.safetyNetMaxSkewMilliseconds = 3_600_000
        }
        #expect(try run(o, rp: wide).attestationType == .basic)
        // Replaying an old capture needs its time pinned: now, it is stale.
        expectCode(.safetyNetTimestampInvalid) { _ = try run(Self.options(), rp: try makeRP()) }
    }
}
