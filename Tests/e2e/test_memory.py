"""Memory per request, end to end: the worst 1 MiB frames we can build cost the daemon at most a few MiB of RSS while
they are handled, every one is answered with the right code and id, the connection stays usable, and the memory is
returned afterwards (SECURITY.md, "Memory per request").

Frames are built by hand from the wire format (a few lines below), because the shapes are ones no sane client makes:
hundreds of thousands of empty items, empty strings, empty byte strings, packed integers, unknown fields, and one
policy repeated so that protobuf's merge rule concatenates its lists again and again.
"""
import os
import threading
import time

import pytest
from conftest import Authenticator, auth_request, frame, pb, read_response

MAX_PAYLOAD = 1 << 20
CHALLENGE = os.urandom(32)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def tag(field, wire_type):
    return varint(field << 3 | wire_type)


def ld(field, body):
    """A length-delimited field."""
    return tag(field, 2) + varint(len(body)) + body


def request(rid, method_field, body):
    return tag(1, 0) + varint(rid) + ld(method_field, body)


def fill(unit, overhead, budget=MAX_PAYLOAD):
    """As many copies of `unit` as fit in `budget` bytes once `overhead` bytes (tags, lengths) are added."""
    return unit * ((budget - overhead) // len(unit))


# Field numbers of passkeyd.v1 (Protos/passkeyd/v1/passkeyd.proto).
VERIFY_REGISTRATION, VERIFY_AUTHENTICATION, AUTH_BATCH, REG_BATCH = 10, 11, 12, 13
ITEMS = 1
POLICY = 1  # VerifyAuthenticationRequest.policy / VerifyRegistrationRequest.policy
ORIGINS, ALGORITHMS, TRUST_ANCHORS = 3, 7, 14


def batch_of(unit, method_field):
    items = fill(unit, 16)
    return request(1, method_field, items)


def policy_request(rid, policy_body):
    """verify_authentication whose only member is a policy (rp_id and the rest absent)."""
    return request(rid, VERIFY_AUTHENTICATION, ld(POLICY, policy_body))


def worst_frames():
    """(name, payload, expected request-level code). Every payload is at most 1 MiB."""
    shapes = []
    empty_item = ld(ITEMS, b"")
    shapes.append(("empty authentication items", batch_of(empty_item, AUTH_BATCH), pb.BATCH_TOO_LARGE))
    shapes.append(("empty registration items", batch_of(empty_item, REG_BATCH), pb.BATCH_TOO_LARGE))
    shapes.append(("items each with an empty policy", batch_of(ld(ITEMS, ld(POLICY, b"")), AUTH_BATCH), pb.BATCH_TOO_LARGE))
    shapes.append(("~500k empty origins", policy_request(2, fill(ld(ORIGINS, b""), 32)), pb.RESOURCE_EXHAUSTED))
    shapes.append(("~500k empty trust anchors", policy_request(3, fill(ld(TRUST_ANCHORS, b""), 32)), pb.RESOURCE_EXHAUSTED))
    # allowed_algorithms is `repeated sint64`: packed, one byte per value (-7 is 0x0d zigzagged), 8 bytes unpacked.
    packed = b"\x0d" * (MAX_PAYLOAD - 40)
    shapes.append(("~1M packed allowed_algorithms", policy_request(4, ld(ALGORITHMS, packed)), pb.RESOURCE_EXHAUSTED))
    unpacked = fill(tag(ALGORITHMS, 0) + b"\x0d", 32)
    shapes.append(("~500k unpacked allowed_algorithms", policy_request(5, unpacked), pb.RESOURCE_EXHAUSTED))
    # Unknown fields of the Request itself (field 3 does not exist): protobuf-c keeps every one.
    unknown = tag(1, 0) + varint(6) + fill(tag(3, 0) + b"\x00", 16)
    shapes.append(("~500k unknown top-level fields", unknown, pb.RESOURCE_EXHAUSTED))
    # Nested: 4096 items (the most a batch may have), each with a policy of ~120 empty origins.
    per_item = (MAX_PAYLOAD - 64) // 4096
    item_policy = ld(POLICY, ld(ORIGINS, b"") * ((per_item - 8) // 2))
    nested = request(7, AUTH_BATCH, ld(ITEMS, item_policy) * 4096)
    shapes.append(("4096 items x ~120 empty origins", nested, pb.RESOURCE_EXHAUSTED))
    # A policy given 128 times: protobuf merges repeated singular messages, concatenating their lists each time, so
    # the copies grow with the square of the count (about 270 MB unbounded).
    policy = ld(POLICY, ld(ORIGINS, b"") * 4000)
    merged = request(8, VERIFY_AUTHENTICATION, policy * 128)
    shapes.append(("one policy merged 128 times", merged, pb.RESOURCE_EXHAUSTED))
    # The same in a registration request.
    reg = request(9, VERIFY_REGISTRATION, ld(POLICY, fill(ld(ORIGINS, b""), 32)))
    shapes.append(("registration with ~500k empty origins", reg, pb.RESOURCE_EXHAUSTED))
    for name, payload, _ in shapes:
        assert len(payload) <= MAX_PAYLOAD, name
    return shapes


def raw_frame(payload):
    return b"\x00" + len(payload).to_bytes(4, "big") + payload


def status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def reset_peak(pid):
    """Resets VmHWM to the current RSS (Linux >= 4.0), so VmHWM is the peak from now on."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class Sampler:
    """VmRSS every 5 ms in a thread: the "during" figure next to VmHWM."""

    def __init__(self, pid):
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, status_kb(self.pid, "VmRSS"))
            except (OSError, KeyError):
                return
            time.sleep(0.005)

    def finish(self):
        self.stop.set()
        self.thread.join(5)
        return self.peak


def health(s, rid):
    s.sendall(frame(pb.Request(id=rid, health=pb.HealthRequest())))
    r = read_response(s)
    assert r.id == rid and r.WhichOneof("result") == "health"


def warm_up(d):
    """Touch every path once (a verify, a batch, each refusal) so lazily built state is in the baseline."""
    a = Authenticator()
    s = d.connect()
    for i in range(20):
        s.sendall(frame(auth_request(a, CHALLENGE, i + 1)))
        assert read_response(s).verify_authentication.error_code == pb.ERROR_CODE_NONE
    for name, payload, code in worst_frames():
        s.sendall(raw_frame(payload))
        read_response(s)
    s.close()
    time.sleep(0.2)


def test_worst_frames_cost_a_few_mib_and_are_answered(daemon_factory):
    d = daemon_factory("--log-level", "warning")
    pid = d.proc.pid
    shapes = worst_frames()
    warm_up(d)
    baseline = status_kb(pid, "VmRSS")
    has_peak = reset_peak(pid)
    sampler = Sampler(pid)
    s = d.connect()
    figures = []
    for round_ in range(3):
        for name, payload, code in shapes:
            sent_id = 1000 * (round_ + 1) + len(figures)
            # Re-stamp the id (field 1 comes first in every shape) so each answer is matched to its frame.
            assert payload[0] == 0x08
            _, rest = _split_varint(payload[1:])
            payload = tag(1, 0) + varint(sent_id) + rest
            s.sendall(raw_frame(payload))
            r = read_response(s)
            assert r.WhichOneof("result") == "error", name
            assert r.error.code == code, "%s: %s (%s)" % (name, pb.ErrorCode.Name(r.error.code), r.error.message)
            assert r.id == sent_id, name
            figures.append((name, status_kb(pid, "VmRSS")))
            health(s, 1)  # the connection is still usable
    during = sampler.finish()
    peak = status_kb(pid, "VmHWM") if has_peak else during
    time.sleep(0.3)
    after = status_kb(pid, "VmRSS")
    print("\nRSS KiB: baseline %d, peak %d (sampled %d), after %d" % (baseline, peak, during, after))
    for name, kb in figures[: len(shapes)]:
        print("  after %-40s %d" % (name, kb))
    assert max(peak, during) - baseline < 16 * 1024, "a 1 MiB frame cost more than a few MiB while it was handled"
    assert after - baseline < 6 * 1024, "memory was not returned after the worst frames"
    s.close()


def _split_varint(b):
    n, shift, i = 0, 0, 0
    while True:
        n |= (b[i] & 0x7F) << shift
        shift += 7
        i += 1
        if not b[i - 1] & 0x80:
            return n, b[i:]


def test_a_legitimate_one_mib_batch_still_verifies(daemon_factory):
    """The densest real batch (raw fields, inline policy per item) fills 1 MiB and verifies in full."""
    d = daemon_factory("--log-level", "warning")
    a = Authenticator()
    items = []
    size = 16  # id, method tag and length
    while len(items) < 4096:
        item = auth_request(a, CHALLENGE, 0).verify_authentication
        n = item.ByteSize()
        size += 1 + len(varint(n)) + n
        if size > MAX_PAYLOAD:
            break
        items.append(item)
    batch = pb.VerifyAuthenticationBatchRequest(items=items)
    assert pb.Request(id=77, verify_authentication_batch=batch).ByteSize() <= MAX_PAYLOAD
    assert len(items) > 1000
    s = d.connect()
    s.sendall(frame(pb.Request(id=77, verify_authentication_batch=batch)))
    r = read_response(s)
    assert r.id == 77, r
    results = r.verify_authentication_batch.results
    assert len(results) == len(items)
    assert all(x.error_code == pb.ERROR_CODE_NONE for x in results)
    health(s, 2)
