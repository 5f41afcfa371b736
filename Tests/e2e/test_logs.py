"""At the default log level the daemon's log carries no credential material: run real ceremonies and look."""
import base64
import hashlib
import json
import os
import struct

from conftest import ORIGIN, RP_ID, Authenticator, b64u, frame, pb, policy, read_response


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    return bytes([major << 5 | 25]) + struct.pack(">H", n)


def cbor_text(s):
    return cbor_head(3, len(s)) + s.encode()


def cbor_bytes(b):
    return cbor_head(2, len(b)) + b


def registration(auth, challenge, cred_id):
    auth_data = (hashlib.sha256(RP_ID.encode()).digest() + bytes([0x45]) + struct.pack(">I", 0) + bytes(16)
                 + struct.pack(">H", len(cred_id)) + cred_id + auth.cose)
    att_obj = (cbor_head(5, 3) + cbor_text("fmt") + cbor_text("none") + cbor_text("attStmt") + cbor_head(5, 0)
               + cbor_text("authData") + cbor_bytes(auth_data))
    client_data = json.dumps({"type": "webauthn.create", "challenge": b64u(challenge), "origin": ORIGIN},
                             separators=(",", ":")).encode()
    return auth_data, client_data, att_obj


def spellings(b):
    """Every way a value might be printed: base64url (padded or not), base64, hex; and a prefix of each, so a
    truncated dump is caught too."""
    forms = {b64u(b), base64.urlsafe_b64encode(b).decode(), base64.b64encode(b).decode(), b.hex(), b.hex().upper()}
    forms |= {f[:24] for f in list(forms)}
    return forms


def test_no_credential_material_in_default_logs(daemon_factory):
    d = daemon_factory("--tcp-port", "0")  # default log level
    a = Authenticator()
    reg_challenge, auth_challenge = os.urandom(32), os.urandom(32)
    cred_id = os.urandom(32)
    reg_ad, reg_cd, att_obj = registration(a, reg_challenge, cred_id)
    s = d.connect()
    s.sendall(frame(pb.Request(id=1, verify_registration=pb.VerifyRegistrationRequest(
        policy=policy(), challenge=reg_challenge,
        fields=pb.AttestationFields(credential_id=cred_id, client_data_json=reg_cd, attestation_object=att_obj)))))
    r = read_response(s).verify_registration
    assert r.error_code == pb.ERROR_CODE_NONE, r.error_message
    assert r.credential_public_key == a.cose and r.credential_id == cred_id

    ad, cd, sig = a.assertion(auth_challenge)
    ok = pb.VerifyAuthenticationRequest(policy=policy(), challenge=auth_challenge, credential_public_key=r.credential_public_key,
                                        fields=pb.AssertionFields(authenticator_data=ad, client_data_json=cd, signature=sig))
    s.sendall(frame(pb.Request(id=2, verify_authentication=ok)))
    assert read_response(s).verify_authentication.error_code == pb.ERROR_CODE_NONE
    # Failures too: a bad signature, a wrong challenge, a batch, and a malformed frame on another connection.
    bad = pb.VerifyAuthenticationRequest()
    bad.CopyFrom(ok)
    bad.fields.signature = sig[:-1] + bytes([sig[-1] ^ 1])
    wrong = pb.VerifyAuthenticationRequest()
    wrong.CopyFrom(ok)
    wrong.challenge = os.urandom(32)
    s.sendall(frame(pb.Request(id=3, verify_authentication=bad)) + frame(pb.Request(id=4, verify_authentication=wrong))
              + frame(pb.Request(id=5, verify_authentication_batch=pb.VerifyAuthenticationBatchRequest(items=[ok, bad]))))
    for _ in range(3):
        read_response(s)
    m = d.connect()
    m.sendall(b"\x00\x00\x00\x00\x10" + sig[:16])
    assert read_response(m).error.code == pb.MALFORMED_FRAME

    d.stop()
    log = d.logs()
    assert "started" in log  # the log is there and has lines
    secrets = {"registration challenge": reg_challenge, "authentication challenge": auth_challenge,
               "signature": sig, "authenticator data": ad, "registration authenticator data": reg_ad,
               "attestation object": att_obj, "COSE key": a.cose, "credential id": cred_id,
               "client data": cd, "wrong challenge": wrong.challenge}
    for what, value in secrets.items():
        for form in spellings(value):
            assert form not in log, "%s appears in the log as %r" % (what, form)
