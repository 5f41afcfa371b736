internal import CPasskeyProto

extension ProtoArena {
    /// `AuthenticationRequest` → `VerifyAuthenticationRequest` (the policy is built by the caller, possibly shared).
    func authentication(
        _ r: AuthenticationRequest, policy: UnsafeMutablePointer<Passkeyd__V1__RelyingPartyPolicy>
    ) -> UnsafeMutablePointer<Passkeyd__V1__VerifyAuthenticationRequest> {
        let m = new(Passkeyd__V1__VerifyAuthenticationRequest.self, passkeyd__v1__verify_authentication_request__init)
        m.pointee.policy = policy
        if let context = r.issuedChallengeContext {
            let issued = new(Passkeyd__V1__IssuedChallenge.self, passkeyd__v1__issued_challenge__init)
            issued.pointee.context = binary(context)
            m.pointee.challenge_check_case = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CHALLENGE_CHECK_ISSUED_CHALLENGE
            m.pointee.issued_challenge = issued
        } else {
            m.pointee.challenge_check_case = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CHALLENGE_CHECK_CHALLENGE
            m.pointee.challenge = binary(r.challenge)
        }
        m.pointee.credential_public_key = binary(r.credentialPublicKey)
        m.pointee.stored_sign_count = r.storedSignCount
        m.pointee.stored_backup_eligible =
            switch r.storedBackupEligible {
            case true?: PASSKEYD__V1__BACKUP_ELIGIBILITY__BACKUP_ELIGIBILITY_ELIGIBLE
            case false?: PASSKEYD__V1__BACKUP_ELIGIBILITY__BACKUP_ELIGIBILITY_NOT_ELIGIBLE
            case nil: PASSKEYD__V1__BACKUP_ELIGIBILITY__BACKUP_ELIGIBILITY_UNKNOWN
            }
        if let id = r.storedCredentialID { m.pointee.stored_credential_id = binary(id) }
        if let aaguid = r.storedAAGUID { m.pointee.stored_aaguid = binary(aaguid) }
        if let handle = r.storedUserHandle { m.pointee.stored_user_handle = binary(handle) }
        m.pointee.usernameless = r.usernameless ? 1 : 0
        m.pointee.appid_used = r.appidUsed ? 1 : 0
        switch r.credential {
        case let .fields(credentialID, authenticatorData, clientDataJSON, signature, userHandle):
            let f = new(Passkeyd__V1__AssertionFields.self, passkeyd__v1__assertion_fields__init)
            f.pointee.credential_id = binary(credentialID)
            f.pointee.authenticator_data = binary(authenticatorData)
            f.pointee.client_data_json = binary(clientDataJSON)
            f.pointee.signature = binary(signature)
            if let userHandle { f.pointee.user_handle = binary(userHandle) }
            m.pointee.credential_case = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CREDENTIAL_FIELDS
            m.pointee.fields = f
        case let .json(text):
            m.pointee.credential_case = PASSKEYD__V1__VERIFY_AUTHENTICATION_REQUEST__CREDENTIAL_RESPONSE_JSON
            m.pointee.response_json = cString(text)
        }
        return m
    }

    /// `RegistrationRequest` → `VerifyRegistrationRequest`.
    func registration(
        _ r: RegistrationRequest, policy: UnsafeMutablePointer<Passkeyd__V1__RelyingPartyPolicy>
    ) -> UnsafeMutablePointer<Passkeyd__V1__VerifyRegistrationRequest> {
        let m = new(Passkeyd__V1__VerifyRegistrationRequest.self, passkeyd__v1__verify_registration_request__init)
        m.pointee.policy = policy
        if let context = r.issuedChallengeContext {
            let issued = new(Passkeyd__V1__IssuedChallenge.self, passkeyd__v1__issued_challenge__init)
            issued.pointee.context = binary(context)
            m.pointee.challenge_check_case = PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CHALLENGE_CHECK_ISSUED_CHALLENGE
            m.pointee.issued_challenge = issued
        } else {
            m.pointee.challenge_check_case = PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CHALLENGE_CHECK_CHALLENGE
            m.pointee.challenge = binary(r.challenge)
        }
        switch r.credential {
        case let .fields(credentialID, clientDataJSON, attestationObject, transports):
            let f = new(Passkeyd__V1__AttestationFields.self, passkeyd__v1__attestation_fields__init)
            f.pointee.credential_id = binary(credentialID)
            f.pointee.client_data_json = binary(clientDataJSON)
            f.pointee.attestation_object = binary(attestationObject)
            (f.pointee.n_transports, f.pointee.transports) = cStrings(transports)
            m.pointee.credential_case = PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CREDENTIAL_FIELDS
            m.pointee.fields = f
        case let .json(text):
            m.pointee.credential_case = PASSKEYD__V1__VERIFY_REGISTRATION_REQUEST__CREDENTIAL_RESPONSE_JSON
            m.pointee.response_json = cString(text)
        }
        return m
    }
}

extension AuthenticationRequest {
    /// Arena bytes for the item without its policy.
    var arenaEstimate: Int {
        var n = 384 + challenge.count + (issuedChallengeContext?.count ?? 0) + credentialPublicKey.count
            + (storedCredentialID?.count ?? 0) + (storedAAGUID?.count ?? 0) + (storedUserHandle?.count ?? 0)
        switch credential {
        case let .fields(id, ad, cd, sig, uh): n += id.count + ad.count + cd.count + sig.count + (uh?.count ?? 0) + 80
        case let .json(text): n += text.utf8.count + 16
        }
        return n
    }
}

extension RegistrationRequest {
    var arenaEstimate: Int {
        var n = 256 + challenge.count + (issuedChallengeContext?.count ?? 0)
        switch credential {
        case let .fields(id, cd, ao, transports): n += id.count + cd.count + ao.count + 80 + transports.count * 32
        case let .json(text): n += text.utf8.count + 16
        }
        return n
    }
}
