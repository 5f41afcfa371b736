internal import CPasskeyProto
import PasskeyCOSE
import PasskeyCrypto
import PasskeyWebAuthn

/// A per-item failure that is not a ceremony check (policy unusable, relying party unknown).
struct ItemFailure: Error {
    let code: Passkeyd__V1__ErrorCode
    let message: String
}

extension WireExecutor {
    /// The relying party a verify request names or carries inline.
    func party(_ p: UnsafeMutablePointer<Passkeyd__V1__RelyingPartyPolicy>?) throws(ItemFailure) -> RelyingParty {
        guard let p else {
            throw ItemFailure(code: PASSKEYD__V1__ERROR_CODE__MALFORMED_REQUEST, message: "the request has no policy")
        }
        if let name = p.pointee.relying_party, name.pointee != 0 {
            let n = String(cString: name)
            guard let rp = registry.named(n) else {
                throw ItemFailure(
                    code: PASSKEYD__V1__ERROR_CODE__UNKNOWN_RELYING_PARTY,
                    message: "no relying party named '\(n)' is configured")
            }
            return rp
        }
        // Inline: cache by the policy's own encoding.
        let size = passkeyd__v1__relying_party_policy__get_packed_size(p)
        let built: Result<RelyingParty, WebAuthnError> = withUnsafeTemporaryAllocation(byteCount: max(1, size), alignment: 8) { buf in
            let written = passkeyd__v1__relying_party_policy__pack(p, buf.baseAddress!.assumingMemoryBound(to: UInt8.self))
            let key = UnsafeRawBufferPointer(rebasing: buf[0..<written])
            return Result { () throws(WebAuthnError) -> RelyingParty in
                let generation = registry.inlineGeneration
                if let memo = inlineMemo, memo.generation == generation, memo.matches(key) { return memo.party }
                let rp = try registry.inlineParty(key: key) { () throws(WebAuthnError) -> RelyingParty in
                    try Self.buildParty(p.pointee, attestation: registry.attestationDefaults)
                }
                // Only what the shared cache would keep: a policy above its key limit is built for its request.
                if key.count <= registry.inlineKeyLimit {
                    if inlineMemo?.matches(key) == true {
                        inlineMemo!.generation = generation
                        inlineMemo!.party = rp
                    } else {
                        inlineMemo = InlineMemo(generation: generation, key: Array(key), party: rp)
                    }
                }
                return rp
            }
        }
        switch built {
        case let .success(rp): return rp
        case let .failure(e): throw ItemFailure(code: PASSKEYD__V1__ERROR_CODE__MALFORMED_REQUEST, message: "policy: \(e.message)")
        }
    }

    /// Inline policies arrive with requests, so their lists are capped before anything is built from them (a policy
    /// of thousands of certificates would be tens of milliseconds of parsing on an event loop). Named relying parties
    /// come from the operator's config file and are not capped here.
    static let maximumInlineOrigins = 256
    static let maximumInlineTrustAnchors = 64
    static let maximumInlineAlgorithms = 64

    static func checkInlineCounts(_ p: Passkeyd__V1__RelyingPartyPolicy) throws(WebAuthnError) {
        let lists: [(StaticString, Int, Int)] = [
            ("origins", p.n_origins, maximumInlineOrigins),
            ("top_origins", p.n_top_origins, maximumInlineOrigins),
            ("android_apk_cert_sha256", p.n_android_apk_cert_sha256, maximumInlineOrigins),
            ("trust_anchors_der", p.n_trust_anchors_der, maximumInlineTrustAnchors),
            ("allowed_algorithms", p.n_allowed_algorithms, maximumInlineAlgorithms),
            ("allowed_aaguids", p.n_allowed_aaguids, maximumInlineOrigins),
        ]
        for (name, count, limit) in lists where count > limit {
            throw WebAuthnError(.malformedRequest, "\(name) has \(count) entries; an inline policy may have at most \(limit)")
        }
    }

    static func buildParty(
        _ p: Passkeyd__V1__RelyingPartyPolicy, attestation defaults: AttestationPolicy = AttestationPolicy()
    ) throws(WebAuthnError) -> RelyingParty {
        try checkInlineCounts(p)
        var policy = Policy()
        policy.attestation = defaults
        switch p.attestation_mode {
        case PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_NONE: policy.attestation.mode = AttestationPolicy.Mode.none
        case PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_VERIFY: policy.attestation.mode = .verify
        case PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_TRUSTED: policy.attestation.mode = .trusted
        case PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_DEFAULT: policy.attestation.mode = nil
        default: throw WebAuthnError(.malformedRequest, "attestation_mode \(p.attestation_mode.rawValue) is not a known mode")
        }
        if p.n_allowed_aaguids > 0 {
            var set = Set<[UInt8]>()
            for i in 0..<p.n_allowed_aaguids {
                let id = view(p.allowed_aaguids[i])
                guard id.count == 16 else {
                    throw WebAuthnError(.malformedRequest, "allowed_aaguids[\(i)] is \(id.count) bytes; an AAGUID is 16")
                }
                set.insert(Array(id))
            }
            policy.attestation.allowedAAGUIDs = set
        }
        policy.attestation.androidKeyAllowSoftware = p.android_key_allow_software != 0
        policy.attestation.allowRS1AttestationSignatures = p.attestation_allow_rs1 != 0
        if p.safetynet_max_skew_ms != 0 { policy.attestation.safetyNetMaxSkewMilliseconds = Int64(p.safetynet_max_skew_ms) }
        policy.compromisedAuthenticator = action(p.compromised_authenticator_policy)
        policy.requireUserVerification = p.require_user_verification != 0
        policy.requireUserPresenceAtRegistration = p.registration_user_presence_optional == 0
        if p.n_allowed_algorithms > 0 {
            var set = Set<COSEAlgorithm>()
            for i in 0..<p.n_allowed_algorithms {
                guard let alg = COSEAlgorithm(rawValue: p.allowed_algorithms[i]) else {
                    throw WebAuthnError(.malformedRequest, "allowed_algorithms: \(p.allowed_algorithms[i]) is not a supported COSE algorithm")
                }
                set.insert(alg)
            }
            policy.allowedAlgorithms = set
        }
        policy.allowCrossOrigin = p.allow_cross_origin != 0
        policy.allowedTopOrigins = strings(p.top_origins, p.n_top_origins)
        policy.signCountRegression = action(p.sign_count_policy)
        policy.backupEligibilityChange = action(p.backup_eligibility_policy)
        policy.backupStateWithoutEligibility = action(p.backup_state_policy)
        if p.minimum_rsa_bits != 0 { policy.minimumRSAModulusBits = Int(p.minimum_rsa_bits) }
        if p.verify_at_unix != 0 { policy.verificationTime = p.verify_at_unix }
        if p.n_trust_anchors_der > 0 {
            var anchors: [Certificate] = []
            for i in 0..<p.n_trust_anchors_der {
                do throws(CryptoError) {
                    anchors.append(try Certificate(der: view(p.trust_anchors_der[i])))
                } catch {
                    throw WebAuthnError(.malformedRequest, "trust_anchors_der[\(i)] is not a DER certificate: \(error.message)")
                }
            }
            policy.trustAnchors = TrustAnchors(certificates: anchors)
        }
        if let o = p.options { policy.options = try optionsPolicy(o.pointee) }
        if let appID = p.app_id, appID.pointee != 0 { policy.appID = String(cString: appID) }
        return try RelyingParty(
            id: string(p.rp_id), origins: strings(p.origins, p.n_origins),
            androidAPKSigningCertificateSHA256: strings(p.android_apk_cert_sha256, p.n_android_apk_cert_sha256),
            policy: policy)
    }

    static func strings(_ p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ n: Int) -> [String] {
        guard let p, n > 0 else { return [] }
        return (0..<n).map { string(p[$0]) }
    }

    static func action(_ a: Passkeyd__V1__SignalAction) -> SignalAction {
        a == PASSKEYD__V1__SIGNAL_ACTION__SIGNAL_ACTION_REPORT ? .report : .reject
    }
}

/// An executor's last inline policy: its encoding, the party built from it, and the registry's inline generation
/// when the party was obtained.
struct InlineMemo {
    var generation: UInt64
    let key: [UInt8]
    var party: RelyingParty

    func matches(_ other: UnsafeRawBufferPointer) -> Bool {
        key.count == other.count && key.withUnsafeBytes { $0.elementsEqual(other) }
    }
}
