internal import CPasskeyProto
public import PasskeyProtocol
public import PasskeyWebAuthn

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

    /// The protocol's code.
    public var code: PasskeydErrorCode {
        switch self {
        case .malformedFrame: .malformedFrame
        case .frameTooLarge: .frameTooLarge
        case .malformedRequest: .malformedRequest
        case .unknownMethod: .unknownMethod
        case .overloaded: .overloaded
        case .deadlineExceeded: .deadlineExceeded
        case .shuttingDown: .shuttingDown
        case .unknownRelyingParty: .unknownRelyingParty
        case .batchTooLarge: .batchTooLarge
        case .internalError: .internalError
        case .resourceExhausted: .resourceExhausted
        case .unavailable: .unavailable
        }
    }

    var c: Passkeyd__V1__ErrorCode { code.c }
}

extension WebAuthnError.Code {
    /// The protocol's code for a ceremony code (the same name: `badSignature` is `bad_signature` in both).
    public var protocolCode: PasskeydErrorCode {
        switch self {
        case .malformedRequest: .malformedRequest
        case .invalidBase64URL: .invalidBase64URL
        case .malformedJSON: .malformedJSON
        case .malformedClientData: .malformedClientData
        case .malformedCBOR: .malformedCBOR
        case .malformedAuthenticatorData: .malformedAuthenticatorData
        case .malformedAttestationObject: .malformedAttestationObject
        case .malformedPublicKey: .malformedPublicKey
        case .malformedSignature: .malformedSignature
        case .fieldTooLarge: .fieldTooLarge
        case .clientDataTypeMismatch: .clientDataTypeMismatch
        case .challengeMismatch: .challengeMismatch
        case .originMismatch: .originMismatch
        case .crossOriginNotAllowed: .crossOriginNotAllowed
        case .topOriginMismatch: .topOriginMismatch
        case .challengeForged: .challengeForged
        case .challengeExpired: .challengeExpired
        case .challengeRebound: .challengeRebound
        case .challengeWrongCeremony: .challengeWrongCeremony
        case .challengeReused: .challengeReused
        case .rpIdMismatch: .rpIdMismatch
        case .userPresenceRequired: .userPresenceRequired
        case .userVerificationRequired: .userVerificationRequired
        case .backupStateWithoutEligibility: .backupStateWithoutEligibility
        case .backupEligibilityChanged: .backupEligibilityChanged
        case .unexpectedAttestedCredentialData: .unexpectedAttestedCredentialData
        case .missingAttestedCredentialData: .missingAttestedCredentialData
        case .extensionDataMismatch: .extensionDataMismatch
        case .credentialIdTooLong: .credentialIdTooLong
        case .credentialIdMismatch: .credentialIdMismatch
        case .credentialNotAllowed: .credentialNotAllowed
        case .credentialIdEmpty: .credentialIdEmpty
        case .userHandleMismatch: .userHandleMismatch
        case .userHandleMissing: .userHandleMissing
        case .unsupportedAlgorithm: .unsupportedAlgorithm
        case .algorithmNotAllowed: .algorithmNotAllowed
        case .algorithmMismatch: .algorithmMismatch
        case .invalidPublicKey: .invalidPublicKey
        case .badSignature: .badSignature
        case .signCountRegression: .signCountRegression
        case .unsupportedAttestationFormat: .unsupportedAttestationFormat
        case .invalidAttestationStatement: .invalidAttestationStatement
        case .invalidAttestationCertificate: .invalidAttestationCertificate
        case .aaguidMismatch: .aaguidMismatch
        case .untrustedAttestation: .untrustedAttestation
        case .ecdaaNotSupported: .ecdaaNotSupported
        case .attestationKeyMismatch: .attestationKeyMismatch
        case .aaguidNotAllowed: .aaguidNotAllowed
        case .authenticatorStatusRejected: .authenticatorStatusRejected
        case .authenticatorCompromised: .authenticatorCompromised
        case .tpmStructureInvalid: .tpmStructureInvalid
        case .tpmExtraDataMismatch: .tpmExtraDataMismatch
        case .tpmNameMismatch: .tpmNameMismatch
        case .tpmVendorUnknown: .tpmVendorUnknown
        case .tpmCertificateInvalid: .tpmCertificateInvalid
        case .androidKeyDescriptionInvalid: .androidKeyDescriptionInvalid
        case .androidKeyChallengeMismatch: .androidKeyChallengeMismatch
        case .androidKeyAllApplications: .androidKeyAllApplications
        case .androidKeyNotGenerated: .androidKeyNotGenerated
        case .androidKeyPurposeNotSign: .androidKeyPurposeNotSign
        case .androidKeyNotHardware: .androidKeyNotHardware
        case .safetyNetJWSInvalid: .safetyNetJWSInvalid
        case .safetyNetNonceMismatch: .safetyNetNonceMismatch
        case .safetyNetHostnameMismatch: .safetyNetHostnameMismatch
        case .safetyNetCtsProfileMismatch: .safetyNetCtsProfileMismatch
        case .safetyNetTimestampInvalid: .safetyNetTimestampInvalid
        case .appleNonceMismatch: .appleNonceMismatch
        case .internalError: .internalError
        }
    }

    /// The generated C enum value.
    var wire: Passkeyd__V1__ErrorCode { protocolCode.c }
}

extension PasskeydErrorCode {
    /// The generated C enum value (protobuf-c enums are open: any number fits).
    var c: Passkeyd__V1__ErrorCode { Passkeyd__V1__ErrorCode(rawValue: UInt32(bitPattern: rawValue)) }

    init(_ c: Passkeyd__V1__ErrorCode) { self.init(rawValue: Int32(bitPattern: c.rawValue)) }
}
