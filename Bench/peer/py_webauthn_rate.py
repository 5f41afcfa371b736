"""The peer: py_webauthn's verify_authentication_response on the same assertions passkeyd verifies.

Reads a corpus written by `passkey-bench --save-corpus` (JSON lines: a header, then one assertion per line, base64url
fields) and verifies every assertion in a loop, in process, one thread, for --seconds. Prints one JSON line:
{"peer": "py_webauthn", "version": ..., "verifications_per_second": ..., "failures": 0}.
"""
import argparse
import base64
import json
import sys
import time

import webauthn


def b64u_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    with open(args.corpus) as f:
        header = json.loads(f.readline())
        items = [json.loads(line) for line in f if line.strip()]
    challenge = b64u_decode(header["challenge_b64url"])
    prepared = []
    for it in items:
        credential = {
            "id": it["credential_id"],
            "rawId": it["credential_id"],
            "type": "public-key",
            "response": {
                "clientDataJSON": it["client_data_json"],
                "authenticatorData": it["authenticator_data"],
                "signature": it["signature"],
            },
            "clientExtensionResults": {},
        }
        prepared.append((credential, b64u_decode(it["public_key_cose"])))
    # The credential dict is parsed by the peer on every call, as a server receiving the browser's JSON would.
    failures = 0
    count = 0
    start = time.perf_counter()
    deadline = start + args.seconds
    while time.perf_counter() < deadline:
        for credential, key in prepared:
            try:
                webauthn.verify_authentication_response(
                    credential=credential, expected_challenge=challenge, expected_rp_id=header["rp_id"],
                    expected_origin=header["origin"], credential_public_key=key, credential_current_sign_count=0)
            except Exception as e:  # noqa: BLE001 — any failure is a failed verification
                failures += 1
                if failures == 1:
                    print("first failure: %r" % e, file=sys.stderr)
            count += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"peer": "py_webauthn", "version": webauthn.__version__,
                      "verifications_per_second": count / elapsed, "failures": failures, "count": count}))


if __name__ == "__main__":
    main()
