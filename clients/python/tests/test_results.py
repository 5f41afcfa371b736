"""The typed results: every proto code has its enum member, and each result type carries the proto's fields as
Python values (no daemon)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid

import pytest

from passkeyd_client import (
    AttestationFormat,
    AttestationType,
    AuthenticationVerdict,
    ChallengeStoreState,
    COSEAlgorithm,
    ErrorCode,
    Health,
    HealthStatus,
    OptionsResult,
    RegistrationVerdict,
    ServerInfo,
    TrustSource,
    pb,
)


def test_error_code_is_the_proto_enum():
    proto = {v.name: v.number for v in pb.ErrorCode.DESCRIPTOR.values if v.number != pb.ERROR_CODE_NONE}
    ours = {c.name: c.number for c in ErrorCode if c is not ErrorCode.UNRECOGNIZED}
    assert ours == proto
    for code in ErrorCode:
        assert code.value == code.name.lower() and str(code) == code.value
        assert ErrorCode.parse(code.name) is code and ErrorCode.parse(code.value) is code
    assert ErrorCode.from_number(pb.ERROR_CODE_NONE) is None
    assert ErrorCode.from_number(pb.BAD_SIGNATURE) is ErrorCode.BAD_SIGNATURE
    assert ErrorCode.from_number(9999) is ErrorCode.UNRECOGNIZED and ErrorCode.UNRECOGNIZED.number == -1
    assert json.dumps({"error": ErrorCode.ORIGIN_MISMATCH}) == '{"error": "origin_mismatch"}'
    assert {c for c in ErrorCode if c.retryable} == {
        ErrorCode.OVERLOADED, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.SHUTTING_DOWN, ErrorCode.UNAVAILABLE}


def test_authentication_verdict_fields():
    m = pb.VerifyAuthenticationResult(
        sign_count=42, stored_sign_count=41, algorithm=-7, user_present=True, user_verified=True, backup_eligible=True,
        backed_up=True, extension_outputs_cbor=b"\xa0",
        risk_signals=[pb.RiskSignal(code=pb.SIGN_COUNT_REGRESSION, message="counter went back")],
        extension_results=pb.ExtensionResults(large_blob_written=pb.EXTENSION_FLAG_FALSE, cred_protect=2, appid_used=True),
    )
    v = AuthenticationVerdict.from_proto(m)
    assert (v.ok, v.error, v.message) == (True, None, "")
    assert (v.sign_count, v.stored_sign_count) == (42, 41)
    assert v.algorithm == -7 and v.algorithm is COSEAlgorithm.ES256
    assert (v.user_present, v.user_verified, v.backup_eligible, v.backed_up) == (True, True, True, True)
    assert v.risk_signals[0].code is ErrorCode.SIGN_COUNT_REGRESSION and v.risk_signals[0].message == "counter went back"
    ext = v.extension_results
    assert (ext.large_blob_written, ext.cred_protect, ext.appid_used) == (False, 2, True)
    assert (ext.cred_props_rk, ext.prf_enabled, ext.large_blob_supported) == (None, None, None)
    assert v.extension_outputs_cbor == b"\xa0" and v.raw is m
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.ok = False  # type: ignore[misc]
    failed = AuthenticationVerdict.from_proto(pb.VerifyAuthenticationResult(error_code=pb.BAD_SIGNATURE, error_message="no"))
    assert (failed.ok, failed.error, failed.message) == (False, ErrorCode.BAD_SIGNATURE, "no")
    assert "raw" not in repr(failed) and failed == AuthenticationVerdict.from_proto(failed.raw)
    assert AuthenticationVerdict.from_proto(pb.VerifyAuthenticationResult(algorithm=-1234)).algorithm == -1234


def test_registration_verdict_fields():
    aaguid = uuid.UUID("6028b017-b1d4-4c02-b4b3-afcdafc96bb2")
    m = pb.VerifyRegistrationResult(
        credential_id=b"id", credential_public_key=b"cose", algorithm=-49, sign_count=0, aaguid=aaguid.bytes,
        format="android-key", attestation_type="basic", attestation_trusted=True, attestation_trust_source="vendor",
        attestation_certificates=[b"leaf", b"ca"], transports=["usb", "nfc"],
        attestation_details=[pb.AttestationDetail(name="attestation_security_level", value="tee")],
        authenticator_description="Key", certification_level="FIDO_CERTIFIED_L1", metadata_status="FIDO_CERTIFIED",
        extension_results=pb.ExtensionResults(cred_props_rk=pb.EXTENSION_FLAG_TRUE, prf_enabled=pb.EXTENSION_FLAG_TRUE),
    )
    v = RegistrationVerdict.from_proto(m)
    assert v.ok and v.credential_id == b"id" and v.credential_public_key == b"cose"
    assert v.algorithm is COSEAlgorithm.ML_DSA_65 and v.aaguid == aaguid
    assert v.format is AttestationFormat.ANDROID_KEY and v.attestation_type is AttestationType.BASIC
    assert v.attestation_trusted and v.attestation_trust_source is TrustSource.VENDOR
    assert v.attestation_certificates == (b"leaf", b"ca") and v.transports == ("usb", "nfc")
    assert dict(v.attestation_details) == {"attestation_security_level": "tee"}
    assert (v.authenticator_description, v.certification_level, v.metadata_status) == (
        "Key", "FIDO_CERTIFIED_L1", "FIDO_CERTIFIED")
    assert v.extension_results.cred_props_rk is True and v.extension_results.prf_enabled is True
    empty = RegistrationVerdict.from_proto(pb.VerifyRegistrationResult(error_code=pb.UNTRUSTED_ATTESTATION, format="x-new"))
    assert empty.error is ErrorCode.UNTRUSTED_ATTESTATION and not empty.ok
    assert empty.format is AttestationFormat.UNRECOGNIZED and empty.aaguid is None
    assert empty.attestation_type is None and empty.attestation_trust_source is None


def test_options_health_and_server_info():
    o = OptionsResult.from_proto(pb.GenerateOptionsResult(
        options_json='{"challenge":"AA"}', challenge=b"\x00", expires_at_unix_ms=1_800_000_000_123, timeout_ms=300000))
    assert o.ok and o.options == {"challenge": "AA"} and o.challenge == b"\x00" and o.timeout_ms == 300000
    assert o.expires_at == dt.datetime(2027, 1, 15, 8, 0, 0, 123000, tzinfo=dt.timezone.utc)
    bad = OptionsResult.from_proto(pb.GenerateOptionsResult(error_code=pb.MALFORMED_REQUEST, error_message="x"))
    assert bad.error is ErrorCode.MALFORMED_REQUEST and bad.expires_at is None

    h = Health.from_proto(pb.HealthResponse(status=pb.HealthResponse.DRAINING, in_flight=3, connections=2,
                                            challenge_store=pb.HealthResponse.CHALLENGE_STORE_UNREACHABLE,
                                            challenge_store_message="connection refused"))
    assert h.status is HealthStatus.DRAINING and not h.serving and (h.in_flight, h.connections) == (3, 2)
    assert h.challenge_store is ChallengeStoreState.UNREACHABLE and h.challenge_store_message == "connection refused"
    assert Health.from_proto(pb.HealthResponse()).challenge_store is ChallengeStoreState.MEMORY

    i = ServerInfo.from_proto(pb.ServerInfoResponse(
        version="1.2", algorithms=[-7, -8], attestation_formats=["packed"], max_frame_bytes=1 << 20,
        relying_parties=["main"], metadata_loaded=True, metadata_number=71, metadata_next_update="2026-12-01",
        metadata_entries=500, challenge_store="redis", challenge_minting_key="k2", challenge_keys=["k1", "k2"],
        challenge_lifetime_ms=300000))
    assert i.algorithms == (COSEAlgorithm.ES256, COSEAlgorithm.EDDSA) and i.relying_parties == ("main",)
    assert i.metadata is not None and i.metadata.next_update == dt.date(2026, 12, 1) and i.metadata.number == 71
    assert (i.challenge_store, i.challenge_minting_key, i.challenge_keys) == ("redis", "k2", ("k1", "k2"))
    assert ServerInfo.from_proto(pb.ServerInfoResponse()).metadata is None
