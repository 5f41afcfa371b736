"""The daemon's behaviour under pipelining, limits, disconnects and signals."""
import os
import signal
import socket
import threading
import time

import pytest
from conftest import (
    Authenticator, auth_request, frame, pb, policy, read_exact, read_response, RP_ID, ORIGIN,
)

CHALLENGE = os.urandom(32)
NONE = pb.ERROR_CODE_NONE


def test_every_method_and_batch_order(daemon_factory):
    d = daemon_factory("--tcp-port", "0")
    s = d.connect()
    a = Authenticator()
    s.sendall(frame(auth_request(a, CHALLENGE, 1)))
    r = read_response(s)
    assert r.id == 1 and r.verify_authentication.error_code == NONE and r.verify_authentication.sign_count == 1
    # A batch with invalid items at known places keeps order and per-item codes.
    items = []
    expected = []
    for i in range(40):
        req = auth_request(a, CHALLENGE, 0).verify_authentication
        if i % 7 == 3:
            req.fields.signature = req.fields.signature[:-1] + bytes([req.fields.signature[-1] ^ 1])
            expected.append({pb.BAD_SIGNATURE, pb.MALFORMED_SIGNATURE})
        elif i % 11 == 5:
            req.challenge = os.urandom(32)
            expected.append({pb.CHALLENGE_MISMATCH})
        else:
            expected.append({NONE})
        items.append(req)
    s.sendall(frame(pb.Request(id=2, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items))))
    r = read_response(s)
    assert r.id == 2
    results = r.verify_authentication_batch.results
    assert len(results) == 40
    for got, want in zip(results, expected):
        assert got.error_code in want, (got, want)
    s.sendall(frame(pb.Request(id=3, health=pb.HealthRequest())))
    assert read_response(s).health.status == pb.HealthResponse.SERVING
    s.sendall(frame(pb.Request(id=4, server_info=pb.ServerInfoRequest())))
    info = read_response(s).server_info
    assert -7 in info.algorithms and "packed" in info.attestation_formats and info.max_frame_bytes == 1 << 20


def test_out_of_order_completion(daemon_factory):
    """A large batch (offloaded) is overtaken by a health check sent after it."""
    d = daemon_factory("--offload-batch-items", "64")
    s = d.connect()
    a = Authenticator()
    items = [auth_request(a, CHALLENGE, 0).verify_authentication for _ in range(400)]
    s.sendall(frame(pb.Request(id=1, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items)))
              + frame(pb.Request(id=2, health=pb.HealthRequest())))
    first, second = read_response(s), read_response(s)
    assert [first.id, second.id] == [2, 1]
    assert all(r.error_code == NONE for r in second.verify_authentication_batch.results)


def test_pipelined_requests_all_answered(daemon_factory):
    d = daemon_factory()
    s = d.connect()
    a = Authenticator()
    payload = b"".join(frame(auth_request(a, CHALLENGE, i)) for i in range(1, 301))
    s.sendall(payload)
    ids = set()
    for _ in range(300):
        r = read_response(s)
        assert r.verify_authentication.error_code == NONE
        ids.add(r.id)
    assert ids == set(range(1, 301))


def test_malformed_frames_close_only_their_connection(daemon_factory):
    d = daemon_factory("--max-frame-bytes", "4096")
    bystander = d.connect()
    for bad, code in [
        (b"\x01\x00\x00\x00\x00", pb.MALFORMED_FRAME),  # flag byte
        (b"\x00\x00\x01\x00\x00", pb.FRAME_TOO_LARGE),  # 65536 > 4096, refused before reading it
        (b"\x00\x00\x00\x00\x03\xff\xff\xff", pb.MALFORMED_FRAME),  # payload is not a Request
    ]:
        s = d.connect()
        s.sendall(bad)
        r = read_response(s)
        assert r.error.code == code and r.error.message
        assert s.recv(1) == b""  # closed by the server
    bystander.sendall(frame(pb.Request(id=7, health=pb.HealthRequest())))
    assert read_response(bystander).id == 7


def test_batch_too_large_and_unknown_relying_party(daemon_factory):
    d = daemon_factory("--max-batch-items", "8")
    s = d.connect()
    a = Authenticator()
    items = [auth_request(a, CHALLENGE, 0).verify_authentication for _ in range(9)]
    s.sendall(frame(pb.Request(id=1, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items))))
    assert read_response(s).error.code == pb.BATCH_TOO_LARGE
    s.sendall(frame(auth_request(a, CHALLENGE, 2, pol=policy(relying_party="nope"))))
    r = read_response(s)
    assert r.verify_authentication.error_code == pb.UNKNOWN_RELYING_PARTY


def test_max_connections(daemon_factory):
    d = daemon_factory("--max-connections", "3")
    held = [d.connect() for _ in range(3)]
    for h in held:  # make sure all three are registered
        h.sendall(frame(pb.Request(id=1, health=pb.HealthRequest())))
        read_response(h)
    extra = d.connect()
    r = read_response(extra)
    assert r.error.code == pb.OVERLOADED
    assert extra.recv(1) == b""
    held[0].close()
    time.sleep(0.2)
    again = d.connect()
    again.sendall(frame(pb.Request(id=2, health=pb.HealthRequest())))
    assert read_response(again).id == 2


def test_idle_timeout_frees_slow_clients(daemon_factory):
    d = daemon_factory("--idle-timeout-ms", "300")
    s = d.connect()
    s.sendall(b"\x00\x00")  # half a header, then silence
    t0 = time.time()
    assert s.recv(1) == b""
    assert time.time() - t0 < 5


def test_client_that_never_reads_is_throttled_not_buffered(daemon_factory):
    """Back-pressure: the server stops reading instead of buffering responses without bound."""
    d = daemon_factory()
    s = d.connect()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    req = frame(pb.Request(id=1, server_info=pb.ServerInfoRequest()))
    s.setblocking(False)
    sent = 0
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            sent += s.send(req * 64)
        except BlockingIOError:
            break
    # The server stopped reading at some point, so our sends blocked well before 5 s of unbounded pushing.
    assert time.time() < deadline, "the server kept reading from a client that never reads"
    rss_kb = int(open("/proc/%d/status" % d.proc.pid).read().split("VmRSS:")[1].split()[0])
    assert rss_kb < 512 * 1024
    other = d.connect()
    other.sendall(frame(pb.Request(id=9, health=pb.HealthRequest())))
    assert read_response(other).id == 9


def test_disconnect_mid_request_and_mid_frame(daemon_factory):
    d = daemon_factory()
    a = Authenticator()
    for _ in range(20):
        s = d.connect()
        data = frame(auth_request(a, CHALLENGE, 1)) * 50
        s.sendall(data + data[:17])  # 50 requests, then a torn frame
        s.close()  # without reading anything
    s = d.connect()
    s.sendall(frame(pb.Request(id=5, health=pb.HealthRequest())))
    r = read_response(s)
    assert r.id == 5 and r.health.status == pb.HealthResponse.SERVING


def test_sigterm_answers_everything_in_flight(daemon_factory):
    d = daemon_factory("--offload-batch-items", "16")
    a = Authenticator()
    conns = [d.connect() for _ in range(4)]
    # 1,000 assertions in flight: 10 batches of 100 on four connections.
    rid = 0
    sent = {c: [] for c in conns}
    for i in range(10):
        c = conns[i % 4]
        rid += 1
        items = [auth_request(a, CHALLENGE, 0).verify_authentication for _ in range(100)]
        c.sendall(frame(pb.Request(id=rid, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items))))
        sent[c].append(rid)
    d.signal(signal.SIGTERM)
    answered = 0
    for c, ids in sent.items():
        got = set()
        for _ in ids:
            r = read_response(c)
            if r.HasField("verify_authentication_batch"):
                assert len(r.verify_authentication_batch.results) == 100
                assert all(x.error_code == pb.ERROR_CODE_NONE for x in r.verify_authentication_batch.results)
                answered += 100
            else:
                assert r.error.code == pb.SHUTTING_DOWN  # read after the drain began: answered, not dropped
            got.add(r.id)
        assert got == set(ids)
    assert answered > 0
    assert d.proc.wait(15) == 0
    assert "drained complete=true" in d.logs()


def test_drain_timeout_exits_with_status_1(daemon_factory):
    d = daemon_factory("--drain-timeout-ms", "0", "--offload-batch-items", "16")
    a = Authenticator()
    c = d.connect()
    for rid in range(1, 4):
        items = [auth_request(a, CHALLENGE, 0).verify_authentication for _ in range(1000)]
        c.sendall(frame(pb.Request(id=rid, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items))))
    probe = d.connect()
    deadline = time.time() + 10
    busy = False
    while not busy and time.time() < deadline:
        probe.sendall(frame(pb.Request(id=99, health=pb.HealthRequest())))
        busy = read_response(probe).health.in_flight > 0
    assert busy
    d.signal(signal.SIGTERM)
    assert d.proc.wait(15) == 1  # requests were still running when the (zero) drain time ran out
    assert "drained complete=false" in d.logs()


def test_sighup_reloads_relying_parties_under_load(daemon_factory):
    cfg = {"relying_parties": {"main": {"rp_id": RP_ID, "origins": [ORIGIN]}}}
    d = daemon_factory(config=cfg)
    a = Authenticator()
    stop = threading.Event()
    failures = []
    count = [0]

    def load():
        s = d.connect()
        i = 0
        while not stop.is_set() and i < 5000:
            i += 1
            s.sendall(frame(auth_request(a, CHALLENGE, i, pol=policy(relying_party="main"), count=1)))
            r = read_response(s)
            if r.id != i or r.verify_authentication.error_code != pb.ERROR_CODE_NONE:
                failures.append(r)
            count[0] += 1

    t = threading.Thread(target=load)
    t.start()
    time.sleep(0.3)
    # Add a second relying party and reload while requests are flowing.
    import json
    with open(d.config, "w") as f:
        json.dump({"relying_parties": {"main": {"rp_id": RP_ID, "origins": [ORIGIN]},
                                       "second": {"rp_id": RP_ID, "origins": [ORIGIN]}}}, f)
    d.signal(signal.SIGHUP)
    time.sleep(0.5)
    stop.set()
    t.join(30)
    assert not failures
    assert count[0] > 10
    s = d.connect()
    s.sendall(frame(pb.Request(id=1, server_info=pb.ServerInfoRequest())))
    assert sorted(read_response(s).server_info.relying_parties) == ["main", "second"]
    s.sendall(frame(auth_request(a, CHALLENGE, 2, pol=policy(relying_party="second"))))
    assert read_response(s).verify_authentication.error_code == pb.ERROR_CODE_NONE
    assert "reloaded" in d.logs()


def test_socket_mode_and_peer_uid_allow_list(daemon_factory):
    d = daemon_factory("--socket-mode", "600")
    assert oct(os.stat(d.sock).st_mode & 0o777) == "0o600"
    denied = daemon_factory("--allowed-peer-uids", str(os.getuid() + 4242))
    s = denied.connect()
    assert s.recv(1) == b""  # closed without an answer: this UID is not allowed
    allowed = daemon_factory("--allowed-peer-uids", "%d,%d" % (os.getuid() + 1, os.getuid()))
    s = allowed.connect()
    s.sendall(frame(pb.Request(id=3, health=pb.HealthRequest())))
    assert read_response(s).id == 3


def test_metrics_endpoint(daemon_factory):
    from conftest import free_port
    import urllib.request
    port = free_port()
    d = daemon_factory("--metrics-port", str(port))
    s = d.connect()
    a = Authenticator()
    mismatch = auth_request(a, CHALLENGE, 2)
    mismatch.verify_authentication.challenge = os.urandom(32)
    s.sendall(frame(auth_request(a, CHALLENGE, 1)) + frame(mismatch))
    read_response(s), read_response(s)
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read().decode()
    assert 'passkeyd_verdicts_total{method="verify_authentication",code="ERROR_CODE_NONE"} 1' in text, text
    assert 'code="CHALLENGE_MISMATCH"' in text
    assert "passkeyd_request_duration_seconds_bucket" in text
    assert "passkeyd_key_cache_hit_ratio" in text
