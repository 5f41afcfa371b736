"""End-to-end tests of the real passkeyd daemon: raw sockets, loopback only, bounded loops."""
import base64
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
from passkeyd_client import passkeyd_pb2 as pb  # noqa: E402

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

BIN = os.environ.get("PASSKEYD_BIN", os.path.join(ROOT, ".build", "debug", "passkeyd"))
RP_ID = "example.com"
ORIGIN = "https://example.com"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Daemon:
    def __init__(self, tmp, *args, config=None):
        self.dir = tmp
        self.sock = os.path.join(tmp, "passkeyd.sock")
        self.log = open(os.path.join(tmp, "passkeyd.log"), "w+")
        cmd = [BIN, "serve", "--unix-socket", self.sock, *args]
        if config is not None:
            self.config = os.path.join(tmp, "config.json")
            with open(self.config, "w") as f:
                json.dump(config, f)
            cmd += ["--config", self.config]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except BaseException:
            self.proc.kill()
            self.proc.wait(5)
            raise

    def _wait_ready(self):
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("passkeyd exited early: " + self.logs())
            try:
                c = self.connect()
            except OSError:
                time.sleep(0.05)
                continue
            # Ready; wait until earlier probes are gone so tests start from a quiet server.
            try:
                for i in range(200):
                    c.sendall(frame(pb.Request(id=i + 1, health=pb.HealthRequest())))
                    if read_response(c).health.connections <= 1:
                        break
                    time.sleep(0.01)
            except (ConnectionError, OSError):
                pass  # a peer-UID allow-list that excludes us: the socket is up, which is all we wait for
            c.close()
            time.sleep(0.05)
            return
        raise RuntimeError("passkeyd did not start: " + self.logs())

    def connect(self):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(20)
        s.connect(self.sock)
        return s

    def logs(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def daemon_factory():
    started = []
    dirs = []

    def make(*args, config=None):
        d = tempfile.mkdtemp(prefix="pkd-e2e-")
        dirs.append(d)
        daemon = Daemon(d, *args, config=config)
        started.append(daemon)
        return daemon

    yield make
    for d in started:
        d.stop()


def frame(msg, flag=0):
    body = msg.SerializeToString()
    return struct.pack(">BI", flag, len(body)) + body


def read_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise ConnectionError("closed after %d of %d bytes" % (len(out), n))
        out += chunk
    return out


def read_response(s):
    flag, n = struct.unpack(">BI", read_exact(s, 5))
    assert flag == 0
    r = pb.Response()
    r.ParseFromString(read_exact(s, n))
    return r


class Authenticator:
    """A software ES256 authenticator (test side, independent of the Swift one)."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        nums = self.key.public_key().public_numbers()
        x, y = nums.x.to_bytes(32, "big"), nums.y.to_bytes(32, "big")
        # COSE_Key {1: 2, 3: -7, -1: 1, -2: x, -3: y}
        self.cose = bytes([0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]) + x + bytes([0x22, 0x58, 0x20]) + y
        self.count = 0

    def assertion(self, challenge, origin=ORIGIN, count=None):
        self.count += 1
        c = self.count if count is None else count
        auth_data = hashlib.sha256(RP_ID.encode()).digest() + bytes([0x05]) + struct.pack(">I", c)
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": b64u(challenge), "origin": origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()
        sig = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return auth_data, client_data, sig


def policy(**kw):
    if "relying_party" in kw:
        return pb.RelyingPartyPolicy(relying_party=kw["relying_party"])
    return pb.RelyingPartyPolicy(rp_id=RP_ID, origins=[ORIGIN], **kw)


def auth_request(auth, challenge, rid, pol=None, stored=0, **kw):
    ad, cd, sig = auth.assertion(challenge, **kw)
    return pb.Request(
        id=rid,
        verify_authentication=pb.VerifyAuthenticationRequest(
            policy=pol or policy(),
            challenge=challenge,
            credential_public_key=auth.cose,
            stored_sign_count=stored,
            fields=pb.AssertionFields(authenticator_data=ad, client_data_json=cd, signature=sig),
        ),
    )
