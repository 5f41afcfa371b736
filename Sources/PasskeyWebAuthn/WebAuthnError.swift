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
        /// An issued challenge that this service did not mint (unknown key, malformed, bad MAC).
        case challengeForged = "challenge_forged"
        /// An issued challenge past its expiry at the verification time.
        case challengeExpired = "challenge_expired"
        /// An issued challenge bound to another context (session, user) or relying party.
        case challengeRebound = "challenge_rebound"
        /// An issued challenge minted for the other ceremony (registration vs authentication).
        case challengeWrongCeremony = "challenge_wrong_ceremony"
        /// An issued challenge already used (or whose replay record can no longer prove it was not).
        case challengeReused = "challenge_reused"
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
        /// The response's userHandle is not the user handle stored for the credential (§7.2 step 6).
        case userHandleMismatch = "user_handle_mismatch"
        /// A usernameless (discoverable) login whose response carries no userHandle (§7.2 step 6).
        case userHandleMissing = "user_handle_missing"
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
        /// ECDAA attestation (packed with ecdaaKeyId) is not supported by any current authenticator or by passkeyd.
        case ecdaaNotSupported = "ecdaa_not_supported"
        /// The key the attestation vouches for (TPM pubArea, Android / Apple leaf certificate) is not the credential key.
        case attestationKeyMismatch = "attestation_key_mismatch"
        /// The relying party lists the AAGUIDs it accepts and this authenticator's is not one of them.
        case aaguidNotAllowed = "aaguid_not_allowed"
        /// Metadata reports a status the policy rejects (revoked, attestation key compromise, ...) at registration.
        case authenticatorStatusRejected = "authenticator_status_rejected"
        /// At login: metadata now marks the authenticator stored at registration as compromised (a risk signal).
        case authenticatorCompromised = "authenticator_compromised"
        /// certInfo (TPMS_ATTEST) or pubArea (TPMT_PUBLIC) does not parse, or has the wrong magic, type or algorithm.
        case tpmStructureInvalid = "tpm_structure_invalid"
        /// certInfo.extraData is not the hash of authenticatorData || clientDataHash.
        case tpmExtraDataMismatch = "tpm_extra_data_mismatch"
        /// certInfo.attested.name is not the nameAlg hash of pubArea.
        case tpmNameMismatch = "tpm_name_mismatch"
        /// The AIK certificate's TPM manufacturer is not in the TCG vendor registry.
        case tpmVendorUnknown = "tpm_vendor_unknown"
        /// The AIK certificate fails a §8.3.1 requirement (version, empty subject, subjectAltName, EKU, CA flag).
        case tpmCertificateInvalid = "tpm_certificate_invalid"
        /// The leaf certificate has no readable key description extension (1.3.6.1.4.1.11129.2.1.17).
        case androidKeyDescriptionInvalid = "android_key_description_invalid"
        /// attestationChallenge is not the clientDataHash.
        case androidKeyChallengeMismatch = "android_key_challenge_mismatch"
        /// allApplications is present: the key is not bound to the relying party's app.
        case androidKeyAllApplications = "android_key_all_applications"
        /// The key's origin is not GENERATED in the authorization list the policy trusts.
        case androidKeyNotGenerated = "android_key_not_generated"
        /// The key's purpose does not include SIGN in the authorization list the policy trusts.
        case androidKeyPurposeNotSign = "android_key_purpose_not_sign"
        /// Origin and purpose are enforced only in software and the policy requires the TEE or StrongBox.
        case androidKeyNotHardware = "android_key_not_hardware"
        /// The SafetyNet response is not a compact JWS passkeyd can verify (header, x5c, alg, signature).
        case safetyNetJWSInvalid = "safetynet_jws_invalid"
        /// The JWS nonce is not base64(SHA-256(authenticatorData || clientDataHash)).
        case safetyNetNonceMismatch = "safetynet_nonce_mismatch"
        /// The JWS leaf certificate is not issued to attest.android.com.
        case safetyNetHostnameMismatch = "safetynet_hostname_mismatch"
        /// ctsProfileMatch is not true.
        case safetyNetCtsProfileMismatch = "safetynet_cts_profile_mismatch"
        /// timestampMs is missing or outside the allowed window around the verification time.
        case safetyNetTimestampInvalid = "safetynet_timestamp_invalid"
        /// The Apple nonce extension (1.2.840.113635.100.8.2) is missing or not SHA-256(authenticatorData || clientDataHash).
        case appleNonceMismatch = "apple_nonce_mismatch"
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
