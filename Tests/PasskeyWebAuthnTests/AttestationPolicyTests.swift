import PasskeyCBOR
import PasskeyCOSE
import PasskeyCrypto
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// The attestation policy (modes, AAGUID allow-list, roots per format, trust sources) and the compound format, on
/// the formats every build has (none, packed, fido-u2f).
@Suite struct AttestationPolicyTests {
    let challenge = SoftRandom.bytes(32)

    func verify(_ reg: SoftRegistration, _ configure: (inout Policy) -> Void = { _ in }) throws -> VerifiedRegistration {
        try WebAuthnVerifier().verifyRegistration(
            credentialID: reg.credentialID, clientDataJSON: reg.clientDataJSON, attestationObject: reg.attestationObject,
            challenge: challenge, relyingParty: try makeRP(configure))
    }

    func badPacked(_ auth: SoftAuthenticator) throws -> SoftRegistration {
        var reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packed(try SharedCA.ca.issueAttestation()))
        // Re-encode the statement with a signature over something else: the statement no longer verifies.
        let authData = reg.authenticatorData
        let sig = try auth.sign([1, 2, 3])
        reg.attestationObject = SoftAuthenticator.attestationObject(
            fmt: "packed", statement: SoftAuthenticator.packedStatement(alg: .es256, sig: sig, x5c: nil), authData: authData)
        return reg
    }

    // MARK: - modes

    @Test func verifyModeReportsTrustWithoutRequiringIt() throws {
        let auth = try KeyBank.authenticator(.es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packed(try SharedCA.ca.issueAttestation()))
        let untrusted = try verify(reg)
        #expect(untrusted.attestationType == .basic)
        #expect(!untrusted.attestationTrusted && untrusted.attestationTrustSource == nil)
        #expect(untrusted.attestationCertificates.count == 1)
        // With the format's roots pointing at the test CA, the same chain is trusted, and says where from.
        let trusted = try verify(reg) {
            $0.attestation.mode = .verify
            $0.attestation.formatRoots.replace("packed", with: [SharedCA.ca.root])
        }
        #expect(trusted.attestationTrusted && trusted.attestationTrustSource == "format_roots")
        let anchored = try verify(reg) {
            $0.attestation.mode = .verify
            $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root])
        }
        #expect(anchored.attestationTrustSource == "anchors")
        // A bad statement fails in verify mode.
        expectCode(.badSignature) { _ = try verify(try badPacked(auth)) }
    }

    @Test func trustedModeRequiresAChainToSomeSource() throws {
        let auth = try KeyBank.authenticator(.es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packed(try SharedCA.ca.issueAttestation()))
        let e = expectCode(.untrustedAttestation) { _ = try verify(reg) { $0.attestation.mode = .trusted } }
        #expect(e?.message.contains("no trust anchor") == true)
        #expect(try verify(reg) {
            $0.attestation.mode = .trusted
            $0.attestation.formatRoots.extend("packed", with: [SharedCA.ca.root])
        }.attestationTrusted)
        // Another CA's root does not help.
        expectCode(.untrustedAttestation) {
            _ = try verify(reg) {
                $0.attestation.mode = .trusted
                $0.attestation.formatRoots.replace("packed", with: [SharedCA.otherCA.root])
            }
        }
        // Roots of another format do not apply to packed.
        expectCode(.untrustedAttestation) {
            _ = try verify(reg) {
                $0.attestation.mode = .trusted
                $0.attestation.formatRoots.replace("tpm", with: [SharedCA.ca.root])
            }
        }
        // Self and none attestation cannot be trusted.
        for attestation in [SoftAttestation.none, .packedSelf] {
            let r = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: attestation)
            expectCode(.untrustedAttestation) { _ = try verify(r) { $0.attestation.mode = .trusted } }
        }
    }

    @Test func anchorsMakeTrustedTheDefaultAndVerifyOverridesIt() throws {
        let auth = try KeyBank.authenticator(.es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packedSelf)
        // Anchors with no mode given: trusted is required (fails closed, as before).
        expectCode(.untrustedAttestation) { _ = try verify(reg) { $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root]) } }
        // Explicit verify with anchors: reported, not required.
        let r = try verify(reg) {
            $0.trustAnchors = TrustAnchors(certificates: [SharedCA.ca.root])
            $0.attestation.mode = .verify
        }
        #expect(r.attestationType == .self && !r.attestationTrusted)
    }

    @Test func noneModeNeverFailsOnTheStatementAndSaysWhy() throws {
        let auth = try KeyBank.authenticator(.es256)
        let r = try verify(try badPacked(auth)) { $0.attestation.mode = AttestationPolicy.Mode.none }
        #expect(r.format == "packed" && r.attestationType == .none && !r.attestationTrusted)
        #expect(r.attestationDetails.contains(AttestationDetail("attestation_error", "bad_signature")))
        // An unknown format too.
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge)
        var w = CBORWriter()
        w.beginMap(0)
        var odd = reg
        odd.attestationObject = SoftAuthenticator.attestationObject(fmt: "future-format", statement: w.bytes, authData: reg.authenticatorData)
        let u = try verify(odd) { $0.attestation.mode = AttestationPolicy.Mode.none }
        #expect(u.attestationDetails.contains(AttestationDetail("attestation_error", "unsupported_attestation_format")))
        expectCode(.unsupportedAttestationFormat) { _ = try verify(odd) }
        // A good statement still reports its real type in mode none.
        let good = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packedSelf)
        #expect(try verify(good) { $0.attestation.mode = AttestationPolicy.Mode.none }.attestationType == .self)
        // Mode none relaxes the attestation only: the ceremony's other checks still apply.
        expectCode(.challengeMismatch) {
            _ = try WebAuthnVerifier().verifyRegistration(
                clientDataJSON: good.clientDataJSON, attestationObject: good.attestationObject, challenge: SoftRandom.bytes(32),
                relyingParty: try makeRP { $0.attestation.mode = AttestationPolicy.Mode.none })
        }
    }

    // MARK: - AAGUID allow-list

    @Test func aaguidAllowList() throws {
        let auth = try KeyBank.authenticator(.es256)
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packedSelf)
        #expect(try verify(reg) { $0.attestation.allowedAAGUIDs = [auth.aaguid] }.aaguid == auth.aaguid)
        expectCode(.aaguidNotAllowed) { _ = try verify(reg) { $0.attestation.allowedAAGUIDs = [SoftRandom.bytes(16)] } }
        // An empty list admits nobody (a list is a list: it never means "no check").
        expectCode(.aaguidNotAllowed) { _ = try verify(reg) { $0.attestation.allowedAAGUIDs = [] } }
    }

    // MARK: - compound (§8.9)

    func compound(_ auth: SoftAuthenticator, _ parts: [(String, [UInt8])], authData: [UInt8]) -> [UInt8] {
        var w = CBORWriter()
        w.beginMap(3)
        w.writeText("fmt"); w.writeText("compound")
        w.writeText("attStmt"); w.beginArray(parts.count)
        for (fmt, stmt) in parts {
            w.beginMap(2)
            w.writeText("fmt"); w.writeText(fmt)
            w.writeText("attStmt"); w.writeRaw(stmt)
        }
        w.writeText("authData"); w.writeBytes(authData)
        return w.bytes
    }

    @Test func compoundVerifiesEveryPart() throws {
        let auth = try KeyBank.authenticator(.es256)
        let identity = try SharedCA.ca.issueAttestation()
        let full = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packed(identity))
        let selfReg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: .packedSelf)
        // Same authData and client data for both parts (the counter is fixed by the authenticator's state).
        #expect(full.authenticatorData == selfReg.authenticatorData)
        let fullStmt = try statementBytes(full.attestationObject), selfStmt = try statementBytes(selfReg.attestationObject)
        var reg = full
        reg.attestationObject = compound(auth, [("packed", selfStmt), ("packed", fullStmt)], authData: full.authenticatorData)
        let r = try verify(reg) { $0.attestation.formatRoots.replace("packed", with: [SharedCA.ca.root]) }
        #expect(r.format == "compound" && r.attestationType == .basic)
        #expect(r.attestationTrusted && r.attestationCertificates.count == 1)
        #expect(r.attestationDetails.filter { $0.name == "compound_part" }.map(\.value) == ["packed:self", "packed:basic"])
        // One bad part fails the whole.
        let bad = try statementBytes(try badPacked(auth).attestationObject)
        reg.attestationObject = compound(auth, [("packed", fullStmt), ("packed", bad)], authData: full.authenticatorData)
        expectCode(.badSignature) { _ = try verify(reg) }
        // Fewer than two parts, nested compound, and a part with extra members are malformed.
        reg.attestationObject = compound(auth, [("packed", fullStmt)], authData: full.authenticatorData)
        expectCode(.invalidAttestationStatement) { _ = try verify(reg) }
        var nested = CBORWriter()
        nested.beginArray(2)
        for _ in 0..<2 { nested.beginMap(2); nested.writeText("fmt"); nested.writeText("packed"); nested.writeText("attStmt"); nested.writeRaw(selfStmt) }
        reg.attestationObject = compound(auth, [("compound", nested.bytes), ("packed", selfStmt)], authData: full.authenticatorData)
        expectCode(.invalidAttestationStatement) { _ = try verify(reg) }
        // A compound statement that is a map, not an array.
        reg.attestationObject = SoftAuthenticator.attestationObject(fmt: "compound", statement: selfStmt, authData: full.authenticatorData)
        expectCode(.invalidAttestationStatement) { _ = try verify(reg) }
        // And a single-format statement that is an array is malformed.
        reg.attestationObject = SoftAuthenticator.attestationObject(fmt: "packed", statement: nested.bytes, authData: full.authenticatorData)
        expectCode(.malformedAttestationObject) { _ = try verify(reg) }
    }

    func statementBytes(_ attestationObject: [UInt8]) throws -> [UInt8] {
        try CBORReader.withReader(attestationObject) { r in
            let root = try r.readSingleItem()
            return Array(r.encoded(try #require(try r.value(in: root, textKey: "attStmt"))))
        }
    }
}
