from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ErrorCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ERROR_CODE_NONE: _ClassVar[ErrorCode]
    MALFORMED_FRAME: _ClassVar[ErrorCode]
    FRAME_TOO_LARGE: _ClassVar[ErrorCode]
    MALFORMED_REQUEST: _ClassVar[ErrorCode]
    UNKNOWN_METHOD: _ClassVar[ErrorCode]
    OVERLOADED: _ClassVar[ErrorCode]
    DEADLINE_EXCEEDED: _ClassVar[ErrorCode]
    SHUTTING_DOWN: _ClassVar[ErrorCode]
    UNKNOWN_RELYING_PARTY: _ClassVar[ErrorCode]
    BATCH_TOO_LARGE: _ClassVar[ErrorCode]
    INTERNAL_ERROR: _ClassVar[ErrorCode]
    RESOURCE_EXHAUSTED: _ClassVar[ErrorCode]
    UNAVAILABLE: _ClassVar[ErrorCode]
    INVALID_BASE64URL: _ClassVar[ErrorCode]
    MALFORMED_JSON: _ClassVar[ErrorCode]
    MALFORMED_CLIENT_DATA: _ClassVar[ErrorCode]
    MALFORMED_CBOR: _ClassVar[ErrorCode]
    MALFORMED_AUTHENTICATOR_DATA: _ClassVar[ErrorCode]
    MALFORMED_ATTESTATION_OBJECT: _ClassVar[ErrorCode]
    MALFORMED_PUBLIC_KEY: _ClassVar[ErrorCode]
    MALFORMED_SIGNATURE: _ClassVar[ErrorCode]
    FIELD_TOO_LARGE: _ClassVar[ErrorCode]
    CLIENT_DATA_TYPE_MISMATCH: _ClassVar[ErrorCode]
    CHALLENGE_MISMATCH: _ClassVar[ErrorCode]
    ORIGIN_MISMATCH: _ClassVar[ErrorCode]
    CROSS_ORIGIN_NOT_ALLOWED: _ClassVar[ErrorCode]
    TOP_ORIGIN_MISMATCH: _ClassVar[ErrorCode]
    CHALLENGE_FORGED: _ClassVar[ErrorCode]
    CHALLENGE_EXPIRED: _ClassVar[ErrorCode]
    CHALLENGE_REBOUND: _ClassVar[ErrorCode]
    CHALLENGE_WRONG_CEREMONY: _ClassVar[ErrorCode]
    CHALLENGE_REUSED: _ClassVar[ErrorCode]
    RP_ID_MISMATCH: _ClassVar[ErrorCode]
    USER_PRESENCE_REQUIRED: _ClassVar[ErrorCode]
    USER_VERIFICATION_REQUIRED: _ClassVar[ErrorCode]
    BACKUP_STATE_WITHOUT_ELIGIBILITY: _ClassVar[ErrorCode]
    BACKUP_ELIGIBILITY_CHANGED: _ClassVar[ErrorCode]
    UNEXPECTED_ATTESTED_CREDENTIAL_DATA: _ClassVar[ErrorCode]
    MISSING_ATTESTED_CREDENTIAL_DATA: _ClassVar[ErrorCode]
    EXTENSION_DATA_MISMATCH: _ClassVar[ErrorCode]
    CREDENTIAL_ID_TOO_LONG: _ClassVar[ErrorCode]
    CREDENTIAL_ID_MISMATCH: _ClassVar[ErrorCode]
    CREDENTIAL_NOT_ALLOWED: _ClassVar[ErrorCode]
    CREDENTIAL_ID_EMPTY: _ClassVar[ErrorCode]
    USER_HANDLE_MISMATCH: _ClassVar[ErrorCode]
    USER_HANDLE_MISSING: _ClassVar[ErrorCode]
    UNSUPPORTED_ALGORITHM: _ClassVar[ErrorCode]
    ALGORITHM_NOT_ALLOWED: _ClassVar[ErrorCode]
    ALGORITHM_MISMATCH: _ClassVar[ErrorCode]
    INVALID_PUBLIC_KEY: _ClassVar[ErrorCode]
    BAD_SIGNATURE: _ClassVar[ErrorCode]
    SIGN_COUNT_REGRESSION: _ClassVar[ErrorCode]
    UNSUPPORTED_ATTESTATION_FORMAT: _ClassVar[ErrorCode]
    INVALID_ATTESTATION_STATEMENT: _ClassVar[ErrorCode]
    INVALID_ATTESTATION_CERTIFICATE: _ClassVar[ErrorCode]
    AAGUID_MISMATCH: _ClassVar[ErrorCode]
    UNTRUSTED_ATTESTATION: _ClassVar[ErrorCode]
    ECDAA_NOT_SUPPORTED: _ClassVar[ErrorCode]
    ATTESTATION_KEY_MISMATCH: _ClassVar[ErrorCode]
    AAGUID_NOT_ALLOWED: _ClassVar[ErrorCode]
    AUTHENTICATOR_STATUS_REJECTED: _ClassVar[ErrorCode]
    AUTHENTICATOR_COMPROMISED: _ClassVar[ErrorCode]
    TPM_STRUCTURE_INVALID: _ClassVar[ErrorCode]
    TPM_EXTRA_DATA_MISMATCH: _ClassVar[ErrorCode]
    TPM_NAME_MISMATCH: _ClassVar[ErrorCode]
    TPM_VENDOR_UNKNOWN: _ClassVar[ErrorCode]
    TPM_CERTIFICATE_INVALID: _ClassVar[ErrorCode]
    ANDROID_KEY_DESCRIPTION_INVALID: _ClassVar[ErrorCode]
    ANDROID_KEY_CHALLENGE_MISMATCH: _ClassVar[ErrorCode]
    ANDROID_KEY_ALL_APPLICATIONS: _ClassVar[ErrorCode]
    ANDROID_KEY_NOT_GENERATED: _ClassVar[ErrorCode]
    ANDROID_KEY_PURPOSE_NOT_SIGN: _ClassVar[ErrorCode]
    ANDROID_KEY_NOT_HARDWARE: _ClassVar[ErrorCode]
    SAFETYNET_JWS_INVALID: _ClassVar[ErrorCode]
    SAFETYNET_NONCE_MISMATCH: _ClassVar[ErrorCode]
    SAFETYNET_HOSTNAME_MISMATCH: _ClassVar[ErrorCode]
    SAFETYNET_CTS_PROFILE_MISMATCH: _ClassVar[ErrorCode]
    SAFETYNET_TIMESTAMP_INVALID: _ClassVar[ErrorCode]
    APPLE_NONCE_MISMATCH: _ClassVar[ErrorCode]

class SignalAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIGNAL_ACTION_REJECT: _ClassVar[SignalAction]
    SIGNAL_ACTION_REPORT: _ClassVar[SignalAction]

class AttestationMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTESTATION_MODE_DEFAULT: _ClassVar[AttestationMode]
    ATTESTATION_MODE_NONE: _ClassVar[AttestationMode]
    ATTESTATION_MODE_VERIFY: _ClassVar[AttestationMode]
    ATTESTATION_MODE_TRUSTED: _ClassVar[AttestationMode]

class BackupEligibility(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BACKUP_ELIGIBILITY_UNKNOWN: _ClassVar[BackupEligibility]
    BACKUP_ELIGIBILITY_NOT_ELIGIBLE: _ClassVar[BackupEligibility]
    BACKUP_ELIGIBILITY_ELIGIBLE: _ClassVar[BackupEligibility]

class ExtensionFlag(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXTENSION_FLAG_ABSENT: _ClassVar[ExtensionFlag]
    EXTENSION_FLAG_FALSE: _ClassVar[ExtensionFlag]
    EXTENSION_FLAG_TRUE: _ClassVar[ExtensionFlag]
ERROR_CODE_NONE: ErrorCode
MALFORMED_FRAME: ErrorCode
FRAME_TOO_LARGE: ErrorCode
MALFORMED_REQUEST: ErrorCode
UNKNOWN_METHOD: ErrorCode
OVERLOADED: ErrorCode
DEADLINE_EXCEEDED: ErrorCode
SHUTTING_DOWN: ErrorCode
UNKNOWN_RELYING_PARTY: ErrorCode
BATCH_TOO_LARGE: ErrorCode
INTERNAL_ERROR: ErrorCode
RESOURCE_EXHAUSTED: ErrorCode
UNAVAILABLE: ErrorCode
INVALID_BASE64URL: ErrorCode
MALFORMED_JSON: ErrorCode
MALFORMED_CLIENT_DATA: ErrorCode
MALFORMED_CBOR: ErrorCode
MALFORMED_AUTHENTICATOR_DATA: ErrorCode
MALFORMED_ATTESTATION_OBJECT: ErrorCode
MALFORMED_PUBLIC_KEY: ErrorCode
MALFORMED_SIGNATURE: ErrorCode
FIELD_TOO_LARGE: ErrorCode
CLIENT_DATA_TYPE_MISMATCH: ErrorCode
CHALLENGE_MISMATCH: ErrorCode
ORIGIN_MISMATCH: ErrorCode
CROSS_ORIGIN_NOT_ALLOWED: ErrorCode
TOP_ORIGIN_MISMATCH: ErrorCode
CHALLENGE_FORGED: ErrorCode
CHALLENGE_EXPIRED: ErrorCode
CHALLENGE_REBOUND: ErrorCode
CHALLENGE_WRONG_CEREMONY: ErrorCode
CHALLENGE_REUSED: ErrorCode
RP_ID_MISMATCH: ErrorCode
USER_PRESENCE_REQUIRED: ErrorCode
USER_VERIFICATION_REQUIRED: ErrorCode
BACKUP_STATE_WITHOUT_ELIGIBILITY: ErrorCode
BACKUP_ELIGIBILITY_CHANGED: ErrorCode
UNEXPECTED_ATTESTED_CREDENTIAL_DATA: ErrorCode
MISSING_ATTESTED_CREDENTIAL_DATA: ErrorCode
EXTENSION_DATA_MISMATCH: ErrorCode
CREDENTIAL_ID_TOO_LONG: ErrorCode
CREDENTIAL_ID_MISMATCH: ErrorCode
CREDENTIAL_NOT_ALLOWED: ErrorCode
CREDENTIAL_ID_EMPTY: ErrorCode
USER_HANDLE_MISMATCH: ErrorCode
USER_HANDLE_MISSING: ErrorCode
UNSUPPORTED_ALGORITHM: ErrorCode
ALGORITHM_NOT_ALLOWED: ErrorCode
ALGORITHM_MISMATCH: ErrorCode
INVALID_PUBLIC_KEY: ErrorCode
BAD_SIGNATURE: ErrorCode
SIGN_COUNT_REGRESSION: ErrorCode
UNSUPPORTED_ATTESTATION_FORMAT: ErrorCode
INVALID_ATTESTATION_STATEMENT: ErrorCode
INVALID_ATTESTATION_CERTIFICATE: ErrorCode
AAGUID_MISMATCH: ErrorCode
UNTRUSTED_ATTESTATION: ErrorCode
ECDAA_NOT_SUPPORTED: ErrorCode
ATTESTATION_KEY_MISMATCH: ErrorCode
AAGUID_NOT_ALLOWED: ErrorCode
AUTHENTICATOR_STATUS_REJECTED: ErrorCode
AUTHENTICATOR_COMPROMISED: ErrorCode
TPM_STRUCTURE_INVALID: ErrorCode
TPM_EXTRA_DATA_MISMATCH: ErrorCode
TPM_NAME_MISMATCH: ErrorCode
TPM_VENDOR_UNKNOWN: ErrorCode
TPM_CERTIFICATE_INVALID: ErrorCode
ANDROID_KEY_DESCRIPTION_INVALID: ErrorCode
ANDROID_KEY_CHALLENGE_MISMATCH: ErrorCode
ANDROID_KEY_ALL_APPLICATIONS: ErrorCode
ANDROID_KEY_NOT_GENERATED: ErrorCode
ANDROID_KEY_PURPOSE_NOT_SIGN: ErrorCode
ANDROID_KEY_NOT_HARDWARE: ErrorCode
SAFETYNET_JWS_INVALID: ErrorCode
SAFETYNET_NONCE_MISMATCH: ErrorCode
SAFETYNET_HOSTNAME_MISMATCH: ErrorCode
SAFETYNET_CTS_PROFILE_MISMATCH: ErrorCode
SAFETYNET_TIMESTAMP_INVALID: ErrorCode
APPLE_NONCE_MISMATCH: ErrorCode
SIGNAL_ACTION_REJECT: SignalAction
SIGNAL_ACTION_REPORT: SignalAction
ATTESTATION_MODE_DEFAULT: AttestationMode
ATTESTATION_MODE_NONE: AttestationMode
ATTESTATION_MODE_VERIFY: AttestationMode
ATTESTATION_MODE_TRUSTED: AttestationMode
BACKUP_ELIGIBILITY_UNKNOWN: BackupEligibility
BACKUP_ELIGIBILITY_NOT_ELIGIBLE: BackupEligibility
BACKUP_ELIGIBILITY_ELIGIBLE: BackupEligibility
EXTENSION_FLAG_ABSENT: ExtensionFlag
EXTENSION_FLAG_FALSE: ExtensionFlag
EXTENSION_FLAG_TRUE: ExtensionFlag

class Request(_message.Message):
    __slots__ = ("id", "deadline_ms", "verify_registration", "verify_authentication", "verify_authentication_batch", "verify_registration_batch", "health", "server_info", "generate_registration_options", "generate_authentication_options")
    ID_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_MS_FIELD_NUMBER: _ClassVar[int]
    VERIFY_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    VERIFY_AUTHENTICATION_FIELD_NUMBER: _ClassVar[int]
    VERIFY_AUTHENTICATION_BATCH_FIELD_NUMBER: _ClassVar[int]
    VERIFY_REGISTRATION_BATCH_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    SERVER_INFO_FIELD_NUMBER: _ClassVar[int]
    GENERATE_REGISTRATION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    GENERATE_AUTHENTICATION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    id: int
    deadline_ms: int
    verify_registration: VerifyRegistrationRequest
    verify_authentication: VerifyAuthenticationRequest
    verify_authentication_batch: VerifyAuthenticationBatchRequest
    verify_registration_batch: VerifyRegistrationBatchRequest
    health: HealthRequest
    server_info: ServerInfoRequest
    generate_registration_options: GenerateRegistrationOptionsRequest
    generate_authentication_options: GenerateAuthenticationOptionsRequest
    def __init__(self, id: _Optional[int] = ..., deadline_ms: _Optional[int] = ..., verify_registration: _Optional[_Union[VerifyRegistrationRequest, _Mapping]] = ..., verify_authentication: _Optional[_Union[VerifyAuthenticationRequest, _Mapping]] = ..., verify_authentication_batch: _Optional[_Union[VerifyAuthenticationBatchRequest, _Mapping]] = ..., verify_registration_batch: _Optional[_Union[VerifyRegistrationBatchRequest, _Mapping]] = ..., health: _Optional[_Union[HealthRequest, _Mapping]] = ..., server_info: _Optional[_Union[ServerInfoRequest, _Mapping]] = ..., generate_registration_options: _Optional[_Union[GenerateRegistrationOptionsRequest, _Mapping]] = ..., generate_authentication_options: _Optional[_Union[GenerateAuthenticationOptionsRequest, _Mapping]] = ...) -> None: ...

class Response(_message.Message):
    __slots__ = ("id", "verify_registration", "verify_authentication", "verify_authentication_batch", "verify_registration_batch", "health", "server_info", "generate_registration_options", "generate_authentication_options", "error")
    ID_FIELD_NUMBER: _ClassVar[int]
    VERIFY_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    VERIFY_AUTHENTICATION_FIELD_NUMBER: _ClassVar[int]
    VERIFY_AUTHENTICATION_BATCH_FIELD_NUMBER: _ClassVar[int]
    VERIFY_REGISTRATION_BATCH_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    SERVER_INFO_FIELD_NUMBER: _ClassVar[int]
    GENERATE_REGISTRATION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    GENERATE_AUTHENTICATION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    id: int
    verify_registration: VerifyRegistrationResult
    verify_authentication: VerifyAuthenticationResult
    verify_authentication_batch: VerifyAuthenticationBatchResponse
    verify_registration_batch: VerifyRegistrationBatchResponse
    health: HealthResponse
    server_info: ServerInfoResponse
    generate_registration_options: GenerateOptionsResult
    generate_authentication_options: GenerateOptionsResult
    error: Error
    def __init__(self, id: _Optional[int] = ..., verify_registration: _Optional[_Union[VerifyRegistrationResult, _Mapping]] = ..., verify_authentication: _Optional[_Union[VerifyAuthenticationResult, _Mapping]] = ..., verify_authentication_batch: _Optional[_Union[VerifyAuthenticationBatchResponse, _Mapping]] = ..., verify_registration_batch: _Optional[_Union[VerifyRegistrationBatchResponse, _Mapping]] = ..., health: _Optional[_Union[HealthResponse, _Mapping]] = ..., server_info: _Optional[_Union[ServerInfoResponse, _Mapping]] = ..., generate_registration_options: _Optional[_Union[GenerateOptionsResult, _Mapping]] = ..., generate_authentication_options: _Optional[_Union[GenerateOptionsResult, _Mapping]] = ..., error: _Optional[_Union[Error, _Mapping]] = ...) -> None: ...

class Error(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: ErrorCode
    message: str
    def __init__(self, code: _Optional[_Union[ErrorCode, str]] = ..., message: _Optional[str] = ...) -> None: ...

class RelyingPartyPolicy(_message.Message):
    __slots__ = ("relying_party", "rp_id", "origins", "android_apk_cert_sha256", "require_user_verification", "registration_user_presence_optional", "allowed_algorithms", "allow_cross_origin", "top_origins", "sign_count_policy", "backup_eligibility_policy", "backup_state_policy", "minimum_rsa_bits", "trust_anchors_der", "verify_at_unix", "attestation_mode", "allowed_aaguids", "android_key_allow_software", "safetynet_max_skew_ms", "compromised_authenticator_policy", "attestation_allow_rs1", "options", "app_id")
    RELYING_PARTY_FIELD_NUMBER: _ClassVar[int]
    RP_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGINS_FIELD_NUMBER: _ClassVar[int]
    ANDROID_APK_CERT_SHA256_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_USER_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_USER_PRESENCE_OPTIONAL_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ALGORITHMS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_CROSS_ORIGIN_FIELD_NUMBER: _ClassVar[int]
    TOP_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    SIGN_COUNT_POLICY_FIELD_NUMBER: _ClassVar[int]
    BACKUP_ELIGIBILITY_POLICY_FIELD_NUMBER: _ClassVar[int]
    BACKUP_STATE_POLICY_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_RSA_BITS_FIELD_NUMBER: _ClassVar[int]
    TRUST_ANCHORS_DER_FIELD_NUMBER: _ClassVar[int]
    VERIFY_AT_UNIX_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_MODE_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_AAGUIDS_FIELD_NUMBER: _ClassVar[int]
    ANDROID_KEY_ALLOW_SOFTWARE_FIELD_NUMBER: _ClassVar[int]
    SAFETYNET_MAX_SKEW_MS_FIELD_NUMBER: _ClassVar[int]
    COMPROMISED_AUTHENTICATOR_POLICY_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_ALLOW_RS1_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    relying_party: str
    rp_id: str
    origins: _containers.RepeatedScalarFieldContainer[str]
    android_apk_cert_sha256: _containers.RepeatedScalarFieldContainer[str]
    require_user_verification: bool
    registration_user_presence_optional: bool
    allowed_algorithms: _containers.RepeatedScalarFieldContainer[int]
    allow_cross_origin: bool
    top_origins: _containers.RepeatedScalarFieldContainer[str]
    sign_count_policy: SignalAction
    backup_eligibility_policy: SignalAction
    backup_state_policy: SignalAction
    minimum_rsa_bits: int
    trust_anchors_der: _containers.RepeatedScalarFieldContainer[bytes]
    verify_at_unix: int
    attestation_mode: AttestationMode
    allowed_aaguids: _containers.RepeatedScalarFieldContainer[bytes]
    android_key_allow_software: bool
    safetynet_max_skew_ms: int
    compromised_authenticator_policy: SignalAction
    attestation_allow_rs1: bool
    options: OptionsPolicy
    app_id: str
    def __init__(self, relying_party: _Optional[str] = ..., rp_id: _Optional[str] = ..., origins: _Optional[_Iterable[str]] = ..., android_apk_cert_sha256: _Optional[_Iterable[str]] = ..., require_user_verification: _Optional[bool] = ..., registration_user_presence_optional: _Optional[bool] = ..., allowed_algorithms: _Optional[_Iterable[int]] = ..., allow_cross_origin: _Optional[bool] = ..., top_origins: _Optional[_Iterable[str]] = ..., sign_count_policy: _Optional[_Union[SignalAction, str]] = ..., backup_eligibility_policy: _Optional[_Union[SignalAction, str]] = ..., backup_state_policy: _Optional[_Union[SignalAction, str]] = ..., minimum_rsa_bits: _Optional[int] = ..., trust_anchors_der: _Optional[_Iterable[bytes]] = ..., verify_at_unix: _Optional[int] = ..., attestation_mode: _Optional[_Union[AttestationMode, str]] = ..., allowed_aaguids: _Optional[_Iterable[bytes]] = ..., android_key_allow_software: _Optional[bool] = ..., safetynet_max_skew_ms: _Optional[int] = ..., compromised_authenticator_policy: _Optional[_Union[SignalAction, str]] = ..., attestation_allow_rs1: _Optional[bool] = ..., options: _Optional[_Union[OptionsPolicy, _Mapping]] = ..., app_id: _Optional[str] = ...) -> None: ...

class OptionsPolicy(_message.Message):
    __slots__ = ("rp_name", "timeout_ms", "challenge_grace_ms", "resident_key", "user_verification", "authenticator_attachment", "attestation", "attestation_formats", "hints", "algorithms", "omit_cred_props")
    RP_NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_GRACE_MS_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_KEY_FIELD_NUMBER: _ClassVar[int]
    USER_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATOR_ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_FORMATS_FIELD_NUMBER: _ClassVar[int]
    HINTS_FIELD_NUMBER: _ClassVar[int]
    ALGORITHMS_FIELD_NUMBER: _ClassVar[int]
    OMIT_CRED_PROPS_FIELD_NUMBER: _ClassVar[int]
    rp_name: str
    timeout_ms: int
    challenge_grace_ms: int
    resident_key: str
    user_verification: str
    authenticator_attachment: str
    attestation: str
    attestation_formats: _containers.RepeatedScalarFieldContainer[str]
    hints: _containers.RepeatedScalarFieldContainer[str]
    algorithms: _containers.RepeatedScalarFieldContainer[int]
    omit_cred_props: bool
    def __init__(self, rp_name: _Optional[str] = ..., timeout_ms: _Optional[int] = ..., challenge_grace_ms: _Optional[int] = ..., resident_key: _Optional[str] = ..., user_verification: _Optional[str] = ..., authenticator_attachment: _Optional[str] = ..., attestation: _Optional[str] = ..., attestation_formats: _Optional[_Iterable[str]] = ..., hints: _Optional[_Iterable[str]] = ..., algorithms: _Optional[_Iterable[int]] = ..., omit_cred_props: _Optional[bool] = ...) -> None: ...

class AssertionFields(_message.Message):
    __slots__ = ("credential_id", "authenticator_data", "client_data_json", "signature", "user_handle")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATOR_DATA_FIELD_NUMBER: _ClassVar[int]
    CLIENT_DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    USER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    credential_id: bytes
    authenticator_data: bytes
    client_data_json: bytes
    signature: bytes
    user_handle: bytes
    def __init__(self, credential_id: _Optional[bytes] = ..., authenticator_data: _Optional[bytes] = ..., client_data_json: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., user_handle: _Optional[bytes] = ...) -> None: ...

class AttestationFields(_message.Message):
    __slots__ = ("credential_id", "client_data_json", "attestation_object", "transports")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_OBJECT_FIELD_NUMBER: _ClassVar[int]
    TRANSPORTS_FIELD_NUMBER: _ClassVar[int]
    credential_id: bytes
    client_data_json: bytes
    attestation_object: bytes
    transports: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, credential_id: _Optional[bytes] = ..., client_data_json: _Optional[bytes] = ..., attestation_object: _Optional[bytes] = ..., transports: _Optional[_Iterable[str]] = ...) -> None: ...

class IssuedChallenge(_message.Message):
    __slots__ = ("context",)
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    context: bytes
    def __init__(self, context: _Optional[bytes] = ...) -> None: ...

class VerifyAuthenticationRequest(_message.Message):
    __slots__ = ("policy", "issued_challenge", "challenge", "credential_public_key", "stored_sign_count", "stored_backup_eligible", "stored_credential_id", "fields", "response_json", "stored_aaguid", "stored_user_handle", "usernameless", "appid_used")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    ISSUED_CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    STORED_SIGN_COUNT_FIELD_NUMBER: _ClassVar[int]
    STORED_BACKUP_ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    STORED_CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_JSON_FIELD_NUMBER: _ClassVar[int]
    STORED_AAGUID_FIELD_NUMBER: _ClassVar[int]
    STORED_USER_HANDLE_FIELD_NUMBER: _ClassVar[int]
    USERNAMELESS_FIELD_NUMBER: _ClassVar[int]
    APPID_USED_FIELD_NUMBER: _ClassVar[int]
    policy: RelyingPartyPolicy
    issued_challenge: IssuedChallenge
    challenge: bytes
    credential_public_key: bytes
    stored_sign_count: int
    stored_backup_eligible: BackupEligibility
    stored_credential_id: bytes
    fields: AssertionFields
    response_json: str
    stored_aaguid: bytes
    stored_user_handle: bytes
    usernameless: bool
    appid_used: bool
    def __init__(self, policy: _Optional[_Union[RelyingPartyPolicy, _Mapping]] = ..., issued_challenge: _Optional[_Union[IssuedChallenge, _Mapping]] = ..., challenge: _Optional[bytes] = ..., credential_public_key: _Optional[bytes] = ..., stored_sign_count: _Optional[int] = ..., stored_backup_eligible: _Optional[_Union[BackupEligibility, str]] = ..., stored_credential_id: _Optional[bytes] = ..., fields: _Optional[_Union[AssertionFields, _Mapping]] = ..., response_json: _Optional[str] = ..., stored_aaguid: _Optional[bytes] = ..., stored_user_handle: _Optional[bytes] = ..., usernameless: _Optional[bool] = ..., appid_used: _Optional[bool] = ...) -> None: ...

class RiskSignal(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: ErrorCode
    message: str
    def __init__(self, code: _Optional[_Union[ErrorCode, str]] = ..., message: _Optional[str] = ...) -> None: ...

class VerifyAuthenticationResult(_message.Message):
    __slots__ = ("error_code", "error_message", "sign_count", "algorithm", "user_present", "user_verified", "backup_eligible", "backed_up", "extension_outputs_cbor", "risk_signals", "stored_sign_count", "extension_results")
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SIGN_COUNT_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    USER_PRESENT_FIELD_NUMBER: _ClassVar[int]
    USER_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    BACKUP_ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    BACKED_UP_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_OUTPUTS_CBOR_FIELD_NUMBER: _ClassVar[int]
    RISK_SIGNALS_FIELD_NUMBER: _ClassVar[int]
    STORED_SIGN_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_RESULTS_FIELD_NUMBER: _ClassVar[int]
    error_code: ErrorCode
    error_message: str
    sign_count: int
    algorithm: int
    user_present: bool
    user_verified: bool
    backup_eligible: bool
    backed_up: bool
    extension_outputs_cbor: bytes
    risk_signals: _containers.RepeatedCompositeFieldContainer[RiskSignal]
    stored_sign_count: int
    extension_results: ExtensionResults
    def __init__(self, error_code: _Optional[_Union[ErrorCode, str]] = ..., error_message: _Optional[str] = ..., sign_count: _Optional[int] = ..., algorithm: _Optional[int] = ..., user_present: _Optional[bool] = ..., user_verified: _Optional[bool] = ..., backup_eligible: _Optional[bool] = ..., backed_up: _Optional[bool] = ..., extension_outputs_cbor: _Optional[bytes] = ..., risk_signals: _Optional[_Iterable[_Union[RiskSignal, _Mapping]]] = ..., stored_sign_count: _Optional[int] = ..., extension_results: _Optional[_Union[ExtensionResults, _Mapping]] = ...) -> None: ...

class ExtensionResults(_message.Message):
    __slots__ = ("cred_props_rk", "cred_protect", "large_blob_supported", "large_blob_written", "prf_enabled", "appid_used")
    CRED_PROPS_RK_FIELD_NUMBER: _ClassVar[int]
    CRED_PROTECT_FIELD_NUMBER: _ClassVar[int]
    LARGE_BLOB_SUPPORTED_FIELD_NUMBER: _ClassVar[int]
    LARGE_BLOB_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    PRF_ENABLED_FIELD_NUMBER: _ClassVar[int]
    APPID_USED_FIELD_NUMBER: _ClassVar[int]
    cred_props_rk: ExtensionFlag
    cred_protect: int
    large_blob_supported: ExtensionFlag
    large_blob_written: ExtensionFlag
    prf_enabled: ExtensionFlag
    appid_used: bool
    def __init__(self, cred_props_rk: _Optional[_Union[ExtensionFlag, str]] = ..., cred_protect: _Optional[int] = ..., large_blob_supported: _Optional[_Union[ExtensionFlag, str]] = ..., large_blob_written: _Optional[_Union[ExtensionFlag, str]] = ..., prf_enabled: _Optional[_Union[ExtensionFlag, str]] = ..., appid_used: _Optional[bool] = ...) -> None: ...

class VerifyAuthenticationBatchRequest(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[VerifyAuthenticationRequest]
    def __init__(self, items: _Optional[_Iterable[_Union[VerifyAuthenticationRequest, _Mapping]]] = ...) -> None: ...

class VerifyAuthenticationBatchResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[VerifyAuthenticationResult]
    def __init__(self, results: _Optional[_Iterable[_Union[VerifyAuthenticationResult, _Mapping]]] = ...) -> None: ...

class VerifyRegistrationRequest(_message.Message):
    __slots__ = ("policy", "issued_challenge", "challenge", "fields", "response_json")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    ISSUED_CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_JSON_FIELD_NUMBER: _ClassVar[int]
    policy: RelyingPartyPolicy
    issued_challenge: IssuedChallenge
    challenge: bytes
    fields: AttestationFields
    response_json: str
    def __init__(self, policy: _Optional[_Union[RelyingPartyPolicy, _Mapping]] = ..., issued_challenge: _Optional[_Union[IssuedChallenge, _Mapping]] = ..., challenge: _Optional[bytes] = ..., fields: _Optional[_Union[AttestationFields, _Mapping]] = ..., response_json: _Optional[str] = ...) -> None: ...

class VerifyRegistrationResult(_message.Message):
    __slots__ = ("error_code", "error_message", "credential_id", "credential_public_key", "algorithm", "sign_count", "aaguid", "format", "attestation_type", "attestation_trusted", "user_present", "user_verified", "backup_eligible", "backed_up", "transports", "extension_outputs_cbor", "risk_signals", "attestation_certificates", "attestation_trust_source", "authenticator_description", "certification_level", "metadata_status", "attestation_details", "extension_results")
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    SIGN_COUNT_FIELD_NUMBER: _ClassVar[int]
    AAGUID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_TRUSTED_FIELD_NUMBER: _ClassVar[int]
    USER_PRESENT_FIELD_NUMBER: _ClassVar[int]
    USER_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    BACKUP_ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    BACKED_UP_FIELD_NUMBER: _ClassVar[int]
    TRANSPORTS_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_OUTPUTS_CBOR_FIELD_NUMBER: _ClassVar[int]
    RISK_SIGNALS_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_TRUST_SOURCE_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATOR_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    METADATA_STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_DETAILS_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_RESULTS_FIELD_NUMBER: _ClassVar[int]
    error_code: ErrorCode
    error_message: str
    credential_id: bytes
    credential_public_key: bytes
    algorithm: int
    sign_count: int
    aaguid: bytes
    format: str
    attestation_type: str
    attestation_trusted: bool
    user_present: bool
    user_verified: bool
    backup_eligible: bool
    backed_up: bool
    transports: _containers.RepeatedScalarFieldContainer[str]
    extension_outputs_cbor: bytes
    risk_signals: _containers.RepeatedCompositeFieldContainer[RiskSignal]
    attestation_certificates: _containers.RepeatedScalarFieldContainer[bytes]
    attestation_trust_source: str
    authenticator_description: str
    certification_level: str
    metadata_status: str
    attestation_details: _containers.RepeatedCompositeFieldContainer[AttestationDetail]
    extension_results: ExtensionResults
    def __init__(self, error_code: _Optional[_Union[ErrorCode, str]] = ..., error_message: _Optional[str] = ..., credential_id: _Optional[bytes] = ..., credential_public_key: _Optional[bytes] = ..., algorithm: _Optional[int] = ..., sign_count: _Optional[int] = ..., aaguid: _Optional[bytes] = ..., format: _Optional[str] = ..., attestation_type: _Optional[str] = ..., attestation_trusted: _Optional[bool] = ..., user_present: _Optional[bool] = ..., user_verified: _Optional[bool] = ..., backup_eligible: _Optional[bool] = ..., backed_up: _Optional[bool] = ..., transports: _Optional[_Iterable[str]] = ..., extension_outputs_cbor: _Optional[bytes] = ..., risk_signals: _Optional[_Iterable[_Union[RiskSignal, _Mapping]]] = ..., attestation_certificates: _Optional[_Iterable[bytes]] = ..., attestation_trust_source: _Optional[str] = ..., authenticator_description: _Optional[str] = ..., certification_level: _Optional[str] = ..., metadata_status: _Optional[str] = ..., attestation_details: _Optional[_Iterable[_Union[AttestationDetail, _Mapping]]] = ..., extension_results: _Optional[_Union[ExtensionResults, _Mapping]] = ...) -> None: ...

class AttestationDetail(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class VerifyRegistrationBatchRequest(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[VerifyRegistrationRequest]
    def __init__(self, items: _Optional[_Iterable[_Union[VerifyRegistrationRequest, _Mapping]]] = ...) -> None: ...

class VerifyRegistrationBatchResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[VerifyRegistrationResult]
    def __init__(self, results: _Optional[_Iterable[_Union[VerifyRegistrationResult, _Mapping]]] = ...) -> None: ...

class HealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthResponse(_message.Message):
    __slots__ = ("status", "in_flight", "connections", "challenge_store", "challenge_store_message")
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        SERVING: _ClassVar[HealthResponse.Status]
        DRAINING: _ClassVar[HealthResponse.Status]
    SERVING: HealthResponse.Status
    DRAINING: HealthResponse.Status
    class ChallengeStore(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        CHALLENGE_STORE_MEMORY: _ClassVar[HealthResponse.ChallengeStore]
        CHALLENGE_STORE_CONNECTED: _ClassVar[HealthResponse.ChallengeStore]
        CHALLENGE_STORE_UNREACHABLE: _ClassVar[HealthResponse.ChallengeStore]
    CHALLENGE_STORE_MEMORY: HealthResponse.ChallengeStore
    CHALLENGE_STORE_CONNECTED: HealthResponse.ChallengeStore
    CHALLENGE_STORE_UNREACHABLE: HealthResponse.ChallengeStore
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_STORE_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_STORE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    status: HealthResponse.Status
    in_flight: int
    connections: int
    challenge_store: HealthResponse.ChallengeStore
    challenge_store_message: str
    def __init__(self, status: _Optional[_Union[HealthResponse.Status, str]] = ..., in_flight: _Optional[int] = ..., connections: _Optional[int] = ..., challenge_store: _Optional[_Union[HealthResponse.ChallengeStore, str]] = ..., challenge_store_message: _Optional[str] = ...) -> None: ...

class ServerInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServerInfoResponse(_message.Message):
    __slots__ = ("version", "algorithms", "attestation_formats", "max_frame_bytes", "max_in_flight_per_connection", "max_in_flight", "max_connections", "max_batch_items", "idle_timeout_ms", "default_deadline_ms", "relying_parties", "metadata_loaded", "metadata_number", "metadata_next_update", "metadata_stale", "metadata_entries", "challenge_store", "challenge_minting_key", "challenge_keys_ephemeral", "challenge_keys", "challenge_lifetime_ms")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ALGORITHMS_FIELD_NUMBER: _ClassVar[int]
    ATTESTATION_FORMATS_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_IN_FLIGHT_PER_CONNECTION_FIELD_NUMBER: _ClassVar[int]
    MAX_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    MAX_CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_ITEMS_FIELD_NUMBER: _ClassVar[int]
    IDLE_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_DEADLINE_MS_FIELD_NUMBER: _ClassVar[int]
    RELYING_PARTIES_FIELD_NUMBER: _ClassVar[int]
    METADATA_LOADED_FIELD_NUMBER: _ClassVar[int]
    METADATA_NUMBER_FIELD_NUMBER: _ClassVar[int]
    METADATA_NEXT_UPDATE_FIELD_NUMBER: _ClassVar[int]
    METADATA_STALE_FIELD_NUMBER: _ClassVar[int]
    METADATA_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_STORE_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_MINTING_KEY_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_KEYS_EPHEMERAL_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_KEYS_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_LIFETIME_MS_FIELD_NUMBER: _ClassVar[int]
    version: str
    algorithms: _containers.RepeatedScalarFieldContainer[int]
    attestation_formats: _containers.RepeatedScalarFieldContainer[str]
    max_frame_bytes: int
    max_in_flight_per_connection: int
    max_in_flight: int
    max_connections: int
    max_batch_items: int
    idle_timeout_ms: int
    default_deadline_ms: int
    relying_parties: _containers.RepeatedScalarFieldContainer[str]
    metadata_loaded: bool
    metadata_number: int
    metadata_next_update: str
    metadata_stale: bool
    metadata_entries: int
    challenge_store: str
    challenge_minting_key: str
    challenge_keys_ephemeral: bool
    challenge_keys: _containers.RepeatedScalarFieldContainer[str]
    challenge_lifetime_ms: int
    def __init__(self, version: _Optional[str] = ..., algorithms: _Optional[_Iterable[int]] = ..., attestation_formats: _Optional[_Iterable[str]] = ..., max_frame_bytes: _Optional[int] = ..., max_in_flight_per_connection: _Optional[int] = ..., max_in_flight: _Optional[int] = ..., max_connections: _Optional[int] = ..., max_batch_items: _Optional[int] = ..., idle_timeout_ms: _Optional[int] = ..., default_deadline_ms: _Optional[int] = ..., relying_parties: _Optional[_Iterable[str]] = ..., metadata_loaded: _Optional[bool] = ..., metadata_number: _Optional[int] = ..., metadata_next_update: _Optional[str] = ..., metadata_stale: _Optional[bool] = ..., metadata_entries: _Optional[int] = ..., challenge_store: _Optional[str] = ..., challenge_minting_key: _Optional[str] = ..., challenge_keys_ephemeral: _Optional[bool] = ..., challenge_keys: _Optional[_Iterable[str]] = ..., challenge_lifetime_ms: _Optional[int] = ...) -> None: ...

class PublicKeyCredentialUser(_message.Message):
    __slots__ = ("id", "name", "display_name")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    id: bytes
    name: str
    display_name: str
    def __init__(self, id: _Optional[bytes] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class CredentialDescriptor(_message.Message):
    __slots__ = ("id", "transports")
    ID_FIELD_NUMBER: _ClassVar[int]
    TRANSPORTS_FIELD_NUMBER: _ClassVar[int]
    id: bytes
    transports: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[bytes] = ..., transports: _Optional[_Iterable[str]] = ...) -> None: ...

class PRFValues(_message.Message):
    __slots__ = ("first", "second")
    FIRST_FIELD_NUMBER: _ClassVar[int]
    SECOND_FIELD_NUMBER: _ClassVar[int]
    first: bytes
    second: bytes
    def __init__(self, first: _Optional[bytes] = ..., second: _Optional[bytes] = ...) -> None: ...

class PRFCredentialValues(_message.Message):
    __slots__ = ("credential_id", "values")
    CREDENTIAL_ID_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    credential_id: bytes
    values: PRFValues
    def __init__(self, credential_id: _Optional[bytes] = ..., values: _Optional[_Union[PRFValues, _Mapping]] = ...) -> None: ...

class PRFInputs(_message.Message):
    __slots__ = ("eval", "eval_by_credential")
    EVAL_FIELD_NUMBER: _ClassVar[int]
    EVAL_BY_CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    eval: PRFValues
    eval_by_credential: _containers.RepeatedCompositeFieldContainer[PRFCredentialValues]
    def __init__(self, eval: _Optional[_Union[PRFValues, _Mapping]] = ..., eval_by_credential: _Optional[_Iterable[_Union[PRFCredentialValues, _Mapping]]] = ...) -> None: ...

class LargeBlobInputs(_message.Message):
    __slots__ = ("support", "read", "write")
    SUPPORT_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    WRITE_FIELD_NUMBER: _ClassVar[int]
    support: str
    read: bool
    write: bytes
    def __init__(self, support: _Optional[str] = ..., read: _Optional[bool] = ..., write: _Optional[bytes] = ...) -> None: ...

class CredProtectInputs(_message.Message):
    __slots__ = ("credential_protection_policy", "enforce_credential_protection_policy")
    CREDENTIAL_PROTECTION_POLICY_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_CREDENTIAL_PROTECTION_POLICY_FIELD_NUMBER: _ClassVar[int]
    credential_protection_policy: str
    enforce_credential_protection_policy: bool
    def __init__(self, credential_protection_policy: _Optional[str] = ..., enforce_credential_protection_policy: _Optional[bool] = ...) -> None: ...

class ExtensionInputs(_message.Message):
    __slots__ = ("prf", "large_blob", "cred_protect")
    PRF_FIELD_NUMBER: _ClassVar[int]
    LARGE_BLOB_FIELD_NUMBER: _ClassVar[int]
    CRED_PROTECT_FIELD_NUMBER: _ClassVar[int]
    prf: PRFInputs
    large_blob: LargeBlobInputs
    cred_protect: CredProtectInputs
    def __init__(self, prf: _Optional[_Union[PRFInputs, _Mapping]] = ..., large_blob: _Optional[_Union[LargeBlobInputs, _Mapping]] = ..., cred_protect: _Optional[_Union[CredProtectInputs, _Mapping]] = ...) -> None: ...

class GenerateRegistrationOptionsRequest(_message.Message):
    __slots__ = ("policy", "user", "exclude_credentials", "context", "extensions", "resident_key", "user_verification", "authenticator_attachment", "hints")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    RESIDENT_KEY_FIELD_NUMBER: _ClassVar[int]
    USER_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATOR_ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    HINTS_FIELD_NUMBER: _ClassVar[int]
    policy: RelyingPartyPolicy
    user: PublicKeyCredentialUser
    exclude_credentials: _containers.RepeatedCompositeFieldContainer[CredentialDescriptor]
    context: bytes
    extensions: ExtensionInputs
    resident_key: str
    user_verification: str
    authenticator_attachment: str
    hints: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, policy: _Optional[_Union[RelyingPartyPolicy, _Mapping]] = ..., user: _Optional[_Union[PublicKeyCredentialUser, _Mapping]] = ..., exclude_credentials: _Optional[_Iterable[_Union[CredentialDescriptor, _Mapping]]] = ..., context: _Optional[bytes] = ..., extensions: _Optional[_Union[ExtensionInputs, _Mapping]] = ..., resident_key: _Optional[str] = ..., user_verification: _Optional[str] = ..., authenticator_attachment: _Optional[str] = ..., hints: _Optional[_Iterable[str]] = ...) -> None: ...

class GenerateAuthenticationOptionsRequest(_message.Message):
    __slots__ = ("policy", "allow_credentials", "context", "extensions", "user_verification", "hints")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    ALLOW_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    USER_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    HINTS_FIELD_NUMBER: _ClassVar[int]
    policy: RelyingPartyPolicy
    allow_credentials: _containers.RepeatedCompositeFieldContainer[CredentialDescriptor]
    context: bytes
    extensions: ExtensionInputs
    user_verification: str
    hints: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, policy: _Optional[_Union[RelyingPartyPolicy, _Mapping]] = ..., allow_credentials: _Optional[_Iterable[_Union[CredentialDescriptor, _Mapping]]] = ..., context: _Optional[bytes] = ..., extensions: _Optional[_Union[ExtensionInputs, _Mapping]] = ..., user_verification: _Optional[str] = ..., hints: _Optional[_Iterable[str]] = ...) -> None: ...

class GenerateOptionsResult(_message.Message):
    __slots__ = ("error_code", "error_message", "options_json", "challenge", "expires_at_unix_ms", "timeout_ms")
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_JSON_FIELD_NUMBER: _ClassVar[int]
    CHALLENGE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    error_code: ErrorCode
    error_message: str
    options_json: str
    challenge: bytes
    expires_at_unix_ms: int
    timeout_ms: int
    def __init__(self, error_code: _Optional[_Union[ErrorCode, str]] = ..., error_message: _Optional[str] = ..., options_json: _Optional[str] = ..., challenge: _Optional[bytes] = ..., expires_at_unix_ms: _Optional[int] = ..., timeout_ms: _Optional[int] = ...) -> None: ...
