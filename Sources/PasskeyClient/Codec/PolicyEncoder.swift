internal import CPasskeyProto

extension ProtoArena {
    /// `RelyingPartyPolicy` → protobuf-c struct in this arena.
    func policy(_ p: RelyingPartyPolicy) -> UnsafeMutablePointer<Passkeyd__V1__RelyingPartyPolicy> {
        let m = new(Passkeyd__V1__RelyingPartyPolicy.self, passkeyd__v1__relying_party_policy__init)
        if let name = p.relyingParty {
            m.pointee.relying_party = cString(name)
            return m
        }
        m.pointee.rp_id = cString(p.rpID)
        (m.pointee.n_origins, m.pointee.origins) = cStrings(p.origins)
        (m.pointee.n_android_apk_cert_sha256, m.pointee.android_apk_cert_sha256) = cStrings(p.androidAPKCertSHA256)
        m.pointee.require_user_verification = p.requireUserVerification ? 1 : 0
        m.pointee.registration_user_presence_optional = p.registrationUserPresenceOptional ? 1 : 0
        if !p.allowedAlgorithms.isEmpty {
            let a = array(Int64.self, p.allowedAlgorithms.count)
            for (i, v) in p.allowedAlgorithms.enumerated() { a[i] = v }
            m.pointee.n_allowed_algorithms = p.allowedAlgorithms.count
            m.pointee.allowed_algorithms = a
        }
        m.pointee.allow_cross_origin = p.allowCrossOrigin ? 1 : 0
        (m.pointee.n_top_origins, m.pointee.top_origins) = cStrings(p.topOrigins)
        m.pointee.sign_count_policy = Self.action(p.signCountPolicy)
        m.pointee.backup_eligibility_policy = Self.action(p.backupEligibilityPolicy)
        m.pointee.backup_state_policy = Self.action(p.backupStatePolicy)
        m.pointee.minimum_rsa_bits = p.minimumRSABits
        if !p.trustAnchorsDER.isEmpty {
            let a = array(ProtobufCBinaryData.self, p.trustAnchorsDER.count)
            for (i, der) in p.trustAnchorsDER.enumerated() { a[i] = binary(der) }
            m.pointee.n_trust_anchors_der = p.trustAnchorsDER.count
            m.pointee.trust_anchors_der = a
        }
        m.pointee.verify_at_unix = p.verifyAtUnix
        switch p.attestationMode {
        case nil: m.pointee.attestation_mode = PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_DEFAULT
        case .none?: m.pointee.attestation_mode = PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_NONE
        case .verify?: m.pointee.attestation_mode = PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_VERIFY
        case .trusted?: m.pointee.attestation_mode = PASSKEYD__V1__ATTESTATION_MODE__ATTESTATION_MODE_TRUSTED
        }
        if !p.allowedAAGUIDs.isEmpty {
            let a = array(ProtobufCBinaryData.self, p.allowedAAGUIDs.count)
            for (i, id) in p.allowedAAGUIDs.enumerated() { a[i] = binary(id) }
            m.pointee.n_allowed_aaguids = p.allowedAAGUIDs.count
            m.pointee.allowed_aaguids = a
        }
        m.pointee.android_key_allow_software = p.androidKeyAllowSoftware ? 1 : 0
        m.pointee.attestation_allow_rs1 = p.attestationAllowRS1 ? 1 : 0
        m.pointee.safetynet_max_skew_ms = p.safetyNetMaxSkewMs
        m.pointee.compromised_authenticator_policy = Self.action(p.compromisedAuthenticatorPolicy)
        if let o = p.options {
            let c = new(Passkeyd__V1__OptionsPolicy.self, passkeyd__v1__options_policy__init)
            if !o.rpName.isEmpty { c.pointee.rp_name = cString(o.rpName) }
            c.pointee.timeout_ms = o.timeoutMs
            c.pointee.challenge_grace_ms = o.challengeGraceMs
            if !o.residentKey.isEmpty { c.pointee.resident_key = cString(o.residentKey) }
            if !o.userVerification.isEmpty { c.pointee.user_verification = cString(o.userVerification) }
            if !o.authenticatorAttachment.isEmpty { c.pointee.authenticator_attachment = cString(o.authenticatorAttachment) }
            if !o.attestation.isEmpty { c.pointee.attestation = cString(o.attestation) }
            (c.pointee.n_attestation_formats, c.pointee.attestation_formats) = cStrings(o.attestationFormats)
            (c.pointee.n_hints, c.pointee.hints) = cStrings(o.hints)
            if !o.algorithms.isEmpty {
                let a = array(Int64.self, o.algorithms.count)
                for (i, v) in o.algorithms.enumerated() { a[i] = v }
                c.pointee.n_algorithms = o.algorithms.count
                c.pointee.algorithms = a
            }
            c.pointee.omit_cred_props = o.omitCredProps ? 1 : 0
            m.pointee.options = c
        }
        if let appID = p.appID { m.pointee.app_id = cString(appID) }
        return m
    }

    static func action(_ a: RelyingPartyPolicy.SignalAction) -> Passkeyd__V1__SignalAction {
        a == .report ? PASSKEYD__V1__SIGNAL_ACTION__SIGNAL_ACTION_REPORT : PASSKEYD__V1__SIGNAL_ACTION__SIGNAL_ACTION_REJECT
    }
}

extension RelyingPartyPolicy {
    /// Bytes the encoded policy needs in an arena (structs, pointers and copies), for sizing it.
    var arenaEstimate: Int {
        var n = 256 + (relyingParty?.utf8.count ?? 0) + rpID.utf8.count
        for s in origins { n += s.utf8.count + 32 }
        for s in androidAPKCertSHA256 { n += s.utf8.count + 32 }
        for s in topOrigins { n += s.utf8.count + 32 }
        for d in trustAnchorsDER { n += d.count + 32 }
        n += allowedAAGUIDs.count * 48
        if let o = options {
            n += 256 + o.rpName.utf8.count + o.algorithms.count * 8
            for s in o.attestationFormats + o.hints { n += s.utf8.count + 32 }
        }
        n += (appID?.utf8.count ?? 0) + 16
        return n + allowedAlgorithms.count * 8
    }
}
