"""Issued challenges in the real daemon: single use on one process (embedded store) and across two processes that
share one Redis; Redis stopped mid-test gives UNAVAILABLE (health and metrics say so) and service comes back by
itself when Redis does; a batch's items share one round trip; key rotation on SIGHUP keeps the old key's tokens.
Each test starts its own redis-server on loopback (a free TCP port or a Unix socket in a temp dir); every wait is
bounded."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

from challenge_tokens import ChallengeTestKey, write_keys_file
from conftest import BIN, RP_ID, Authenticator, frame, free_port, pb, policy, read_response

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (scripts/install-deps.sh)")

REUSED = pb.CHALLENGE_REUSED
H = pb.HealthResponse


class Redis:
    """A throwaway redis-server: no persistence, loopback TCP or a Unix socket only."""

    def __init__(self, tmp, port=None, unix=False):
        self.dir = tmp
        self.port = 0 if unix else (port or free_port())
        self.sock = os.path.join(tmp, "redis.sock") if unix else None
        self.proc = None
        self.start()

    def start(self):
        cmd = [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", self.dir, "--protected-mode", "no"]
        if self.sock:
            cmd += ["--unixsocket", self.sock, "--unixsocketperm", "700"]
        self.log = open(os.path.join(self.dir, "redis.log"), "a")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if self.command("PING") == "+PONG":
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    @property
    def url(self):
        return "unix://%s" % self.sock if self.sock else "redis://127.0.0.1:%d" % self.port

    def command(self, *args):
        """One command; the reply's first line (or a bulk string's text)."""
        if self.sock:
            s = socket.socket(socket.AF_UNIX)
            target = self.sock
        else:
            s = socket.socket()
            target = ("127.0.0.1", self.port)
        s.settimeout(5)
        s.connect(target)
        try:
            s.sendall(("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)).encode())
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, rest = data.partition(b"\r\n")
            if head.startswith(b"$") and int(head[1:]) >= 0:
                n = int(head[1:])
                while len(rest) < n + 2:
                    rest += s.recv(65536)
                return rest[:n].decode()
            return head.decode()
        finally:
            s.close()

    def set_calls(self):
        for line in self.command("INFO", "commandstats").splitlines():
            if line.startswith("cmdstat_set:"):
                return int(line.split("calls=")[1].split(",")[0])
        return 0


@pytest.fixture
def redis_factory():
    made = []

    def make(**kw):
        r = Redis(tempfile.mkdtemp(prefix="pkd-redis-"), **kw)
        made.append(r)
        return r

    yield make
    for r in made:
        r.stop()


@pytest.fixture
def keys(tmp_path):
    key = ChallengeTestKey("e2e-1")
    path = str(tmp_path / "challenge-keys.json")
    write_keys_file(path, key, [key])
    return key, path


def issued_request(auth, token, context, rid):
    ad, cd, sig = auth.assertion(token)
    return pb.Request(id=rid, verify_authentication=issued_item(auth, ad, cd, sig, context))


def issued_item(auth, ad, cd, sig, context):
    return pb.VerifyAuthenticationRequest(
        policy=policy(),
        issued_challenge=pb.IssuedChallenge(context=context),
        credential_public_key=auth.cose,
        fields=pb.AssertionFields(authenticator_data=ad, client_data_json=cd, signature=sig))


def call(daemon, request):
    c = daemon.connect()
    try:
        c.sendall(frame(request))
        return read_response(c)
    finally:
        c.close()


def health(daemon):
    return call(daemon, pb.Request(id=1, health=pb.HealthRequest())).health


def wait_for_store(daemon, status, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        h = health(daemon)
        if h.challenge_store == status:
            return h
        time.sleep(0.05)
    raise AssertionError("challenge store never became %s; last %s" % (H.ChallengeStore.Name(status), h))


def metric(port, name, labels=""):
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and labels in line and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def redis_daemon(daemon_factory, redis, keys_path, *extra):
    d = daemon_factory("--challenge-store", "redis", "--redis-url", redis.url, "--challenge-keys-file", keys_path, *extra)
    wait_for_store(d, H.CHALLENGE_STORE_CONNECTED)
    return d


def test_the_embedded_store_refuses_a_replay(daemon_factory, keys):
    key, path = keys
    d = daemon_factory("--challenge-keys-file", path)
    info = call(d, pb.Request(id=1, server_info=pb.ServerInfoRequest())).server_info
    assert (info.challenge_store, info.challenge_minting_key, info.challenge_keys_ephemeral) == ("memory", "e2e-1", False)
    assert list(info.challenge_keys) == ["e2e-1"] and info.challenge_lifetime_ms == 300_000
    assert health(d).challenge_store == H.CHALLENGE_STORE_MEMORY
    auth = Authenticator()
    token = key.mint(RP_ID, b"session-1")
    request = issued_request(auth, token, b"session-1", 5)
    first = call(d, request)
    assert first.id == 5 and first.verify_authentication.error_code == pb.ERROR_CODE_NONE
    assert first.verify_authentication.sign_count == 1
    assert call(d, request).verify_authentication.error_code == REUSED
    # Checked for another context, another key, or forged: each its own code, none consuming anything.
    other = key.mint(RP_ID, b"session-2")
    assert call(d, issued_request(auth, other, b"session-3", 6)).verify_authentication.error_code == pb.CHALLENGE_REBOUND
    assert call(d, issued_request(auth, ChallengeTestKey("e2e-1").mint(RP_ID, b"x"), b"x", 7)).verify_authentication.error_code == pb.CHALLENGE_FORGED
    assert call(d, issued_request(auth, other, b"session-2", 8)).verify_authentication.error_code == pb.ERROR_CODE_NONE


def test_without_a_keys_file_the_key_is_ephemeral_and_said_so(daemon_factory):
    d = daemon_factory()
    info = call(d, pb.Request(id=1, server_info=pb.ServerInfoRequest())).server_info
    assert info.challenge_keys_ephemeral and info.challenge_minting_key.startswith("ephemeral-")
    assert "challenge keys: ephemeral" in d.logs()


@pytest.mark.parametrize("content,mode,why", [
    ('{"mint": "a", "keys": {"a": "c2hvcnQ="}}', 0o600, "at least 32"),
    ('{"mint": "b", "keys": {"a": "%s"}}' % ("A" * 44), 0o600, "not among"),
    ("not json", 0o600, "not JSON"),
    ('{"mint": "a", "keys": {"a": "%s"}}' % ("A" * 44), 0o644, "mode 644"),
])
def test_a_keys_file_that_cannot_be_used_stops_the_start(tmp_path, content, mode, why):
    path = tmp_path / "keys.json"
    path.write_text(content)
    os.chmod(path, mode)
    out = subprocess.run([BIN, "serve", "--unix-socket", str(tmp_path / "s.sock"), "--challenge-keys-file", str(path)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and why in out.stderr, out.stderr
    assert "AAAA" not in out.stderr


def test_two_daemons_share_one_redis(daemon_factory, redis_factory, keys):
    key, path = keys
    redis = redis_factory(unix=True)
    a = redis_daemon(daemon_factory, redis, path)
    b = redis_daemon(daemon_factory, redis, path)
    auth = Authenticator()
    token = key.mint(RP_ID, b"login-1")
    ad, cd, sig = auth.assertion(token)
    request = pb.Request(id=11, verify_authentication=issued_item(auth, ad, cd, sig, b"login-1"))
    assert call(a, request).verify_authentication.error_code == pb.ERROR_CODE_NONE
    # The same assertion replayed at the other replica, and at the first: refused by both.
    assert call(b, request).verify_authentication.error_code == REUSED
    assert call(a, request).verify_authentication.error_code == REUSED
    # The other way round, with a fresh challenge.
    fresh = key.mint(RP_ID, b"login-2")
    request = issued_request(auth, fresh, b"login-2", 12)
    assert call(b, request).verify_authentication.error_code == pb.ERROR_CODE_NONE
    assert call(a, request).verify_authentication.error_code == REUSED
    assert redis.command("DBSIZE") == ":2"


def test_redis_down_is_unavailable_and_service_returns_by_itself(daemon_factory, redis_factory, keys):
    key, path = keys
    redis = redis_factory()
    port = free_port()
    d = redis_daemon(daemon_factory, redis, path, "--metrics-port", str(port), "--redis-timeout-ms", "300")
    auth = Authenticator()
    assert call(d, issued_request(auth, key.mint(RP_ID, b"s"), b"s", 1)).verify_authentication.error_code == pb.ERROR_CODE_NONE

    redis.stop()
    h = wait_for_store(d, H.CHALLENGE_STORE_UNREACHABLE)
    assert h.challenge_store_message and h.status == H.SERVING
    refused = call(d, issued_request(auth, key.mint(RP_ID, b"s"), b"s", 2))
    assert refused.id == 2 and refused.error.code == pb.UNAVAILABLE, refused
    # Requests that need no store are still served.
    expected = pb.Request(id=3, verify_authentication=pb.VerifyAuthenticationRequest(
        policy=policy(), challenge=b"0123456789abcdef", credential_public_key=auth.cose,
        fields=pb.AssertionFields(**dict(zip(("authenticator_data", "client_data_json", "signature"), auth.assertion(b"0123456789abcdef"))))))
    assert call(d, expected).verify_authentication.error_code == pb.ERROR_CODE_NONE
    assert metric(port, "passkeyd_request_errors_total", 'code="UNAVAILABLE"') >= 1
    assert metric(port, "passkeyd_challenge_store_unavailable_total") >= 1
    assert "challenge store unreachable" in d.logs()

    redis.start()  # same port, empty: the daemon reconnects without a restart
    wait_for_store(d, H.CHALLENGE_STORE_CONNECTED)
    ok = call(d, issued_request(auth, key.mint(RP_ID, b"s"), b"s", 4))
    assert ok.verify_authentication.error_code == pb.ERROR_CODE_NONE, ok
    assert metric(port, "passkeyd_challenge_store_reconnects_total") >= 1
    assert "challenge store reconnected" in d.logs()


def test_a_batch_shares_one_round_trip(daemon_factory, redis_factory, keys):
    key, path = keys
    redis = redis_factory()
    port = free_port()
    # One event loop, so the connection (and its counters) is the one this test's requests use.
    d = redis_daemon(daemon_factory, redis, path, "--metrics-port", str(port), "--threads", "1")
    auth = Authenticator()
    items = []
    tokens = [key.mint(RP_ID, b"batch-%d" % i) for i in range(8)]
    for i, t in enumerate(tokens):
        ad, cd, sig = auth.assertion(t)
        items.append(issued_item(auth, ad, cd, sig, b"batch-%d" % i))
    # The first token once more, in the same batch: one SET each, the repeat answered nil.
    items.append(items[0])
    sets, trips = redis.set_calls(), metric(port, "passkeyd_challenge_store_round_trips_total")
    r = call(d, pb.Request(id=21, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=items)))
    codes = [x.error_code for x in r.verify_authentication_batch.results]
    assert codes == [pb.ERROR_CODE_NONE] * 8 + [REUSED]
    assert redis.set_calls() - sets == 9
    assert metric(port, "passkeyd_challenge_store_round_trips_total") - trips == 1
    # Pipelined single requests written in one go are served too, each once.
    c = d.connect()
    try:
        singles = [key.mint(RP_ID, b"p") for _ in range(16)]
        c.sendall(b"".join(frame(issued_request(auth, t, b"p", 100 + i)) for i, t in enumerate(singles)))
        got = {}
        for _ in singles:
            resp = read_response(c)
            got[resp.id] = resp.verify_authentication.error_code
        assert got == {100 + i: pb.ERROR_CODE_NONE for i in range(16)}
    finally:
        c.close()
    assert metric(port, "passkeyd_challenge_store_round_trips_total") - trips <= 1 + 16


def test_rotation_on_sighup_keeps_the_old_keys_tokens(daemon_factory, tmp_path):
    old, new = ChallengeTestKey("2026-05"), ChallengeTestKey("2026-06")
    path = str(tmp_path / "keys.json")
    write_keys_file(path, old, [old])
    d = daemon_factory("--challenge-keys-file", path)
    auth = Authenticator()
    before = old.mint(RP_ID, b"s1")  # minted before the rotation, used after it

    write_keys_file(path, new, [new, old])
    d.signal(signal.SIGHUP)
    deadline = time.time() + 10
    while "challenge keys reloaded" not in d.logs() and time.time() < deadline:
        time.sleep(0.05)
    info = call(d, pb.Request(id=1, server_info=pb.ServerInfoRequest())).server_info
    assert info.challenge_minting_key == "2026-06" and sorted(info.challenge_keys) == ["2026-05", "2026-06"]
    assert call(d, issued_request(auth, before, b"s1", 2)).verify_authentication.error_code == pb.ERROR_CODE_NONE
    assert call(d, issued_request(auth, new.mint(RP_ID, b"s2"), b"s2", 3)).verify_authentication.error_code == pb.ERROR_CODE_NONE

    # A broken file on SIGHUP keeps the running keys (logged).
    with open(path, "w") as f:
        f.write("{broken")
    d.signal(signal.SIGHUP)
    deadline = time.time() + 10
    while "challenge keys reload failed" not in d.logs() and time.time() < deadline:
        time.sleep(0.05)
    assert "challenge keys reload failed" in d.logs()
    assert call(d, issued_request(auth, old.mint(RP_ID, b"s3"), b"s3", 4)).verify_authentication.error_code == pb.ERROR_CODE_NONE

    # Once the old key is dropped, its tokens are forged.
    write_keys_file(path, new, [new])
    d.signal(signal.SIGHUP)
    deadline = time.time() + 10
    while d.logs().count("challenge keys reloaded") < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert call(d, issued_request(auth, old.mint(RP_ID, b"s4"), b"s4", 5)).verify_authentication.error_code == pb.CHALLENGE_FORGED


def test_drain_answers_a_request_waiting_for_redis(daemon_factory, redis_factory, keys):
    key, path = keys
    redis = redis_factory()
    d = redis_daemon(daemon_factory, redis, path, "--redis-timeout-ms", "5000")
    auth = Authenticator()
    # Redis paused (SIGSTOP): the request waits at the store while the daemon is told to stop.
    redis.proc.send_signal(signal.SIGSTOP)
    try:
        c = d.connect()
        c.sendall(frame(issued_request(auth, key.mint(RP_ID, b"d"), b"d", 77)))
        time.sleep(0.2)
        d.signal(signal.SIGTERM)
        time.sleep(0.2)
        redis.proc.send_signal(signal.SIGCONT)
        resp = read_response(c)
        assert resp.id == 77 and resp.verify_authentication.error_code == pb.ERROR_CODE_NONE, resp
        c.close()
        assert d.proc.wait(15) == 0
    finally:
        redis.proc.send_signal(signal.SIGCONT)
