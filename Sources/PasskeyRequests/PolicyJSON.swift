import PasskeyJSON
public import PasskeyProtocol

/// The relying-party members of the request JSON (`passkeyd verify`, `passkeyctl verify`, both `options` commands)
/// read into the wire's `RelyingPartyPolicy`: the one reader of those members. What the members mean is decided
/// where the policy is built (the server, or `passkeyd` running the same executor in process), so a value the
/// engine refuses is refused the same way whichever tool sent it.
///
/// The config file's relying parties take the same members (`members`) plus the ones that name files.
public enum PolicyJSON {
    public static let members: Set<String> = [
        "rp_id", "origins", "android_apk_cert_sha256", "require_user_verification", "require_user_presence_at_registration",
        "allowed_algorithms", "allow_cross_origin", "top_origins", "sign_count_policy", "backup_eligibility_policy",
        "backup_state_policy", "minimum_rsa_bits", "verify_at_unix", "trust_anchors_pem", "attestation_mode",
        "allowed_aaguids", "android_key_allow_software", "safetynet_max_skew_ms", "compromised_authenticator_policy",
        "attestation_allow_rs1", "options", "app_id",
    ]

    /// The members of a relying party's `options` object (every one optional; absent means the default).
    public static let optionsMembers: Set<String> = [
        "rp_name", "timeout_ms", "challenge_grace_ms", "resident_key", "user_verification", "authenticator_attachment",
        "attestation", "attestation_formats", "hints", "algorithms", "cred_props",
    ]

    /// The policy the members of `f` describe, sent inline.
    public static func policy(_ f: JSONFields) throws(RequestError) -> RelyingPartyPolicy {
        var p = RelyingPartyPolicy(rpID: try f.requiredString("rp_id"), origins: try f.strings("origins") ?? [])
        p.androidAPKCertSHA256 = try f.strings("android_apk_cert_sha256") ?? []
        p.requireUserVerification = try f.bool("require_user_verification") ?? false
        p.registrationUserPresenceOptional = !(try f.bool("require_user_presence_at_registration") ?? true)
        p.allowCrossOrigin = try f.bool("allow_cross_origin") ?? false
        p.topOrigins = try f.strings("top_origins") ?? []
        if let bits = try f.uint32("minimum_rsa_bits") {
            guard bits > 0 else { throw RequestError("'minimum_rsa_bits' must be a positive integer") }
            p.minimumRSABits = bits
        }
        p.verifyAtUnix = try f.int("verify_at_unix") ?? 0
        p.allowedAlgorithms = try f.ints("allowed_algorithms") ?? []
        p.signCountPolicy = try f.action("sign_count_policy") ?? .reject
        p.backupEligibilityPolicy = try f.action("backup_eligibility_policy") ?? .reject
        p.backupStatePolicy = try f.action("backup_state_policy") ?? .reject
        if let mode = try f.string("attestation_mode") {
            guard let m = RelyingPartyPolicy.AttestationMode(rawValue: mode) else {
                throw RequestError("'attestation_mode' must be \"none\", \"verify\" or \"trusted\"")
            }
            p.attestationMode = m
        }
        if let ids = try f.strings("allowed_aaguids") {
            for text in ids {
                guard let id = UUIDText.parse(text) else { throw RequestError("allowed_aaguids: '\(text)' is not a UUID") }
                p.allowedAAGUIDs.append(id)
            }
            // An empty list admits nobody, but on the wire an empty list is no list at all (everyone): refused here
            // rather than sent as the opposite of what it says.
            if ids.isEmpty { throw RequestError("'allowed_aaguids' is empty: it would admit no authenticator") }
        }
        p.androidKeyAllowSoftware = try f.bool("android_key_allow_software") ?? false
        p.attestationAllowRS1 = try f.bool("attestation_allow_rs1") ?? false
        if let ms = try f.uint32("safetynet_max_skew_ms") {
            guard ms > 0 else { throw RequestError("'safetynet_max_skew_ms' must be a positive integer") }
            p.safetyNetMaxSkewMs = ms
        }
        p.compromisedAuthenticatorPolicy = try f.action("compromised_authenticator_policy") ?? .reject
        p.appID = try f.string("app_id")
        p.options = try options(f)
        for (i, pem) in (try f.strings("trust_anchors_pem") ?? []).enumerated() {
            do throws(PEM.Problem) {
                p.trustAnchorsDER += try PEM.someCertificates(pem)
            } catch {
                throw RequestError("trust anchor \(i) is not a PEM certificate: \(error)")
            }
        }
        return p
    }

    /// The relying party's `options` object as the wire's `OptionsPolicy` (words are checked where it is built).
    static func options(_ f: JSONFields) throws(RequestError) -> PasskeydOptionsPolicy? {
        guard let of = try f.object("options") else { return nil }
        try of.refuseUnknown(optionsMembers, "options members")
        var o = PasskeydOptionsPolicy()
        o.rpName = try of.string("rp_name") ?? ""
        o.timeoutMs = try of.uint32("timeout_ms", "options.") ?? 0
        o.challengeGraceMs = try of.uint32("challenge_grace_ms", "options.") ?? 0
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
