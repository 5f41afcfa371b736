"""The README's quick start, as written: the shell commands (passkeyctl options, then verify) and the Python client
(options, then verify with the issued challenge), with a software authenticator standing in for the browser."""
import json
import os
import subprocess
import sys

from conftest import BIN, ORIGIN, ROOT, RP_ID, Authenticator
from test_options import create, get

sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
import passkeyd_client as pk  # noqa: E402

PASSKEYCTL = os.path.join(os.path.dirname(BIN), "passkeyctl")


def passkeyctl(d, *args, stdin=None):
    r = subprocess.run([PASSKEYCTL, "--unix-socket", d.sock, *args], input=stdin, capture_output=True, text=True,
                       timeout=60)
    return r.returncode, json.loads(r.stdout) if r.stdout.strip() else None


def test_shell_quick_start(daemon_factory, tmp_path):
    d = daemon_factory()
    auth = Authenticator()
    cred_id = os.urandom(16)
    rp = {"rp_id": RP_ID, "origins": [ORIGIN]}

    # README: passkeyctl options registration register.json
    (tmp_path / "register.json").write_text(json.dumps(
        {**rp, "user": {"id_b64url": "3q2-7w", "name": "alice@example.com", "display_name": "Alice"}}))
    status, out = passkeyctl(d, "options", "registration", str(tmp_path / "register.json"))
    assert status == 0 and out["ok"], out
    # The browser: navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(...)})
    credential = json.loads(create(auth, out["options"], cred_id))
    # README: passkeyctl verify verify-registration.json
    (tmp_path / "verify-registration.json").write_text(json.dumps(
        {"kind": "registration", **rp, "challenge_b64url": out["challenge_b64url"], "response": credential}))
    status, reg = passkeyctl(d, "verify", str(tmp_path / "verify-registration.json"))
    assert status == 0 and reg["ok"] and reg["fmt"] == "none", reg

    (tmp_path / "login.json").write_text(json.dumps(rp))
    status, out = passkeyctl(d, "options", "authentication", str(tmp_path / "login.json"))
    assert status == 0 and out["ok"] and out["options"]["allowCredentials"] == [], out
    assertion = json.loads(get(auth, out["options"], cred_id, user_handle=bytes.fromhex("deadbeef")))
    request = {"kind": "authentication", **rp, "challenge_b64url": out["challenge_b64url"], "response": assertion,
               "credential_public_key_b64url": reg["credential_public_key_b64url"], "stored_sign_count": reg["sign_count"]}
    (tmp_path / "verify-login.json").write_text(json.dumps(request))
    status, login = passkeyctl(d, "verify", str(tmp_path / "verify-login.json"))
    assert status == 0 and login["ok"] and login["sign_count"] == 1, login
    # The same assertion again: its counter does not move, so it is refused (exit 1).
    request["stored_sign_count"] = login["sign_count"]
    (tmp_path / "verify-login.json").write_text(json.dumps(request))
    status, again = passkeyctl(d, "verify", str(tmp_path / "verify-login.json"))
    assert status == 1 and again["error"]["code"] == "sign_count_regression", again


def test_python_quick_start(daemon_factory):
    d = daemon_factory()
    auth = Authenticator()
    cred_id = os.urandom(16)
    session = os.urandom(16)
    rp = pk.policy(RP_ID, [ORIGIN])
    with pk.Client(unix_socket=d.sock) as client:
        opts = client.generate_registration_options(rp, b"\xde\xad\xbe\xef", "alice@example.com", "Alice",
                                                    context=session)
        assert opts.ok and opts.options["user"]["name"] == "alice@example.com" and opts.expires_at is not None
        body = create(auth, opts.options, cred_id)
        reg = client.verify_registration(rp, None, response_json=body, issued_context=session)
        assert reg.ok and reg.format is pk.AttestationFormat.NONE and reg.credential_id == cred_id, reg
        again = client.verify_registration(rp, None, response_json=body, issued_context=session)
        assert again.error is pk.ErrorCode.CHALLENGE_REUSED

        login = client.generate_authentication_options(rp, context=session)
        body = get(auth, login.options, cred_id, user_handle=b"\xde\xad\xbe\xef")
        v = client.verify_authentication(rp, None, reg.credential_public_key, stored_sign_count=reg.sign_count,
                                         stored_credential_id=reg.credential_id, stored_user_handle=b"\xde\xad\xbe\xef",
                                         usernameless=True, response_json=body, issued_context=session)
        assert v.ok and (v.sign_count, v.stored_sign_count) == (1, 0), v
        other = client.verify_authentication(rp, None, reg.credential_public_key, response_json=body,
                                             issued_context=b"another session")
        assert other.error is pk.ErrorCode.CHALLENGE_REBOUND
