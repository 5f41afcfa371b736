"""Test-side WebAuthn authenticator: a P-256 key, its COSE_Key, and assertions signed with it."""

from __future__ import annotations

import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from passkeyd_client import b64url_encode

RP_ID = "example.com"
ORIGIN = "https://example.com"

FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_AT = 0x40


def cbor(value) -> bytes:
    """Minimal deterministic CBOR encoder: ints, bytes, text, lists and maps (in the given key order)."""

    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | info]) + struct.pack(fmt, n)
        raise ValueError("integer too large for CBOR")

    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, (bytes, bytearray)):
        return head(2, len(value)) + bytes(value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(f"cannot CBOR-encode {type(value).__name__}")


class Authenticator:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        nums = self.key.public_key().public_numbers()
        self.cose_key = cbor({1: 2, 3: -7, -1: 1, -2: nums.x.to_bytes(32, "big"), -3: nums.y.to_bytes(32, "big")})
        self.credential_id = os.urandom(16)

    def assertion(
        self,
        challenge: bytes,
        *,
        sign_count: int = 1,
        origin: str = ORIGIN,
        rp_id: str = RP_ID,
        flags: int = FLAG_UP | FLAG_UV,
        type_: str = "webauthn.get",
    ) -> dict:
        """Returns the raw assertion fields (keyword arguments for ``authentication_request``)."""
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", sign_count)
        client_data = json.dumps(
            {"type": type_, "challenge": b64url_encode(challenge), "origin": origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "credential_id": self.credential_id,
            "authenticator_data": auth_data,
            "client_data_json": client_data,
            "signature": signature,
        }

    def registration_json(self, challenge: bytes, *, origin: str = ORIGIN, rp_id: str = RP_ID,
                          flags: int = FLAG_UP | FLAG_UV | FLAG_AT, transports: tuple[str, ...] = ("usb",)) -> str:
        """RegistrationResponseJSON with "none" attestation for this key, as a browser would send it."""
        auth_data = (hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", 0) + bytes(16)
                     + struct.pack(">H", len(self.credential_id)) + self.credential_id + self.cose_key)
        client_data = json.dumps(
            {"type": "webauthn.create", "challenge": b64url_encode(challenge), "origin": origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()
        attestation = cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        cid = b64url_encode(self.credential_id)
        return json.dumps({
            "id": cid, "rawId": cid, "type": "public-key",
            "response": {"clientDataJSON": b64url_encode(client_data), "attestationObject": b64url_encode(attestation),
                         "transports": list(transports)},
            "clientExtensionResults": {},
        })

    @staticmethod
    def response_json(fields: dict) -> str:
        """AuthenticationResponseJSON text for raw fields, as a browser would send it."""
        cid = b64url_encode(fields["credential_id"])
        return json.dumps(
            {
                "id": cid,
                "rawId": cid,
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url_encode(fields["client_data_json"]),
                    "authenticatorData": b64url_encode(fields["authenticator_data"]),
                    "signature": b64url_encode(fields["signature"]),
                },
                "clientExtensionResults": {},
            }
        )


def flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)
