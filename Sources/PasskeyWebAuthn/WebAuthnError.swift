/// Why a ceremony was rejected.
///
/// `code` is stable: gateways, the wire protocol and tests switch on it. `message` names the failed check and the values
/// involved, for logs and humans; its wording may change. Two errors are equal when their codes are equal, so tests compare
/// kinds of failure, not prose.
public struct WebAuthnError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable error codes. Raw values are the wire / JSON spelling and never change once released.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        // Unusable input (the request itself cannot be read).
        case malformedRequest = "malformed_request"
        case invalidBase64URL = "invalid_base64url"
        case malformedJSON = "malformed_json"
        case malformedClientData = "malformed_client_data"
        case malformedCBOR = "malformed_cbor"
        case malformedAuthenticatorData = "malformed_authenticator_data"
        case malformedAttestationObject = "malformed_attestation_object"
        case malformedPublicKey = "malformed_public_key"
        case malformedSignature = "malformed_signature"
        /// A field is larger than its limit (`InputLimits`); the message names the field.
        case fieldTooLarge = "field_too_large"
        // Client data checks.
        case clientDataTypeMismatch = "client_data_type_mismatch"
        case challengeMismatch = "challenge_mismatch"
        case originMismatch = "origin_mismatch"
        case crossOriginNotAllowed = "cross_origin_not_allowed"
        case topOriginMismatch = "top_origin_mismatch"
        // Authenticator data checks.
        case rpIdMismatch = "rp_id_mismatch"
        case userPresenceRequired = "user_presence_required"
        case userVerificationRequired = "user_verification_required"
        case backupStateWithoutEligibility = "backup_state_without_eligibility"
        case backupEligibilityChanged = "backup_eligibility_changed"
        case unexpectedAttestedCredentialData = "unexpected_attested_credential_data"
        case missingAttestedCredentialData = "missing_attested_credential_data"
        case extensionDataMismatch = "extension_data_mismatch"
        case credentialIdTooLong = "credential_id_too_long"
        case credentialIdMismatch = "credential_id_mismatch"
        case credentialNotAllowed = "credential_not_allowed"
        case credentialIdEmpty = "credential_id_empty"
        // Keys and signatures.
        case unsupportedAlgorithm = "unsupported_algorithm"
        case algorithmNotAllowed = "algorithm_not_allowed"
        case algorithmMismatch = "algorithm_mismatch"
        case invalidPublicKey = "invalid_public_key"
        case badSignature = "bad_signature"
        case signCountRegression = "sign_count_regression"
        // Attestation.
        case unsupportedAttestationFormat = "unsupported_attestation_format"
        case invalidAttestationStatement = "invalid_attestation_statement"
        case invalidAttestationCertificate = "invalid_attestation_certificate"
        case aaguidMismatch = "aaguid_mismatch"
        case untrustedAttestation = "untrusted_attestation"
        // The verifier itself.
        case internalError = "internal_error"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: WebAuthnError, rhs: WebAuthnError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// True for codes that mean the input could not be read at all (the CLI's exit status 2), as opposed to a
    /// well-formed ceremony that failed a check.
    public var isUnusableInput: Bool {
        switch code {
        case .malformedRequest, .malformedJSON: true
        default: false
        }
    }
}
