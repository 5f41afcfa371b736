"""The gRPC listener (--grpc-port) with a stock grpcio client: every method, grpc.health.v1, the same verdicts as the
framed protocol on the same inputs, request-level errors as statuses, TLS and mutual TLS, drain. Loopback only."""
import os
import signal
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from conftest import Authenticator, frame, free_port, pb, policy, read_response
from passkeyd_client import passkeyd_pb2_grpc
from test_logs import registration
from test_tls import pki  # noqa: F401  (the module's throwaway CA, as a fixture)

TIMEOUT = 20


def framed(daemon, rid, **method):
    s = daemon.connect()
    try:
        s.sendall(frame(pb.Request(id=rid, **method)))
        return read_response(s)
    finally:
        s.close()


def start(daemon_factory, *extra):
    port = free_port()
    d = daemon_factory("--grpc-port", str(port), *extra)
    return d, port


def channel(port):
    ch = grpc.insecure_channel("127.0.0.1:%d" % port)
    grpc.channel_ready_future(ch).result(timeout=TIMEOUT)
    return ch


def auth_item(a, challenge, stored=0, **kw):
    ad, cd, sig = a.assertion(challenge, **kw)
    return pb.VerifyAuthenticationRequest(
        policy=policy(), challenge=challenge, credential_public_key=a.cose, stored_sign_count=stored,
        fields=pb.AssertionFields(authenticator_data=ad, client_data_json=cd, signature=sig))


def reg_item(a, challenge, cred_id):
    _, cd, att_obj = registration(a, challenge, cred_id)
    return pb.VerifyRegistrationRequest(
        policy=policy(), challenge=challenge,
        fields=pb.AttestationFields(credential_id=cred_id, client_data_json=cd, attestation_object=att_obj))


def trailer(err, key):
    return dict(err.trailing_metadata() or ()).get(key)


def test_every_method_gives_the_framed_verdicts(daemon_factory):
    # Batches of 3 or more run on the worker pool (and resume on a loop), as large batches do by default.
    d, port = start(daemon_factory, "--offload-batch-items", "3")
    stub = passkeyd_pb2_grpc.PasskeydStub(channel(port))
    a = Authenticator()
    challenge = os.urandom(32)
    good = auth_item(a, challenge)
    wrong_origin = auth_item(a, challenge, origin="https://evil.example")
    tampered = auth_item(a, challenge)
    tampered.fields.signature = tampered.fields.signature[:-1] + bytes([tampered.fields.signature[-1] ^ 1])
    regressed = auth_item(a, challenge, stored=10_000)

    for item, code in [(good, pb.ERROR_CODE_NONE), (wrong_origin, pb.ORIGIN_MISMATCH), (tampered, None),
                       (regressed, pb.SIGN_COUNT_REGRESSION)]:
        over_grpc = stub.VerifyAuthentication(item, timeout=TIMEOUT)
        over_frames = framed(d, 1, verify_authentication=item).verify_authentication
        assert over_grpc == over_frames
        if code is not None:
            assert over_grpc.error_code == code, over_grpc.error_message
        else:  # a flipped bit in a DER signature: malformed or bad, whichever the bit broke
            assert over_grpc.error_code in (pb.BAD_SIGNATURE, pb.MALFORMED_SIGNATURE)

    batch = pb.VerifyAuthenticationBatchRequest(items=[good, wrong_origin, tampered, regressed])
    over_grpc = stub.VerifyAuthenticationBatch(batch, timeout=TIMEOUT)
    assert over_grpc == framed(d, 2, verify_authentication_batch=batch).verify_authentication_batch
    assert [r.error_code for r in over_grpc.results][:2] == [pb.ERROR_CODE_NONE, pb.ORIGIN_MISMATCH]

    reg_challenge = os.urandom(32)
    reg = reg_item(a, reg_challenge, os.urandom(16))
    wrong_challenge = reg_item(a, os.urandom(32), os.urandom(16))
    wrong_challenge.challenge = reg_challenge
    r = stub.VerifyRegistration(reg, timeout=TIMEOUT)
    assert r.error_code == pb.ERROR_CODE_NONE, r.error_message
    assert r.credential_public_key == a.cose
    assert r == framed(d, 3, verify_registration=reg).verify_registration
    regs = pb.VerifyRegistrationBatchRequest(items=[reg, wrong_challenge])
    over_grpc = stub.VerifyRegistrationBatch(regs, timeout=TIMEOUT)
    assert over_grpc == framed(d, 4, verify_registration_batch=regs).verify_registration_batch
    assert [x.error_code for x in over_grpc.results] == [pb.ERROR_CODE_NONE, pb.CHALLENGE_MISMATCH]

    info = stub.ServerInfo(pb.ServerInfoRequest(), timeout=TIMEOUT)
    assert info == framed(d, 5, server_info=pb.ServerInfoRequest()).server_info
    assert info.max_batch_items == 4096 and -7 in info.algorithms
    h = stub.Health(pb.HealthRequest(), timeout=TIMEOUT)
    assert h.status == pb.HealthResponse.SERVING
    # The gRPC connection counts with the framed ones.
    assert h.connections >= 1


def test_standard_health_service(daemon_factory):
    d, port = start(daemon_factory)
    health = health_pb2_grpc.HealthStub(channel(port))
    for name in ("", "passkeyd.v1.Passkeyd"):
        r = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=TIMEOUT)
        assert r.status == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as e:
        health.Check(health_pb2.HealthCheckRequest(service="nope"), timeout=TIMEOUT)
    assert e.value.code() == grpc.StatusCode.NOT_FOUND
    watch = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=TIMEOUT)
    assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
    watch.cancel()

    # Drain: the watcher hears NOT_SERVING, then its call ends, and the daemon exits cleanly.
    watch = health.Watch(health_pb2.HealthCheckRequest(service="passkeyd.v1.Passkeyd"), timeout=TIMEOUT)
    assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
    d.signal(signal.SIGTERM)
    assert next(watch).status == health_pb2.HealthCheckResponse.NOT_SERVING
    with pytest.raises(StopIteration):
        next(watch)
    assert d.proc.wait(TIMEOUT) == 0
    assert "transport=grpc" in d.logs()


def test_request_level_errors_are_statuses(daemon_factory):
    d, port = start(daemon_factory, "--max-batch-items", "2", "--max-frame-bytes", "4096")
    stub = passkeyd_pb2_grpc.PasskeydStub(channel(port))
    a = Authenticator()
    challenge = os.urandom(32)
    items = [auth_item(a, challenge) for _ in range(3)]
    with pytest.raises(grpc.RpcError) as e:
        stub.VerifyAuthenticationBatch(pb.VerifyAuthenticationBatchRequest(items=items), timeout=TIMEOUT)
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert trailer(e.value, "passkeyd-error-code") == "BATCH_TOO_LARGE"
    assert e.value.details().startswith("BATCH_TOO_LARGE: batch of 3 items")
    framed_error = framed(d, 9, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items)).error
    assert framed_error.code == pb.BATCH_TOO_LARGE

    # A message above max_frame_bytes is refused by the gRPC stack from its length prefix, before the executor sees
    # it: grpc-swift resets the stream (clients see CANCELLED), and the connection stays usable.
    big = auth_item(a, challenge)
    big.stored_credential_id = bytes(8192)
    with pytest.raises(grpc.RpcError) as e:
        stub.VerifyAuthentication(big, timeout=TIMEOUT)
    assert e.value.code() in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.CANCELLED)
    assert stub.Health(pb.HealthRequest(), timeout=TIMEOUT).status == pb.HealthResponse.SERVING

    # Bytes that are not the method's message: MALFORMED_FRAME as INVALID_ARGUMENT, and the channel stays usable.
    raw = channel(port).unary_unary("/passkeyd.v1.Passkeyd/VerifyAuthentication")
    with pytest.raises(grpc.RpcError) as e:
        raw(b"\x0a\x05\x01", timeout=TIMEOUT)
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert trailer(e.value, "passkeyd-error-code") == "MALFORMED_FRAME"
    ok = stub.VerifyAuthentication(items[0], timeout=TIMEOUT)
    assert ok.error_code == pb.ERROR_CODE_NONE, ok.error_message

    with pytest.raises(grpc.RpcError) as e:
        channel(port).unary_unary("/passkeyd.v1.Passkeyd/NoSuchMethod")(b"", timeout=TIMEOUT)
    assert e.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_bad_settings_stop_the_daemon(tmp_path):
    from conftest import BIN
    import subprocess
    for args in (["--grpc-port", "70000"], ["--grpc-port", "0", "--grpc-host", "example.com"]):
        out = subprocess.run([BIN, "serve", "--unix-socket", str(tmp_path / "s.sock"), *args], capture_output=True,
                             text=True, timeout=TIMEOUT)
        assert out.returncode == 2, out.stderr
        assert "grpc_" in out.stderr


def tls_channel(port, pki, cert=None, key=None):
    creds = grpc.ssl_channel_credentials(
        root_certificates=open(pki["ca"], "rb").read(),
        private_key=open(key, "rb").read() if key else None,
        certificate_chain=open(cert, "rb").read() if cert else None)
    return grpc.secure_channel("127.0.0.1:%d" % port, creds)


def serves(ch):
    try:
        r = passkeyd_pb2_grpc.PasskeydStub(ch).Health(pb.HealthRequest(), timeout=5)
        return r.status == pb.HealthResponse.SERVING
    except grpc.RpcError:
        return False


def test_tls_and_mutual_tls(daemon_factory, pki):  # noqa: F811
    tls = ("--tls-cert", pki["server_cert"], "--tls-key", pki["server_key"])
    d, port = start(daemon_factory, *tls)
    assert serves(tls_channel(port, pki))
    assert not serves(grpc.insecure_channel("127.0.0.1:%d" % port)), "plain text was served on a TLS port"
    assert "security=tls" in d.logs()

    d, port = start(daemon_factory, *tls, "--tls-client-ca", pki["ca"])
    assert serves(tls_channel(port, pki, pki["good_cert"], pki["good_key"]))
    assert not serves(tls_channel(port, pki)), "a client without a certificate was served"
    assert not serves(tls_channel(port, pki, pki["bad_cert"], pki["bad_key"])), "another CA's client was served"
    a = Authenticator()
    challenge = os.urandom(32)
    stub = passkeyd_pb2_grpc.PasskeydStub(tls_channel(port, pki, pki["good_cert"], pki["good_key"]))
    r = stub.VerifyAuthentication(auth_item(a, challenge), timeout=TIMEOUT)
    assert r.error_code == pb.ERROR_CODE_NONE, r.error_message


def test_metrics_count_grpc_calls(daemon_factory):
    import urllib.request
    metrics = free_port()
    d, port = start(daemon_factory, "--metrics-port", str(metrics), "--max-batch-items", "1")
    stub = passkeyd_pb2_grpc.PasskeydStub(channel(port))
    a = Authenticator()
    challenge = os.urandom(32)
    assert stub.VerifyAuthentication(auth_item(a, challenge), timeout=TIMEOUT).error_code == pb.ERROR_CODE_NONE
    with pytest.raises(grpc.RpcError):
        stub.VerifyAuthenticationBatch(pb.VerifyAuthenticationBatchRequest(
            items=[auth_item(a, challenge), auth_item(a, challenge)]), timeout=TIMEOUT)
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % metrics, timeout=5).read().decode()
    assert 'passkeyd_grpc_calls_total{listener="grpc",method="VerifyAuthentication",status="OK"} 1' in text, text
    assert 'passkeyd_grpc_calls_total{listener="grpc",method="VerifyAuthenticationBatch",status="RESOURCE_EXHAUSTED"} 1' in text
    # The verdict and the refusal are the server's shared counters, as for frames.
    assert 'passkeyd_verdicts_total{method="verify_authentication",code="ERROR_CODE_NONE"} 1' in text
    assert 'passkeyd_request_errors_total{code="BATCH_TOO_LARGE"} 1' in text
    assert "passkeyd_grpc_call_duration_seconds_bucket" in text


def test_options_then_issued_challenges_over_grpc(daemon_factory):
    """GenerateRegistrationOptions / GenerateAuthenticationOptions, then verification against the issued challenges
    (the embedded replay store): first use verifies, a replay is the item's CHALLENGE_REUSED, as over frames."""
    import json
    from test_options import b64d, create, get
    d, port = start(daemon_factory)
    stub = passkeyd_pb2_grpc.PasskeydStub(channel(port))
    a = Authenticator()
    context, cred_id = os.urandom(16), os.urandom(16)
    reg = stub.GenerateRegistrationOptions(pb.GenerateRegistrationOptionsRequest(
        policy=policy(), user=pb.PublicKeyCredentialUser(id=b"\x01", name="alice"), context=context), timeout=TIMEOUT)
    assert reg.error_code == pb.ERROR_CODE_NONE, reg.error_message
    options = json.loads(reg.options_json)
    assert b64d(options["challenge"]) == reg.challenge
    verify = pb.VerifyRegistrationRequest(policy=policy(), issued_challenge=pb.IssuedChallenge(context=context),
                                          response_json=create(a, options, cred_id))
    r = stub.VerifyRegistration(verify, timeout=TIMEOUT)
    assert r.error_code == pb.ERROR_CODE_NONE, r.error_message
    assert stub.VerifyRegistration(verify, timeout=TIMEOUT).error_code == pb.CHALLENGE_REUSED
    assert framed(d, 1, verify_registration=verify).verify_registration.error_code == pb.CHALLENGE_REUSED

    login = stub.GenerateAuthenticationOptions(pb.GenerateAuthenticationOptionsRequest(
        policy=policy(), allow_credentials=[pb.CredentialDescriptor(id=cred_id)], context=context), timeout=TIMEOUT)
    assert login.error_code == pb.ERROR_CODE_NONE, login.error_message
    item = pb.VerifyAuthenticationRequest(
        policy=policy(), issued_challenge=pb.IssuedChallenge(context=context), credential_public_key=r.credential_public_key,
        stored_credential_id=cred_id, response_json=get(a, json.loads(login.options_json), cred_id))
    assert stub.VerifyAuthentication(item, timeout=TIMEOUT).error_code == pb.ERROR_CODE_NONE
    assert stub.VerifyAuthentication(item, timeout=TIMEOUT).error_code == pb.CHALLENGE_REUSED


@pytest.mark.skipif(__import__("shutil").which("redis-server") is None, reason="redis-server is not installed")
def test_issued_challenges_wait_for_redis(daemon_factory, tmp_path):
    """With the shared replay store, a call whose challenge must be recorded waits for Redis (the loop stays free)
    and is answered when it replies; with Redis gone, the call is UNAVAILABLE with the passkeyd code, nothing decided."""
    import tempfile
    from challenge_tokens import ChallengeTestKey, write_keys_file
    from test_redis import H, Redis, issued_item, wait_for_store
    key = ChallengeTestKey("grpc-1")
    keys_path = str(tmp_path / "challenge-keys.json")
    write_keys_file(keys_path, key, [key])
    redis = Redis(tempfile.mkdtemp(prefix="pkd-redis-"))
    try:
        d, port = start(daemon_factory, "--challenge-store", "redis", "--redis-url", redis.url,
                        "--challenge-keys-file", keys_path)
        wait_for_store(d, H.CHALLENGE_STORE_CONNECTED)
        stub = passkeyd_pb2_grpc.PasskeydStub(channel(port))
        a = Authenticator()
        ad, cd, sig = a.assertion(key.mint("example.com", b"session-1"))
        item = issued_item(a, ad, cd, sig, b"session-1")
        first = stub.VerifyAuthentication(item, timeout=TIMEOUT)
        assert first.error_code == pb.ERROR_CODE_NONE, first.error_message
        assert stub.VerifyAuthentication(item, timeout=TIMEOUT).error_code == pb.CHALLENGE_REUSED
        batch = pb.VerifyAuthenticationBatchRequest(items=[
            issued_item(a, *a.assertion(key.mint("example.com", b"s-%d" % i)), b"s-%d" % i) for i in range(3)] + [item])
        assert [x.error_code for x in stub.VerifyAuthenticationBatch(batch, timeout=TIMEOUT).results] == [
            pb.ERROR_CODE_NONE] * 3 + [pb.CHALLENGE_REUSED]

        redis.stop()
        ad, cd, sig = a.assertion(key.mint("example.com", b"session-2"))
        with pytest.raises(grpc.RpcError) as e:
            stub.VerifyAuthentication(issued_item(a, ad, cd, sig, b"session-2"), timeout=TIMEOUT)
        assert e.value.code() == grpc.StatusCode.UNAVAILABLE
        assert trailer(e.value, "passkeyd-error-code") == "UNAVAILABLE"
    finally:
        redis.stop()
