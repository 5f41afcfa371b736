"""Options through the real daemon: parsed by py_webauthn's own parsers without loss, then used for a whole
ceremony (create, verify, get, verify) with no state kept here but the credential record: usernameless logins,
extension results, and the stored counter that makes the gateway's update a compare-and-swap."""
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys

from conftest import BIN, ROOT, Authenticator, ORIGIN, RP_ID, b64u, frame, pb, read_response

from webauthn.helpers import options_to_json_dict, parse_authentication_options_json, parse_registration_options_json

NONE = pb.ERROR_CODE_NONE

sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
import passkeyd_client as pk  # noqa: E402


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    return bytes([major << 5 | 25]) + struct.pack(">H", n)


def cbor_text(s):
    b = s.encode()
    return cbor_head(3, len(b)) + b


def cbor_bytes(b):
    return cbor_head(2, len(b)) + b


def create(auth, options, cred_id, ext_results=None, cred_protect=None):
    """What navigator.credentials.create() returns for `options` (a "none" attestation), as RegistrationResponseJSON."""
    client_data = json.dumps(
        {"type": "webauthn.create", "challenge": options["challenge"], "origin": ORIGIN, "crossOrigin": False},
        separators=(",", ":"),
    ).encode()
    flags = 0x45 | (0x80 if cred_protect else 0)
    auth_data = hashlib.sha256(options["rp"]["id"].encode()).digest() + bytes([flags]) + struct.pack(">I", 0)
    auth_data += bytes(16) + struct.pack(">H", len(cred_id)) + cred_id + auth.cose
    if cred_protect:
        auth_data += cbor_head(5, 1) + cbor_text("credProtect") + cbor_head(0, cred_protect)
    att = cbor_head(5, 3) + cbor_text("fmt") + cbor_text("none") + cbor_text("attStmt") + cbor_head(5, 0)
    att += cbor_text("authData") + cbor_bytes(auth_data)
    return json.dumps({
        "id": b64u(cred_id), "rawId": b64u(cred_id), "type": "public-key",
        "response": {"clientDataJSON": b64u(client_data), "attestationObject": b64u(att), "transports": ["internal"]},
        "clientExtensionResults": ext_results or {},
    })


def get(auth, options, cred_id, user_handle=None, ext_results=None, count=None):
    """What navigator.credentials.get() returns for `options`, as AuthenticationResponseJSON."""
    ad, cd, sig = auth.assertion(b64d(options["challenge"]), count=count)
    response = {"clientDataJSON": b64u(cd), "authenticatorData": b64u(ad), "signature": b64u(sig)}
    if user_handle is not None:
        response["userHandle"] = b64u(user_handle)
    return json.dumps({
        "id": b64u(cred_id), "rawId": b64u(cred_id), "type": "public-key", "response": response,
        "clientExtensionResults": ext_results or {},
    })


def test_options_round_trip_through_py_webauthn(daemon_factory):
    d = daemon_factory()
    policy = pk.policy(
        RP_ID, [ORIGIN], require_user_verification=True,
        options=pk.options_policy(
            rp_name="Example Corp", timeout_ms=120000, resident_key="required", authenticator_attachment="platform",
            attestation="direct", attestation_formats=["packed", "tpm"], hints=["client-device", "hybrid"],
            algorithms=[-49, -7, -8, -257],
        ),
    )
    with pk.Client(unix_socket=d.sock) as c:
        r = c.generate_registration_options(
            policy, b"\x01" * 16, "alice@example.com", "Alice", context=b"session-1",
            exclude_credentials=[(b"\xaa" * 16, ["usb", "nfc"]), b"\xbb" * 20], prf=True,
            cred_protect=("userVerificationRequired", True),
        )
        assert r.ok, r.message
        ours = json.loads(r.options_json)
        parsed = parse_registration_options_json(r.options_json)
        assert parsed.challenge == r.challenge and len(r.challenge) == 66
        assert parsed.user.id == b"\x01" * 16 and [p.alg for p in parsed.pub_key_cred_params] == [-49, -7, -8, -257]
        # Every member py_webauthn models comes back as it went: nothing lost or changed in its reading.
        theirs = options_to_json_dict(parsed)
        modelled = {k: v for k, v in ours.items() if k not in ("attestationFormats", "extensions")}
        assert theirs == modelled
        # The members it does not model, as asked.
        assert ours["attestationFormats"] == ["packed", "tpm"]
        assert ours["extensions"] == {
            "credProps": True, "prf": {}, "credentialProtectionPolicy": "userVerificationRequired",
            "enforceCredentialProtectionPolicy": True,
        }
        assert ours["authenticatorSelection"]["userVerification"] == "required"
        assert set(ours) <= {"rp", "user", "challenge", "pubKeyCredParams", "timeout", "excludeCredentials",
                             "authenticatorSelection", "hints", "attestation", "attestationFormats", "extensions"}
        assert r.timeout_ms == 120000 and r.expires_at is not None and r.raw.expires_at_unix_ms > 0

        a = c.generate_authentication_options(
            policy, allow_credentials=[(b"\xaa" * 16, ["usb", "hybrid"])], hints=["security-key"],
            prf_eval_by_credential={b"\xaa" * 16: (b"salt-1", b"salt-2")}, large_blob={"read": True},
        )
        assert a.ok, a.message
        ours = json.loads(a.options_json)
        parsed = parse_authentication_options_json(a.options_json)
        assert parsed.challenge == a.challenge and parsed.rp_id == RP_ID
        theirs = options_to_json_dict(parsed)
        assert theirs == {k: v for k, v in ours.items() if k not in ("hints", "extensions")}
        assert ours["hints"] == ["security-key"]
        assert ours["extensions"] == {
            "prf": {"evalByCredential": {b64u(b"\xaa" * 16): {"first": b64u(b"salt-1"), "second": b64u(b"salt-2")}}},
            "largeBlob": {"read": True},
        }
        # The defaults, parsed the same way.
        plain = c.generate_registration_options(pk.policy(RP_ID, [ORIGIN]), b"\x02", "bob")
        p = parse_registration_options_json(plain.options_json)
        assert [x.alg for x in p.pub_key_cred_params] == [-7, -8, -257]
        assert p.timeout == 300000 and p.attestation.value == "none"
        assert p.authenticator_selection.resident_key.value == "preferred"
        assert p.authenticator_selection.user_verification.value == "preferred"
        assert json.loads(plain.options_json)["extensions"] == {"credProps": True}
        # A request the browser would refuse is refused, as the item's result.
        bad = c.generate_authentication_options(pk.policy(RP_ID, [ORIGIN]), large_blob={"write": b"x"})
        assert bad.error is pk.ErrorCode.MALFORMED_REQUEST and "allowCredentials" in bad.message
        unknown = c.generate_registration_options(pk.policy(relying_party="nope"), b"\x01", "a")
        assert unknown.error is pk.ErrorCode.UNKNOWN_RELYING_PARTY


def test_passkeyctl_options_from_json(daemon_factory):
    """`passkeyctl options` on the server: the request JSON `passkeyd options` takes, the challenge minted by the
    daemon's key ring; the options parse with py_webauthn and start a registration the daemon verifies."""
    d = daemon_factory()
    ctl = os.path.join(os.path.dirname(BIN), "passkeyctl")
    rp = {"rp_id": RP_ID, "origins": [ORIGIN], "options": {"rp_name": "Example", "timeout_ms": 90000}}

    def run(kind, request):
        p = subprocess.run([ctl, "--unix-socket", d.sock, "options", kind, "-"], input=json.dumps(request).encode(),
                           capture_output=True, timeout=30)
        return p.returncode, json.loads(p.stdout)

    code, out = run("registration", dict(rp, user={"id_b64url": b64u(b"\x05" * 8), "name": "dave", "display_name": "Dave"},
                                         exclude_credentials=[{"id_b64url": b64u(b"\xcc" * 16), "transports": ["usb"]}]))
    assert code == 0 and out["ok"] is True, out
    parsed = parse_registration_options_json(json.dumps(out["options"]))
    challenge = b64d(out["challenge_b64url"])
    assert parsed.challenge == challenge and len(challenge) == 66
    assert parsed.rp.name == "Example" and parsed.timeout == 90000 == out["timeout_ms"]
    assert [c.id for c in parsed.exclude_credentials] == [b"\xcc" * 16]
    auth = Authenticator()
    with pk.Client(unix_socket=d.sock) as c:
        reg = c.verify_registration(pk.policy(RP_ID, [ORIGIN]), challenge,
                                    response_json=create(auth, out["options"], os.urandom(16)))
        assert reg.ok, reg.message

    code, out = run("authentication", rp)
    assert code == 0 and parse_authentication_options_json(json.dumps(out["options"])).allow_credentials == []
    # What the browser would refuse, and what the request format does not know: exit 2 with the reason.
    code, out = run("authentication", dict(rp, extensions={"large_blob": {"write_b64url": "AQ"}}))
    assert code == 2 and out["error"]["code"] == "malformed_request" and "allowCredentials" in out["error"]["message"]
    code, out = run("registration", dict(rp, user={"id_b64url": "AQ", "name": "a"}, bogus=1))
    assert code == 2 and out["error"]["code"] == "malformed_request" and "bogus" in out["error"]["message"]


def test_whole_ceremony_usernameless_with_extension_results(daemon_factory):
    """options -> create -> verify -> usernameless options -> get -> verify, the test keeping only the credential
    record. Verification uses the options' challenge bytes as the expected challenge."""
    d = daemon_factory()
    policy = pk.policy(RP_ID, [ORIGIN])
    auth = Authenticator()
    user_handle = os.urandom(16)
    cred_id = os.urandom(16)
    with pk.Client(unix_socket=d.sock) as c:
        reg_options = c.generate_registration_options(policy, user_handle, "carol", "Carol")
        options = json.loads(reg_options.options_json)
        body = create(auth, options, cred_id, ext_results={"credProps": {"rk": True}, "prf": {"enabled": True}}, cred_protect=2)
        reg = c.verify_registration(policy, reg_options.challenge, response_json=body)
        assert reg.ok, reg.message
        ext = reg.extension_results
        assert ext.cred_props_rk is True and ext.prf_enabled is True
        assert ext.cred_protect == 2 and ext.large_blob_supported is None
        record = {"id": reg.credential_id, "key": reg.credential_public_key, "count": reg.sign_count, "user": user_handle}

        login = c.generate_authentication_options(policy)  # usernameless: no allowCredentials
        options = json.loads(login.options_json)
        assert options["allowCredentials"] == []
        # The gateway looks the credential up by the response's id and sends what it stored with it.
        def verify(body):
            return c.verify_authentication(
                policy, login.challenge, record["key"], stored_sign_count=record["count"], stored_credential_id=record["id"],
                stored_user_handle=record["user"], usernameless=True, response_json=body,
            )

        missing = verify(get(auth, options, cred_id, user_handle=None))
        assert missing.error is pk.ErrorCode.USER_HANDLE_MISSING
        wrong = verify(get(auth, options, cred_id, user_handle=os.urandom(16)))
        assert wrong.error is pk.ErrorCode.USER_HANDLE_MISMATCH
        ok = verify(get(auth, options, cred_id, user_handle=user_handle, ext_results={"largeBlob": {"written": False}}))
        assert ok.ok, ok.message
        assert ok.stored_sign_count == record["count"] and ok.sign_count > record["count"]
        assert ok.extension_results.large_blob_written is False


def test_racing_logins_compare_and_swap(daemon_factory):
    """Two verifications of one credential pipelined on one connection: both are checked against the counter the
    gateway read, and the verdicts carry it, so the compare-and-swap lets exactly one move the counter."""
    d = daemon_factory()
    auth = Authenticator()
    stored = 10
    row = {"sign_count": stored}

    def cas(expected, new):
        if row["sign_count"] != expected:
            return False
        row["sign_count"] = new
        return True

    challenge = os.urandom(32)
    s = d.connect()
    requests = []
    for rid, count in ((1, 11), (2, 12)):
        ad, cd, sig = auth.assertion(challenge, count=count)
        requests.append(pb.Request(id=rid, verify_authentication=pb.VerifyAuthenticationRequest(
            policy=pb.RelyingPartyPolicy(rp_id=RP_ID, origins=[ORIGIN]), challenge=challenge,
            credential_public_key=auth.cose, stored_sign_count=stored,
            fields=pb.AssertionFields(authenticator_data=ad, client_data_json=cd, signature=sig))))
    s.sendall(b"".join(frame(r) for r in requests))
    results = [read_response(s).verify_authentication for _ in requests]
    assert all(r.error_code == NONE and r.stored_sign_count == stored for r in results)
    wins = [cas(r.stored_sign_count, r.sign_count) for r in results]
    assert wins.count(True) == 1
    assert row["sign_count"] in (11, 12)
