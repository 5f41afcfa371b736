import PasskeyJSON
internal import CPasskeyProto
import PasskeyWebAuthn

/// Request-level error codes of the wire (the ceremony codes are `WebAuthnError.Code`).
public enum WireErrorCode: String, Sendable, CaseIterable {
    case malformedFrame = "MALFORMED_FRAME"
    case frameTooLarge = "FRAME_TOO_LARGE"
    case malformedRequest = "MALFORMED_REQUEST"
    case unknownMethod = "UNKNOWN_METHOD"
    case overloaded = "OVERLOADED"
    case deadlineExceeded = "DEADLINE_EXCEEDED"
    case shuttingDown = "SHUTTING_DOWN"
    case unknownRelyingParty = "UNKNOWN_RELYING_PARTY"
    case batchTooLarge = "BATCH_TOO_LARGE"
    case internalError = "INTERNAL_ERROR"
    case resourceExhausted = "RESOURCE_EXHAUSTED"
    case unavailable = "UNAVAILABLE"

    var c: Passkeyd__V1__ErrorCode {
        switch self {
        case .malformedFrame: PASSKEYD__V1__ERROR_CODE__MALFORMED_FRAME
        case .frameTooLarge: PASSKEYD__V1__ERROR_CODE__FRAME_TOO_LARGE
        case .malformedRequest: PASSKEYD__V1__ERROR_CODE__MALFORMED_REQUEST
        case .unknownMethod: PASSKEYD__V1__ERROR_CODE__UNKNOWN_METHOD
        case .overloaded: PASSKEYD__V1__ERROR_CODE__OVERLOADED
        case .deadlineExceeded: PASSKEYD__V1__ERROR_CODE__DEADLINE_EXCEEDED
        case .shuttingDown: PASSKEYD__V1__ERROR_CODE__SHUTTING_DOWN
        case .unknownRelyingParty: PASSKEYD__V1__ERROR_CODE__UNKNOWN_RELYING_PARTY
        case .batchTooLarge: PASSKEYD__V1__ERROR_CODE__BATCH_TOO_LARGE
        case .internalError: PASSKEYD__V1__ERROR_CODE__INTERNAL_ERROR
        case .resourceExhausted: PASSKEYD__V1__ERROR_CODE__RESOURCE_EXHAUSTED
        case .unavailable: PASSKEYD__V1__ERROR_CODE__UNAVAILABLE
        }
    }
}

extension WebAuthnError.Code {
    /// The wire enum for a ceremony code.
    var wire: Passkeyd__V1__ErrorCode {
        switch self {
        case .malformedRequest: PASSKEYD__V1__ERROR_CODE__MALFORMED_REQUEST
        case .invalidBase64URL: PASSKEYD__V1__ERROR_CODE__INVALID_BASE64URL
        case .malformedJSON: PASSKEYD__V1__ERROR_CODE__MALFORMED_JSON
        case .malformedClientData: PASSKEYD__V1__ERROR_CODE__MALFORMED_CLIENT_DATA
        case .malformedCBOR: PASSKEYD__V1__ERROR_CODE__MALFORMED_CBOR
        case .malformedAuthenticatorData: PASSKEYD__V1__ERROR_CODE__MALFORMED_AUTHENTICATOR_DATA
        case .malformedAttestationObject: PASSKEYD__V1__ERROR_CODE__MALFORMED_ATTESTATION_OBJECT
        case .malformedPublicKey: PASSKEYD__V1__ERROR_CODE__MALFORMED_PUBLIC_KEY
        case .malformedSignature: PASSKEYD__V1__ERROR_CODE__MALFORMED_SIGNATURE
        case .fieldTooLarge: PASSKEYD__V1__ERROR_CODE__FIELD_TOO_LARGE
        case .clientDataTypeMismatch: PASSKEYD__V1__ERROR_CODE__CLIENT_DATA_TYPE_MISMATCH
        case .challengeMismatch: PASSKEYD__V1__ERROR_CODE__CHALLENGE_MISMATCH
        case .originMismatch: PASSKEYD__V1__ERROR_CODE__ORIGIN_MISMATCH
        case .crossOriginNotAllowed: PASSKEYD__V1__ERROR_CODE__CROSS_ORIGIN_NOT_ALLOWED
        case .topOriginMismatch: PASSKEYD__V1__ERROR_CODE__TOP_ORIGIN_MISMATCH
        case .challengeForged: PASSKEYD__V1__ERROR_CODE__CHALLENGE_FORGED
        case .challengeExpired: PASSKEYD__V1__ERROR_CODE__CHALLENGE_EXPIRED
        case .challengeRebound: PASSKEYD__V1__ERROR_CODE__CHALLENGE_REBOUND
        case .challengeWrongCeremony: PASSKEYD__V1__ERROR_CODE__CHALLENGE_WRONG_CEREMONY
        case .challengeReused: PASSKEYD__V1__ERROR_CODE__CHALLENGE_REUSED
        case .rpIdMismatch: PASSKEYD__V1__ERROR_CODE__RP_ID_MISMATCH
        case .userPresenceRequired: PASSKEYD__V1__ERROR_CODE__USER_PRESENCE_REQUIRED
        case .userVerificationRequired: PASSKEYD__V1__ERROR_CODE__USER_VERIFICATION_REQUIRED
        case .backupStateWithoutEligibility: PASSKEYD__V1__ERROR_CODE__BACKUP_STATE_WITHOUT_ELIGIBILITY
        case .backupEligibilityChanged: PASSKEYD__V1__ERROR_CODE__BACKUP_ELIGIBILITY_CHANGED
        case .unexpectedAttestedCredentialData: PASSKEYD__V1__ERROR_CODE__UNEXPECTED_ATTESTED_CREDENTIAL_DATA
        case .missingAttestedCredentialData: PASSKEYD__V1__ERROR_CODE__MISSING_ATTESTED_CREDENTIAL_DATA
        case .extensionDataMismatch: PASSKEYD__V1__ERROR_CODE__EXTENSION_DATA_MISMATCH
        case .credentialIdTooLong: PASSKEYD__V1__ERROR_CODE__CREDENTIAL_ID_TOO_LONG
        case .credentialIdMismatch: PASSKEYD__V1__ERROR_CODE__CREDENTIAL_ID_MISMATCH
        case .credentialNotAllowed: PASSKEYD__V1__ERROR_CODE__CREDENTIAL_NOT_ALLOWED
        case .credentialIdEmpty: PASSKEYD__V1__ERROR_CODE__CREDENTIAL_ID_EMPTY
        case .userHandleMismatch: PASSKEYD__V1__ERROR_CODE__USER_HANDLE_MISMATCH
        case .userHandleMissing: PASSKEYD__V1__ERROR_CODE__USER_HANDLE_MISSING
        case .unsupportedAlgorithm: PASSKEYD__V1__ERROR_CODE__UNSUPPORTED_ALGORITHM
        case .algorithmNotAllowed: PASSKEYD__V1__ERROR_CODE__ALGORITHM_NOT_ALLOWED
        case .algorithmMismatch: PASSKEYD__V1__ERROR_CODE__ALGORITHM_MISMATCH
        case .invalidPublicKey: PASSKEYD__V1__ERROR_CODE__INVALID_PUBLIC_KEY
        case .badSignature: PASSKEYD__V1__ERROR_CODE__BAD_SIGNATURE
        case .signCountRegression: PASSKEYD__V1__ERROR_CODE__SIGN_COUNT_REGRESSION
        case .unsupportedAttestationFormat: PASSKEYD__V1__ERROR_CODE__UNSUPPORTED_ATTESTATION_FORMAT
        case .invalidAttestationStatement: PASSKEYD__V1__ERROR_CODE__INVALID_ATTESTATION_STATEMENT
        case .invalidAttestationCertificate: PASSKEYD__V1__ERROR_CODE__INVALID_ATTESTATION_CERTIFICATE
        case .aaguidMismatch: PASSKEYD__V1__ERROR_CODE__AAGUID_MISMATCH
        case .untrustedAttestation: PASSKEYD__V1__ERROR_CODE__UNTRUSTED_ATTESTATION
        case .ecdaaNotSupported: PASSKEYD__V1__ERROR_CODE__ECDAA_NOT_SUPPORTED
        case .attestationKeyMismatch: PASSKEYD__V1__ERROR_CODE__ATTESTATION_KEY_MISMATCH
        case .aaguidNotAllowed: PASSKEYD__V1__ERROR_CODE__AAGUID_NOT_ALLOWED
        case .authenticatorStatusRejected: PASSKEYD__V1__ERROR_CODE__AUTHENTICATOR_STATUS_REJECTED
        case .authenticatorCompromised: PASSKEYD__V1__ERROR_CODE__AUTHENTICATOR_COMPROMISED
        case .tpmStructureInvalid: PASSKEYD__V1__ERROR_CODE__TPM_STRUCTURE_INVALID
        case .tpmExtraDataMismatch: PASSKEYD__V1__ERROR_CODE__TPM_EXTRA_DATA_MISMATCH
        case .tpmNameMismatch: PASSKEYD__V1__ERROR_CODE__TPM_NAME_MISMATCH
        case .tpmVendorUnknown: PASSKEYD__V1__ERROR_CODE__TPM_VENDOR_UNKNOWN
        case .tpmCertificateInvalid: PASSKEYD__V1__ERROR_CODE__TPM_CERTIFICATE_INVALID
        case .androidKeyDescriptionInvalid: PASSKEYD__V1__ERROR_CODE__ANDROID_KEY_DESCRIPTION_INVALID
        case .androidKeyChallengeMismatch: PASSKEYD__V1__ERROR_CODE__ANDROID_KEY_CHALLENGE_MISMATCH
        case .androidKeyAllApplications: PASSKEYD__V1__ERROR_CODE__ANDROID_KEY_ALL_APPLICATIONS
        case .androidKeyNotGenerated: PASSKEYD__V1__ERROR_CODE__ANDROID_KEY_NOT_GENERATED
        case .androidKeyPurposeNotSign: PASSKEYD__V1__ERROR_CODE__ANDROID_KEY_PURPOSE_NOT_SIGN
        case .androidKeyNotHardware: PASSKEYD__V1__ERROR_CODE__ANDROID_KEY_NOT_HARDWARE
        case .safetyNetJWSInvalid: PASSKEYD__V1__ERROR_CODE__SAFETYNET_JWS_INVALID
        case .safetyNetNonceMismatch: PASSKEYD__V1__ERROR_CODE__SAFETYNET_NONCE_MISMATCH
        case .safetyNetHostnameMismatch: PASSKEYD__V1__ERROR_CODE__SAFETYNET_HOSTNAME_MISMATCH
        case .safetyNetCtsProfileMismatch: PASSKEYD__V1__ERROR_CODE__SAFETYNET_CTS_PROFILE_MISMATCH
        case .safetyNetTimestampInvalid: PASSKEYD__V1__ERROR_CODE__SAFETYNET_TIMESTAMP_INVALID
        case .appleNonceMismatch: PASSKEYD__V1__ERROR_CODE__APPLE_NONCE_MISMATCH
        case .internalError: PASSKEYD__V1__ERROR_CODE__INTERNAL_ERROR
        }
    }
}
