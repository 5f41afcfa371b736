import PasskeyJSON
import PasskeyClient
import PasskeyRequests
import PasskeyWebAuthn

/// A `passkeyd verify` request JSON turned into the wire request, without building anything server-side: the
/// policy goes inline and the browser's `response` object is sent verbatim as `response_json`.
enum WireRequestJSON {
    enum Parsed {
        case authentication(AuthenticationRequest)
        case registration(RegistrationRequest)
    }

    /// The members `passkeyd verify` accepts; anything else is refused.
    static let knownMembers: Set<String> = [
        "kind", "rp_id", "origins", "android_apk_cert_sha256", "challenge_b64url", "require_user_verification",
        "require_user_presence_at_registration", "response", "credential_public_key_b64url", "stored_sign_count",
        "stored_backup_eligible", "stored_credential_id_b64url", "trust_anchors_pem", "verify_at_unix",
        "allowed_algorithms", "allow_cross_origin", "top_origins", "sign_count_policy", "backup_eligibility_policy",
        "backup_state_policy", "minimum_rsa_bits", "stored_aaguid", "attestation_mode", "allowed_aaguids",
        "android_key_allow_software", "safetynet_max_skew_ms", "compromised_authenticator_policy", "attestation_allow_rs1",
        "app_id", "options", "stored_user_handle_b64url", "usernameless",
    ]

    static func parse(_ json: [UInt8]) throws(RequestError) -> Parsed {
        try json.withBytes { (bytes) throws(RequestError) in
            var reader = JSONReader()
            let root: JSONReader.Value
            do {
                root = try reader.parse(bytes)
            } catch {
                throw RequestError("request is not strict JSON: \(error)")
            }
            return try decode(reader, root)
        }
    }

    private static func decode(_ r: JSONReader, _ root: JSONReader.Value) throws(RequestError) -> Parsed {
        guard r.kind(root) == .object else { throw RequestError("request is not a JSON object") }
        var unknown: [String] = []
        r.forEachMember(root) { k, _ in
            if let name = r.string(k), !knownMembers.contains(name) { unknown.append(name) }
        }
        if !unknown.isEmpty { throw RequestError("unknown request members: \(unknown.joined(separator: ", "))") }

        let f = JSONFields(reader: r, root: root)
        let kind = try f.requiredString("kind")
        guard kind == "registration" || kind == "authentication" else {
            throw RequestError("'kind' must be \"registration\" or \"authentication\"")
        }
        let policy = try self.policy(f)
        guard let challenge = Base64URL.decode(try f.requiredString("challenge_b64url"), allowPadding: true) else {
            throw RequestError("'challenge_b64url' is not base64url")
        }
        guard let response = r.member(root, "response"), r.kind(response) == .object else {
            throw RequestError("'response' must be the PublicKeyCredential JSON object")
        }
        let responseJSON = String(decoding: r.rawBytes(response), as: UTF8.self)
        let key = try f.base64url("credential_public_key_b64url")
        var signCount: UInt32 = 0
        if let c = try f.int("stored_sign_count") {
            guard let v = UInt32(exactly: c) else { throw RequestError("'stored_sign_count' must fit 32 bits unsigned") }
            signCount = v
        }
        let storedBE = try f.bool("stored_backup_eligible")
        let storedID = try f.base64url("stored_credential_id_b64url")
        var storedAAGUID: [UInt8]? = nil
        if let text = try f.string("stored_aaguid") {
            guard let id = RelyingPartyJSON.parseUUID(text) else { throw RequestError("'stored_aaguid' is not a UUID") }
            storedAAGUID = id
        }
        if kind == "registration" {
            return .registration(RegistrationRequest(policy: policy, challenge: challenge, credential: .json(responseJSON)))
        }
        guard let key else { throw RequestError("an authentication request needs 'credential_public_key_b64url'") }
        var request = AuthenticationRequest(
            policy: policy, challenge: challenge, credentialPublicKey: key, storedSignCount: signCount,
            storedBackupEligible: storedBE, storedCredentialID: storedID, storedAAGUID: storedAAGUID,
            credential: .json(responseJSON))
        request.storedUserHandle = try f.base64url("stored_user_handle_b64url")
        request.usernameless = try f.bool("usernameless") ?? false
        return .authentication(request)
    }

    static func policy(_ f: JSONFields) throws(RequestError) -> RelyingPartyPolicy {
        var p = RelyingPartyPolicy(rpID: try f.requiredString("rp_id"), origins: try f.strings("origins") ?? [])
        p.androidAPKCertSHA256 = try f.strings("android_apk_cert_sha256") ?? []
        p.requireUserVerification = try f.bool("require_user_verification") ?? false
        p.registrationUserPresenceOptional = !(try f.bool("require_user_presence_at_registration") ?? true)
        p.allowCrossOrigin = try f.bool("allow_cross_origin") ?? false
        p.topOrigins = try f.strings("top_origins") ?? []
        if let bits = try f.int("minimum_rsa_bits") {
            guard let v = UInt32(exactly: bits), v > 0 else { throw RequestError("'minimum_rsa_bits' must be a positive integer") }
            p.minimumRSABits = v
        }
        p.verifyAtUnix = try f.int("verify_at_unix") ?? 0
        p.allowedAlgorithms = try f.ints("allowed_algorithms") ?? []
        p.signCountPolicy = try clientAction(f.action("sign_count_policy"))
        p.backupEligibilityPolicy = try clientAction(f.action("backup_eligibility_policy"))
        p.backupStatePolicy = try clientAction(f.action("backup_state_policy"))
        if let mode = try f.string("attestation_mode") {
            guard let m = RelyingPartyPolicy.AttestationMode(rawValue: mode) else {
                throw RequestError("'attestation_mode' must be \"none\", \"verify\" or \"trusted\"")
            }
            p.attestationMode = m
        }
        for text in try f.strings("allowed_aaguids") ?? [] {
            guard let id = RelyingPartyJSON.parseUUID(text) else { throw RequestError("allowed_aaguids: '\(text)' is not a UUID") }
            p.allowedAAGUIDs.append(id)
        }
        p.androidKeyAllowSoftware = try f.bool("android_key_allow_software") ?? false
        p.attestationAllowRS1 = try f.bool("attestation_allow_rs1") ?? false
        if let ms = try f.int("safetynet_max_skew_ms") {
            guard let v = UInt32(exactly: ms), v > 0 else { throw RequestError("'safetynet_max_skew_ms' must be a positive integer") }
            p.safetyNetMaxSkewMs = v
        }
        p.compromisedAuthenticatorPolicy = try clientAction(f.action("compromised_authenticator_policy"))
        p.appID = try f.string("app_id")
        p.options = try options(f)
        if let pems = try f.strings("trust_anchors_pem") {
            for (i, pem) in pems.enumerated() {
                guard let der = PEM.certificateDER(pem) else {
                    throw RequestError("trust anchor \(i) is not a PEM certificate")
                }
                p.trustAnchorsDER.append(der)
            }
        }
        return p
    }
}

extension WireRequestJSON {
    /// The relying party's `options` object as the wire's `OptionsPolicy`: checked by the engine's own reader first
    /// (same members, same refusals as `passkeyd`), then sent as given.
    static func options(_ f: JSONFields) throws(RequestError) -> PasskeydOptionsPolicy? {
        guard let v = f.value("options") else { return nil }
        var check = Policy()
        try RelyingPartyJSON.decodeOptionsForClients(f, into: &check)
        let of = JSONFields(reader: f.reader, root: v)
        var o = PasskeydOptionsPolicy()
        o.rpName = try of.string("rp_name") ?? ""
        o.timeoutMs = UInt32(clamping: try of.int("timeout_ms") ?? 0)
        o.challengeGraceMs = UInt32(clamping: try of.int("challenge_grace_ms") ?? 0)
        o.residentKey = try of.string("resident_key") ?? ""
        o.userVerification = try of.string("user_verification") ?? ""
        o.authenticatorAttachment = try of.string("authenticator_attachment") ?? ""
        o.attestation = try of.string("attestation") ?? ""
        o.attestationFormats = try of.strings("attestation_formats") ?? []
        o.hints = try of.strings("hints") ?? []
        o.algorithms = try of.ints("algorithms") ?? []
        o.omitCredProps = !(try of.bool("cred_props") ?? true)
        return o
    }
}

/// The engine's signal action (what the request JSON names) as the client's wire value.
private func clientAction(_ a: PasskeyWebAuthn.SignalAction?) -> RelyingPartyPolicy.SignalAction {
    a == .report ? .report : .reject
}
