/// One value of the wire enum `passkeyd.v1.ErrorCode` (Protos/passkeyd/v1/passkeyd.proto): what a result, a risk
/// signal or a request-level error carries.
///
/// `name` is the stable lowercase spelling of the JSON verdicts (`passkeyd verify`, `passkeyctl`): the .proto name in
/// lower case, e.g. `bad_signature`. A number this build does not know (a newer server) is `unknown(n)`, never an
/// error. Plain values with no payload but that number, so passing one around (metrics, logs) allocates nothing.
/// `PasskeyProtocolTests` checks the cases against the generated descriptor, in both directions.
public enum PasskeydErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// ERROR_CODE_NONE: nothing failed (a verified ceremony). Results say so with a nil `errorCode`.
    case errorCodeNone
    // Request-level (Response.error), and MALFORMED_REQUEST / UNKNOWN_RELYING_PARTY for a batch item.
    case malformedFrame
    case frameTooLarge
    case malformedRequest
    case unknownMethod
    case overloaded
    case deadlineExceeded
    case shuttingDown
    case unknownRelyingParty
    case batchTooLarge
    case internalError
    /// Unpacking the request would need more memory than its frame size allows (see SECURITY.md); nothing was run.
    case resourceExhausted
    /// A store the request needs (the shared replay store for issued challenges) is unreachable; nothing was decided.
    /// Safe to retry.
    case unavailable
    // Ceremony failures (WebAuthnError.Code in the engine, with the same JSON names).
    case invalidBase64URL
    case malformedJSON
    case malformedClientData
    case malformedCBOR
    case malformedAuthenticatorData
    case malformedAttestationObject
    case malformedPublicKey
    case malformedSignature
    /// A field is larger than its limit (SECURITY.md lists them); the message names the field.
    case fieldTooLarge
    case clientDataTypeMismatch
    case challengeMismatch
    case originMismatch
    case crossOriginNotAllowed
    case topOriginMismatch
    /// An issued challenge that this service did not mint (unknown key, malformed, bad MAC).
    case challengeForged
    /// An issued challenge past its expiry at the verification time.
    case challengeExpired
    /// An issued challenge bound to another context (session, user) or relying party.
    case challengeRebound
    /// An issued challenge minted for the other ceremony (registration vs authentication).
    case challengeWrongCeremony
    /// An issued challenge already used (or whose replay record can no longer prove it was not).
    case challengeReused
    case rpIdMismatch
    case userPresenceRequired
    case userVerificationRequired
    case backupStateWithoutEligibility
    case backupEligibilityChanged
    case unexpectedAttestedCredentialData
    case missingAttestedCredentialData
    case extensionDataMismatch
    case credentialIdTooLong
    case credentialIdMismatch
    case credentialNotAllowed
    case credentialIdEmpty
    /// The response's userHandle is not the user handle stored for the credential (§7.2 step 6).
    case userHandleMismatch
    /// A usernameless (discoverable) login whose response carries no userHandle (§7.2 step 6).
    case userHandleMissing
    case unsupportedAlgorithm
    case algorithmNotAllowed
    case algorithmMismatch
    case invalidPublicKey
    case badSignature
    case signCountRegression
    case unsupportedAttestationFormat
    case invalidAttestationStatement
    case invalidAttestationCertificate
    case aaguidMismatch
    case untrustedAttestation
    /// ECDAA attestation (packed with ecdaaKeyId) is not supported by any current authenticator or by passkeyd.
    case ecdaaNotSupported
    /// The key the attestation vouches for (TPM pubArea, Android / Apple leaf certificate) is not the credential key.
    case attestationKeyMismatch
    /// The relying party lists the AAGUIDs it accepts and this authenticator's is not one of them.
    case aaguidNotAllowed
    /// Metadata reports a status the policy rejects (revoked, attestation key compromise, ...) at registration.
    case authenticatorStatusRejected
    /// At login: metadata now marks the authenticator stored at registration as compromised (a risk signal).
    case authenticatorCompromised
    /// certInfo (TPMS_ATTEST) or pubArea (TPMT_PUBLIC) does not parse, or has the wrong magic, type or algorithm.
    case tpmStructureInvalid
    /// certInfo.extraData is not the hash of authenticatorData || clientDataHash.
    case tpmExtraDataMismatch
    /// certInfo.attested.name is not the nameAlg hash of pubArea.
    case tpmNameMismatch
    /// The AIK certificate's TPM manufacturer is not in the TCG vendor registry.
    case tpmVendorUnknown
    /// The AIK certificate fails a §8.3.1 requirement (version, empty subject, subjectAltName, EKU, CA flag).
    case tpmCertificateInvalid
    /// The leaf certificate has no readable key description extension (1.3.6.1.4.1.11129.2.1.17).
    case androidKeyDescriptionInvalid
    /// attestationChallenge is not the clientDataHash.
    case androidKeyChallengeMismatch
    /// allApplications is present: the key is not bound to the relying party's app.
    case androidKeyAllApplications
    /// The key's origin is not GENERATED in the authorization list the policy trusts.
    case androidKeyNotGenerated
    /// The key's purpose does not include SIGN in the authorization list the policy trusts.
    case androidKeyPurposeNotSign
    /// Origin and purpose are enforced only in software and the policy requires the TEE or StrongBox.
    case androidKeyNotHardware
    /// The SafetyNet response is not a compact JWS passkeyd can verify (header, x5c, alg, signature).
    case safetyNetJWSInvalid
    /// The JWS nonce is not base64(SHA-256(authenticatorData || clientDataHash)).
    case safetyNetNonceMismatch
    /// The JWS leaf certificate is not issued to attest.android.com.
    case safetyNetHostnameMismatch
    /// ctsProfileMatch is not true.
    case safetyNetCtsProfileMismatch
    /// timestampMs is missing or outside the allowed window around the verification time.
    case safetyNetTimestampInvalid
    /// The Apple nonce extension (1.2.840.113635.100.8.2) is missing or not SHA-256(authenticatorData || clientDataHash).
    case appleNonceMismatch
    /// A number this build does not list.
    case unknown(Int32)

    /// The wire number.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .errorCodeNone
        case 1: self = .malformedFrame
        case 2: self = .frameTooLarge
        case 3: self = .malformedRequest
        case 4: self = .unknownMethod
        case 5: self = .overloaded
        case 6: self = .deadlineExceeded
        case 7: self = .shuttingDown
        case 8: self = .unknownRelyingParty
        case 9: self = .batchTooLarge
        case 10: self = .internalError
        case 11: self = .resourceExhausted
        case 12: self = .unavailable
        case 20: self = .invalidBase64URL
        case 21: self = .malformedJSON
        case 22: self = .malformedClientData
        case 23: self = .malformedCBOR
        case 24: self = .malformedAuthenticatorData
        case 25: self = .malformedAttestationObject
        case 26: self = .malformedPublicKey
        case 27: self = .malformedSignature
        case 28: self = .fieldTooLarge
        case 30: self = .clientDataTypeMismatch
        case 31: self = .challengeMismatch
        case 32: self = .originMismatch
        case 33: self = .crossOriginNotAllowed
        case 34: self = .topOriginMismatch
        case 35: self = .challengeForged
        case 36: self = .challengeExpired
        case 37: self = .challengeRebound
        case 38: self = .challengeWrongCeremony
        case 39: self = .challengeReused
        case 40: self = .rpIdMismatch
        case 41: self = .userPresenceRequired
        case 42: self = .userVerificationRequired
        case 43: self = .backupStateWithoutEligibility
        case 44: self = .backupEligibilityChanged
        case 45: self = .unexpectedAttestedCredentialData
        case 46: self = .missingAttestedCredentialData
        case 47: self = .extensionDataMismatch
        case 48: self = .credentialIdTooLong
        case 49: self = .credentialIdMismatch
        case 50: self = .credentialNotAllowed
        case 51: self = .credentialIdEmpty
        case 52: self = .userHandleMismatch
        case 53: self = .userHandleMissing
        case 60: self = .unsupportedAlgorithm
        case 61: self = .algorithmNotAllowed
        case 62: self = .algorithmMismatch
        case 63: self = .invalidPublicKey
        case 64: self = .badSignature
        case 65: self = .signCountRegression
        case 70: self = .unsupportedAttestationFormat
        case 71: self = .invalidAttestationStatement
        case 72: self = .invalidAttestationCertificate
        case 73: self = .aaguidMismatch
        case 74: self = .untrustedAttestation
        case 75: self = .ecdaaNotSupported
        case 76: self = .attestationKeyMismatch
        case 77: self = .aaguidNotAllowed
        case 78: self = .authenticatorStatusRejected
        case 79: self = .authenticatorCompromised
        case 80: self = .tpmStructureInvalid
        case 81: self = .tpmExtraDataMismatch
        case 82: self = .tpmNameMismatch
        case 83: self = .tpmVendorUnknown
        case 84: self = .tpmCertificateInvalid
        case 90: self = .androidKeyDescriptionInvalid
        case 91: self = .androidKeyChallengeMismatch
        case 92: self = .androidKeyAllApplications
        case 93: self = .androidKeyNotGenerated
        case 94: self = .androidKeyPurposeNotSign
        case 95: self = .androidKeyNotHardware
        case 100: self = .safetyNetJWSInvalid
        case 101: self = .safetyNetNonceMismatch
        case 102: self = .safetyNetHostnameMismatch
        case 103: self = .safetyNetCtsProfileMismatch
        case 104: self = .safetyNetTimestampInvalid
        case 110: self = .appleNonceMismatch
        default: self = .unknown(rawValue)
        }
    }

    /// The wire number.
    public var rawValue: Int32 {
        switch self {
        case .errorCodeNone: 0
        case .malformedFrame: 1
        case .frameTooLarge: 2
        case .malformedRequest: 3
        case .unknownMethod: 4
        case .overloaded: 5
        case .deadlineExceeded: 6
        case .shuttingDown: 7
        case .unknownRelyingParty: 8
        case .batchTooLarge: 9
        case .internalError: 10
        case .resourceExhausted: 11
        case .unavailable: 12
        case .invalidBase64URL: 20
        case .malformedJSON: 21
        case .malformedClientData: 22
        case .malformedCBOR: 23
        case .malformedAuthenticatorData: 24
        case .malformedAttestationObject: 25
        case .malformedPublicKey: 26
        case .malformedSignature: 27
        case .fieldTooLarge: 28
        case .clientDataTypeMismatch: 30
        case .challengeMismatch: 31
        case .originMismatch: 32
        case .crossOriginNotAllowed: 33
        case .topOriginMismatch: 34
        case .challengeForged: 35
        case .challengeExpired: 36
        case .challengeRebound: 37
        case .challengeWrongCeremony: 38
        case .challengeReused: 39
        case .rpIdMismatch: 40
        case .userPresenceRequired: 41
        case .userVerificationRequired: 42
        case .backupStateWithoutEligibility: 43
        case .backupEligibilityChanged: 44
        case .unexpectedAttestedCredentialData: 45
        case .missingAttestedCredentialData: 46
        case .extensionDataMismatch: 47
        case .credentialIdTooLong: 48
        case .credentialIdMismatch: 49
        case .credentialNotAllowed: 50
        case .credentialIdEmpty: 51
        case .userHandleMismatch: 52
        case .userHandleMissing: 53
        case .unsupportedAlgorithm: 60
        case .algorithmNotAllowed: 61
        case .algorithmMismatch: 62
        case .invalidPublicKey: 63
        case .badSignature: 64
        case .signCountRegression: 65
        case .unsupportedAttestationFormat: 70
        case .invalidAttestationStatement: 71
        case .invalidAttestationCertificate: 72
        case .aaguidMismatch: 73
        case .untrustedAttestation: 74
        case .ecdaaNotSupported: 75
        case .attestationKeyMismatch: 76
        case .aaguidNotAllowed: 77
        case .authenticatorStatusRejected: 78
        case .authenticatorCompromised: 79
        case .tpmStructureInvalid: 80
        case .tpmExtraDataMismatch: 81
        case .tpmNameMismatch: 82
        case .tpmVendorUnknown: 83
        case .tpmCertificateInvalid: 84
        case .androidKeyDescriptionInvalid: 90
        case .androidKeyChallengeMismatch: 91
        case .androidKeyAllApplications: 92
        case .androidKeyNotGenerated: 93
        case .androidKeyPurposeNotSign: 94
        case .androidKeyNotHardware: 95
        case .safetyNetJWSInvalid: 100
        case .safetyNetNonceMismatch: 101
        case .safetyNetHostnameMismatch: 102
        case .safetyNetCtsProfileMismatch: 103
        case .safetyNetTimestampInvalid: 104
        case .appleNonceMismatch: 110
        case let .unknown(n): n
        }
    }

    /// The JSON spelling: the .proto name in lower case (`bad_signature`); `unknown_<n>` for an unknown number.
    public var name: String {
        switch self {
        case .errorCodeNone: "error_code_none"
        case .malformedFrame: "malformed_frame"
        case .frameTooLarge: "frame_too_large"
        case .malformedRequest: "malformed_request"
        case .unknownMethod: "unknown_method"
        case .overloaded: "overloaded"
        case .deadlineExceeded: "deadline_exceeded"
        case .shuttingDown: "shutting_down"
        case .unknownRelyingParty: "unknown_relying_party"
        case .batchTooLarge: "batch_too_large"
        case .internalError: "internal_error"
        case .resourceExhausted: "resource_exhausted"
        case .unavailable: "unavailable"
        case .invalidBase64URL: "invalid_base64url"
        case .malformedJSON: "malformed_json"
        case .malformedClientData: "malformed_client_data"
        case .malformedCBOR: "malformed_cbor"
        case .malformedAuthenticatorData: "malformed_authenticator_data"
        case .malformedAttestationObject: "malformed_attestation_object"
        case .malformedPublicKey: "malformed_public_key"
        case .malformedSignature: "malformed_signature"
        case .fieldTooLarge: "field_too_large"
        case .clientDataTypeMismatch: "client_data_type_mismatch"
        case .challengeMismatch: "challenge_mismatch"
        case .originMismatch: "origin_mismatch"
        case .crossOriginNotAllowed: "cross_origin_not_allowed"
        case .topOriginMismatch: "top_origin_mismatch"
        case .challengeForged: "challenge_forged"
        case .challengeExpired: "challenge_expired"
        case .challengeRebound: "challenge_rebound"
        case .challengeWrongCeremony: "challenge_wrong_ceremony"
        case .challengeReused: "challenge_reused"
        case .rpIdMismatch: "rp_id_mismatch"
        case .userPresenceRequired: "user_presence_required"
        case .userVerificationRequired: "user_verification_required"
        case .backupStateWithoutEligibility: "backup_state_without_eligibility"
        case .backupEligibilityChanged: "backup_eligibility_changed"
        case .unexpectedAttestedCredentialData: "unexpected_attested_credential_data"
        case .missingAttestedCredentialData: "missing_attested_credential_data"
        case .extensionDataMismatch: "extension_data_mismatch"
        case .credentialIdTooLong: "credential_id_too_long"
        case .credentialIdMismatch: "credential_id_mismatch"
        case .credentialNotAllowed: "credential_not_allowed"
        case .credentialIdEmpty: "credential_id_empty"
        case .userHandleMismatch: "user_handle_mismatch"
        case .userHandleMissing: "user_handle_missing"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .algorithmNotAllowed: "algorithm_not_allowed"
        case .algorithmMismatch: "algorithm_mismatch"
        case .invalidPublicKey: "invalid_public_key"
        case .badSignature: "bad_signature"
        case .signCountRegression: "sign_count_regression"
        case .unsupportedAttestationFormat: "unsupported_attestation_format"
        case .invalidAttestationStatement: "invalid_attestation_statement"
        case .invalidAttestationCertificate: "invalid_attestation_certificate"
        case .aaguidMismatch: "aaguid_mismatch"
        case .untrustedAttestation: "untrusted_attestation"
        case .ecdaaNotSupported: "ecdaa_not_supported"
        case .attestationKeyMismatch: "attestation_key_mismatch"
        case .aaguidNotAllowed: "aaguid_not_allowed"
        case .authenticatorStatusRejected: "authenticator_status_rejected"
        case .authenticatorCompromised: "authenticator_compromised"
        case .tpmStructureInvalid: "tpm_structure_invalid"
        case .tpmExtraDataMismatch: "tpm_extra_data_mismatch"
        case .tpmNameMismatch: "tpm_name_mismatch"
        case .tpmVendorUnknown: "tpm_vendor_unknown"
        case .tpmCertificateInvalid: "tpm_certificate_invalid"
        case .androidKeyDescriptionInvalid: "android_key_description_invalid"
        case .androidKeyChallengeMismatch: "android_key_challenge_mismatch"
        case .androidKeyAllApplications: "android_key_all_applications"
        case .androidKeyNotGenerated: "android_key_not_generated"
        case .androidKeyPurposeNotSign: "android_key_purpose_not_sign"
        case .androidKeyNotHardware: "android_key_not_hardware"
        case .safetyNetJWSInvalid: "safetynet_jws_invalid"
        case .safetyNetNonceMismatch: "safetynet_nonce_mismatch"
        case .safetyNetHostnameMismatch: "safetynet_hostname_mismatch"
        case .safetyNetCtsProfileMismatch: "safetynet_cts_profile_mismatch"
        case .safetyNetTimestampInvalid: "safetynet_timestamp_invalid"
        case .appleNonceMismatch: "apple_nonce_mismatch"
        case let .unknown(n): "unknown_\(n)"
        }
    }

    /// The .proto spelling (`BAD_SIGNATURE`), as metrics label verdicts; `UNKNOWN_<n>` for an unknown number.
    public var protoName: String { name.uppercased() }

    public var description: String { name }

    /// The code a JSON name spells (`bad_signature`), nil for a name no code has.
    public init?(name: String) {
        guard let code = Self.byName[name] else { return nil }
        self = code
    }

    /// Every code this build knows, in number order (ERROR_CODE_NONE first).
    public static let allKnown: [PasskeydErrorCode] = (0...Int32(UInt8.max)).compactMap { n in
        let code = PasskeydErrorCode(rawValue: n)
        if case .unknown = code { return nil }
        return code
    }

    private static let byName: [String: PasskeydErrorCode] = Dictionary(
        uniqueKeysWithValues: allKnown.map { ($0.name, $0) })
}
