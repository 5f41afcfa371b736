"""TLS and mutual TLS on the TCP listener (NIOSSL), with a throwaway CA made here; loopback only."""
import datetime
import ipaddress
import os
import socket
import ssl

import pytest
from conftest import frame, pb, read_response, free_port

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject_cn, key, issuer_cn, issuer_key, ca=False, server=False, client=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder()
         .subject_name(_name(subject_cn)).issuer_name(_name(issuer_cn))
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                          content_commitment=False, key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
    if server:
        b = b.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    if client:
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


def _write(d, name, cert=None, key=None):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        if cert is not None:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        if key is not None:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("pki"))
    ca_key, other_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _cert("passkeyd test CA", ca_key, "passkeyd test CA", ca_key, ca=True)
    other = _cert("some other CA", other_key, "some other CA", other_key, ca=True)
    srv_key, good_key, bad_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    srv = _cert("passkeyd", srv_key, "passkeyd test CA", ca_key, server=True)
    good = _cert("gateway", good_key, "passkeyd test CA", ca_key, client=True)
    bad = _cert("gateway", bad_key, "some other CA", other_key, client=True)
    return {
        "ca": _write(d, "ca.pem", ca), "other_ca": _write(d, "other-ca.pem", other),
        "server_cert": _write(d, "server.pem", srv), "server_key": _write(d, "server.key", key=srv_key),
        "good_cert": _write(d, "good.pem", good), "good_key": _write(d, "good.key", key=good_key),
        "bad_cert": _write(d, "bad.pem", bad), "bad_key": _write(d, "bad.key", key=bad_key),
    }


def tls_connect(port, pki, cert=None, key=None, max_version=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(pki["ca"])
    if max_version is not None:
        ctx.maximum_version = max_version
    if cert:
        ctx.load_cert_chain(cert, key)
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname="127.0.0.1")


def health(s, rid=1):
    s.sendall(frame(pb.Request(id=rid, health=pb.HealthRequest())))
    return read_response(s)


def refused(port, pki, cert=None, key=None):
    """True when the server will not serve this client: the handshake fails, or (TLS 1.3, where the client
    finishes first) the connection is ended with an alert or EOF instead of an answer."""
    try:
        s = tls_connect(port, pki, cert, key)
        r = health(s)
    except (ssl.SSLError, ConnectionError, OSError):
        return True
    return not r.HasField("health")


def test_tls_health_over_tcp(daemon_factory, pki):
    port = free_port()
    d = daemon_factory("--tcp-port", str(port), "--tls-cert", pki["server_cert"], "--tls-key", pki["server_key"])
    s = tls_connect(port, pki)
    assert s.version() in ("TLSv1.2", "TLSv1.3")
    r = health(s, 5)
    assert r.id == 5 and r.health.status == pb.HealthResponse.SERVING
    # TLS 1.2 is accepted too (the floor), and the Unix socket stays plain.
    s12 = tls_connect(port, pki, max_version=ssl.TLSVersion.TLSv1_2)
    assert s12.version() == "TLSv1.2" and health(s12, 6).id == 6
    u = d.connect()
    assert health(u, 7).id == 7
    assert "security=tls" in d.logs()


def test_plain_tcp_to_a_tls_port_fails(daemon_factory, pki):
    port = free_port()
    d = daemon_factory("--tcp-port", str(port), "--tls-cert", pki["server_cert"], "--tls-key", pki["server_key"])
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(frame(pb.Request(id=1, health=pb.HealthRequest())))
    got = b""
    try:
        while len(got) < 4096:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except (ConnectionError, OSError):
        pass
    # Whatever came back (a TLS alert at most) is not a passkeyd response frame.
    assert not got or got[0] != 0
    assert health(d.connect(), 2).id == 2  # the server is unharmed


def test_mutual_tls(daemon_factory, pki):
    port = free_port()
    d = daemon_factory("--tcp-port", str(port), "--tls-cert", pki["server_cert"], "--tls-key", pki["server_key"],
                       "--tls-client-ca", pki["ca"])
    s = tls_connect(port, pki, pki["good_cert"], pki["good_key"])
    r = health(s, 3)
    assert r.id == 3 and r.health.status == pb.HealthResponse.SERVING
    assert refused(port, pki, pki["bad_cert"], pki["bad_key"]), "a client certificate from another CA was served"
    assert refused(port, pki), "a client without a certificate was served"
    # Still serving the good client afterwards.
    assert health(tls_connect(port, pki, pki["good_cert"], pki["good_key"]), 4).id == 4
    assert "security=mtls" in d.logs()


def test_tls_misconfiguration_fails_closed(pki, tmp_path):
    import subprocess
    from conftest import BIN
    sock = str(tmp_path / "s.sock")
    for args in (["--tls-cert", pki["server_cert"], "--tcp-port", "0"],                      # no key
                 ["--tls-cert", pki["server_cert"], "--tls-key", pki["server_key"]],         # no TCP listener
                 ["--tls-cert", pki["server_cert"], "--tls-key", pki["good_key"], "--tcp-port", "0"]):  # key mismatch
        p = subprocess.run([BIN, "serve", "--unix-socket", sock, *args], capture_output=True, timeout=20)
        assert p.returncode != 0, (args, p.stderr)
