/// Why a COSE_Key was refused. The ceremony layer maps each code to its own wire error code.
public struct COSEKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Not a CBOR map of the COSE_Key shape, a required parameter missing or of the wrong type or length.
        case malformed
        /// `alg` is absent from the registry this engine supports.
        case unsupportedAlgorithm
        /// `alg` disagrees with `kty` or `crv`.
        case algorithmMismatch
        /// Well-formed but not a usable key: off the curve, the point at infinity, RSA modulus too small, bad exponent.
        case invalidKey
    }
    public let code: Code
    public let message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "\(code.rawValue): \(message)" }
    public static func == (a: COSEKeyError, b: COSEKeyError) -> Bool { a.code == b.code }
    public func hash(into h: inout Hasher) { h.combine(code) }
}
