import PasskeyCrypto
import PasskeyMetadata
import PasskeySoftAuthenticator
import PasskeyWebAuthn
import Testing

/// Ceremonies under FIDO metadata loaded from a signed BLOB: trust through an entry's roots, status reports at
/// registration, the authenticator's standing at login, U2F found by its certificate's key identifier.
@Suite struct MetadataPolicyTests {
    let challenge = SoftRandom.bytes(32)
    static let now: Int64 = 1_780_000_000

    /// The vendor's attestation CA: its root is what the metadata statement lists.
    static let vendor: TestCA = try! TestCA(name: "Vendor Attestation Root")

    /// A BLOB with one entry for `aaguid` (statuses as given, the vendor root) and one U2F entry for `u2fKeyID`,
    /// loaded through `MetadataBLOB.load` into a store.
    func store(
        aaguid: [UInt8], statuses: [(String, String?)] = [("FIDO_CERTIFIED_L2", "2024-02-01")], u2fKeyID: [UInt8]? = nil,
        u2fStatuses: [(String, String?)] = [("FIDO_CERTIFIED", "2019-01-01")]
    ) throws -> MetadataStore {
        var entry = TestMetadataBLOB.Entry(aaguid: aaguid, roots: [Self.vendor.root])
        entry.description = "Vendor Key 5"
        entry.statuses = statuses.map { ($0.0, $0.1) }
        var entries = [entry]
        if let u2fKeyID {
            var u2f = TestMetadataBLOB.Entry(aaguid: nil, keyIdentifiers: [u2fKeyID], roots: [Self.vendor.root])
            u2f.description = "Vendor U2F Key"
            u2f.statuses = u2fStatuses.map { ($0.0, $0.1) }
            entries.append(u2f)
        }
        let blob = try TestMetadataBLOB(entries: entries)
        let index = try MetadataBLOB.load(try blob.jwt(), roots: [blob.root.root], at: Self.now)
        return MetadataStore(index)
    }

    func party(_ store: MetadataStore, _ configure: (inout Policy) -> Void = { _ in }) throws -> RelyingParty {
        try makeRP { p in
            p.attestation.metadata = store
            configure(&p)
        }
    }

    func identity(for auth: SoftAuthenticator, ca: TestCA = vendor) throws -> AttestationIdentity {
        var leaf = TestCA.LeafOptions()
        leaf.aaguid = auth.aaguid
        return try ca.issueAttestation(options: leaf)
    }

    func register(_ auth: SoftAuthenticator, _ attestation: SoftAttestation, rp: RelyingParty, flags: AuthenticatorFlags? = nil)
        throws -> VerifiedRegistration
    {
        var o = SoftCeremonyOptions()
        if let flags { o.flags = flags }
        let reg = try auth.register(rpId: rpId, origin: origin, challenge: challenge, attestation: attestation, options: o)
        return try WebAuthnVerifier().verifyRegistration(responseJSON: reg.json, challenge: challenge, relyingParty: rp)
    }

    // MARK: - Trust from an entry's roots

    @Test func packedChainTrustedThroughTheEntrysRoots() throws {
        let auth = try KeyBank.authenticator(.es256)
        let rp = try party(try store(aaguid: auth.aaguid)) { $0.attestation.mode = .trusted }
        let r = try register(auth, .packed(try identity(for: auth)), rp: rp)
        #expect(r.attestationTrusted && r.attestationTrustSource == "metadata")
        // The verdict names the authenticator.
        #expect(r.authenticatorDescription == "Vendor Key 5")
        #expect(r.certificationLevel == "FIDO_CERTIFIED_L2" && r.metadataStatus == "FIDO_CERTIFIED_L2")
    }

    @Test func refusedWhenNoEntryVouchesForTheChain() throws {
        let auth = try KeyBank.authenticator(.es256)
        // The metadata knows another AAGUID only: nothing anchors the vendor chain.
        let rp = try party(try store(aaguid: SoftRandom.bytes(16))) { $0.attestation.mode = .trusted }
        expectCode(.untrustedAttestation) { _ = try register(auth, .packed(try identity(for: auth)), rp: rp) }
        // An entry for the AAGUID whose roots did not issue the chain.
        let other = try TestCA(name: "Someone Else")
        let rp2 = try party(try store(aaguid: auth.aaguid)) { $0.attestation.mode = .trusted }
        let e = expectCode(.untrustedAttestation) { _ = try register(auth, .packed(try identity(for: auth, ca: other)), rp: rp2) }
        #expect(e?.message.contains("metadata:") == true, "\(e?.message ?? "")")
        // Mode verify: the same registration passes, untrusted.
        let rp3 = try party(try store(aaguid: SoftRandom.bytes(16)))
        let r = try register(auth, .packed(try identity(for: auth)), rp: rp3)
        #expect(!r.attestationTrusted && r.attestationTrustSource == nil && r.authenticatorDescription == nil)
    }

    // MARK: - Status reports at registration

    @Test(arguments: AuthenticatorStatus.rejectedByDefault.map(\.rawValue).sorted())
    func rejectedStatusFailsRegistration(_ status: String) throws {
        let auth = try KeyBank.authenticator(.es256)
        let rp = try party(try store(aaguid: auth.aaguid, statuses: [("FIDO_CERTIFIED_L1", "2023-01-01"), (status, "2025-01-01")]))
        let e = expectCode(.authenticatorStatusRejected) { _ = try register(auth, .packed(try identity(for: auth)), rp: rp) }
        #expect(e?.message.contains(status) == true && e?.message.contains("Vendor Key 5") == true)
        // Even with `none` attestation the AAGUID names the model.
        expectCode(.authenticatorStatusRejected) { _ = try register(auth, .none, rp: rp) }
    }

    @Test func statusOutsideTheRejectedSetIsOnlyReported() throws {
        let auth = try KeyBank.authenticator(.es256)
        let s = try store(aaguid: auth.aaguid, statuses: [("FIDO_CERTIFIED_L1", "2023-01-01"), ("UPDATE_AVAILABLE", "2025-03-01")])
        let r = try register(auth, .packed(try identity(for: auth)), rp: try party(s))
        #expect(r.metadataStatus == "UPDATE_AVAILABLE" && r.certificationLevel == "FIDO_CERTIFIED_L1")
        // A policy that rejects UPDATE_AVAILABLE refuses it; one that accepts REVOKED lets a revoked model through.
        let strict = try party(s) { $0.attestation.rejectedStatuses = [.updateAvailable] }
        expectCode(.authenticatorStatusRejected) { _ = try register(auth, .packed(try identity(for: auth)), rp: strict) }
        let revoked = try store(aaguid: auth.aaguid, statuses: [("REVOKED", "2025-01-01")])
        let lax = try party(revoked) { $0.attestation.rejectedStatuses = [] }
        #expect(try register(auth, .none, rp: lax).metadataStatus == "REVOKED")
    }

    @Test func unknownStatusIsNeitherRejectedNorReported() throws {
        let auth = try KeyBank.authenticator(.es256)
        let s = try store(aaguid: auth.aaguid, statuses: [("FIDO_CERTIFIED_L1", "2023-01-01"), ("NEW_STATUS_2030", "2030-01-01")])
        let r = try register(auth, .none, rp: try party(s))
        #expect(r.metadataStatus == "FIDO_CERTIFIED_L1")
        #expect(s.index?.entry(aaguid: auth.aaguid)?.unknownStatuses == ["NEW_STATUS_2030"])
    }

    @Test func modeNoneIgnoresStatuses() throws {
        let auth = try KeyBank.authenticator(.es256)
        let rp = try party(try store(aaguid: auth.aaguid, statuses: [("REVOKED", "2025-01-01")])) { $0.attestation.mode = AttestationPolicy.Mode.none }
        #expect(try register(auth, .none, rp: rp).format == "none")
    }

    // MARK: - U2F by key identifier

    @Test func fidoU2FFoundByItsCertificatesKeyIdentifier() throws {
        let base = try KeyBank.authenticator(.es256)
        let auth = SoftAuthenticator(
            algorithm: .es256, privateKey: base.privateKey, credentialID: SoftRandom.bytes(32), aaguid: Array(repeating: 0, count: 16))
        let attestation = try Self.vendor.issueAttestation(algorithm: .es256)
        let keyID = attestation.chain[0].publicKeyIdentifier
        #expect(keyID.count == 20)
        let s = try store(aaguid: SoftRandom.bytes(16), u2fKeyID: keyID)
        let r = try register(auth, .fidoU2F(attestation), rp: try party(s) { $0.attestation.mode = .trusted }, flags: [.userPresent])
        #expect(r.format == "fido-u2f" && r.attestationTrustSource == "metadata")
        #expect(r.authenticatorDescription == "Vendor U2F Key" && r.metadataStatus == "FIDO_CERTIFIED")
        // Compromised: refused by its key identifier, though its AAGUID is zero.
        let bad = try store(aaguid: SoftRandom.bytes(16), u2fKeyID: keyID, u2fStatuses: [("ATTESTATION_KEY_COMPROMISE", "2025-01-01")])
        expectCode(.authenticatorStatusRejected) {
            _ = try register(auth, .fidoU2F(attestation), rp: try party(bad), flags: [.userPresent])
        }
        // Another certificate's key identifier finds nothing.
        let other = try Self.vendor.issueAttestation(algorithm: .es256)
        let r2 = try register(auth, .fidoU2F(other), rp: try party(bad), flags: [.userPresent])
        #expect(r2.authenticatorDescription == nil)
    }

    // MARK: - Login: the stored AAGUID's standing now

    func login(_ auth: SoftAuthenticator, rp: RelyingParty, aaguid: [UInt8]?) throws -> VerifiedAuthentication {
        let a = try auth.assert(rpId: rpId, origin: origin, challenge: challenge)
        return try WebAuthnVerifier().verifyAuthentication(
            credentialID: a.credentialID, authenticatorData: a.authenticatorData, clientDataJSON: a.clientDataJSON,
            signature: a.signature, challenge: challenge,
            credential: StoredCredential(id: auth.credentialID, publicKey: auth.cosePublicKey, aaguid: aaguid), relyingParty: rp)
    }

    @Test func compromisedAuthenticatorAtLogin() throws {
        let auth = try KeyBank.authenticator(.es256)
        let s = try store(aaguid: auth.aaguid, statuses: [("FIDO_CERTIFIED_L1", "2023-01-01"), ("ATTESTATION_KEY_COMPROMISE", "2025-05-01")])
        // Rejected by default.
        let e = expectCode(.authenticatorCompromised) { _ = try login(auth, rp: try party(s), aaguid: auth.aaguid) }
        #expect(e?.message.contains("ATTESTATION_KEY_COMPROMISE") == true)
        // Reported when the policy says so.
        let report = try party(s) { $0.compromisedAuthenticator = .report }
        let v = try login(auth, rp: report, aaguid: auth.aaguid)
        #expect(v.riskSignals == [.authenticatorCompromised(status: "ATTESTATION_KEY_COMPROMISE")])
        // Without the stored AAGUID, or with a certified authenticator, nothing is raised.
        #expect(try login(auth, rp: try party(s), aaguid: nil).riskSignals.isEmpty)
        let fine = try store(aaguid: auth.aaguid)
        #expect(try login(auth, rp: try party(fine), aaguid: auth.aaguid).riskSignals.isEmpty)
    }

    @Test func aReloadedStoreChangesTheAnswerForPartiesBuiltEarlier() throws {
        let auth = try KeyBank.authenticator(.es256)
        let s = try store(aaguid: auth.aaguid)
        let rp = try party(s)
        #expect(try login(auth, rp: rp, aaguid: auth.aaguid).riskSignals.isEmpty)
        s.replace(try store(aaguid: auth.aaguid, statuses: [("REVOKED", "2025-09-01")]).index)
        expectCode(.authenticatorCompromised) { _ = try login(auth, rp: rp, aaguid: auth.aaguid) }
        expectCode(.authenticatorStatusRejected) { _ = try register(auth, .none, rp: rp) }
    }
}
