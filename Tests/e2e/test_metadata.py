"""FIDO metadata in the real daemon: the BLOB given at start refuses a model it marks compromised; SIGHUP swaps in a
new BLOB (same request, now accepted); a broken BLOB on SIGHUP keeps the previous one. BLOB and certificates are made
here with `cryptography` (a test root, a signer it issued, an ES256 compact JWS)."""
import base64
import datetime
import hashlib
import json
import os
import signal
import struct
import subprocess
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from conftest import BIN, ORIGIN, RP_ID, Authenticator, auth_request, b64u, frame, pb, policy, read_response

AAGUID = bytes(range(0xA0, 0xB0))


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "passkeyd e2e"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _certificate(subject, issuer, public_key, signing_key, serial, ca):
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
        .not_valid_after(datetime.datetime(2090, 1, 1, tzinfo=datetime.timezone.utc))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


class MDS:
    """A test FIDO root and the BLOB signer it issued."""

    def __init__(self):
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = _certificate(_name("e2e MDS root"), _name("e2e MDS root"), self.root_key.public_key(), self.root_key, 1, True)
        self.signer_key = ec.generate_private_key(ec.SECP256R1())
        self.signer = _certificate(_name("mds.e2e"), _name("e2e MDS root"), self.signer_key.public_key(), self.root_key, 2, False)

    def root_pem(self):
        return self.root.public_bytes(serialization.Encoding.PEM)

    def blob(self, number, status):
        header = {"alg": "ES256", "typ": "JWT",
                  "x5c": [base64.b64encode(self.signer.public_bytes(serialization.Encoding.DER)).decode()]}
        aaguid = AAGUID.hex()
        payload = {
            "legalHeader": "e2e test BLOB", "no": number, "nextUpdate": "2099-01-01",
            "entries": [{
                "aaguid": "-".join([aaguid[0:8], aaguid[8:12], aaguid[12:16], aaguid[16:20], aaguid[20:32]]),
                "metadataStatement": {"description": "e2e key", "attestationTypes": ["basic_full"],
                                      "attestationRootCertificates": []},
                "statusReports": [{"status": "FIDO_CERTIFIED_L1", "effectiveDate": "2024-01-01"},
                                  {"status": status, "effectiveDate": "2025-01-01"}],
                "timeOfLastStatusChange": "2025-01-01",
            }],
        }
        signing_input = b64u(json.dumps(header).encode()) + "." + b64u(json.dumps(payload).encode())
        r, s = decode_dss_signature(self.signer_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return (signing_input + "." + b64u(r.to_bytes(32, "big") + s.to_bytes(32, "big"))).encode()


def _cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    return bytes([major << 5 | 25]) + struct.pack(">H", n)


def registration_request(auth, challenge, cred_id, rid):
    """A `none` registration from an authenticator whose AAGUID is AAGUID."""
    auth_data = (hashlib.sha256(RP_ID.encode()).digest() + bytes([0x45]) + struct.pack(">I", 0) + AAGUID
                 + struct.pack(">H", len(cred_id)) + cred_id + auth.cose)
    att_obj = (_cbor_head(5, 3) + _cbor_head(3, 3) + b"fmt" + _cbor_head(3, 4) + b"none" + _cbor_head(3, 7) + b"attStmt"
               + _cbor_head(5, 0) + _cbor_head(3, 8) + b"authData" + _cbor_head(2, len(auth_data)) + auth_data)
    client_data = json.dumps({"type": "webauthn.create", "challenge": b64u(challenge), "origin": ORIGIN},
                             separators=(",", ":")).encode()
    return pb.Request(id=rid, verify_registration=pb.VerifyRegistrationRequest(
        policy=policy(), challenge=challenge,
        fields=pb.AttestationFields(credential_id=cred_id, client_data_json=client_data, attestation_object=att_obj)))


def metadata_number(sock, rid):
    sock.sendall(frame(pb.Request(id=rid, server_info=pb.ServerInfoRequest())))
    info = read_response(sock).server_info
    return info.metadata_number if info.metadata_loaded else None


def wait_for(condition, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_compromised_model_refused_until_a_new_blob_is_loaded(daemon_factory, tmp_path):
    mds = MDS()
    blob_path, root_path = tmp_path / "blob.jwt", tmp_path / "root.pem"
    blob_path.write_bytes(mds.blob(1, "ATTESTATION_KEY_COMPROMISE"))
    root_path.write_bytes(mds.root_pem())
    d = daemon_factory("--metadata-blob-file", str(blob_path), "--metadata-root-cert-file", str(root_path))
    assert "metadata loaded" in d.logs() and "no=1" in d.logs()
    s = d.connect()
    assert metadata_number(s, 1) == 1

    auth, challenge, cred_id = Authenticator(), os.urandom(32), os.urandom(16)
    request = frame(registration_request(auth, challenge, cred_id, 2))
    s.sendall(request)
    r = read_response(s).verify_registration
    assert r.error_code == pb.AUTHENTICATOR_STATUS_REJECTED, r.error_message
    assert "ATTESTATION_KEY_COMPROMISE" in r.error_message and "e2e key" in r.error_message
    # At login, the stored AAGUID's model is compromised too.
    login = auth_request(auth, os.urandom(32), 3)
    login.verify_authentication.stored_aaguid = AAGUID
    s.sendall(frame(login))
    assert read_response(s).verify_authentication.error_code == pb.AUTHENTICATOR_COMPROMISED

    # A new BLOB without that status, then SIGHUP: the same request is accepted.
    blob_path.write_bytes(mds.blob(2, "FIDO_CERTIFIED_L2"))
    d.signal(signal.SIGHUP)
    assert wait_for(lambda: metadata_number(s, 4) == 2), d.logs()
    s.sendall(request)
    r = read_response(s).verify_registration
    assert r.error_code == pb.ERROR_CODE_NONE, r.error_message
    assert r.authenticator_description == "e2e key" and r.metadata_status == "FIDO_CERTIFIED_L2"

    # A broken BLOB on SIGHUP keeps the previous one.
    blob_path.write_bytes(b"this is not a JWS")
    d.signal(signal.SIGHUP)
    assert wait_for(lambda: "metadata reload failed" in d.logs()), d.logs()
    assert metadata_number(s, 5) == 2
    s.sendall(request)
    assert read_response(s).verify_registration.error_code == pb.ERROR_CODE_NONE
    s.close()


def test_a_blob_that_does_not_verify_stops_the_daemon(tmp_path):
    mds, other = MDS(), MDS()
    blob_path, root_path = tmp_path / "blob.jwt", tmp_path / "root.pem"
    blob_path.write_bytes(mds.blob(1, "FIDO_CERTIFIED_L1"))
    root_path.write_bytes(other.root_pem())  # the BLOB's chain does not reach this root
    p = subprocess.run([BIN, "serve", "--unix-socket", str(tmp_path / "s.sock"), "--metadata-blob-file", str(blob_path),
                        "--metadata-root-cert-file", str(root_path)], capture_output=True, text=True, timeout=20)
    assert p.returncode == 2, p.stderr
    assert "metadata_blob_file" in p.stderr and "untrusted_chain" in p.stderr, p.stderr
