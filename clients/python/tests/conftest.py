"""Starts the real passkeyd daemon (loopback only) for the tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the package, without installing it
sys.path.insert(0, str(HERE))  # webauthn.py

REPO = HERE.parents[2]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
MAX_BATCH_ITEMS = 100  # small, so that an oversized batch still fits in one frame


@dataclass
class Daemon:
    unix_socket: str
    host: str
    port: int
    log_path: Path
    proc: subprocess.Popen

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(family, addr) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(addr)
            return True
        except OSError:
            return False


@pytest.fixture(scope="session")
def daemon():
    binary = Path(os.environ.get("PASSKEYD_BIN", REPO / ".build" / "debug" / "passkeyd"))
    if not binary.is_file():
        pytest.fail(f"passkeyd binary not found at {binary} (build it, or set PASSKEYD_BIN)")
    workdir = Path(tempfile.mkdtemp(prefix="pkd-py-"))  # short: Unix socket paths are limited to ~100 bytes
    sock_path = str(workdir / "passkeyd.sock")
    port = _free_port()
    log_path = workdir / "passkeyd.log"
    log = open(log_path, "wb")
    cmd = [str(binary), "serve", "--unix-socket", sock_path, "--tcp-port", str(port), "--tcp-host", "127.0.0.1",
           "--max-batch-items", str(MAX_BATCH_ITEMS), "--log-level", "info"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    d = Daemon(sock_path, "127.0.0.1", port, log_path, proc)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"passkeyd exited with status {proc.returncode} at start:\n{d.log_tail()}")
            if (os.path.exists(sock_path) and _accepts(socket.AF_UNIX, sock_path)
                    and _accepts(socket.AF_INET, ("127.0.0.1", port))):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"passkeyd did not accept connections within {START_TIMEOUT} s:\n{d.log_tail()}")
            time.sleep(0.05)
        yield d
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(STOP_TIMEOUT)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(params=["unix", "tcp"])
def client(request, daemon):
    from passkeyd_client import Client

    if request.param == "unix":
        c = Client(unix_socket=daemon.unix_socket, timeout=20)
    else:
        c = Client(host=daemon.host, port=daemon.port, timeout=20)
    with c:
        yield c


@pytest.fixture
def unix_client(daemon):
    from passkeyd_client import Client

    with Client(unix_socket=daemon.unix_socket, timeout=20) as c:
        yield c
