import PasskeyJSON
public import PasskeyWebAuthn

/// The outcome of one request, and its JSON form.
public enum Verdict: Sendable {
    case registration(VerifiedRegistration)
    case authentication(VerifiedAuthentication)
    case rejected(WebAuthnError)

    public var accepted: Bool {
        if case .rejected = self { return false }
        return true
    }

    /// Runs the request.
    public static func evaluate(_ request: VerificationRequest, verifier: WebAuthnVerifier) -> Verdict {
        do {
            switch request.kind {
            case .registration:
                return .registration(
                    try verifier.verifyRegistration(
                        responseJSON: request.response, challenge: request.challenge, relyingParty: request.relyingParty))
            case .authentication:
                let credential = StoredCredential(
                    id: request.storedCredentialID, publicKey: request.credentialPublicKey ?? [],
                    signCount: request.storedSignCount, backupEligible: request.storedBackupEligible,
                    aaguid: request.storedAAGUID, userHandle: request.storedUserHandle)
                return .authentication(
                    try verifier.verifyAuthentication(
                        responseJSON: request.response, challenge: request.challenge, credential: credential,
                        usernameless: request.usernameless, relyingParty: request.relyingParty))
            }
        } catch {
            return .rejected(error)
        }
    }

    /// `{"ok": true, ...}` or `{"ok": false, "error": {"code", "message"}}`.
    public var json: String {
        var w = JSONWriter()
        w.beginObject()
        switch self {
        case let .registration(r):
            w.member("ok", true)
            w.member("fmt", r.format)
            w.member("alg", r.algorithm.rawValue)
            w.member("credential_id_b64url", Base64URL.encode(r.credentialID))
            w.member("credential_public_key_b64url", Base64URL.encode(r.credentialPublicKey))
            w.member("aaguid", r.aaguidString)
            w.member("sign_count", Int64(r.signCount))
            w.member("user_present", r.userPresent)
            w.member("user_verified", r.userVerified)
            w.member("backup_eligible", r.backupEligible)
            w.member("backed_up", r.backedUp)
            w.member("attestation_type", r.attestationType.rawValue)
            w.member("attestation_trusted", r.attestationTrusted)
            if let source = r.attestationTrustSource { w.member("attestation_trust_source", source) }
            w.key("attestation_certificates_count")
            w.int(Int64(r.attestationCertificates.count))
            if let d = r.authenticatorDescription { w.member("authenticator_description", d) }
            if let c = r.certificationLevel { w.member("certification_level", c) }
            if let m = r.metadataStatus { w.member("metadata_status", m) }
            if !r.attestationDetails.isEmpty {
                // An array: a name may repeat (one "compound_part" per part).
                w.key("attestation_details")
                w.beginArray()
                for d in r.attestationDetails {
                    w.beginObject()
                    w.member("name", d.name)
                    w.member("value", d.value)
                    w.endObject()
                }
                w.endArray()
            }
            w.key("transports")
            w.beginArray()
            for t in r.transports { w.string(t) }
            w.endArray()
            if let e = r.extensionOutputs { w.member("extensions_cbor_b64url", Base64URL.encode(e)) }
            Self.extensions(r.extensionResults, &w)
            Self.signals(r.riskSignals, &w)
        case let .authentication(a):
            w.member("ok", true)
            w.member("alg", a.algorithm.rawValue)
            w.member("sign_count", Int64(a.signCount))
            w.member("stored_sign_count", Int64(a.storedSignCount))
            w.member("user_present", a.userPresent)
            w.member("user_verified", a.userVerified)
            w.member("backup_eligible", a.backupEligible)
            w.member("backed_up", a.backedUp)
            if let e = a.extensionOutputs { w.member("extensions_cbor_b64url", Base64URL.encode(e)) }
            Self.extensions(a.extensionResults, &w)
            Self.signals(a.riskSignals, &w)
        case let .rejected(e):
            w.member("ok", false)
            w.key("error")
            w.beginObject()
            w.member("code", e.code.rawValue)
            w.member("message", e.message)
            w.endObject()
        }
        w.endObject()
        return w.text
    }

    /// `"extensions": {"cred_props_rk": true, "cred_protect": 2, ...}`: only what was reported (always an object).
    public static func extensions(
        credPropsRK: Bool?, credProtect: Int?, largeBlobSupported: Bool?, largeBlobWritten: Bool?, prfEnabled: Bool?,
        appidUsed: Bool, _ w: inout JSONWriter
    ) {
        w.key("extensions")
        w.beginObject()
        if let v = credPropsRK { w.member("cred_props_rk", v) }
        if let v = credProtect { w.member("cred_protect", Int64(v)) }
        if let v = largeBlobSupported { w.member("large_blob_supported", v) }
        if let v = largeBlobWritten { w.member("large_blob_written", v) }
        if let v = prfEnabled { w.member("prf_enabled", v) }
        if appidUsed { w.member("appid_used", true) }
        w.endObject()
    }

    private static func extensions(_ e: ExtensionResults, _ w: inout JSONWriter) {
        extensions(
            credPropsRK: e.credPropsRK, credProtect: e.credProtect.map(Int.init), largeBlobSupported: e.largeBlobSupported,
            largeBlobWritten: e.largeBlobWritten, prfEnabled: e.prfEnabled, appidUsed: e.appidUsed, &w)
    }

    private static func signals(_ s: [RiskSignal], _ w: inout JSONWriter) {
        w.key("risk_signals")
        w.beginArray()
        for signal in s {
            w.beginObject()
            w.member("code", signal.code.rawValue)
            w.member("message", signal.description)
            w.endObject()
        }
        w.endArray()
    }
}
