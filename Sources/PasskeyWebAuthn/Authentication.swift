public import PasskeyCOSE

/// What the relying party stored for a credential at registration.
public struct StoredCredential: Sendable {
    /// The credential id (when given, it must equal the id the response names).
    public var id: [UInt8]?
    /// The COSE_Key bytes returned at registration.
    public var publicKey: [UInt8]
    public var signCount: UInt32
    /// The BE flag seen at registration; nil skips the backup-eligibility-change check.
    public var backupEligible: Bool?
    /// The AAGUID seen at registration; with metadata, a login from an authenticator now marked compromised raises
    /// `authenticatorCompromised`.
    public var aaguid: [UInt8]?

    public init(
        id: [UInt8]? = nil, publicKey: [UInt8], signCount: UInt32 = 0, backupEligible: Bool? = nil, aaguid: [UInt8]? = nil
    ) {
        self.id = id
        self.publicKey = publicKey
        self.signCount = signCount
        self.backupEligible = backupEligible
        self.aaguid = aaguid
    }
}

/// A verified assertion. Only `WebAuthnVerifier` makes these.
public struct VerifiedAuthentication: Sendable {
    /// The authenticator's new signature counter (store it).
    public let signCount: UInt32
    public let algorithm: COSEAlgorithm
    public let userPresent: Bool
    public let userVerified: Bool
    public let backupEligible: Bool
    public let backedUp: Bool
    /// Authenticator extension outputs (a CBOR map), when ED was set.
    public let extensionOutputs: [UInt8]?
    /// Risk signals the policy chose to report rather than reject.
    public let riskSignals: [RiskSignal]
}

/// The parts of an authentication response, as views into the caller's bytes.
public struct AssertionView {
    public var credentialID: UnsafeRawBufferPointer?
    public var authenticatorData: UnsafeRawBufferPointer
    public var clientDataJSON: UnsafeRawBufferPointer
    public var signature: UnsafeRawBufferPointer

    public init(
        credentialID: UnsafeRawBufferPointer? = nil, authenticatorData: UnsafeRawBufferPointer,
        clientDataJSON: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer
    ) {
        self.credentialID = credentialID
        self.authenticatorData = authenticatorData
        self.clientDataJSON = clientDataJSON
        self.signature = signature
    }
}

extension WebAuthnVerifier {
    /// Verifies an authentication assertion (WebAuthn L3 §7.2) from raw bytes, without copying them.
    ///
    /// - Parameters:
    ///   - challenge: the challenge bytes sent in the options.
    ///   - publicKey: the stored COSE_Key bytes; `storedSignCount` and `storedBackupEligible` as stored.
    ///   - storedCredentialID: when given, the response's credential id must equal it.
    public func verifyAuthentication(
        _ assertion: AssertionView, challenge: UnsafeRawBufferPointer, publicKey: UnsafeRawBufferPointer,
        storedSignCount: UInt32, storedBackupEligible: Bool? = nil, storedCredentialID: UnsafeRawBufferPointer? = nil,
        storedAAGUID: UnsafeRawBufferPointer? = nil, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedAuthentication {
        let policy = rp.policy
        // Sizes first: nothing is parsed or hashed before its length is known to be sane.
        try InputLimits.checkChallenge(challenge)
        try InputLimits.check("clientDataJSON", assertion.clientDataJSON.count, InputLimits.clientDataJSON)
        try InputLimits.check("authenticatorData", assertion.authenticatorData.count, InputLimits.authenticatorData)
        try InputLimits.check("signature", assertion.signature.count, InputLimits.signature)
        try InputLimits.check("credentialPublicKey", publicKey.count, InputLimits.credentialPublicKey)
        if let id = assertion.credentialID { try InputLimits.check("credential id", id.count, InputLimits.credentialID) }
        // Step 5/6: the credential is the one the caller looked up. When the caller names the stored credential, the
        // response must name exactly that one (a response that names none does not match).
        if let expected = storedCredentialID {
            guard let got = assertion.credentialID else {
                throw WebAuthnError(
                    .credentialIdMismatch, "a stored credential id was given but the response names no credential")
            }
            guard expected.elementsEqual(got) else {
                throw WebAuthnError(.credentialIdMismatch, "the response's credential id is not the stored credential's id")
            }
        }
        // Steps 8–14: client data.
        try verifyClientData(
            assertion.clientDataJSON, type: .get, challenge: challenge, relyingParty: rp, reader: &clientDataReader)

        // Step 15 onwards: authenticator data.
        let authData = try AuthenticatorData(assertion.authenticatorData)
        guard rp.idHash.withUnsafeBytes({ authData.rpIdHash.elementsEqual($0) }) else {
            throw WebAuthnError(.rpIdMismatch, "rpIdHash is not SHA-256 of the RP ID '\(rp.id)'")
        }
        var signals: [RiskSignal] = []
        try checkFlags(authData.flags, ceremony: .get, policy: policy, signals: &signals)
        if authData.flags.contains(.attestedCredentialData) {
            throw WebAuthnError(.unexpectedAttestedCredentialData, "AT is set in an assertion")
        }
        let be = authData.flags.contains(.backupEligible)
        if let stored = storedBackupEligible, stored != be {
            try signal(.backupEligibilityChanged(stored: stored, received: be), policy.backupEligibilityChange, &signals)
        }

        // Steps 21–22: signature over authenticatorData || SHA-256(clientDataJSON).
        let entry = try credentialKey(publicKey, policy: policy)
        try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { (hash) throws(WebAuthnError) in
            signatures.sha256(assertion.clientDataJSON, into: hash)
            try verifySignature(
                assertion.signature, authenticatorData: assertion.authenticatorData,
                clientDataHash: UnsafeRawBufferPointer(hash), key: entry.key, algorithm: entry.algorithm, what: "assertion")
        }

        // The authenticator's standing now (go beyond §7.2: metadata may have changed since registration).
        if let stored = storedAAGUID, stored.count == 16, let index = policy.attestation.metadata?.index,
            let entry = index.entry(aaguid: Array(stored))
        {
            if let status = entry.statuses(in: policy.attestation.rejectedStatuses).last {
                try signal(.authenticatorCompromised(status: status.rawValue), policy.compromisedAuthenticator, &signals)
            }
        }

        // Step 23: the signature counter.
        let received = authData.signCount
        if (received != 0 || storedSignCount != 0) && received <= storedSignCount {
            try signal(.signCountRegression(stored: storedSignCount, received: received), policy.signCountRegression, &signals)
        }

        return VerifiedAuthentication(
            signCount: received,
            algorithm: entry.algorithm,
            userPresent: authData.flags.contains(.userPresent),
            userVerified: authData.flags.contains(.userVerified),
            backupEligible: be,
            backedUp: authData.flags.contains(.backedUp),
            extensionOutputs: authData.extensions.map { Array($0) },
            riskSignals: signals)
    }

    /// UP, UV and BS-without-BE, shared by both ceremonies. UP is always required for authentication (§7.2 step 16);
    /// `requireUserPresenceAtRegistration` relaxes it for registration only (conditional create, §7.1 step 14).
    func checkFlags(
        _ flags: AuthenticatorFlags, ceremony: CeremonyType, policy: Policy, signals: inout [RiskSignal]
    ) throws(WebAuthnError) {
        if !flags.contains(.userPresent) {
            switch ceremony {
            case .get:
                throw WebAuthnError(.userPresenceRequired, "the UP flag is not set; authentication always requires user presence")
            case .create where policy.requireUserPresenceAtRegistration:
                throw WebAuthnError(
                    .userPresenceRequired, "the UP flag is not set and the policy requires user presence at registration")
            case .create:
                break
            }
        }
        if policy.requireUserVerification, !flags.contains(.userVerified) {
            throw WebAuthnError(.userVerificationRequired, "the UV flag is not set and the policy requires user verification")
        }
        if flags.contains(.backedUp), !flags.contains(.backupEligible) {
            try signal(.backupStateWithoutEligibility, policy.backupStateWithoutEligibility, &signals)
        }
    }

    func signal(_ s: RiskSignal, _ action: SignalAction, _ signals: inout [RiskSignal]) throws(WebAuthnError) {
        switch action {
        case .reject:
            throw WebAuthnError(s.code, s.description)
        case .report:
            signals.append(s)
        }
    }
}
