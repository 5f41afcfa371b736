"""Helpers that build the request messages from plain Python values."""

from __future__ import annotations

import base64
import json
from typing import Any, Iterable, Mapping, cast

from . import passkeyd_pb2 as pb

__all__ = [
    "b64url_encode",
    "b64url_decode",
    "policy",
    "authentication_request",
    "registration_request",
    "options_policy",
    "registration_options_request",
    "authentication_options_request",
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


def _signal_action(value: str | int, what: str) -> pb.SignalAction:
    if isinstance(value, str):
        try:
            return _SIGNAL_ACTIONS[value.lower()]
        except KeyError:
            raise ValueError(f"{what} must be 'reject' or 'report', not {value!r}") from None
    return cast(pb.SignalAction, int(value))


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
    options: pb.OptionsPolicy | Mapping[str, Any] | None = None,
    app_id: str = "",
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
        options=_options_policy(options),
        app_id=app_id,
    )


def options_policy(
    *,
    rp_name: str = "",
    timeout_ms: int = 0,
    challenge_grace_ms: int = 0,
    resident_key: str = "",
    user_verification: str = "",
    authenticator_attachment: str = "",
    attestation: str = "",
    attestation_formats: Iterable[str] = (),
    hints: Iterable[str] = (),
    algorithms: Iterable[int] = (),
    cred_props: bool = True,
) -> pb.OptionsPolicy:
    """Builds an ``OptionsPolicy`` (what generated options offer); every argument left out is the server's default."""
    return pb.OptionsPolicy(
        rp_name=rp_name,
        timeout_ms=timeout_ms,
        challenge_grace_ms=challenge_grace_ms,
        resident_key=resident_key,
        user_verification=user_verification,
        authenticator_attachment=authenticator_attachment,
        attestation=attestation,
        attestation_formats=list(attestation_formats),
        hints=list(hints),
        algorithms=[int(a) for a in algorithms],
        omit_cred_props=not cred_props,
    )


def _options_policy(value: pb.OptionsPolicy | Mapping[str, Any] | None) -> pb.OptionsPolicy | None:
    if value is None or isinstance(value, pb.OptionsPolicy):
        return value
    return options_policy(**value)


def _descriptors(values: Iterable[Any] | None) -> list[pb.CredentialDescriptor]:
    """Credential ids (bytes), (id, transports) pairs or ``{"id": ..., "transports": [...]}`` mappings."""
    out = []
    for v in values or ():
        if isinstance(v, pb.CredentialDescriptor):
            out.append(v)
        elif isinstance(v, Mapping):
            out.append(pb.CredentialDescriptor(id=_bytes(v["id"], "credential id"), transports=_strings(v.get("transports"))))
        elif isinstance(v, tuple):
            out.append(pb.CredentialDescriptor(id=_bytes(v[0], "credential id"), transports=_strings(v[1])))
        else:
            out.append(pb.CredentialDescriptor(id=_bytes(v, "credential id")))
    return out


def _prf_values(v: Any) -> pb.PRFValues:
    """``first`` bytes, or a ``(first, second)`` pair."""
    if isinstance(v, tuple):
        return pb.PRFValues(first=_bytes(v[0], "prf first"), second=_bytes(v[1], "prf second"))
    return pb.PRFValues(first=_bytes(v, "prf first"))


def _extensions(
    prf: Any, prf_eval_by_credential: Mapping[bytes, Any] | None, large_blob: Mapping[str, Any] | None,
    cred_protect: str | tuple[str, bool] | None,
) -> pb.ExtensionInputs | None:
    if prf is None and not prf_eval_by_credential and large_blob is None and cred_protect is None:
        return None
    ext = pb.ExtensionInputs()
    if prf is not None or prf_eval_by_credential:
        ext.prf.SetInParent()
        if prf is not None and prf is not True:
            ext.prf.eval.CopyFrom(_prf_values(prf))
        for cid, values in (prf_eval_by_credential or {}).items():
            ext.prf.eval_by_credential.append(pb.PRFCredentialValues(credential_id=bytes(cid), values=_prf_values(values)))
    if large_blob is not None:
        ext.large_blob.CopyFrom(
            pb.LargeBlobInputs(
                support=large_blob.get("support", ""), read=bool(large_blob.get("read", False)),
                write=_bytes(large_blob.get("write"), "large_blob write"),
            )
        )
    if cred_protect is not None:
        policy_name, enforce = (cred_protect, False) if isinstance(cred_protect, str) else cred_protect
        ext.cred_protect.CopyFrom(
            pb.CredProtectInputs(credential_protection_policy=policy_name, enforce_credential_protection_policy=enforce)
        )
    return ext


def registration_options_request(
    policy: pb.RelyingPartyPolicy,
    user_id: bytes,
    user_name: str,
    user_display_name: str = "",
    *,
    exclude_credentials: Iterable[Any] | None = None,
    context: bytes = b"",
    prf: Any = None,
    prf_eval_by_credential: Mapping[bytes, Any] | None = None,
    large_blob: Mapping[str, Any] | None = None,
    cred_protect: str | tuple[str, bool] | None = None,
    resident_key: str = "",
    user_verification: str = "",
    authenticator_attachment: str = "",
    hints: Iterable[str] = (),
) -> pb.GenerateRegistrationOptionsRequest:
    """Builds a ``GenerateRegistrationOptionsRequest``.

    ``exclude_credentials``: the user's credential ids (bytes, ``(id, transports)`` or ``{"id", "transports"}``).
    ``prf``: ``True`` to ask whether PRF is available, or salts (``first`` or ``(first, second)``);
    ``large_blob={"support": "required"}``; ``cred_protect="userVerificationRequired"`` or ``(policy, enforce)``.
    """
    req = pb.GenerateRegistrationOptionsRequest(
        policy=policy,
        user=pb.PublicKeyCredentialUser(id=_bytes(user_id, "user_id"), name=user_name, display_name=user_display_name),
        exclude_credentials=_descriptors(exclude_credentials),
        context=_bytes(context, "context"),
        resident_key=resident_key,
        user_verification=user_verification,
        authenticator_attachment=authenticator_attachment,
        hints=list(hints),
    )
    ext = _extensions(prf, prf_eval_by_credential, large_blob, cred_protect)
    if ext is not None:
        req.extensions.CopyFrom(ext)
    return req


def authentication_options_request(
    policy: pb.RelyingPartyPolicy,
    *,
    allow_credentials: Iterable[Any] | None = None,
    context: bytes = b"",
    prf: Any = None,
    prf_eval_by_credential: Mapping[bytes, Any] | None = None,
    large_blob: Mapping[str, Any] | None = None,
    user_verification: str = "",
    hints: Iterable[str] = (),
) -> pb.GenerateAuthenticationOptionsRequest:
    """Builds a ``GenerateAuthenticationOptionsRequest``; no ``allow_credentials`` is a usernameless login.
    ``large_blob={"read": True}`` or ``{"write": blob}``."""
    req = pb.GenerateAuthenticationOptionsRequest(
        policy=policy,
        allow_credentials=_descriptors(allow_credentials),
        context=_bytes(context, "context"),
        user_verification=user_verification,
        hints=list(hints),
    )
    ext = _extensions(prf, prf_eval_by_credential, large_blob, None)
    if ext is not None:
        req.extensions.CopyFrom(ext)
    return req


_ATTESTATION_MODES: dict[str | None, pb.AttestationMode] = {
    None: pb.ATTESTATION_MODE_DEFAULT,
    "none": pb.ATTESTATION_MODE_NONE,
    "verify": pb.ATTESTATION_MODE_VERIFY,
    "trusted": pb.ATTESTATION_MODE_TRUSTED,
}


def _attestation_mode(value: str | int | None) -> pb.AttestationMode:
    if isinstance(value, int) and not isinstance(value, bool):
        return cast(pb.AttestationMode, value)
    try:
        return _ATTESTATION_MODES[value.lower() if isinstance(value, str) else None if value is None else "?"]
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


def _backup_eligibility(value: bool | int | None) -> pb.BackupEligibility:
    if value is None:
        return pb.BACKUP_ELIGIBILITY_UNKNOWN
    if isinstance(value, bool):
        return pb.BACKUP_ELIGIBILITY_ELIGIBLE if value else pb.BACKUP_ELIGIBILITY_NOT_ELIGIBLE
    return cast(pb.BackupEligibility, int(value))


def authentication_request(
    policy: pb.RelyingPartyPolicy,
    challenge: bytes | str | None,
    credential_public_key: bytes,
    *,
    stored_sign_count: int = 0,
    stored_backup_eligible: bool | int | None = None,
    stored_credential_id: bytes = b"",
    stored_aaguid: bytes | str | None = None,
    stored_user_handle: bytes = b"",
    usernameless: bool = False,
    appid_used: bool = False,
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
    value. A ``str`` challenge is base64url-decoded. ``stored_user_handle``: the user handle stored with the
    credential (a response's userHandle must equal it); ``usernameless``: the login had no allowCredentials (the
    response must carry a userHandle); ``appid_used`` (raw fields only): the client reported ``appid: true``.

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
        stored_user_handle=_bytes(stored_user_handle, "stored_user_handle"),
        usernameless=usernameless,
        appid_used=appid_used,
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
