internal import CPasskeyProto
import PasskeyCOSE
import PasskeyCrypto
import PasskeyWebAuthn

extension WireExecutor {
    /// One assertion → one result (never throws: every failure becomes the result's error code). An assertion checked
    /// against an issued challenge is recorded in the replay store before its result is filled in: inline with the
    /// embedded store, later (`WaitingRequest`) with the shared one.
    func authenticate(
        _ item: UnsafeMutablePointer<Passkeyd__V1__VerifyAuthenticationRequest>, method: WireMethod
    ) -> UnsafeMutablePointer<Passkeyd__V1__VerifyAuthenticationResult> {
        let out = new(Passkeyd__V1__VerifyAuthenticationResult.self, passkeyd__v1__verify_authentication_result__init)
        let r = item.pointee
        do throws(ItemFailure) {
            let rp = try party(r.policy)
            let storedBE: Bool? =
                switch r.stored_backup_eligible {
                case PASSKEYD__V1__BACKUP_ELIGIBILITY__BACKUP_ELIGIBILITY_ELIGIBLE: true
                case PASSKEYD__V1__BACKUP_ELIGIBILITY__BACKUP_ELIGIBILITY_NOT_ELIGIBLE: false
                default: nil
                }
            let stored = StoredCredentialView(
                publicKey: view(r.credential_public_key), signCount: r.stored_sign_count, backupEligible: storedBE,
                credentialID: r.stored_credential_id.len > 0 ? view(r.stored_credential_id) : nil,
                aaguid: r.stored_aaguid.len > 0 ? view(r.stored_aaguid) : nil,
                userHandle: r.stored_user_handle.len > 0 ? view(r.stored_user_handle) : nil)
            // An issued challenge says itself whether the login was usernameless; the flag is for expected bytes.
            let usernameless = r.usernameless != 0
            let verified: VerifiedAuthentication
            do throws(WebAuthnError) {
                let empty = UnsafeRawBufferPointer(start: nil, count: 0)
                let issued = r.challenge_check_case == PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CHALLENGE_CHECK_ISSUED_CHALLENGE
                let context = issued ? r.issued_challenge.map { view($0.pointee.context) } ?? empty : empty
                // The expected bytes, when the request gives them (an unset check is an empty challenge: refused).
                let challenge = r.challenge_check_case == PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CHALLENGE_CHECK_CHALLENGE
                    ? view(r.challenge) : empty
                let keys = registry.challengeKeys
                let nowMs = requestNowMs
                let outcome: AuthenticationOutcome
                switch r.credential_case {
                case PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CREDENTIAL_FIELDS:
                    let f = r.fields!.pointee
                    let assertion = AssertionView(
                        credentialID: f.credential_id.len > 0 ? view(f.credential_id) : nil,
                        authenticatorData: view(f.authenticator_data), clientDataJSON: view(f.client_data_json),
                        signature: view(f.signature), userHandle: f.user_handle.len > 0 ? view(f.user_handle) : nil,
                        clientExtensions: ClientExtensionResults(appid: r.appid_used != 0 ? true : nil))
                    outcome = issued
                        ? .pending(
                            try verifier.verifyAuthentication(
                                assertion, issuedBy: keys, context: context, stored: stored, nowMs: nowMs, relyingParty: rp))
                        : .verified(
                            try verifier.verifyAuthentication(
                                assertion, challenge: challenge, publicKey: stored.publicKey,
                                storedSignCount: stored.signCount, storedBackupEligible: stored.backupEligible,
                                storedCredentialID: stored.credentialID, storedAAGUID: stored.aaguid,
                                storedUserHandle: stored.userHandle, usernameless: usernameless, relyingParty: rp))
                case PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CREDENTIAL_RESPONSE_JSON:
                    let json = UnsafeRawBufferPointer(start: r.response_json, count: cStringLength(r.response_json))
                    outcome = issued
                        ? .pending(
                            try verifier.verifyAuthentication(
                                responseJSON: json, issuedBy: keys, context: context, stored: stored, nowMs: nowMs,
                                relyingParty: rp))
                        : .verified(
                            try verifier.verifyAuthentication(
                                responseJSON: json, challenge: challenge, publicKey: stored.publicKey,
                                storedSignCount: stored.signCount, storedBackupEligible: stored.backupEligible,
                                storedCredentialID: stored.credentialID, storedAAGUID: stored.aaguid,
                                storedUserHandle: stored.userHandle, usernameless: usernameless, relyingParty: rp))
                default:
                    throw WebAuthnError(.malformedRequest, "the request carries neither fields nor response_json")
                }
                switch (outcome, replay) {
                case let (.verified(v), _):
                    verified = v
                case let (.pending(p), .inline(store)):
                    verified = try p.complete(using: store, nowMs: nowMs)
                case let (.pending(p), .deferred):
                    // Filled in (or turned into CHALLENGE_REUSED) when the shared store has answered.
                    waiting.append(.authentication(p, out, method))
                    return out
                }
            } catch {
                throw ItemFailure(code: error.code.wire, message: error.message)
            }
            writer.fill(out, with: verified)
            onVerdict?(method, .none)
        } catch {
            out.pointee.error_code = error.code
            out.pointee.error_message = cString(error.message)
            onVerdict?(method, WireCode(error.code))
        }
        return out
    }

    /// One registration → one result (issued challenges as for `authenticate`).
    func register(
        _ item: UnsafeMutablePointer<Passkeyd__V1__VerifyRegistrationRequest>, method: WireMethod
    ) -> UnsafeMutablePointer<Passkeyd__V1__VerifyRegistrationResult> {
        let out = new(Passkeyd__V1__VerifyRegistrationResult.self, passkeyd__v1__verify_registration_result__init)
        let r = item.pointee
        do throws(ItemFailure) {
            let rp = try party(r.policy)
            let verified: VerifiedRegistration
            do throws(WebAuthnError) {
                let issued = r.challenge_check_case == PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CHALLENGE_CHECK_ISSUED_CHALLENGE
                let empty = UnsafeRawBufferPointer(start: nil, count: 0)
                let context = issued ? r.issued_challenge.map { view($0.pointee.context) } ?? empty : empty
                let challenge = r.challenge_check_case == PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CHALLENGE_CHECK_CHALLENGE
                    ? view(r.challenge) : empty
                let keys = registry.challengeKeys
                let nowMs = requestNowMs
                let verifier = self.verifier
                // Either kind of check, over views of the response's parts.
                func run(_ response: AttestationView) throws(WebAuthnError) -> RegistrationOutcome {
                    if issued {
                        return .pending(
                            try verifier.verifyRegistration(response, issuedBy: keys, context: context, nowMs: nowMs, relyingParty: rp))
                    }
                    return .verified(try verifier.verifyRegistration(response, challenge: challenge, relyingParty: rp))
                }
                let outcome: RegistrationOutcome
                switch r.credential_case {
                case PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CREDENTIAL_FIELDS:
                    let f = r.fields!.pointee
                    outcome = try run(
                        AttestationView(
                            credentialID: f.credential_id.len > 0 ? view(f.credential_id) : nil,
                            clientDataJSON: view(f.client_data_json), attestationObject: view(f.attestation_object),
                            transports: Self.strings(f.transports, f.n_transports)))
                case PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CREDENTIAL_RESPONSE_JSON:
                    let json = UnsafeRawBufferPointer(start: r.response_json, count: cStringLength(r.response_json))
                    let response = try CredentialResponseJSON(json: json, reader: &responseReader)
                    guard let ao = response.attestationObject else {
                        throw WebAuthnError(.malformedRequest, "registration response lacks attestationObject")
                    }
                    outcome = try ao.withBytes { (aov) throws(WebAuthnError) in
                        try response.clientDataJSON.withBytes { (cd) throws(WebAuthnError) in
                            try response.credentialID.withBytes { (idv) throws(WebAuthnError) in
                                try run(
                                    AttestationView(
                                        credentialID: idv, clientDataJSON: cd, attestationObject: aov,
                                        transports: response.transports, clientExtensions: response.clientExtensionResults))
                            }
                        }
                    }
                default:
                    throw WebAuthnError(.malformedRequest, "the request carries neither fields nor response_json")
                }
                switch (outcome, replay) {
                case let (.verified(v), _):
                    verified = v
                case let (.pending(p), .inline(store)):
                    verified = try p.complete(using: store, nowMs: nowMs)
                case let (.pending(p), .deferred):
                    waiting.append(.registration(p, out, method))
                    return out
                }
            } catch {
                throw ItemFailure(code: error.code.wire, message: error.message)
            }
            writer.fill(out, with: verified)
            onVerdict?(method, .none)
        } catch {
            out.pointee.error_code = error.code
            out.pointee.error_message = cString(error.message)
            onVerdict?(method, WireCode(error.code))
        }
        return out
    }

    func serverInfo() -> UnsafeMutablePointer<Passkeyd__V1__ServerInfoResponse> {
        let info = new(Passkeyd__V1__ServerInfoResponse.self, passkeyd__v1__server_info_response__init)
        let l = description.limits
        info.pointee.version = cString(description.version)
        let algs = COSEAlgorithm.allCases.map(\.rawValue)
        let a = passkey_arena_calloc(arena, algs.count * 8)!.bindMemory(to: Int64.self, capacity: algs.count)
        for (i, v) in algs.enumerated() { a[i] = v }
        info.pointee.n_algorithms = algs.count
        info.pointee.algorithms = a
        let formats = AttestationFormats.supported
        let f = allocPointers(CChar.self, formats.count)
        for (i, s) in formats.enumerated() { f[i] = cString(s) }
        info.pointee.n_attestation_formats = formats.count
        info.pointee.attestation_formats = f
        info.pointee.max_frame_bytes = UInt32(l.maxFrameBytes)
        info.pointee.max_in_flight_per_connection = UInt32(l.maxInFlightPerConnection)
        info.pointee.max_in_flight = UInt32(l.maxInFlight)
        info.pointee.max_connections = UInt32(l.maxConnections)
        info.pointee.max_batch_items = UInt32(l.maxBatchItems)
        info.pointee.idle_timeout_ms = UInt32(l.idleTimeoutMs)
        info.pointee.default_deadline_ms = UInt32(l.defaultDeadlineMs)
        let names = registry.names
        if !names.isEmpty {
            let n = allocPointers(CChar.self, names.count)
            for (i, s) in names.enumerated() { n[i] = cString(s) }
            info.pointee.n_relying_parties = names.count
            info.pointee.relying_parties = n
        }
        fillMetadata(info)
        let keys = registry.challengeKeys
        info.pointee.challenge_store = cString(description.challengeStore)
        info.pointee.challenge_minting_key = cString(keys.minting.name)
        info.pointee.challenge_keys_ephemeral = registry.challengeKeysAreEphemeral ? 1 : 0
        let keyNames = keys.names
        let list = allocPointers(CChar.self, keyNames.count)
        for (i, s) in keyNames.enumerated() { list[i] = cString(s) }
        info.pointee.n_challenge_keys = keyNames.count
        info.pointee.challenge_keys = list
        info.pointee.challenge_lifetime_ms = UInt32(clamping: description.challengeLifetimeMs)
        return info
    }
}

enum AuthenticationOutcome {
    case verified(VerifiedAuthentication)
    case pending(PendingAuthentication)
}

enum RegistrationOutcome {
    case verified(VerifiedRegistration)
    case pending(PendingRegistration)
}

extension ArenaWriter {
    /// A verified assertion's result fields.
    func fill(_ out: UnsafeMutablePointer<Passkeyd__V1__VerifyAuthenticationResult>, with verified: VerifiedAuthentication) {
        out.pointee.sign_count = verified.signCount
        out.pointee.stored_sign_count = verified.storedSignCount
        out.pointee.algorithm = verified.algorithm.rawValue
        out.pointee.user_present = verified.userPresent ? 1 : 0
        out.pointee.user_verified = verified.userVerified ? 1 : 0
        out.pointee.backup_eligible = verified.backupEligible ? 1 : 0
        out.pointee.backed_up = verified.backedUp ? 1 : 0
        if let e = verified.extensionOutputs { out.pointee.extension_outputs_cbor = binary(e) }
        out.pointee.extension_results = extensionResults(verified.extensionResults)
        if !verified.riskSignals.isEmpty {
            (out.pointee.n_risk_signals, out.pointee.risk_signals) = signals(verified.riskSignals)
        }
    }

    /// A verified registration's result fields.
    func fill(_ out: UnsafeMutablePointer<Passkeyd__V1__VerifyRegistrationResult>, with verified: VerifiedRegistration) {
        out.pointee.credential_id = binary(verified.credentialID)
        out.pointee.credential_public_key = binary(verified.credentialPublicKey)
        out.pointee.algorithm = verified.algorithm.rawValue
        out.pointee.sign_count = verified.signCount
        out.pointee.aaguid = binary(verified.aaguid)
        out.pointee.format = cString(verified.format)
        out.pointee.attestation_type = cString(verified.attestationType.rawValue)
        out.pointee.attestation_trusted = verified.attestationTrusted ? 1 : 0
        out.pointee.user_present = verified.userPresent ? 1 : 0
        out.pointee.user_verified = verified.userVerified ? 1 : 0
        out.pointee.backup_eligible = verified.backupEligible ? 1 : 0
        out.pointee.backed_up = verified.backedUp ? 1 : 0
        if !verified.transports.isEmpty {
            let t = allocPointers(CChar.self, verified.transports.count)
            for (i, s) in verified.transports.enumerated() { t[i] = cString(s) }
            out.pointee.n_transports = verified.transports.count
            out.pointee.transports = t
        }
        if let e = verified.extensionOutputs { out.pointee.extension_outputs_cbor = binary(e) }
        out.pointee.extension_results = extensionResults(verified.extensionResults)
        if !verified.riskSignals.isEmpty {
            (out.pointee.n_risk_signals, out.pointee.risk_signals) = signals(verified.riskSignals)
        }
        if let source = verified.attestationTrustSource { out.pointee.attestation_trust_source = cString(source) }
        if let d = verified.authenticatorDescription { out.pointee.authenticator_description = cString(d) }
        if let c = verified.certificationLevel { out.pointee.certification_level = cString(c) }
        if let m = verified.metadataStatus { out.pointee.metadata_status = cString(m) }
        if !verified.attestationDetails.isEmpty {
            let list = allocPointers(Passkeyd__V1__AttestationDetail.self, verified.attestationDetails.count)
            for (i, d) in verified.attestationDetails.enumerated() {
                let p = new(Passkeyd__V1__AttestationDetail.self, passkeyd__v1__attestation_detail__init)
                p.pointee.name = cString(d.name)
                p.pointee.value = cString(d.value)
                list[i] = p
            }
            out.pointee.n_attestation_details = verified.attestationDetails.count
            out.pointee.attestation_details = list
        }
        if !verified.attestationCertificates.isEmpty {
            let n = verified.attestationCertificates.count
            let certs = passkey_arena_calloc(arena, n * MemoryLayout<ProtobufCBinaryData>.stride)!
                .bindMemory(to: ProtobufCBinaryData.self, capacity: n)
            for (i, c) in verified.attestationCertificates.enumerated() { certs[i] = binary(c) }
            out.pointee.n_attestation_certificates = n
            out.pointee.attestation_certificates = certs
        }
    }

    /// The verdict's parsed extension outputs; nil (the field absent) when nothing was reported, as for most
    /// assertions, so the plain path adds nothing to the response.
    func extensionResults(_ e: ExtensionResults) -> UnsafeMutablePointer<Passkeyd__V1__ExtensionResults>? {
        guard e != .none else { return nil }
        func flag(_ b: Bool?) -> Passkeyd__V1__ExtensionFlag {
            switch b {
            case true?: PASSKEYD__V1__EXTENSION_FLAG__EXTENSION_FLAG_TRUE
            case false?: PASSKEYD__V1__EXTENSION_FLAG__EXTENSION_FLAG_FALSE
            case nil: PASSKEYD__V1__EXTENSION_FLAG__EXTENSION_FLAG_ABSENT
            }
        }
        let m = new(Passkeyd__V1__ExtensionResults.self, passkeyd__v1__extension_results__init)
        m.pointee.cred_props_rk = flag(e.credPropsRK)
        m.pointee.cred_protect = UInt32(e.credProtect ?? 0)
        m.pointee.large_blob_supported = flag(e.largeBlobSupported)
        m.pointee.large_blob_written = flag(e.largeBlobWritten)
        m.pointee.prf_enabled = flag(e.prfEnabled)
        m.pointee.appid_used = e.appidUsed ? 1 : 0
        return m
    }

    func signals(_ s: [RiskSignal]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Passkeyd__V1__RiskSignal>?>) {
        let list = allocPointers(Passkeyd__V1__RiskSignal.self, s.count)
        for (i, signal) in s.enumerated() {
            let p = new(Passkeyd__V1__RiskSignal.self, passkeyd__v1__risk_signal__init)
            p.pointee.code = signal.code.wire
            p.pointee.message = cString(signal.description)
            list[i] = p
        }
        return (s.count, list)
    }
}

func cStringLength(_ p: UnsafeMutablePointer<CChar>?) -> Int {
    guard let p else { return 0 }
    var n = 0
    while p[n] != 0 { n += 1 }
    return n
}
