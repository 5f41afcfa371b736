/// One registration to verify (`passkeyd.v1.VerifyRegistrationRequest`, WebAuthn §7.1).
public struct RegistrationRequest: Sendable, Hashable {
    /// The credential as the browser returned it: raw byte fields, or the `RegistrationResponseJSON` text verbatim.
    public enum Credential: Sendable, Hashable {
        case fields(credentialID: [UInt8], clientDataJSON: [UInt8], attestationObject: [UInt8], transports: [String])
        case json(String)
    }

    public var policy: RelyingPartyPolicy
    /// Ignored when `issuedChallengeContext` is set.
    public var challenge: [UInt8]
    /// As in `AuthenticationRequest`: the challenge is one passkeyd issued for this context.
    public var issuedChallengeContext: [UInt8]?
    public var credential: Credential

    public init(policy: RelyingPartyPolicy, challenge: [UInt8], credential: Credential, issuedChallengeContext: [UInt8]? = nil) {
        self.policy = policy
        self.issuedChallengeContext = issuedChallengeContext
        self.challenge = challenge
        self.credential = credential
    }
}
