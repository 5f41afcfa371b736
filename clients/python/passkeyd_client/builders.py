"""Helpers that build the request messages from plain Python values."""

from __future__ import annotations

import base64
import json
from typing import Any, Iterable, Mapping

from . import passkeyd_pb2 as pb

__all__ = [
    "b64url_encode",
    "b64url_decode",
    "policy",
    "authentication_request",
    "registration_request",
]


def b64url_encode(data: bytes) -> str:
    """base64url without padding, as WebAuthn JSON uses it."""
    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode("ascii")


def b64url_decode(text: str | bytes) -> bytes:
    """Decodes base64url with or without padding."""
    if isinstance(text, str):
        text = text.encode("ascii")
    return base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))


def _bytes(value: Any, what: str) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, not {type(value).__name__}")


def _challenge_check(req: Any, challenge: Any, issued_context: bytes | None) -> None:
    """Sets the request's ``challenge_check``: the expected bytes, or the context of an issued challenge."""
    if issued_context is None:
        req.challenge = _challenge(challenge)
        return
    if challenge is not None:
        raise ValueError("give either challenge or issued_context, not both")
    req.issued_challenge.context = _bytes(issued_context, "issued_context")


def _challenge(value: Any) -> bytes:
    # A str is taken as the base64url text the browser saw (what the JSON's clientDataJSON carries).
    if isinstance(value, str):
        return b64url_decode(value)
    return _bytes(value, "challenge")


def _strings(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


_SIGNAL_ACTIONS = {"reject": pb.SIGNAL_ACTION_REJECT, "report": pb.SIGNAL_ACTION_REPORT}


def _signal_action(value: Any, what: str) -> int:
    if isinstance(value, str):
        try:
            return _SIGNAL_ACTIONS[value.lower()]
        except KeyError:
            raise ValueError(f"{what} must be 'reject' or 'report', not {value!r}") from None
    return int(value)


def policy(
    rp_id: str | None = None,
    origins: str | Iterable[str] | None = None,
    *,
    relying_party: str | None = None,
    require_user_verification: bool = False,
    registration_user_presence_optional: bool = False,
    allowed_algorithms: Iterable[int] = (),
    allow_cross_origin: bool = False,
    top_origins: str | Iterable[str] | None = None,
    android_apk_cert_sha256: str | Iterable[str] | None = None,
    sign_count_policy: str | int = "reject",
    backup_eligibility_policy: str | int = "reject",
    backup_state_policy: str | int = "reject",
    minimum_rsa_bits: int = 0,
    trust_anchors_der: Iterable[bytes] = (),
    verify_at_unix: int = 0,
    attestation_mode: str | int | None = None,
    allowed_aaguids: Iterable[bytes | str] = (),
    android_key_allow_software: bool = False,
    attestation_allow_rs1: bool = False,
    safetynet_max_skew_ms: int = 0,
    compromised_authenticator_policy: str | int = "reject",
) -> pb.RelyingPartyPolicy:
    """Builds a ``RelyingPartyPolicy``.

    Either ``policy("example.com", ["https://example.com"], require_user_verification=True)`` for an inline policy,
    or ``policy(relying_party="shop")`` to name one configured on the server. The ``*_policy`` options take
    ``"reject"`` or ``"report"`` (or the ``SignalAction`` value).
    """
    if relying_party is None and not rp_id:
        raise ValueError("give either rp_id (and origins) or relying_party")
    origin_list = _strings(origins)
    if rp_id and not origin_list:
        raise ValueError("an inline policy needs at least one origin")
    return pb.RelyingPartyPolicy(
        relying_party=relying_party or "",
        rp_id=rp_id or "",
        origins=origin_list,
        android_apk_cert_sha256=_strings(android_apk_cert_sha256),
        require_user_verification=require_user_verification,
        registration_user_presence_optional=registration_user_presence_optional,
        allowed_algorithms=[int(a) for a in allowed_algorithms],
        allow_cross_origin=allow_cross_origin,
        top_origins=_strings(top_origins),
        sign_count_policy=_signal_action(sign_count_policy, "sign_count_policy"),
        backup_eligibility_policy=_signal_action(backup_eligibility_policy, "backup_eligibility_policy"),
        backup_state_policy=_signal_action(backup_state_policy, "backup_state_policy"),
        minimum_rsa_bits=minimum_rsa_bits,
        trust_anchors_der=[_bytes(c, "trust anchor") for c in trust_anchors_der],
        verify_at_unix=verify_at_unix,
        attestation_mode=_attestation_mode(attestation_mode),
        allowed_aaguids=[_aaguid(a) for a in allowed_aaguids],
        android_key_allow_software=android_key_allow_software,
        attestation_allow_rs1=attestation_allow_rs1,
        safetynet_max_skew_ms=safetynet_max_skew_ms,
        compromised_authenticator_policy=_signal_action(compromised_authenticator_policy, "compromised_authenticator_policy"),
    )


_ATTESTATION_MODES = {
    None: pb.ATTESTATION_MODE_DEFAULT,
    "none": pb.ATTESTATION_MODE_NONE,
    "verify": pb.ATTESTATION_MODE_VERIFY,
    "trusted": pb.ATTESTATION_MODE_TRUSTED,
}


def _attestation_mode(value: str | int | None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return _ATTESTATION_MODES[value.lower() if isinstance(value, str) else value]
    except KeyError:
        raise ValueError(f"attestation_mode must be 'none', 'verify' or 'trusted', not {value!r}") from None


def _aaguid(value: bytes | str) -> bytes:
    """16 bytes, or a UUID string ("6028b017-b1d4-4c02-b4b3-afcdafc96bb2")."""
    if isinstance(value, str):
        parts = value.split("-")
        if [len(p) for p in parts] != [8, 4, 4, 4, 12]:
            raise ValueError(f"{value!r} is not a UUID")
        value = bytes.fromhex("".join(parts))
    value = bytes(value)
    if len(value) != 16:
        raise ValueError(f"an AAGUID is 16 bytes, not {len(value)}")
    return value


def _json_text(value: str | bytes | Mapping[str, Any]) -> str:
    if isinstance(value, Mapping):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    if isinstance(value, str):
        return value
    raise TypeError(f"response_json must be str, bytes or a mapping, not {type(value).__name__}")


def _backup_eligibility(value: bool | int | None) -> int:
    if value is None:
        return pb.BACKUP_ELIGIBILITY_UNKNOWN
    if isinstance(value, bool):
        return pb.BACKUP_ELIGIBILITY_ELIGIBLE if value else pb.BACKUP_ELIGIBILITY_NOT_ELIGIBLE
    return int(value)


def authentication_request(
    policy: pb.RelyingPartyPolicy,
    challenge: bytes | str | None,
    credential_public_key: bytes,
    *,
    stored_sign_count: int = 0,
    stored_backup_eligible: bool | int | None = None,
    stored_credential_id: bytes = b"",
    stored_aaguid: bytes | str | None = None,
    response_json: str | bytes | Mapping[str, Any] | None = None,
    credential_id: bytes | None = None,
    authenticator_data: bytes | None = None,
    client_data_json: bytes | None = None,
    signature: bytes | None = None,
    user_handle: bytes | None = None,
    issued_context: bytes | None = None,
) -> pb.VerifyAuthenticationRequest:
    """Builds a ``VerifyAuthenticationRequest`` from either the raw assertion fields
    (``authenticator_data``, ``client_data_json``, ``signature``, optionally ``credential_id``/``user_handle``)
    or ``response_json``, the browser's AuthenticationResponseJSON (text, bytes, or a dict that is serialized).

    ``stored_backup_eligible``: ``None`` (unknown, check skipped), ``True``/``False``, or a ``BackupEligibility``
    value. A ``str`` challenge is base64url-decoded.

    ``issued_context``: the challenge is one passkeyd issued for this context (``IssuedChallenge``); ``challenge``
    must then be ``None``. It verifies once (a second use is ``CHALLENGE_REUSED``).
    """
    raw = (credential_id, authenticator_data, client_data_json, signature, user_handle)
    req = pb.VerifyAuthenticationRequest(
        policy=policy,
        credential_public_key=_bytes(credential_public_key, "credential_public_key"),
        stored_sign_count=stored_sign_count,
        stored_backup_eligible=_backup_eligibility(stored_backup_eligible),
        stored_credential_id=_bytes(stored_credential_id, "stored_credential_id"),
        stored_aaguid=_aaguid(stored_aaguid) if stored_aaguid is not None else b"",
    )
    _challenge_check(req, challenge, issued_context)
    if response_json is not None:
        if any(v is not None for v in raw):
            raise ValueError("give either response_json or the raw fields, not both")
        req.response_json = _json_text(response_json)
    else:
        if authenticator_data is None or client_data_json is None or signature is None:
            raise ValueError("raw fields need authenticator_data, client_data_json and signature (or response_json)")
        req.fields.CopyFrom(
            pb.AssertionFields(
                credential_id=_bytes(credential_id, "credential_id"),
                authenticator_data=_bytes(authenticator_data, "authenticator_data"),
                client_data_json=_bytes(client_data_json, "client_data_json"),
                signature=_bytes(signature, "signature"),
                user_handle=_bytes(user_handle, "user_handle"),
            )
        )
    return req


def registration_request(
    policy: pb.RelyingPartyPolicy,
    challenge: bytes | str | None,
    *,
    response_json: str | bytes | Mapping[str, Any] | None = None,
    credential_id: bytes | None = None,
    client_data_json: bytes | None = None,
    attestation_object: bytes | None = None,
    transports: str | Iterable[str] | None = None,
    issued_context: bytes | None = None,
) -> pb.VerifyRegistrationRequest:
    """Builds a ``VerifyRegistrationRequest`` from either the raw attestation fields or ``response_json``, the
    browser's RegistrationResponseJSON. ``issued_context`` as for ``authentication_request``."""
    req = pb.VerifyRegistrationRequest(policy=policy)
    _challenge_check(req, challenge, issued_context)
    if response_json is not None:
        if any(v is not None for v in (credential_id, client_data_json, attestation_object, transports)):
            raise ValueError("give either response_json or the raw fields, not both")
        req.response_json = _json_text(response_json)
    else:
        if client_data_json is None or attestation_object is None:
            raise ValueError("raw fields need client_data_json and attestation_object (or response_json)")
        req.fields.CopyFrom(
            pb.AttestationFields(
                credential_id=_bytes(credential_id, "credential_id"),
                client_data_json=_bytes(client_data_json, "client_data_json"),
                attestation_object=_bytes(attestation_object, "attestation_object"),
                transports=_strings(transports),
            )
        )
    return req
