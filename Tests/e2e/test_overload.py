"""Overload and faults, bounded and on loopback: 10,000 connections, trickling clients, a burst at 3x capacity."""
import os
import resource
import socket
import threading
import time

import pytest
from conftest import Authenticator, auth_request, frame, pb, read_exact, read_response

CHALLENGE = os.urandom(32)
NONE = pb.ERROR_CODE_NONE


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(f.read().split("VmRSS:")[1].split()[0])


@pytest.fixture
def many_files():
    """Raises RLIMIT_NOFILE for this process and the daemons it starts (they inherit it), then restores it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 25000
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    except (ValueError, OSError):
        if hard < 10500:
            pytest.skip("cannot raise RLIMIT_NOFILE to hold 10,000 connections (hard limit %d)" % hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


def test_ten_thousand_concurrent_connections(daemon_factory, many_files):
    n = 10_000
    d = daemon_factory("--max-connections", "12000")
    t0 = time.time()
    conns = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_UNIX)
            s.connect(d.sock)  # blocking: waits for room in the accept queue instead of failing
            s.settimeout(30)
            conns.append(s)
            assert time.time() - t0 < 120, "connecting took too long"
        for i, s in enumerate(conns):
            s.sendall(frame(pb.Request(id=i + 1, health=pb.HealthRequest())))
        most = 0
        for i, s in enumerate(conns):
            r = read_response(s)
            assert r.id == i + 1 and r.health.status == pb.HealthResponse.SERVING
            most = max(most, r.health.connections)
        assert most >= n  # all of them were open at once
        assert time.time() - t0 < 180
        assert rss_kb(d.proc.pid) < 1024 * 1024
    finally:
        for s in conns:
            s.close()
    s = d.connect()
    s.sendall(frame(pb.Request(id=1, health=pb.HealthRequest())))
    assert read_response(s).id == 1


def test_trickling_clients_are_freed_and_hold_up_nobody(daemon_factory):
    """One byte every 0.5 s keeps resetting a 1 s idle timer; the frame deadline (2.5 s) is what frees them."""
    d = daemon_factory("--idle-timeout-ms", "1000", "--frame-timeout-ms", "2500")
    a = Authenticator()
    payload = frame(auth_request(a, CHALLENGE, 1))  # a few hundred bytes: minutes at this rate
    slow = [d.connect() for _ in range(40)]
    for s in slow:
        s.setblocking(False)
    closed_at = {}
    errors = {}
    bufs = {s: b"" for s in slow}
    fast_latencies = []
    stop = threading.Event()

    def fast_client():
        s = d.connect()
        i = 0
        while not stop.is_set() and i < 200:
            i += 1
            t = time.time()
            s.sendall(frame(auth_request(a, CHALLENGE, i)))
            r = read_response(s)
            assert r.id == i and r.verify_authentication.error_code == NONE
            fast_latencies.append(time.time() - t)
            time.sleep(0.05)

    th = threading.Thread(target=fast_client)
    th.start()
    t0 = time.time()
    pos = 0
    try:
        while len(closed_at) < len(slow) and time.time() - t0 < 15:
            for s in slow:
                if s in closed_at:
                    continue
                # Read first: whatever the server said before closing is in our receive queue.
                try:
                    while True:
                        chunk = s.recv(4096)
                        if not chunk:
                            closed_at[s] = time.time() - t0
                            break
                        bufs[s] += chunk
                except BlockingIOError:
                    pass
                except OSError:
                    closed_at[s] = time.time() - t0
                if s in closed_at:
                    continue
                try:
                    s.send(payload[pos:pos + 1])
                except OSError:
                    pass  # closed: the next pass reads the error frame and the end of the stream
            pos += 1
            time.sleep(0.5)
    finally:
        stop.set()
        th.join(30)
    assert len(closed_at) == len(slow), "trickling clients were still connected after 15 s"
    assert 2.0 <= min(closed_at.values()) and max(closed_at.values()) < 8.0, sorted(closed_at.values())
    # Each got a connection-level DEADLINE_EXCEEDED (id 0) before the close.
    for s, b in bufs.items():
        assert len(b) >= 5, "closed without an error frame"
        r = pb.Response()
        r.ParseFromString(b[5:5 + int.from_bytes(b[1:5], "big")])
        assert r.id == 0 and r.error.code == pb.DEADLINE_EXCEEDED and "frame" in r.error.message
    assert len(fast_latencies) >= 20
    assert max(fast_latencies) < 1.0, max(fast_latencies)


def test_frame_deadline_is_per_frame_not_per_connection(daemon_factory):
    """A client whose frames each arrive in two parts, continuously for longer than the frame timeout, is served."""
    d = daemon_factory("--frame-timeout-ms", "600")
    a = Authenticator()
    s = d.connect()
    t0 = time.time()
    i = 0
    while time.time() - t0 < 2.0:
        i += 1
        f = frame(auth_request(a, CHALLENGE, i))
        # The second half of this frame travels with the first half of the next: a partial frame is always pending.
        s.sendall(f[:len(f) // 2])
        time.sleep(0.2)
        s.sendall(f[len(f) // 2:])
        r = read_response(s)
        assert r.id == i and r.verify_authentication.error_code == NONE
    assert i >= 5


def test_burst_at_three_times_capacity(daemon_factory):
    capacity = 6
    d = daemon_factory("--max-in-flight", str(capacity), "--offload-batch-items", "1")
    a = Authenticator()
    item = auth_request(a, CHALLENGE, 0).verify_authentication
    per_conn, n_conns = 3, 6
    total = per_conn * n_conns
    assert total == 3 * capacity
    conns = [d.connect() for _ in range(n_conns)]
    payloads = []
    rid = 0
    for c in conns:
        data = b""
        for _ in range(per_conn):
            rid += 1
            batch = pb.VerifyAuthenticationBatchRequest(items=[item] * 300)
            data += frame(pb.Request(id=rid, verify_authentication_batch=batch))
        payloads.append(data)
    barrier = threading.Barrier(n_conns)
    answers = []
    lock = threading.Lock()
    rss_before = rss_kb(d.proc.pid)

    def run(c, data):
        barrier.wait(10)
        t = time.time()
        c.sendall(data)
        for _ in range(per_conn):
            r = read_response(c)
            with lock:
                answers.append((r, time.time() - t))

    threads = [threading.Thread(target=run, args=(c, p)) for c, p in zip(conns, payloads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == total, "some requests were not answered"
    assert sorted(r.id for r, _ in answers) == list(range(1, total + 1))
    overloaded = [r for r, _ in answers if r.HasField("error")]
    admitted = [(r, lat) for r, lat in answers if r.HasField("verify_authentication_batch")]
    assert all(r.error.code == pb.OVERLOADED and "retry" in r.error.message for r in overloaded)
    print("burst: %d requests, %d admitted, %d OVERLOADED" % (total, len(admitted), len(overloaded)))
    assert len(overloaded) >= capacity, "at 3x capacity at least a third should be turned away"
    assert len(admitted) >= capacity
    for r, lat in admitted:
        assert len(r.verify_authentication_batch.results) == 300
        assert all(x.error_code == NONE for x in r.verify_authentication_batch.results)
        assert lat < 20.0
    # Still healthy, nothing left in flight, memory bounded.
    s = d.connect()
    s.sendall(frame(pb.Request(id=99, health=pb.HealthRequest())))
    h = read_response(s).health
    assert h.status == pb.HealthResponse.SERVING and h.in_flight <= 1
    assert rss_kb(d.proc.pid) < max(512 * 1024, rss_before + 256 * 1024)
