import PasskeyJSON
public import PasskeyProtocol

/// The verdict JSON line of `passkeyd verify` and `passkeyctl verify`, printed from the wire's results by this one
/// printer; error codes are their stable lowercase names ("bad_signature"). Also the `options` commands' output.
public enum VerdictJSON {
    /// 0 accepted, 1 rejected, 2 unusable: a request the server could not use (`malformed_request`: unreadable
    /// policy, response or members; `unknown_relying_party`) is not a verdict on the ceremony.
    public static func exitStatus(_ code: PasskeydErrorCode?) -> Int32 {
        switch code {
        case nil: 0
        case .malformedRequest?, .unknownRelyingParty?: 2
        default: 1
        }
    }

    /// A verify or options response as its JSON line and exit status (a request-level error is unusable: 2).
    public static func verdict(_ response: PasskeydResponse) -> (json: String, status: Int32) {
        switch response {
        case let .authentication(a): (authentication(a), exitStatus(a.errorCode))
        case let .registration(r): (registration(r), exitStatus(r.errorCode))
        case let .options(g): (options(g), g.errorCode == nil ? 0 : 2)
        case let .error(code, message): (error(code: code, message: message), 2)
        case let other: (error(code: .internalError, message: "unexpected \(other.name) result"), 2)
        }
    }

    public static func authentication(_ a: AuthenticationResult) -> String {
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

    public static func registration(_ r: RegistrationResult) -> String {
        var w = JSONWriter()
        w.beginObject()
        if let code = r.errorCode {
            rejected(code, r.errorMessage, &w)
        } else {
            w.member("ok", true)
            w.member("fmt", r.format.rawValue)
            w.member("alg", r.algorithm)
            w.member("credential_id_b64url", Base64URL.encode(r.credentialID))
            w.member("credential_public_key_b64url", Base64URL.encode(r.credentialPublicKey))
            w.member("aaguid", UUIDText.format(r.aaguid))
            w.member("sign_count", Int64(r.signCount))
            w.member("user_present", r.userPresent)
            w.member("user_verified", r.userVerified)
            w.member("backup_eligible", r.backupEligible)
            w.member("backed_up", r.backedUp)
            w.member("attestation_type", r.attestationType.rawValue)
            w.member("attestation_trusted", r.attestationTrusted)
            if let source = r.attestationTrustSource { w.member("attestation_trust_source", source.rawValue) }
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
    public static func error(code: PasskeydErrorCode, message: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        rejected(code, message, &w)
        w.endObject()
        return w.text
    }

    private static func rejected(_ code: PasskeydErrorCode, _ message: String, _ w: inout JSONWriter) {
        w.member("ok", false)
        w.key("error")
        w.beginObject()
        w.member("code", code.name)
        w.member("message", message)
        w.endObject()
    }

    /// `"extensions": {"cred_props_rk": true, "cred_protect": 2, ...}`: only what was reported (always an object).
    private static func extensions(_ e: PasskeydExtensionResults, _ w: inout JSONWriter) {
        w.key("extensions")
        w.beginObject()
        if let v = e.credPropsRK { w.member("cred_props_rk", v) }
        if let v = e.credProtect { w.member("cred_protect", Int64(v)) }
        if let v = e.largeBlobSupported { w.member("large_blob_supported", v) }
        if let v = e.largeBlobWritten { w.member("large_blob_written", v) }
        if let v = e.prfEnabled { w.member("prf_enabled", v) }
        if e.appidUsed { w.member("appid_used", true) }
        w.endObject()
    }

    private static func signals(_ s: [PasskeydRiskSignal], _ w: inout JSONWriter) {
        w.key("risk_signals")
        w.beginArray()
        for signal in s {
            w.beginObject()
            w.member("code", signal.code.name)
            w.member("message", signal.message)
            w.endObject()
        }
        w.endArray()
    }

    /// `{"ok":true,"options":OPTIONS,"challenge_b64url":"...","expires_at_unix_ms":N,"timeout_ms":N}` for generated
    /// options, the refusal otherwise.
    public static func options(_ g: GeneratedOptionsResult) -> String {
        if let code = g.errorCode { return error(code: code, message: g.errorMessage) }
        var w = JSONWriter()
        w.beginObject()
        w.member("challenge_b64url", Base64URL.encode(g.challenge))
        w.member("expires_at_unix_ms", g.expiresAtUnixMs)
        w.member("timeout_ms", Int64(g.timeoutMs))
        w.endObject()
        // The options text is already JSON: spliced in as it is.
        return "{\"ok\":true,\"options\":" + g.optionsJSON + "," + String(w.text.dropFirst())
    }
}
