/// One registration to verify (`passkeyd.v1.VerifyRegistrationRequest`, WebAuthn §7.1).
public struct RegistrationRequest: Sendable, Hashable {
    /// The credential as the browser returned it: raw byte fields, or the `RegistrationResponseJSON` text verbatim.
    public enum Credential: Sendable, Hashable {
        case fields(credentialID: [UInt8], clientDataJSON: [UInt8], attestationObject: [UInt8], transports: [String])
        case json(String)
    }

    public var policy: RelyingPartyPolicy
    public var challenge: [UInt8]
    public var credential: Credential

    public init(policy: RelyingPartyPolicy, challenge: [UInt8], credential: Credential) {
        self.policy = policy
        self.challenge = challenge
        self.credential = credential
    }
}
