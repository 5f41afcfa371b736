"""Issued challenges minted in the tests, the way passkeyd mints them (README, "Issued challenges"; the format is
ChallengeToken.swift's, version 1), with a test key the daemon also reads from its challenge keys file. The other
ceremony-options RPCs are not used here: minting by hand keeps these tests about checking and single use.

    version(1)=0x01 | key id(4) = SHA-256(name)[0:4] | flags(1): bit0 authentication, bit1 discoverable
    | expires at, Unix ms (8, big-endian) | binding tag(4) | nonce(16) | MAC(32)

binding hash = SHA-256(len(rpID) as 2 bytes || rpID || context), its first 4 bytes the tag;
MAC = HMAC-SHA-256(secret, "passkeyd challenge v1" || the 34 bytes before it || binding hash).
"""
import base64
import hashlib
import hmac
import json
import os
import time


class ChallengeTestKey:
    def __init__(self, name):
        self.name = name
        self.secret = os.urandom(32)

    def mint(self, rp_id, context, ceremony="authentication", lifetime_ms=60_000, now_ms=None, discoverable=False):
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        key_id = hashlib.sha256(self.name.encode()).digest()[:4]
        flags = (1 if ceremony == "authentication" else 0) | (2 if discoverable else 0)
        rp = rp_id.encode()
        binding = hashlib.sha256(len(rp).to_bytes(2, "big") + rp + context).digest()
        body = bytes([1]) + key_id + bytes([flags]) + (now_ms + lifetime_ms).to_bytes(8, "big") + binding[:4] + os.urandom(16)
        return body + hmac.new(self.secret, b"passkeyd challenge v1" + body + binding, hashlib.sha256).digest()


def write_keys_file(path, mint, keys, mode=0o600):
    """`{"mint": name, "keys": {name: base64 secret}}`, written whole and then renamed (SIGHUP never sees half)."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"mint": mint.name, "keys": {k.name: base64.b64encode(k.secret).decode() for k in keys}}, f)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
