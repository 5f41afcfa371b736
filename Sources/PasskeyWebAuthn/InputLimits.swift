/// Size limits on every untrusted field, checked before the field is parsed. Each is far above what a real
/// authenticator or browser produces (SECURITY.md lists them with what real ones send), so a limit only ever stops
/// input built to make parsing or hashing expensive. A field above its limit is `field_too_large`, naming the field.
public enum InputLimits {
    /// `clientDataJSON` (browsers send 130–400 bytes).
    public static let clientDataJSON = 16 << 10
    /// Authenticator data, in an assertion or inside an attestation object (37 bytes plus the attested credential
    /// data and extension outputs; under 4 KiB even with a post-quantum key and a 1023-byte credential id).
    public static let authenticatorData = 16 << 10
    /// An assertion signature (ECDSA ≤ 139 bytes, RSA-8192 1024, ML-DSA-87 4627).
    public static let signature = 8 << 10
    /// The attestation object, statement and certificate chain included (a TPM or SafetyNet one is 3–10 KiB).
    public static let attestationObject = 64 << 10
    /// A stored COSE_Key (P-256 77 bytes, RSA-4096 ~550, ML-DSA-87 ~2600).
    public static let credentialPublicKey = 8 << 10
    /// WebAuthn §7.1 step 25 / §6.5.1: at most 1023 bytes.
    public static let credentialID = 1023
    /// `user.id` is at most 64 bytes (§5.4.3).
    public static let userHandle = 64
    /// The challenge the relying party issued: at least 16 bytes (§13.4.3), and no more than 1 KiB.
    public static let challenge = 16...1024
    /// The browser's `PublicKeyCredential.toJSON()` text (base64url of the fields above plus client extension results).
    public static let responseJSON = 128 << 10
    /// `response.transports`: how many, and how long each (unknown values are passed through, as the spec asks).
    public static let transports = 16
    public static let transportLength = 64

    @inline(__always)
    static func check(_ field: StaticString, _ count: Int, _ limit: Int) throws(WebAuthnError) {
        if count > limit { throw tooLarge(field, count, limit) }
    }

    static func tooLarge(_ field: StaticString, _ count: Int, _ limit: Int) -> WebAuthnError {
        WebAuthnError(.fieldTooLarge, "\(field) is \(count) bytes; at most \(limit) are accepted")
    }

    /// The expected challenge is the relying party's own input: a wrong size makes the request unusable.
    static func checkChallenge(_ challenge: UnsafeRawBufferPointer) throws(WebAuthnError) {
        guard Self.challenge.contains(challenge.count) else {
            throw WebAuthnError(
                .malformedRequest,
                challenge.isEmpty
                    ? "the expected challenge is empty"
                    : "the expected challenge is \(challenge.count) bytes; \(Self.challenge.lowerBound)–\(Self.challenge.upperBound) are required (WebAuthn §13.4.3)")
        }
    }
}
