"""Typed results: what the client's calls return, as frozen dataclasses of plain Python values.

Every verdict has ``ok``, ``error`` (an :class:`ErrorCode`, ``None`` when ``ok``) and ``message``; the remaining
fields are the proto's, as ``bytes``, ``int``, ``bool``, ``str``, enums, ``uuid.UUID`` and ``datetime`` values.
``raw`` keeps the protobuf message it was made from (not compared, not shown in ``repr``).
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import types
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping, TypeVar

from . import passkeyd_pb2 as pb

__all__ = [
    "AttestationFormat",
    "AttestationType",
    "AuthenticationVerdict",
    "COSEAlgorithm",
    "ChallengeStoreState",
    "ErrorCode",
    "ExtensionResults",
    "Health",
    "HealthStatus",
    "MetadataInfo",
    "OptionsResult",
    "RegistrationVerdict",
    "RiskSignal",
    "ServerInfo",
    "TrustSource",
]


class _Named(str, enum.Enum):
    """A string enum whose ``str()`` is its value, the stable lowercase spelling."""

    def __str__(self) -> str:
        return str(self.value)


_N = TypeVar("_N", bound=_Named)


def _named(cls: type[_N], text: str, unrecognized: _N) -> _N | None:
    """``None`` for the empty string (not set), ``unrecognized`` for a spelling this client does not know."""
    if not text:
        return None
    try:
        return cls(text)
    except ValueError:
        return unrecognized


class ErrorCode(_Named):
    """Every code of the proto's ``ErrorCode`` but ``ERROR_CODE_NONE`` (which is ``error is None``).

    Members are named as in the proto (``ErrorCode.BAD_SIGNATURE``); the value is the stable lowercase spelling that
    ``passkeyd verify`` and ``passkeyctl`` print (``"bad_signature"``), so ``str(code)`` and JSON encoders give it.
    ``number`` is the wire value. ``UNRECOGNIZED`` stands for a number this client does not know (a newer server);
    the message and ``raw`` still tell what it was. docs/protocol.md says what each code means.
    """

    # Request-level (Response.error), and MALFORMED_REQUEST / UNKNOWN_RELYING_PARTY inside results.
    MALFORMED_FRAME = "malformed_frame"
    FRAME_TOO_LARGE = "frame_too_large"
    MALFORMED_REQUEST = "malformed_request"
    UNKNOWN_METHOD = "unknown_method"
    OVERLOADED = "overloaded"
    DEADLINE_EXCEEDED = "deadline_exceeded"
    SHUTTING_DOWN = "shutting_down"
    UNKNOWN_RELYING_PARTY = "unknown_relying_party"
    BATCH_TOO_LARGE = "batch_too_large"
    INTERNAL_ERROR = "internal_error"
    RESOURCE_EXHAUSTED = "resource_exhausted"
    UNAVAILABLE = "unavailable"
    # Ceremonies.
    INVALID_BASE64URL = "invalid_base64url"
    MALFORMED_JSON = "malformed_json"
    MALFORMED_CLIENT_DATA = "malformed_client_data"
    MALFORMED_CBOR = "malformed_cbor"
    MALFORMED_AUTHENTICATOR_DATA = "malformed_authenticator_data"
    MALFORMED_ATTESTATION_OBJECT = "malformed_attestation_object"
    MALFORMED_PUBLIC_KEY = "malformed_public_key"
    MALFORMED_SIGNATURE = "malformed_signature"
    FIELD_TOO_LARGE = "field_too_large"
    CLIENT_DATA_TYPE_MISMATCH = "client_data_type_mismatch"
    CHALLENGE_MISMATCH = "challenge_mismatch"
    ORIGIN_MISMATCH = "origin_mismatch"
    CROSS_ORIGIN_NOT_ALLOWED = "cross_origin_not_allowed"
    TOP_ORIGIN_MISMATCH = "top_origin_mismatch"
    CHALLENGE_FORGED = "challenge_forged"
    CHALLENGE_EXPIRED = "challenge_expired"
    CHALLENGE_REBOUND = "challenge_rebound"
    CHALLENGE_WRONG_CEREMONY = "challenge_wrong_ceremony"
    CHALLENGE_REUSED = "challenge_reused"
    RP_ID_MISMATCH = "rp_id_mismatch"
    USER_PRESENCE_REQUIRED = "user_presence_required"
    USER_VERIFICATION_REQUIRED = "user_verification_required"
    BACKUP_STATE_WITHOUT_ELIGIBILITY = "backup_state_without_eligibility"
    BACKUP_ELIGIBILITY_CHANGED = "backup_eligibility_changed"
    UNEXPECTED_ATTESTED_CREDENTIAL_DATA = "unexpected_attested_credential_data"
    MISSING_ATTESTED_CREDENTIAL_DATA = "missing_attested_credential_data"
    EXTENSION_DATA_MISMATCH = "extension_data_mismatch"
    CREDENTIAL_ID_TOO_LONG = "credential_id_too_long"
    CREDENTIAL_ID_MISMATCH = "credential_id_mismatch"
    CREDENTIAL_NOT_ALLOWED = "credential_not_allowed"
    CREDENTIAL_ID_EMPTY = "credential_id_empty"
    USER_HANDLE_MISMATCH = "user_handle_mismatch"
    USER_HANDLE_MISSING = "user_handle_missing"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    ALGORITHM_NOT_ALLOWED = "algorithm_not_allowed"
    ALGORITHM_MISMATCH = "algorithm_mismatch"
    INVALID_PUBLIC_KEY = "invalid_public_key"
    BAD_SIGNATURE = "bad_signature"
    SIGN_COUNT_REGRESSION = "sign_count_regression"
    UNSUPPORTED_ATTESTATION_FORMAT = "unsupported_attestation_format"
    INVALID_ATTESTATION_STATEMENT = "invalid_attestation_statement"
    INVALID_ATTESTATION_CERTIFICATE = "invalid_attestation_certificate"
    AAGUID_MISMATCH = "aaguid_mismatch"
    UNTRUSTED_ATTESTATION = "untrusted_attestation"
    ECDAA_NOT_SUPPORTED = "ecdaa_not_supported"
    ATTESTATION_KEY_MISMATCH = "attestation_key_mismatch"
    AAGUID_NOT_ALLOWED = "aaguid_not_allowed"
    AUTHENTICATOR_STATUS_REJECTED = "authenticator_status_rejected"
    AUTHENTICATOR_COMPROMISED = "authenticator_compromised"
    TPM_STRUCTURE_INVALID = "tpm_structure_invalid"
    TPM_EXTRA_DATA_MISMATCH = "tpm_extra_data_mismatch"
    TPM_NAME_MISMATCH = "tpm_name_mismatch"
    TPM_VENDOR_UNKNOWN = "tpm_vendor_unknown"
    TPM_CERTIFICATE_INVALID = "tpm_certificate_invalid"
    ANDROID_KEY_DESCRIPTION_INVALID = "android_key_description_invalid"
    ANDROID_KEY_CHALLENGE_MISMATCH = "android_key_challenge_mismatch"
    ANDROID_KEY_ALL_APPLICATIONS = "android_key_all_applications"
    ANDROID_KEY_NOT_GENERATED = "android_key_not_generated"
    ANDROID_KEY_PURPOSE_NOT_SIGN = "android_key_purpose_not_sign"
    ANDROID_KEY_NOT_HARDWARE = "android_key_not_hardware"
    SAFETYNET_JWS_INVALID = "safetynet_jws_invalid"
    SAFETYNET_NONCE_MISMATCH = "safetynet_nonce_mismatch"
    SAFETYNET_HOSTNAME_MISMATCH = "safetynet_hostname_mismatch"
    SAFETYNET_CTS_PROFILE_MISMATCH = "safetynet_cts_profile_mismatch"
    SAFETYNET_TIMESTAMP_INVALID = "safetynet_timestamp_invalid"
    APPLE_NONCE_MISMATCH = "apple_nonce_mismatch"
    # Not in the proto: a number this client does not know.
    UNRECOGNIZED = "unrecognized"

    @property
    def number(self) -> int:
        """The wire value (``-1`` for ``UNRECOGNIZED``)."""
        return _ERROR_NUMBERS.get(self, -1)

    @property
    def retryable(self) -> bool:
        """True for request-level refusals where nothing was run or decided, so sending the same request again
        (after a backoff, or to another replica) is right: ``OVERLOADED``, ``DEADLINE_EXCEEDED``, ``SHUTTING_DOWN``,
        ``UNAVAILABLE``. Ceremony verdicts never are: the same input gets the same verdict."""
        return self in _RETRYABLE

    @classmethod
    def from_number(cls, number: int) -> ErrorCode | None:
        """``None`` for ``ERROR_CODE_NONE`` (0), ``UNRECOGNIZED`` for a number this client does not know."""
        if number == pb.ERROR_CODE_NONE:
            return None
        return _ERROR_BY_NUMBER.get(number, cls.UNRECOGNIZED)

    @classmethod
    def parse(cls, name: str) -> ErrorCode:
        """From either spelling: ``"bad_signature"`` or the proto's ``"BAD_SIGNATURE"``."""
        return cls(name.lower())


_ERROR_NUMBERS: dict[ErrorCode, int] = {
    code: pb.ErrorCode.Value(code.name) for code in ErrorCode if code is not ErrorCode.UNRECOGNIZED
}
_ERROR_BY_NUMBER: dict[int, ErrorCode] = {n: code for code, n in _ERROR_NUMBERS.items()}
_RETRYABLE = frozenset(
    {ErrorCode.OVERLOADED, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.SHUTTING_DOWN, ErrorCode.UNAVAILABLE}
)


class COSEAlgorithm(enum.IntEnum):
    """COSE algorithm identifiers passkeyd verifies. Verdicts' ``algorithm`` is one of these when known (an ``int``
    either way)."""

    ES256 = -7
    ES384 = -35
    ES512 = -36
    ES256K = -47
    ESP256 = -9
    ESP384 = -51
    ESP512 = -52
    EDDSA = -8
    ED25519 = -19
    ED448 = -53
    PS256 = -37
    PS384 = -38
    PS512 = -39
    RS256 = -257
    RS384 = -258
    RS512 = -259
    RS1 = -65535
    ML_DSA_65 = -49
    ML_DSA_87 = -50


def _algorithm(number: int) -> int:
    try:
        return COSEAlgorithm(number)
    except ValueError:
        return int(number)


class AttestationFormat(_Named):
    """A registration's attestation statement format (WebAuthn L3 §8)."""

    NONE = "none"
    PACKED = "packed"
    TPM = "tpm"
    ANDROID_KEY = "android-key"
    ANDROID_SAFETYNET = "android-safetynet"
    APPLE = "apple"
    FIDO_U2F = "fido-u2f"
    COMPOUND = "compound"
    UNRECOGNIZED = "unrecognized"


class AttestationType(_Named):
    """What the attestation proved (§6.5.4)."""

    NONE = "none"
    SELF = "self"
    BASIC = "basic"
    ATTCA = "attca"
    ANONCA = "anonca"
    UNRECOGNIZED = "unrecognized"


class TrustSource(_Named):
    """Where a trusted attestation's trust came from: the policy's own anchors, the format's vendor root (e.g.
    Apple's) or a FIDO metadata entry."""

    ANCHORS = "anchors"
    VENDOR = "vendor"
    METADATA = "metadata"
    UNRECOGNIZED = "unrecognized"


class HealthStatus(_Named):
    SERVING = "serving"
    DRAINING = "draining"


class ChallengeStoreState(_Named):
    """Where issued challenges are recorded as used: ``MEMORY`` (the embedded store, always available),
    ``CONNECTED`` (Redis, reachable from every event loop) or ``UNREACHABLE`` (requests with issued challenges that
    reach a disconnected loop are answered ``UNAVAILABLE`` until it reconnects by itself)."""

    MEMORY = "memory"
    CONNECTED = "connected"
    UNREACHABLE = "unreachable"


def _flag(value: int) -> bool | None:
    """``ExtensionFlag``: absent → ``None``."""
    if value == pb.EXTENSION_FLAG_TRUE:
        return True
    if value == pb.EXTENSION_FLAG_FALSE:
        return False
    return None


def _aaguid(value: bytes) -> uuid.UUID | None:
    return uuid.UUID(bytes=bytes(value)) if len(value) == 16 else None


def _utc_ms(ms: int) -> _dt.datetime | None:
    if ms <= 0:
        return None
    return _dt.datetime.fromtimestamp(ms / 1000, tz=_dt.timezone.utc)


def _date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class RiskSignal:
    """A check the policy chose to report instead of reject (``sign_count_policy="report"`` ...)."""

    code: ErrorCode
    message: str


def _signals(signals: Any) -> tuple[RiskSignal, ...]:
    return tuple(
        RiskSignal(ErrorCode.from_number(s.code) or ErrorCode.UNRECOGNIZED, str(s.message)) for s in signals
    )


@dataclass(frozen=True)
class ExtensionResults:
    """What the client and the authenticator reported about extensions; ``None``: not reported.

    Client results come from the response JSON's ``clientExtensionResults`` (raw ``fields`` carry none but
    ``appid_used``); ``cred_protect`` (1–3) from the authenticator data.
    """

    cred_props_rk: bool | None = None
    cred_protect: int | None = None
    large_blob_supported: bool | None = None
    large_blob_written: bool | None = None
    prf_enabled: bool | None = None
    appid_used: bool = False

    @classmethod
    def from_proto(cls, m: pb.ExtensionResults) -> ExtensionResults:
        return cls(
            cred_props_rk=_flag(m.cred_props_rk),
            cred_protect=int(m.cred_protect) or None,
            large_blob_supported=_flag(m.large_blob_supported),
            large_blob_written=_flag(m.large_blob_written),
            prf_enabled=_flag(m.prf_enabled),
            appid_used=bool(m.appid_used),
        )


@dataclass(frozen=True)
class AuthenticationVerdict:
    """The verdict on one assertion (WebAuthn L3 §7.2).

    On ``ok``: store ``sign_count`` with a compare-and-swap on ``stored_sign_count`` (the counter it was checked
    against), so that two racing logins cannot both move it.
    """

    ok: bool
    error: ErrorCode | None
    message: str
    sign_count: int
    stored_sign_count: int
    algorithm: int
    user_present: bool
    user_verified: bool
    backup_eligible: bool
    backed_up: bool
    risk_signals: tuple[RiskSignal, ...]
    extension_results: ExtensionResults
    extension_outputs_cbor: bytes
    raw: pb.VerifyAuthenticationResult = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, m: pb.VerifyAuthenticationResult) -> AuthenticationVerdict:
        error = ErrorCode.from_number(m.error_code)
        return cls(
            ok=error is None,
            error=error,
            message=str(m.error_message),
            sign_count=int(m.sign_count),
            stored_sign_count=int(m.stored_sign_count),
            algorithm=_algorithm(m.algorithm),
            user_present=bool(m.user_present),
            user_verified=bool(m.user_verified),
            backup_eligible=bool(m.backup_eligible),
            backed_up=bool(m.backed_up),
            risk_signals=_signals(m.risk_signals),
            extension_results=ExtensionResults.from_proto(m.extension_results),
            extension_outputs_cbor=bytes(m.extension_outputs_cbor),
            raw=m,
        )


@dataclass(frozen=True)
class RegistrationVerdict:
    """The verdict on one registration (§7.1).

    On ``ok``, store ``credential_id``, ``credential_public_key`` (COSE), ``sign_count``, ``backup_eligible``,
    ``transports`` and ``aaguid`` with the user. ``attestation_details`` holds format-specific facts (android-key
    security level, TPM manufacturer ...).
    """

    ok: bool
    error: ErrorCode | None
    message: str
    credential_id: bytes
    credential_public_key: bytes
    algorithm: int
    sign_count: int
    aaguid: uuid.UUID | None
    format: AttestationFormat | None
    attestation_type: AttestationType | None
    attestation_trusted: bool
    attestation_trust_source: TrustSource | None
    attestation_certificates: tuple[bytes, ...]
    attestation_details: Mapping[str, str]
    authenticator_description: str
    certification_level: str
    metadata_status: str
    user_present: bool
    user_verified: bool
    backup_eligible: bool
    backed_up: bool
    transports: tuple[str, ...]
    risk_signals: tuple[RiskSignal, ...]
    extension_results: ExtensionResults
    extension_outputs_cbor: bytes
    raw: pb.VerifyRegistrationResult = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, m: pb.VerifyRegistrationResult) -> RegistrationVerdict:
        error = ErrorCode.from_number(m.error_code)
        return cls(
            ok=error is None,
            error=error,
            message=str(m.error_message),
            credential_id=bytes(m.credential_id),
            credential_public_key=bytes(m.credential_public_key),
            algorithm=_algorithm(m.algorithm),
            sign_count=int(m.sign_count),
            aaguid=_aaguid(m.aaguid),
            format=_named(AttestationFormat, m.format, AttestationFormat.UNRECOGNIZED),
            attestation_type=_named(AttestationType, m.attestation_type, AttestationType.UNRECOGNIZED),
            attestation_trusted=bool(m.attestation_trusted),
            attestation_trust_source=_named(TrustSource, m.attestation_trust_source, TrustSource.UNRECOGNIZED),
            attestation_certificates=tuple(bytes(c) for c in m.attestation_certificates),
            attestation_details=types.MappingProxyType({str(d.name): str(d.value) for d in m.attestation_details}),
            authenticator_description=str(m.authenticator_description),
            certification_level=str(m.certification_level),
            metadata_status=str(m.metadata_status),
            user_present=bool(m.user_present),
            user_verified=bool(m.user_verified),
            backup_eligible=bool(m.backup_eligible),
            backed_up=bool(m.backed_up),
            transports=tuple(str(t) for t in m.transports),
            risk_signals=_signals(m.risk_signals),
            extension_results=ExtensionResults.from_proto(m.extension_results),
            extension_outputs_cbor=bytes(m.extension_outputs_cbor),
            raw=m,
        )


@dataclass(frozen=True)
class OptionsResult:
    """Generated options: ``options_json`` is the text the browser's ``PublicKeyCredential.parseCreationOptionsFromJSON()``
    / ``parseRequestOptionsFromJSON()`` take (``options`` parses it), ``challenge`` the bytes it carries, valid until
    ``expires_at`` (UTC)."""

    ok: bool
    error: ErrorCode | None
    message: str
    options_json: str
    challenge: bytes
    expires_at: _dt.datetime | None
    timeout_ms: int
    raw: pb.GenerateOptionsResult = field(repr=False, compare=False)

    @property
    def options(self) -> dict[str, Any]:
        """``options_json`` parsed (a new dict on every access)."""
        parsed: dict[str, Any] = json.loads(self.options_json)
        return parsed

    @classmethod
    def from_proto(cls, m: pb.GenerateOptionsResult) -> OptionsResult:
        error = ErrorCode.from_number(m.error_code)
        return cls(
            ok=error is None,
            error=error,
            message=str(m.error_message),
            options_json=str(m.options_json),
            challenge=bytes(m.challenge),
            expires_at=_utc_ms(m.expires_at_unix_ms),
            timeout_ms=int(m.timeout_ms),
            raw=m,
        )


_CHALLENGE_STORES = {
    pb.HealthResponse.CHALLENGE_STORE_MEMORY: ChallengeStoreState.MEMORY,
    pb.HealthResponse.CHALLENGE_STORE_CONNECTED: ChallengeStoreState.CONNECTED,
    pb.HealthResponse.CHALLENGE_STORE_UNREACHABLE: ChallengeStoreState.UNREACHABLE,
}


@dataclass(frozen=True)
class Health:
    """The server's health. ``serving`` is false while it drains (SIGTERM). A challenge-store state this client does
    not know (a newer server) reads as ``UNREACHABLE``: only the known-good states say the store can be used."""

    status: HealthStatus
    in_flight: int
    connections: int
    challenge_store: ChallengeStoreState
    challenge_store_message: str
    raw: pb.HealthResponse = field(repr=False, compare=False)

    @property
    def serving(self) -> bool:
        return self.status is HealthStatus.SERVING

    @classmethod
    def from_proto(cls, m: pb.HealthResponse) -> Health:
        return cls(
            status=HealthStatus.DRAINING if m.status == pb.HealthResponse.DRAINING else HealthStatus.SERVING,
            in_flight=int(m.in_flight),
            connections=int(m.connections),
            challenge_store=_CHALLENGE_STORES.get(m.challenge_store, ChallengeStoreState.UNREACHABLE),
            challenge_store_message=str(m.challenge_store_message),
            raw=m,
        )


@dataclass(frozen=True)
class MetadataInfo:
    """The FIDO metadata BLOB the server uses: its serial number, ``nextUpdate`` (``None`` if it is not a date),
    whether that has passed, and its entries."""

    number: int
    next_update: _dt.date | None
    stale: bool
    entries: int


@dataclass(frozen=True)
class ServerInfo:
    """What the server runs: version, algorithms (COSE numbers), attestation formats, limits (``*_ms`` in
    milliseconds), configured relying parties, the metadata BLOB (``None`` without one) and issued-challenge
    settings (key names only, never secrets)."""

    version: str
    algorithms: tuple[int, ...]
    attestation_formats: tuple[str, ...]
    max_frame_bytes: int
    max_in_flight_per_connection: int
    max_in_flight: int
    max_connections: int
    max_batch_items: int
    idle_timeout_ms: int
    default_deadline_ms: int
    relying_parties: tuple[str, ...]
    metadata: MetadataInfo | None
    challenge_store: str
    challenge_minting_key: str
    challenge_keys_ephemeral: bool
    challenge_keys: tuple[str, ...]
    challenge_lifetime_ms: int
    raw: pb.ServerInfoResponse = field(repr=False, compare=False)

    @classmethod
    def from_proto(cls, m: pb.ServerInfoResponse) -> ServerInfo:
        metadata = None
        if m.metadata_loaded:
            metadata = MetadataInfo(
                number=int(m.metadata_number),
                next_update=_date(m.metadata_next_update),
                stale=bool(m.metadata_stale),
                entries=int(m.metadata_entries),
            )
        return cls(
            version=str(m.version),
            algorithms=tuple(_algorithm(a) for a in m.algorithms),
            attestation_formats=tuple(str(f) for f in m.attestation_formats),
            max_frame_bytes=int(m.max_frame_bytes),
            max_in_flight_per_connection=int(m.max_in_flight_per_connection),
            max_in_flight=int(m.max_in_flight),
            max_connections=int(m.max_connections),
            max_batch_items=int(m.max_batch_items),
            idle_timeout_ms=int(m.idle_timeout_ms),
            default_deadline_ms=int(m.default_deadline_ms),
            relying_parties=tuple(str(r) for r in m.relying_parties),
            metadata=metadata,
            challenge_store=str(m.challenge_store),
            challenge_minting_key=str(m.challenge_minting_key),
            challenge_keys_ephemeral=bool(m.challenge_keys_ephemeral),
            challenge_keys=tuple(str(k) for k in m.challenge_keys),
            challenge_lifetime_ms=int(m.challenge_lifetime_ms),
            raw=m,
        )
