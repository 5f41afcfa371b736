import PasskeyJSON
import PasskeyClient
import PasskeyWebAuthn
import PasskeyRequests

/// Results printed exactly as `passkeyd verify` prints its verdicts (PasskeyRequests/Verdict.swift): same members, same
/// order; error codes are the lowercase wire names ("bad_signature").
enum VerdictJSON {
    static func authentication(_ a: AuthenticationResult) -> String {
        var w = JSONWriter()
        w.beginObject()
        if let code = a.errorCode {
            rejected(code, a.errorMessage, &w)
        } else {
            w.member("ok", true)
            w.member("alg", a.algorithm)
            w.member("sign_count", Int64(a.signCount))
            w.member("stored_sign_count", Int64(a.storedSignCount))
            w.member("user_present", a.userPresent)
            w.member("user_verified", a.userVerified)
            w.member("backup_eligible", a.backupEligible)
            w.member("backed_up", a.backedUp)
            if let e = a.extensionOutputsCBOR { w.member("extensions_cbor_b64url", Base64URL.encode(e)) }
            extensions(a.extensionResults, &w)
            signals(a.riskSignals, &w)
        }
        w.endObject()
        return w.text
    }

    static func registration(_ r: RegistrationResult) -> String {
        var w = JSONWriter()
        w.beginObject()
        if let code = r.errorCode {
            rejected(code, r.errorMessage, &w)
        } else {
            w.member("ok", true)
            w.member("fmt", r.format)
            w.member("alg", r.algorithm)
            w.member("credential_id_b64url", Base64URL.encode(r.credentialID))
            w.member("credential_public_key_b64url", Base64URL.encode(r.credentialPublicKey))
            w.member("aaguid", uuid(r.aaguid))
            w.member("sign_count", Int64(r.signCount))
            w.member("user_present", r.userPresent)
            w.member("user_verified", r.userVerified)
            w.member("backup_eligible", r.backupEligible)
            w.member("backed_up", r.backedUp)
            w.member("attestation_type", r.attestationType)
            w.member("attestation_trusted", r.attestationTrusted)
            if let source = r.attestationTrustSource { w.member("attestation_trust_source", source) }
            w.key("attestation_certificates_count")
            w.int(Int64(r.attestationCertificates.count))
            if let d = r.authenticatorDescription { w.member("authenticator_description", d) }
            if let c = r.certificationLevel { w.member("certification_level", c) }
            if let m = r.metadataStatus { w.member("metadata_status", m) }
            if !r.attestationDetails.isEmpty {
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
            if let e = r.extensionOutputsCBOR { w.member("extensions_cbor_b64url", Base64URL.encode(e)) }
            extensions(r.extensionResults, &w)
            signals(r.riskSignals, &w)
        }
        w.endObject()
        return w.text
    }

    /// `{"ok": false, "error": {...}}` for a request-level error or an unusable request.
    static func error(code: String, message: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        rejected(code, message, &w)
        w.endObject()
        return w.text
    }

    private static func rejected(_ code: String, _ message: String, _ w: inout JSONWriter) {
        w.member("ok", false)
        w.key("error")
        w.beginObject()
        w.member("code", code.lowercased())
        w.member("message", message)
        w.endObject()
    }

    private static func extensions(_ e: PasskeydExtensionResults, _ w: inout JSONWriter) {
        Verdict.extensions(
            credPropsRK: e.credPropsRK, credProtect: e.credProtect.map(Int.init), largeBlobSupported: e.largeBlobSupported,
            largeBlobWritten: e.largeBlobWritten, prfEnabled: e.prfEnabled, appidUsed: e.appidUsed, &w)
    }

    private static func signals(_ s: [PasskeydRiskSignal], _ w: inout JSONWriter) {
        w.key("risk_signals")
        w.beginArray()
        for signal in s {
            w.beginObject()
            w.member("code", signal.code.lowercased())
            w.member("message", signal.message)
            w.endObject()
        }
        w.endArray()
    }

    /// Lowercase 8-4-4-4-12 form of a 16-byte AAGUID (plain hex otherwise).
    static func uuid(_ b: [UInt8]) -> String {
        let h = Array(Hex.encode(b))
        guard h.count == 32 else { return String(h) }
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-"
            + String(h[20..<32])
    }
}
