import PasskeyJSON
public import PasskeyCOSE
import PasskeyCBOR
import PasskeyCrypto

/// How the attestation vouches for the credential (WebAuthn §6.5.4).
public enum AttestationType: String, Sendable, Hashable, CaseIterable {
    case none
    case `self` = "self"
    /// Basic, or AttCA where the format cannot tell them apart (packed and fido-u2f with x5c, android-key, SafetyNet).
    case basic
    /// Attestation CA: the attestation key is a per-device key certified by the vendor's CA (tpm).
    case attCA = "attca"
    /// Anonymization CA: a per-credential certificate from the vendor's CA (apple).
    case anonCA = "anonca"

    /// How much the type says about the authenticator (compound statements report their strongest part).
    var strength: Int {
        switch self {
        case .none: 0
        case .self: 1
        case .anonCA: 2
        case .basic, .attCA: 3
        }
    }
}

/// A verified registration. Only `WebAuthnVerifier` makes these.
public struct VerifiedRegistration: Sendable {
    public let credentialID: [UInt8]
    /// The credential's COSE_Key, exactly as the authenticator encoded it (store it).
    public let credentialPublicKey: [UInt8]
    public let algorithm: COSEAlgorithm
    public let signCount: UInt32
    public let aaguid: [UInt8]
    public let format: String
    public let attestationType: AttestationType
    /// The attestation certificate chain (x5c, leaf first, DER), empty for `none` and self attestation.
    public let attestationCertificates: [[UInt8]]
    /// Whether the chain was validated to a trust anchor, a root of its format or a metadata entry's root.
    public let attestationTrusted: Bool
    /// Where that trust came from: "anchors" (the policy's), "format_roots" (the format's roots: published vendor
    /// roots, or configured ones) or "metadata"; nil when not trusted.
    public let attestationTrustSource: String?
    /// From FIDO metadata, when it knows the authenticator: its description, highest certification level and latest
    /// status report.
    public let authenticatorDescription: String?
    public let certificationLevel: String?
    public let metadataStatus: String?
    /// Format-specific facts (android-key security level, TPM manufacturer, compound parts, ...).
    public let attestationDetails: [AttestationDetail]
    public let userPresent: Bool
    public let userVerified: Bool
    public let backupEligible: Bool
    public let backedUp: Bool
    public let transports: [String]
    public let extensionOutputs: [UInt8]?
    /// The extension outputs parsed: credProps rk, credProtect, largeBlob supported, prf enabled.
    public let extensionResults: ExtensionResults
    public let riskSignals: [RiskSignal]

    /// The AAGUID as a lowercase UUID string.
    public var aaguidString: String { uuidString(aaguid) }
}

func uuidString(_ b: [UInt8]) -> String {
    let h = Hex.encode(b)
    guard h.count == 32 else { return h }
    let u = Array(h)
    return String(u[0..<8]) + "-" + String(u[8..<12]) + "-" + String(u[12..<16]) + "-" + String(u[16..<20]) + "-"
        + String(u[20..<32])
}

/// The parts of a registration response, as views into the caller's bytes.
public struct AttestationView {
    /// The credential id the client reported (rawId); when given it must equal the attested credential id.
    public var credentialID: UnsafeRawBufferPointer?
    public var clientDataJSON: UnsafeRawBufferPointer
    public var attestationObject: UnsafeRawBufferPointer
    public var transports: [String]
    /// The response's `clientExtensionResults`, when the caller has them (the response-JSON paths do).
    public var clientExtensions: ClientExtensionResults

    public init(
        credentialID: UnsafeRawBufferPointer? = nil, clientDataJSON: UnsafeRawBufferPointer,
        attestationObject: UnsafeRawBufferPointer, transports: [String] = [],
        clientExtensions: ClientExtensionResults = ClientExtensionResults()
    ) {
        self.credentialID = credentialID
        self.clientDataJSON = clientDataJSON
        self.attestationObject = attestationObject
        self.transports = transports
        self.clientExtensions = clientExtensions
    }
}

extension WebAuthnVerifier {
    /// Verifies a registration (WebAuthn L3 §7.1) from raw bytes.
    public func verifyRegistration(
        _ response: AttestationView, challenge: UnsafeRawBufferPointer, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedRegistration {
        try InputLimits.checkChallenge(challenge)
        let (result, keep, _) = try register(response, challenge: .bytes(challenge), relyingParty: rp)
        keep()
        return result
    }

    /// Verifies a registration whose challenge this service issued (`ChallengeKeyRing.mint`) for `context`; pending
    /// until the replay store records the challenge's first use (`PendingRegistration.complete`).
    public func verifyRegistration(
        _ response: AttestationView, issuedBy keys: ChallengeKeyRing, context: UnsafeRawBufferPointer, nowMs: Int64? = nil,
        relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> PendingRegistration {
        let (result, keep, issued) = try register(
            response, challenge: .issued(keys, context: context, nowMs: nowMs ?? rp.policy.nowMs, hasher: signatures),
            relyingParty: rp)
        return PendingRegistration(result: result, challenge: issued!, keep: keep)
    }

    /// §7.1 with either kind of challenge check. `keep` puts the new key in the cache: called once the registration
    /// has passed everything, the replay store included.
    func register(_ response: AttestationView, challenge: ChallengeCheck, relyingParty rp: RelyingParty)
        throws(WebAuthnError) -> (result: VerifiedRegistration, keep: @Sendable () -> Void, issued: IssuedChallenge?)
    {
        let policy = rp.policy
        try InputLimits.check("clientDataJSON", response.clientDataJSON.count, InputLimits.clientDataJSON)
        try InputLimits.check("attestationObject", response.attestationObject.count, InputLimits.attestationObject)
        if let id = response.credentialID { try InputLimits.check("credential id", id.count, InputLimits.credentialID) }
        guard response.transports.count <= InputLimits.transports,
            response.transports.allSatisfy({ $0.utf8.count <= InputLimits.transportLength })
        else {
            throw WebAuthnError(
                .fieldTooLarge,
                "transports: at most \(InputLimits.transports) values of at most \(InputLimits.transportLength) bytes are accepted")
        }
        // Steps 5–10: client data.
        let issued = try verifyClientData(
            response.clientDataJSON, type: .create, challenge: challenge, relyingParty: rp, reader: &clientDataReader)
        // Step 11: its hash.
        var clientDataHash = [UInt8](repeating: 0, count: 32)
        clientDataHash.withUnsafeMutableBytes { signatures.sha256(response.clientDataJSON, into: $0) }

        // Step 12: the attestation object.
        let object = try AttestationObject(response.attestationObject)
        try InputLimits.check("authenticatorData", object.authData.count, InputLimits.authenticatorData)
        let authData = try AuthenticatorData(object.authData)

        // Step 13: rpIdHash.
        guard rp.idHash.withUnsafeBytes({ authData.rpIdHash.elementsEqual($0) }) else {
            throw WebAuthnError(.rpIdMismatch, "rpIdHash is not SHA-256 of the RP ID '\(rp.id)'")
        }
        // Step 13 checked rpIdHash against the RP ID even when the client reports appid: a new credential is always
        // created for the RP ID (appidExclude only excludes); the appid extension itself is for authentication.
        let credProtect = try ExtensionResults.credProtect(authData.extensions)
        // Steps 14–18: flags.
        var signals: [RiskSignal] = []
        try checkFlags(authData.flags, ceremony: .create, policy: policy, signals: &signals)
        guard let attested = authData.attested else {
            throw WebAuthnError(.missingAttestedCredentialData, "AT is not set in a registration's authenticator data")
        }
        guard !attested.credentialID.isEmpty else {
            throw WebAuthnError(.credentialIdEmpty, "the attested credential data has a zero-length credential id")
        }
        // Step 25 (checked during parsing too): id length; and the client's rawId must be the attested id.
        if let reported = response.credentialID, !reported.elementsEqual(attested.credentialID) {
            throw WebAuthnError(.credentialIdMismatch, "rawId is not the credential id in the attested credential data")
        }

        // Step 19: the credential key and its algorithm.
        let key: COSEKey
        do throws(COSEKeyError) {
            key = try COSEKey(reader: attested.keyReader, item: attested.keyItem)
        } catch {
            throw WebAuthnError(coseKey: error)
        }
        let entry = try credentialKey(key.encoded, policy: policy, caching: .registration)

        // Steps 21–24: the attestation statement, metadata, then trust (Attestation/AttestationTrust.swift).
        let attestation = try verifyAttestation(
            object, StatementInputs(
                authData: authData, credentialKey: key, credentialEntry: entry, clientDataHash: clientDataHash,
                policy: policy))
        // Every check passed: the new credential's key is worth keeping for its first logins (once the caller knows
        // the challenge was not a replay).
        let cache = keyCache, encoded = Array(key.encoded)
        let keep: @Sendable () -> Void = { encoded.withUnsafeBytes { cache.insert(entry, for: $0) } }

        let result = VerifiedRegistration(
            credentialID: Array(attested.credentialID),
            credentialPublicKey: Array(key.encoded),
            algorithm: entry.algorithm,
            signCount: authData.signCount,
            aaguid: Array(attested.aaguid),
            format: object.format,
            attestationType: attestation.type,
            attestationCertificates: attestation.trustPath.map(\.derBytes),
            attestationTrusted: attestation.trustSource != nil,
            attestationTrustSource: attestation.trustSource,
            authenticatorDescription: attestation.metadata?.description,
            certificationLevel: attestation.metadata?.certificationLevel?.rawValue,
            metadataStatus: attestation.metadata?.latestStatus?.rawValue,
            attestationDetails: attestation.details,
            userPresent: authData.flags.contains(.userPresent),
            userVerified: authData.flags.contains(.userVerified),
            backupEligible: authData.flags.contains(.backupEligible),
            backedUp: authData.flags.contains(.backedUp),
            transports: response.transports,
            extensionOutputs: authData.extensions.map { Array($0) },
            extensionResults: ExtensionResults(client: registrationResults(response.clientExtensions), credProtect: credProtect),
            riskSignals: signals)
        return (result, keep, issued)
    }
}

/// The client results a registration reports: `appid` is an authentication extension (a new credential is always
/// for the RP ID), so a registration response that claims it reports nothing about it.
func registrationResults(_ c: ClientExtensionResults) -> ClientExtensionResults {
    var r = c
    r.appid = nil
    return r
}

/// A verified registration whose issued challenge still has to be recorded as used. Not trusted until `complete`
/// says so; only then does its key enter the shared cache.
public struct PendingRegistration: Sendable {
    let result: VerifiedRegistration
    public let challenge: IssuedChallenge
    let keep: @Sendable () -> Void

    public func complete(_ verdict: ReplayVerdict) throws(WebAuthnError) -> VerifiedRegistration {
        guard verdict == .firstUse else { throw ChallengeReplay.reused(challenge) }
        keep()
        return result
    }

    public func complete(using store: some ChallengeReplayStore, nowMs: Int64) throws(WebAuthnError) -> VerifiedRegistration {
        try complete(store.record(challenge, nowMs: nowMs))
    }
}
