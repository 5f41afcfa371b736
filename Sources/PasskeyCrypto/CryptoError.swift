/// An error from the crypto layer. Verification itself never throws: it returns a
/// `VerificationOutcome`. Errors are for building keys, signing and parsing certificates.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidKey
        case unsupported
        case malformedSignature
        case malformedCertificate
        case internalFailure
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
