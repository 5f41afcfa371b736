/// A result that fails closed and says why.
public enum VerificationOutcome: Sendable, Hashable {
    /// The signature is valid for the message and key.
    case valid
    /// Well-formed input that does not verify, including a scheme that does not fit the key.
    case invalidSignature
    /// The signature could not be parsed; the reason says where.
    case malformedSignature(String)

    public var isValid: Bool { self == .valid }
}
