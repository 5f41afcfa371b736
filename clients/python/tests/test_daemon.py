"""The client against the real passkeyd daemon."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import socket
import struct
import subprocess
import uuid

import pytest

from passkeyd_client import (
    AsyncClient,
    AttestationFormat,
    AttestationType,
    AuthenticationVerdict,
    ChallengeStoreState,
    COSEAlgorithm,
    Client,
    ConnectionClosedError,
    ErrorCode,
    HealthStatus,
    OptionsResult,
    PasskeydError,
    RegistrationVerdict,
    authentication_request,
    decode_response,
    encode_frame,
    pb,
    policy,
    read_frame,
)
from conftest import MAX_BATCH_ITEMS, REPO
from webauthn import FLAG_UP, ORIGIN, RP_ID, Authenticator, flip

POLICY = policy(RP_ID, [ORIGIN])
OK = pb.ERROR_CODE_NONE


def code_of(verdict):
    """The verdict's code as the proto spells it ("ERROR_CODE_NONE" when it verified)."""
    return verdict.error.name if verdict.error is not None else "ERROR_CODE_NONE"


@pytest.fixture(scope="module")
def authn():
    return Authenticator()


def auth_req(authn, *, challenge=None, claimed_challenge=None, stored_sign_count=0, pol=POLICY, json=False, **kw):
    """A valid assertion request unless the arguments break it; returns (request, sign_count)."""
    challenge = challenge or os.urandom(32)
    sign_count = kw.pop("sign_count", 7)
    fields = authn.assertion(challenge, sign_count=sign_count, **kw)
    creds = {"response_json": authn.response_json(fields)} if json else fields
    req = authentication_request(
        pol, claimed_challenge or challenge, authn.cose_key, stored_sign_count=stored_sign_count, **creds
    )
    return req


# 1. health and server_info ------------------------------------------------------------------------------------------


def test_health_and_server_info(client):
    health = client.health()
    assert health.status is HealthStatus.SERVING and health.serving
    assert health.connections >= 1
    assert health.challenge_store is ChallengeStoreState.MEMORY and not health.challenge_store_message
    info = client.server_info()
    assert -7 in info.algorithms
    assert "packed" in info.attestation_formats
    assert info.version
    assert info.max_frame_bytes > 0


def test_async_health_and_server_info(daemon):
    async def main():
        for kwargs in ({"unix_socket": daemon.unix_socket}, {"host": daemon.host, "port": daemon.port}):
            async with AsyncClient(timeout=20, **kwargs) as ac:
                assert (await ac.health()).status is HealthStatus.SERVING
                info = await ac.server_info()
                assert -7 in info.algorithms and "packed" in info.attestation_formats

    asyncio.run(main())


# 2. a valid ES256 assertion ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["fields", "response_json"])
def test_valid_assertion(client, authn, as_json):
    req = auth_req(authn, sign_count=42, stored_sign_count=41, json=as_json)
    assert req.WhichOneof("credential") == ("response_json" if as_json else "fields")
    res = client.verify_authentication(req)
    assert res.ok, res.message
    assert res.sign_count == 42
    assert res.algorithm == -7
    assert res.user_present and res.user_verified
    assert list(res.risk_signals) == []


def test_valid_assertion_from_keyword_arguments(unix_client, authn):
    challenge = os.urandom(16)
    fields = authn.assertion(challenge, sign_count=3)
    res = unix_client.verify_authentication(POLICY, challenge, authn.cose_key, stored_sign_count=2, **fields)
    assert res.ok, res.message
    res = unix_client.verify_authentication(
        POLICY, challenge, authn.cose_key, response_json=authn.response_json(fields),
        stored_credential_id=authn.credential_id,
    )
    assert (res.ok, res.sign_count) == (True, 3), res.message


def test_zero_sign_counts_are_not_a_regression(unix_client, authn):
    res = unix_client.verify_authentication(auth_req(authn, sign_count=0, stored_sign_count=0))
    assert (res.ok, res.sign_count) == (True, 0), res.message


# 3. mutations ----------------------------------------------------------------------------------------------------------


def _bad_signature(authn):
    req = auth_req(authn)
    sig = req.fields.signature
    req.fields.signature = flip(sig, len(sig) - 1)  # low byte of s: still valid DER, wrong value
    return req


def _bad_auth_data(authn):
    req = auth_req(authn)
    req.fields.authenticator_data = flip(req.fields.authenticator_data, 36)  # a signCount byte, under the signature
    return req


MUTATIONS = {
    "wrong_challenge": (lambda a: auth_req(a, claimed_challenge=os.urandom(32)), "CHALLENGE_MISMATCH"),
    "wrong_challenge_json": (lambda a: auth_req(a, claimed_challenge=os.urandom(32), json=True), "CHALLENGE_MISMATCH"),
    "flipped_signature": (_bad_signature, "BAD_SIGNATURE"),
    "flipped_auth_data": (_bad_auth_data, "BAD_SIGNATURE"),
    "wrong_origin": (lambda a: auth_req(a, origin="https://evil.example"), "ORIGIN_MISMATCH"),
    "sign_count_equal": (lambda a: auth_req(a, sign_count=5, stored_sign_count=5), "SIGN_COUNT_REGRESSION"),
    "sign_count_lower": (lambda a: auth_req(a, sign_count=5, stored_sign_count=9), "SIGN_COUNT_REGRESSION"),
    "wrong_type": (lambda a: auth_req(a, type_="webauthn.create"), "CLIENT_DATA_TYPE_MISMATCH"),
    "uv_required": (
        lambda a: auth_req(a, flags=FLAG_UP, pol=policy(RP_ID, ORIGIN, require_user_verification=True)),
        "USER_VERIFICATION_REQUIRED",
    ),
}


@pytest.mark.parametrize("case", list(MUTATIONS))
def test_mutation_is_rejected(unix_client, authn, case):
    build, code = MUTATIONS[case]
    res = unix_client.verify_authentication(build(authn))
    assert code_of(res) == code, res.message
    assert res.message


def test_sign_count_regression_reported_not_rejected(unix_client, authn):
    pol = policy(RP_ID, ORIGIN, sign_count_policy="report")
    res = unix_client.verify_authentication(auth_req(authn, sign_count=5, stored_sign_count=9, pol=pol))
    assert res.ok, res.message
    assert [s.code for s in res.risk_signals] == [ErrorCode.SIGN_COUNT_REGRESSION]


# 4. batch ---------------------------------------------------------------------------------------------------------------


def _batch(authn, n=50):
    items, expected = [], []
    for i in range(n):
        if i % 10 == 3:
            items.append(_bad_signature(authn))
            expected.append(("BAD_SIGNATURE", None))
        elif i % 10 == 7:
            items.append(auth_req(authn, claimed_challenge=os.urandom(32), sign_count=i + 1))
            expected.append(("CHALLENGE_MISMATCH", None))
        elif i % 17 == 5:
            items.append(auth_req(authn, sign_count=i + 1, stored_sign_count=i + 1))
            expected.append(("SIGN_COUNT_REGRESSION", None))
        else:
            items.append(auth_req(authn, sign_count=i + 1, json=(i % 2 == 0)))
            expected.append(("ERROR_CODE_NONE", i + 1))
    return items, expected


def _check_batch(results, expected, raw=False):
    assert len(results) == len(expected)
    for i, (res, (code, count)) in enumerate(zip(results, expected)):
        if raw:  # pb.VerifyAuthenticationResult
            assert pb.ErrorCode.Name(res.error_code) == code, (i, res.error_message)
        else:
            assert code_of(res) == code, (i, res.message)
        if count is not None:
            assert res.sign_count == count, i


def test_batch_of_50_keeps_order(client, authn):
    items, expected = _batch(authn)
    assert sum(code != "ERROR_CODE_NONE" for code, _ in expected) >= 10
    _check_batch(client.verify_authentication_batch(items), expected)


def test_batch_items_as_keyword_dicts(unix_client, authn):
    ch = os.urandom(32)
    good = dict(policy=POLICY, challenge=ch, credential_public_key=authn.cose_key, **authn.assertion(ch, sign_count=9))
    bad = dict(good, challenge=os.urandom(32))
    results = unix_client.verify_authentication_batch([good, bad, good])
    assert [code_of(r) for r in results] == ["ERROR_CODE_NONE", "CHALLENGE_MISMATCH",
                                                                  "ERROR_CODE_NONE"]


# 5. pipelining ------------------------------------------------------------------------------------------------------------


def test_sync_pipelining_200_by_id(client, authn):
    counts = {}
    ids = []
    for i in range(200):
        req = pb.Request(verify_authentication=auth_req(authn, sign_count=1000 + i))
        rid = client.send(req)
        counts[rid] = 1000 + i
        ids.append(rid)
    assert len(set(ids)) == 200
    order = ids[:]
    random.Random(1).shuffle(order)  # ask for them in another order than sent: the client buffers the rest
    for rid in order:
        resp = client.receive(rid)
        assert resp.id == rid
        res = decode_response(resp)
        assert isinstance(res, AuthenticationVerdict) and res.ok, res
        assert res.sign_count == counts[rid]
    assert client.health().serving


def test_pipeline_helper_mixed_methods(unix_client, authn):
    items, expected = _batch(authn, 30)
    reqs = [
        pb.Request(verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items)),
        pb.Request(health=pb.HealthRequest()),
        pb.Request(verify_authentication=auth_req(authn, sign_count=77)),
        pb.Request(),  # no method: UNKNOWN_METHOD, and the rest still goes through
        pb.Request(server_info=pb.ServerInfoRequest()),
    ]
    out = unix_client.pipeline(reqs)
    assert [r.WhichOneof("result") for r in out] == [
        "verify_authentication_batch", "health", "verify_authentication", "error", "server_info"]
    _check_batch(out[0].verify_authentication_batch.results, expected, raw=True)
    assert out[2].verify_authentication.sign_count == 77
    assert pb.ErrorCode.Name(out[3].error.code) == "UNKNOWN_METHOD"
    # The same responses, typed.
    _check_batch(decode_response(out[0]), expected)
    assert decode_response(out[1]).serving and decode_response(out[4]).max_batch_items == MAX_BATCH_ITEMS
    assert decode_response(out[2]).sign_count == 77
    with pytest.raises(PasskeydError) as e:
        decode_response(out[3])
    assert e.value.code is ErrorCode.UNKNOWN_METHOD and e.value.request_id == out[3].id


def test_async_500_concurrent_calls_on_one_connection(daemon, authn):
    reqs = [auth_req(authn, sign_count=5000 + i, json=(i % 3 == 0)) for i in range(500)]

    async def main():
        async with AsyncClient(unix_socket=daemon.unix_socket, timeout=60) as ac:
            results = await asyncio.gather(*(ac.verify_authentication(r) for r in reqs))
            # Mixed with a batch and health checks, still on the same connection.
            items, expected = _batch(authn)
            more = await asyncio.gather(ac.verify_authentication_batch(items), ac.health(), ac.server_info())
            return ac, results, more, expected

    ac, results, more, expected = asyncio.run(main())
    for i, res in enumerate(results):
        assert res.ok, (i, res.message)
        assert res.sign_count == 5000 + i
    _check_batch(more[0], expected)
    assert more[1].serving


def test_async_over_tcp_with_request_errors(daemon, authn):
    async def main():
        async with AsyncClient(host=daemon.host, port=daemon.port, timeout=20) as ac:
            ok = ac.verify_authentication(auth_req(authn, sign_count=8))
            bad = ac.verify_authentication(policy(relying_party="no-such-rp"), b"c" * 16, authn.cose_key,
                                           **authn.assertion(b"c" * 16))
            res, other = await asyncio.gather(ok, bad)
            assert res.ok and res.sign_count == 8
            assert other.error is ErrorCode.UNKNOWN_RELYING_PARTY
            assert (await ac.health()).status is HealthStatus.SERVING

    asyncio.run(main())


# 6. request-level errors --------------------------------------------------------------------------------------------------


def _raw(daemon) -> socket.socket:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(daemon.unix_socket)
    return s


def _read_response(s) -> pb.Response:
    payload = read_frame(s)
    assert payload is not None, "server closed the connection without answering"
    return pb.Response.FromString(payload)


def _assert_closed_by_server(s) -> None:
    s.settimeout(5)
    try:
        assert s.recv(1) == b"", "server kept sending after a connection-level error"
    except ConnectionResetError:
        pass


def test_nonzero_flag_byte_is_malformed_frame_and_closes(daemon):
    with _raw(daemon) as s:
        s.sendall(encode_frame(pb.Request(id=5, health=pb.HealthRequest()).SerializeToString(), flag=1))
        resp = _read_response(s)
        assert resp.WhichOneof("result") == "error"
        assert pb.ErrorCode.Name(resp.error.code) == "MALFORMED_FRAME"
        assert resp.id == 0
        _assert_closed_by_server(s)


def test_garbage_payload_is_malformed_frame_and_closes(daemon):
    with _raw(daemon) as s:
        s.sendall(encode_frame(b"\xff\xff\xff\xff"))
        resp = _read_response(s)
        assert pb.ErrorCode.Name(resp.error.code) == "MALFORMED_FRAME"
        _assert_closed_by_server(s)


def test_oversized_frame_is_refused_and_closes(daemon, unix_client):
    limit = unix_client.server_info().max_frame_bytes
    with _raw(daemon) as s:
        s.sendall(struct.pack(">BI", 0, limit + 1))  # header only: the server must not wait for the payload
        resp = _read_response(s)
        assert pb.ErrorCode.Name(resp.error.code) == "FRAME_TOO_LARGE"
        _assert_closed_by_server(s)


def test_empty_request_is_unknown_method_and_connection_stays(daemon):
    with _raw(daemon) as s:
        s.sendall(encode_frame(b""))  # length 0: an empty Request
        resp = _read_response(s)
        assert pb.ErrorCode.Name(resp.error.code) == "UNKNOWN_METHOD"
        s.sendall(encode_frame(pb.Request(id=9).SerializeToString()))  # an id but no method
        resp = _read_response(s)
        assert (resp.id, pb.ErrorCode.Name(resp.error.code)) == (9, "UNKNOWN_METHOD")
        s.sendall(encode_frame(pb.Request(id=10, health=pb.HealthRequest()).SerializeToString()))
        resp = _read_response(s)
        assert resp.id == 10 and resp.health.status == pb.HealthResponse.SERVING


def test_request_errors_raise_and_connection_stays(client, authn):
    resp = client.call(pb.Request())
    assert resp.WhichOneof("result") == "error" and pb.ErrorCode.Name(resp.error.code) == "UNKNOWN_METHOD"
    assert resp.id != 0

    # An unusable policy is the item's own result (so one bad item cannot fail a whole batch), not a request error.
    no_policy = auth_req(authn)
    no_policy.ClearField("policy")
    res = client.verify_authentication(no_policy)
    assert res.error is ErrorCode.MALFORMED_REQUEST and res.message

    res = client.verify_authentication(auth_req(authn, pol=policy(relying_party="no-such-rp")))
    assert res.error is ErrorCode.UNKNOWN_RELYING_PARTY

    res = client.verify_authentication(auth_req(authn, sign_count=11))
    assert (res.ok, res.sign_count) == (True, 11)


def test_batch_too_large(unix_client, authn):
    limit = unix_client.server_info().max_batch_items
    assert limit == MAX_BATCH_ITEMS  # the daemon fixture's --max-batch-items
    req = auth_req(authn)
    with pytest.raises(PasskeydError) as e:
        unix_client.verify_authentication_batch([req] * (limit + 1))
    assert e.value.code is ErrorCode.BATCH_TOO_LARGE and not e.value.retryable
    assert unix_client.health().serving


def test_client_sees_server_close_after_malformed_frame(daemon):
    c = Client(unix_socket=daemon.unix_socket, timeout=10)
    try:
        rid = c.send(pb.Request(health=pb.HealthRequest()))
        c._sock.sendall(b"\x01\x00\x00\x00\x00")  # a malformed frame down the client's own connection
        # Every request read before the bad frame is still answered ...
        assert c.receive(rid).health.status == pb.HealthResponse.SERVING
        # ... and anything after it fails with the server's reason.
        with pytest.raises(ConnectionClosedError) as e:
            c.health()
        assert e.value.server_error is not None and e.value.server_error.code is ErrorCode.MALFORMED_FRAME
        with pytest.raises(ConnectionError):
            c.health()
    finally:
        c.close()


# options and usernameless logins --------------------------------------------------------------------------------------


def test_generate_options_sync_and_async(unix_client, daemon):
    import json as _json

    from passkeyd_client import b64url_decode, options_policy

    pol = policy(RP_ID, [ORIGIN], options=options_policy(timeout_ms=60000, hints=["hybrid"]))
    reg = unix_client.generate_registration_options(pol, b"\x07" * 8, "erin", "Erin", context=b"s-1")
    assert isinstance(reg, OptionsResult) and reg.ok and reg.error is None, reg.message
    opts = reg.options
    assert opts == _json.loads(reg.options_json)
    assert b64url_decode(opts["challenge"]) == reg.challenge and len(reg.challenge) == 66
    assert opts["timeout"] == 60000 and reg.timeout_ms == 60000 and opts["hints"] == ["hybrid"]
    assert opts["user"] == {"id": "BwcHBwcHBwc", "name": "erin", "displayName": "Erin"}
    assert reg.expires_at is not None and reg.expires_at.tzinfo is dt.timezone.utc
    refused = unix_client.generate_registration_options(pol, b"", "erin")
    assert (refused.ok, refused.error) == (False, ErrorCode.MALFORMED_REQUEST) and refused.message

    async def main():
        async with AsyncClient(unix_socket=daemon.unix_socket, timeout=20) as ac:
            login = await ac.generate_authentication_options(pol, allow_credentials=[(b"\x01" * 16, ["usb"])])
            assert login.ok, login.message
            assert login.options["allowCredentials"] == [
                {"type": "public-key", "id": "AQEBAQEBAQEBAQEBAQEBAQ", "transports": ["usb"]}
            ]

    asyncio.run(main())


def test_usernameless_login_with_raw_fields(unix_client, authn):
    login = unix_client.generate_authentication_options(POLICY)
    assert login.ok
    handle = os.urandom(16)
    fields = authn.assertion(login.challenge, sign_count=9)
    common = dict(stored_sign_count=8, stored_user_handle=handle, usernameless=True)
    res = unix_client.verify_authentication(POLICY, login.challenge, authn.cose_key, **common, **fields)
    assert res.error is ErrorCode.USER_HANDLE_MISSING
    res = unix_client.verify_authentication(
        POLICY, login.challenge, authn.cose_key, **common, **dict(fields, user_handle=handle)
    )
    assert res.ok, res.message
    assert (res.sign_count, res.stored_sign_count) == (9, 8)


# typed results through a whole ceremony ------------------------------------------------------------------------------


def test_typed_registration_then_login(client):
    """A registration's verdict has what a gateway stores, as Python values; the stored values then log in."""
    authn = Authenticator()
    challenge = os.urandom(32)
    reg = client.verify_registration(POLICY, challenge, response_json=authn.registration_json(challenge))
    assert isinstance(reg, RegistrationVerdict) and reg.ok and reg.error is None, reg.message
    assert reg.credential_id == authn.credential_id and reg.credential_public_key == authn.cose_key
    assert reg.algorithm is COSEAlgorithm.ES256 and reg.sign_count == 0
    assert reg.aaguid == uuid.UUID(int=0) and reg.transports == ("usb",)
    assert reg.format is AttestationFormat.NONE and reg.attestation_type is AttestationType.NONE
    assert not reg.attestation_trusted and reg.attestation_trust_source is None
    assert reg.user_present and reg.user_verified and not reg.backup_eligible
    assert reg.raw.credential_id == reg.credential_id  # the escape hatch

    challenge = os.urandom(32)
    fields = authn.assertion(challenge, sign_count=5)
    login = client.verify_authentication(POLICY, challenge, reg.credential_public_key, stored_sign_count=reg.sign_count,
                                         stored_credential_id=reg.credential_id, response_json=authn.response_json(fields))
    assert isinstance(login, AuthenticationVerdict) and login.ok, login.message
    assert (login.sign_count, login.algorithm, login.user_verified) == (5, COSEAlgorithm.ES256, True)

    replayed = client.verify_authentication(POLICY, challenge, reg.credential_public_key, stored_sign_count=5,
                                            response_json=authn.response_json(fields))
    assert (replayed.ok, replayed.error) == (False, ErrorCode.SIGN_COUNT_REGRESSION) and replayed.message
    assert str(replayed.error) == "sign_count_regression"


def test_error_code_spelling_matches_passkeyd_verify(tmp_path):
    """ErrorCode's values are the spelling `passkeyd verify` prints."""
    binary = os.environ.get("PASSKEYD_BIN") or str(REPO / ".build" / "debug" / "passkeyd")
    request = tmp_path / "r.json"
    request.write_text('{"kind": "authentication", "rp_id": "example.com", "origins": ["https://example.com"], '
                       '"challenge_b64url": "AAAAAAAAAAAAAAAAAAAAAA", "credential_public_key_b64url": "AA", '
                       '"response": {"id": "AA", "rawId": "AA", "type": "public-key", "response": {}}}')
    out = subprocess.run([binary, "verify", str(request)], capture_output=True, text=True, timeout=60)
    verdict = json.loads(out.stdout)
    assert verdict["ok"] is False and ErrorCode(verdict["error"]["code"]).number > 0
