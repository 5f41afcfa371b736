/// One assertion to verify (`passkeyd.v1.VerifyAuthenticationRequest`, WebAuthn §7.2).
public struct AuthenticationRequest: Sendable, Hashable {
    /// The credential as the browser returned it: raw byte fields, or the `AuthenticationResponseJSON` text verbatim.
    public enum Credential: Sendable, Hashable {
        case fields(
            credentialID: [UInt8], authenticatorData: [UInt8], clientDataJSON: [UInt8], signature: [UInt8],
            userHandle: [UInt8]?)
        case json(String)
    }

    public var policy: RelyingPartyPolicy
    /// The challenge the relying party issued for this ceremony (ignored when `issuedChallengeContext` is set).
    public var challenge: [UInt8]
    /// When set, the challenge is one passkeyd issued (minted with its challenge keys) for this context: passkeyd
    /// checks the token and records it as used, once (`passkeyd.v1.IssuedChallenge`).
    public var issuedChallengeContext: [UInt8]?
    /// The COSE_Key stored at registration.
    public var credentialPublicKey: [UInt8]
    public var storedSignCount: UInt32
    /// The BE flag stored at registration; nil skips the check.
    public var storedBackupEligible: Bool?
    /// When set, the response must name this credential.
    public var storedCredentialID: [UInt8]?
    /// The AAGUID stored at registration: with server metadata, a compromised authenticator is reported.
    public var storedAAGUID: [UInt8]?
    /// The user handle stored with the credential: a response's userHandle must equal it.
    public var storedUserHandle: [UInt8]? = nil
    /// The login was usernameless (empty allowCredentials): the response must carry a userHandle.
    public var usernameless = false
    /// Raw fields only: the client reported `appid: true` (rpIdHash is then checked against the policy's AppID).
    public var appidUsed = false
    public var credential: Credential

    public init(
        policy: RelyingPartyPolicy, challenge: [UInt8], credentialPublicKey: [UInt8], storedSignCount: UInt32 = 0,
        storedBackupEligible: Bool? = nil, storedCredentialID: [UInt8]? = nil, storedAAGUID: [UInt8]? = nil,
        credential: Credential, issuedChallengeContext: [UInt8]? = nil
    ) {
        self.policy = policy
        self.issuedChallengeContext = issuedChallengeContext
        self.challenge = challenge
        self.credentialPublicKey = credentialPublicKey
        self.storedSignCount = storedSignCount
        self.storedBackupEligible = storedBackupEligible
        self.storedCredentialID = storedCredentialID
        self.storedAAGUID = storedAAGUID
        self.credential = credential
    }
}
