"""The peer for registrations: py_webauthn's verify_registration_response on the registrations passkeyd verifies.

Reads the corpus `passkey-microbench --registrations --save-corpus` writes (JSON lines: label, fmt, rp_id, origin,
challenge_b64url, root_pem, response) and, per label, verifies every registration in a loop, in process, one thread,
for --seconds, with the corpus's root as that format's root certificate. Prints one JSON line:
{"peer": "py_webauthn", "version": ..., "formats": [{"label", "fmt", "registrations_per_second", "failures", "error"}]}.
"""
import argparse
import base64
import json
import time

import webauthn
from webauthn.helpers.structs import AttestationFormat


def b64u_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--seconds", type=float, default=1.0)
    args = ap.parse_args()
    by_label = {}
    order = []
    with open(args.corpus) as f:
        for line in f:
            if not line.strip():
                continue
            it = json.loads(line)
            if it["label"] not in by_label:
                by_label[it["label"]] = []
                order.append(it["label"])
            by_label[it["label"]].append(it)
    out = []
    # SafetyNet first: py_webauthn accepts a timestamp only 10 s old, and the other formats take about a second each.
    order.sort(key=lambda label: by_label[label][0]["fmt"] != "android-safetynet")
    for label in order:
        items = by_label[label]
        fmt = items[0]["fmt"]
        roots = {AttestationFormat(fmt): [items[0]["root_pem"].encode()]} if fmt != "none" else None
        challenge = b64u_decode(items[0]["challenge_b64url"])

        def verify(it):
            return webauthn.verify_registration_response(
                credential=it["response"], expected_challenge=challenge, expected_origin=it["origin"],
                expected_rp_id=it["rp_id"], pem_root_certs_bytes_by_fmt=roots)

        failures, error = 0, ""
        for it in items:
            try:
                verify(it)
            except Exception as e:  # noqa: BLE001 - report the peer's reason
                failures += 1
                error = "%s: %s" % (type(e).__name__, e)
        rate = 0.0
        if failures == 0:
            n = 0
            start = time.perf_counter()
            while time.perf_counter() - start < args.seconds:
                for it in items:
                    verify(it)
                    n += 1
            rate = n / (time.perf_counter() - start)
        out.append({"label": label, "fmt": fmt, "registrations_per_second": round(rate), "failures": failures,
                    "error": error[:300]})
    version = getattr(webauthn, "__version__", "?")
    print(json.dumps({"peer": "py_webauthn", "version": version, "formats": out}))


if __name__ == "__main__":
    main()
