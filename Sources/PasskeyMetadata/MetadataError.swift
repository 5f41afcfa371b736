/// Why a metadata BLOB was refused.
///
/// `code` is stable (logs and tests switch on it); `message` names the failed check and the value that failed, for
/// operators. Two errors are equal when their codes are equal.
public struct MetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The file, or a part of it (header, payload, a certificate, a string), is larger than its limit.
        case tooLarge = "too_large"
        /// More entries, status reports, key identifiers, certificates, ... than the limits allow.
        case limitExceeded = "limit_exceeded"
        /// Not a compact JWS: three base64url parts, the header a JSON object with the members RFC 7515 gives.
        case malformedJWS = "malformed_jws"
        /// The header's `alg` is not one passkeyd verifies metadata with (RS/PS/ES 256, 384, 512).
        case unsupportedAlgorithm = "unsupported_algorithm"
        /// The signing key does not fit `alg` (an RSA key for ES256, a P-384 key for ES256, ...).
        case algorithmKeyMismatch = "algorithm_key_mismatch"
        /// An `x5c` element is not a DER X.509 certificate.
        case invalidCertificate = "invalid_certificate"
        /// No FIDO root certificate was given to verify the BLOB against.
        case noTrustAnchor = "no_trust_anchor"
        /// The `x5c` chain does not validate to a configured root (other than the cases below).
        case untrustedChain = "untrusted_chain"
        /// A chain certificate is expired (or not yet valid) at the verification time.
        case certificateExpired = "certificate_expired"
        /// A configured CRL revokes a chain certificate.
        case certificateRevoked = "certificate_revoked"
        /// CRLs were given but revocation cannot be decided: a CRL is missing for a chain certificate, expired, or
        /// not signed by its issuer.
        case revocationUnknown = "revocation_unknown"
        /// The JWS signature does not verify with the chain's leaf key.
        case badSignature = "bad_signature"
        /// The payload is not base64url of strict JSON (RFC 8259, no duplicate members).
        case malformedPayload = "malformed_payload"
        /// The payload's JSON does not have the shape of FIDO MDS3 §3.1.6 / §3.1.1 (a required member missing,
        /// a member of the wrong type, a date, UUID or hex string that does not parse).
        case invalidPayload = "invalid_payload"
        /// The BLOB's serial number (`no`) is lower than the one already loaded (MDS3 §3.2: an older BLOB is ignored).
        case serialNumberNotIncreasing = "serial_number_not_increasing"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: MetadataError, rhs: MetadataError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// At most `limit` UTF-8 bytes of an untrusted string, control characters replaced, for messages.
func clipped(_ s: String, _ limit: Int = 64) -> String {
    var out = String.UnicodeScalarView()
    var bytes = 0
    for u in s.unicodeScalars {
        let c: Unicode.Scalar = u.value < 0x20 || u.value == 0x7F ? "?" : u
        bytes += UTF8.width(c)
        if bytes > limit { return String(out) + "…" }
        out.append(c)
    }
    return String(out)
}
