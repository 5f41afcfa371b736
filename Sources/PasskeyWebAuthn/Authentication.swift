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
    /// The user handle stored with the credential: a response's userHandle, when present, must equal it.
    public var userHandle: [UInt8]?

    public init(
        id: [UInt8]? = nil, publicKey: [UInt8], signCount: UInt32 = 0, backupEligible: Bool? = nil, aaguid: [UInt8]? = nil,
        userHandle: [UInt8]? = nil
    ) {
        self.id = id
        self.publicKey = publicKey
        self.signCount = signCount
        self.backupEligible = backupEligible
        self.aaguid = aaguid
        self.userHandle = userHandle
    }
}

/// A verified assertion. Only `WebAuthnVerifier` makes these.
public struct VerifiedAuthentication: Sendable {
    /// The authenticator's new signature counter (store it, compare-and-swap against `storedSignCount`: README,
    /// "Counters under concurrency").
    public let signCount: UInt32
    /// The counter it was checked against (what the request said was stored).
    public let storedSignCount: UInt32
    public let algorithm: COSEAlgorithm
    public let userPresent: Bool
    public let userVerified: Bool
    public let backupEligible: Bool
    public let backedUp: Bool
    /// Authenticator extension outputs (a CBOR map), when ED was set.
    public let extensionOutputs: [UInt8]?
    /// The extension outputs parsed: appid used, largeBlob written, credProtect.
    public let extensionResults: ExtensionResults
    /// Risk signals the policy chose to report rather than reject.
    public let riskSignals: [RiskSignal]
}

/// A verified assertion whose issued challenge still has to be recorded as used: the replay store decides (once,
/// atomically) whether this is its first use. Not trusted until `complete` says so.
public struct PendingAuthentication: Sendable {
    let result: VerifiedAuthentication
    /// What to record: `challenge.replayKey` until `challenge.expiresAtMs`.
    public let challenge: IssuedChallenge

    /// The verified assertion when the replay store recorded the challenge for the first time; `challengeReused`
    /// when it had been used (or its record could not prove otherwise).
    public func complete(_ verdict: ReplayVerdict) throws(WebAuthnError) -> VerifiedAuthentication {
        guard verdict == .firstUse else { throw ChallengeReplay.reused(challenge) }
        return result
    }

    /// With a synchronous store (the embedded one).
    public func complete(using store: some ChallengeReplayStore, nowMs: Int64) throws(WebAuthnError) -> VerifiedAuthentication {
        try complete(store.record(challenge, nowMs: nowMs))
    }
}

/// The parts of an authentication response, as views into the caller's bytes.
public struct AssertionView {
    public var credentialID: UnsafeRawBufferPointer?
    public var authenticatorData: UnsafeRawBufferPointer
    public var clientDataJSON: UnsafeRawBufferPointer
    public var signature: UnsafeRawBufferPointer
    /// response.userHandle, when present.
    public var userHandle: UnsafeRawBufferPointer?
    /// The response's `clientExtensionResults` (the response-JSON path reads them; raw fields say what the client
    /// reported, `appid` above all).
    public var clientExtensions: ClientExtensionResults

    public init(
        credentialID: UnsafeRawBufferPointer? = nil, authenticatorData: UnsafeRawBufferPointer,
        clientDataJSON: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer, userHandle: UnsafeRawBufferPointer? = nil,
        clientExtensions: ClientExtensionResults = ClientExtensionResults()
    ) {
        self.credentialID = credentialID
        self.authenticatorData = authenticatorData
        self.clientDataJSON = clientDataJSON
        self.signature = signature
        self.userHandle = userHandle
        self.clientExtensions = clientExtensions
    }
}

/// What a stored credential's record says, as views (the wire path), for the checks that need it.
public struct StoredCredentialView {
    public var publicKey: UnsafeRawBufferPointer
    public var signCount: UInt32
    public var backupEligible: Bool?
    public var credentialID: UnsafeRawBufferPointer?
    public var aaguid: UnsafeRawBufferPointer?
    /// The user handle stored with the credential: the response's userHandle, when present, must equal it.
    public var userHandle: UnsafeRawBufferPointer?

    public init(
        publicKey: UnsafeRawBufferPointer, signCount: UInt32, backupEligible: Bool? = nil,
        credentialID: UnsafeRawBufferPointer? = nil, aaguid: UnsafeRawBufferPointer? = nil,
        userHandle: UnsafeRawBufferPointer? = nil
    ) {
        self.publicKey = publicKey
        self.signCount = signCount
        self.backupEligible = backupEligible
        self.credentialID = credentialID
        self.aaguid = aaguid
        self.userHandle = userHandle
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
        storedAAGUID: UnsafeRawBufferPointer? = nil, storedUserHandle: UnsafeRawBufferPointer? = nil,
        usernameless: Bool = false, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> VerifiedAuthentication {
        try InputLimits.checkChallenge(challenge)
        return try authenticate(
            assertion, challenge: .bytes(challenge),
            stored: StoredCredentialView(
                publicKey: publicKey, signCount: storedSignCount, backupEligible: storedBackupEligible,
                credentialID: storedCredentialID, aaguid: storedAAGUID, userHandle: storedUserHandle),
            usernameless: usernameless, relyingParty: rp
        ).result
    }

    /// Verifies an authentication whose challenge this service issued (`ChallengeKeyRing.mint`) for `context`: the
    /// token's MAC, expiry, ceremony, relying party and context are checked in place of expected bytes. The result is
    /// pending until the replay store records the challenge's first use (`PendingAuthentication.complete`). A token
    /// minted for a usernameless login requires the response's userHandle.
    public func verifyAuthentication(
        _ assertion: AssertionView, issuedBy keys: ChallengeKeyRing, context: UnsafeRawBufferPointer,
        stored: StoredCredentialView, nowMs: Int64? = nil, relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> PendingAuthentication {
        let (result, issued) = try authenticate(
            assertion, challenge: .issued(keys, context: context, nowMs: nowMs ?? rp.policy.nowMs, hasher: signatures),
            stored: stored, usernameless: false, relyingParty: rp)
        return PendingAuthentication(result: result, challenge: issued!)
    }

    /// §7.2 with either kind of challenge check; returns the checked token for issued challenges.
    func authenticate(
        _ assertion: AssertionView, challenge: ChallengeCheck, stored: StoredCredentialView, usernameless: Bool,
        relyingParty rp: RelyingParty
    ) throws(WebAuthnError) -> (result: VerifiedAuthentication, issued: IssuedChallenge?) {
        let policy = rp.policy
        let publicKey = stored.publicKey, storedSignCount = stored.signCount
        let storedBackupEligible = stored.backupEligible, storedCredentialID = stored.credentialID
        let storedAAGUID = stored.aaguid
        // Sizes first: nothing is parsed or hashed before its length is known to be sane.
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
        if let handle = assertion.userHandle { try InputLimits.check("response.userHandle", handle.count, InputLimits.userHandle) }
        // Steps 8–14: client data.
        let issued = try verifyClientData(
            assertion.clientDataJSON, type: .get, challenge: challenge, relyingParty: rp, reader: &clientDataReader)
        // Step 6: the user. A usernameless login (empty allowCredentials: the request says so, or the issued token
        // was minted for one) must carry the user handle; whenever a handle is stored and the response has one, they
        // must be the same.
        if usernameless || issued?.discoverable == true, assertion.userHandle == nil || assertion.userHandle!.isEmpty {
            throw WebAuthnError(.userHandleMissing, "a usernameless login's response carries no userHandle")
        }
        if let expected = stored.userHandle, let got = assertion.userHandle, !got.isEmpty, !expected.elementsEqual(got) {
            throw WebAuthnError(.userHandleMismatch, "the response's userHandle is not the user handle stored for this credential")
        }

        // Step 15 onwards: authenticator data.
        let authData = try AuthenticatorData(assertion.authenticatorData)
        // Step 15, with §10.1.1: when the client says it used the appid extension, the authenticator signed for the
        // AppID, and rpIdHash must be its hash instead.
        if assertion.clientExtensions.appid == true {
            guard let appIDHash = rp.appIDHash else {
                throw WebAuthnError(
                    .rpIdMismatch, "the client used the appid extension but this relying party has no AppID configured")
            }
            guard appIDHash.withUnsafeBytes({ authData.rpIdHash.elementsEqual($0) }) else {
                throw WebAuthnError(
                    .rpIdMismatch, "the client used the appid extension and rpIdHash is not SHA-256 of the configured AppID")
            }
        } else {
            guard rp.idHash.withUnsafeBytes({ authData.rpIdHash.elementsEqual($0) }) else {
                throw WebAuthnError(.rpIdMismatch, "rpIdHash is not SHA-256 of the RP ID '\(rp.id)'")
            }
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

        let result = VerifiedAuthentication(
            signCount: received,
            storedSignCount: storedSignCount,
            algorithm: entry.algorithm,
            userPresent: authData.flags.contains(.userPresent),
            userVerified: authData.flags.contains(.userVerified),
            backupEligible: be,
            backedUp: authData.flags.contains(.backedUp),
            extensionOutputs: authData.extensions.map { Array($0) },
            extensionResults: ExtensionResults(
                client: assertion.clientExtensions, credProtect: try ExtensionResults.credProtect(authData.extensions)),
            riskSignals: signals)
        return (result, issued)
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
