"""A real browser end to end: Debian's chromium (headless, through chromium-driver) with Chrome's WebAuthn virtual
authenticator, the example gateway (examples/gateway-python) and the real passkeyd, all on loopback.

Chromium missing is a skip only outside CI: `make test` sets REQUIRE_BROWSER_TESTS=1 and CI sets CI, and then it
is a failure, so a green CI run always means a browser really ran.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GATEWAY_DIR = os.path.join(ROOT, "examples", "gateway-python")
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
sys.path.insert(0, GATEWAY_DIR)

BIN = os.environ.get("PASSKEYD_BIN", os.path.join(ROOT, ".build", "debug", "passkeyd"))
CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN") or shutil.which("chromedriver")

# The algorithms offered one at a time, each through a relying party whose options list only it.
ALGORITHMS = {-7: "ES256", -257: "RS256", -8: "EdDSA", -49: "ML-DSA-65", -50: "ML-DSA-87"}
WAIT = 20  # seconds: the bound on every wait for the page, the daemon or a server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_browser():
    missing = [name for name, path in (("chromium", CHROMIUM), ("chromedriver (chromium-driver)", CHROMEDRIVER)) if not path]
    if not missing:
        return
    message = (f"{' and '.join(missing)} not installed: the browser tests need Debian's chromium and chromium-driver "
               "(scripts/install-deps.sh installs them)")
    if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class Daemon:
    def __init__(self, tmp, config):
        self.sock = os.path.join(tmp, "passkeyd.sock")
        self.config = os.path.join(tmp, "passkeyd.json")
        with open(self.config, "w") as f:
            json.dump(config, f)
        self.log = open(os.path.join(tmp, "passkeyd.log"), "w+")
        self.proc = subprocess.Popen([BIN, "serve", "--unix-socket", self.sock, "--config", self.config],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("passkeyd did not start: " + self.logs())
            time.sleep(0.05)

    def logs(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Server:
    """The gateway's Flask app on one loopback port (werkzeug's threaded server, in a thread of the test process)."""

    def __init__(self, app, port):
        from werkzeug.serving import make_server

        self.port = port
        self.httpd = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.thread.join(WAIT)


@pytest.fixture(scope="session")
def stack():
    """passkeyd with the test's relying parties, and the gateway on two ports: the one passkeyd allows as origin
    (`port`) and another (`other_port`) whose origin it does not (`http://localhost:other` is a valid page for RP ID
    `localhost`, so the browser signs for it and passkeyd must refuse)."""
    _require_browser()
    port, other_port = free_port(), free_port()
    origin = f"http://localhost:{port}"
    rp = {"rp_id": "localhost", "origins": [origin], "options": {"rp_name": "passkeyd browser test"}}
    parties = {"example": rp, "uv": {**rp, "require_user_verification": True},
               # A counter that did not move is reported, not refused: then only single use stops a replay.
               "counter-report": {**rp, "sign_count_policy": "report"}}
    for alg in ALGORITHMS:
        parties[f"alg{alg}"] = {**rp, "options": {"algorithms": [alg], "attestation": "direct"}}
    tmp = tempfile.mkdtemp(prefix="pkd-browser-")
    daemon = Daemon(tmp, {"relying_parties": parties})
    servers = []
    try:
        from app import create_app

        app = create_app(passkeyd_socket=daemon.sock, database=os.path.join(tmp, "gateway.db"),
                         relying_parties=list(parties))
        servers = [Server(app, port), Server(app, other_port)]
        yield {"port": port, "other_port": other_port, "origin": origin, "daemon": daemon, "tmp": tmp,
               "database": os.path.join(tmp, "gateway.db")}
    finally:
        for s in servers:
            s.stop()
        daemon.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def driver(stack):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync"):
        options.add_argument(arg)
    d = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    d.set_script_timeout(WAIT)
    d.set_page_load_timeout(WAIT)
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture
def page(driver, stack):
    """The passkey page with a fresh browser session and no virtual authenticator yet (add one with
    `page.authenticator(...)`); the authenticator goes away after the test."""
    from pages import PasskeyPage

    driver.delete_all_cookies()
    p = PasskeyPage(driver, stack)
    yield p
    p.remove_authenticator()
