"""Client behaviour against scripted fake servers (no daemon): partial reads, out-of-order answers, bad frames,
drops and timeouts."""

from __future__ import annotations

import asyncio
import os
import socket
import struct
import tempfile
import threading
import time

import pytest

from passkeyd_client import (
    AsyncClient,
    Client,
    ConnectionClosedError,
    FrameDecoder,
    FrameError,
    FrameTooLargeError,
    ErrorCode,
    PasskeydError,
    encode_frame,
    pb,
    policy,
    read_frame,
)


@pytest.fixture
def fake_server():
    """fake_server(handler) -> socket path; handler(conn) runs in a thread for the first connection."""
    dirs, threads, listeners = [], [], []

    def start(handler):
        d = tempfile.mkdtemp(prefix="pkd-fake-")
        dirs.append(d)
        path = os.path.join(d, "s")
        lst = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        lst.bind(path)
        lst.listen(1)
        lst.settimeout(10)
        listeners.append(lst)

        def run():
            try:
                conn, _ = lst.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                try:
                    handler(conn)
                except OSError:
                    pass

        t = threading.Thread(target=run, daemon=True)
        t.start()
        threads.append(t)
        return path

    yield start
    for lst in listeners:
        lst.close()
    for t in threads:
        t.join(10)
    for d in dirs:
        for name in os.listdir(d):
            os.unlink(os.path.join(d, name))
        os.rmdir(d)


def read_requests(conn, n):
    return [pb.Request.FromString(read_frame(conn)) for _ in range(n)]


def answer(req: pb.Request) -> bytes:
    resp = pb.Response(id=req.id, health=pb.HealthResponse(in_flight=req.id * 10))
    return encode_frame(resp.SerializeToString())


def trickle(conn, data: bytes):
    for i in range(len(data)):
        conn.sendall(data[i : i + 1])
        if i % 7 == 0:
            time.sleep(0.001)


def reverse_trickler(n):
    """Reads n requests, then answers them in reverse order one byte at a time."""

    def handler(conn):
        reqs = read_requests(conn, n)
        trickle(conn, b"".join(answer(r) for r in reversed(reqs)))
        conn.recv(1)  # until the client closes

    return handler


def test_frame_decoder_partial_and_limits():
    frames = encode_frame(b"abc") + encode_frame(b"") + encode_frame(b"x" * 300)
    dec = FrameDecoder()
    out = []
    for i in range(len(frames)):
        out += dec.feed(frames[i : i + 1])
    assert out == [b"abc", b"", b"x" * 300] and dec.pending_bytes == 0
    with pytest.raises(FrameError):
        FrameDecoder().feed(b"\x01\x00\x00\x00\x00")
    with pytest.raises(FrameTooLargeError):
        FrameDecoder(max_frame_bytes=10).feed(struct.pack(">BI", 0, 11))  # refused on the header alone
    with pytest.raises(FrameTooLargeError):
        encode_frame(b"x" * 11, max_frame_bytes=10)


def test_sync_out_of_order_and_partial_reads(fake_server):
    path = fake_server(reverse_trickler(20))
    with Client(unix_socket=path, timeout=10) as c:
        ids = [c.send(pb.Request(health=pb.HealthRequest())) for _ in range(20)]
        for rid in ids:  # in send order, while they arrive reversed
            assert c.receive(rid).health.in_flight == rid * 10
        with pytest.raises(KeyError):
            c.receive(ids[0])


def test_sync_pipeline_helper_order(fake_server):
    path = fake_server(reverse_trickler(5))
    with Client(unix_socket=path, timeout=10) as c:
        out = c.pipeline([pb.Request(health=pb.HealthRequest()) for _ in range(4)] + [pb.Request(id=99)])
        assert [r.id for r in out][-1] == 99
        assert [r.health.in_flight for r in out] == [r.id * 10 for r in out]


def test_async_out_of_order_and_partial_reads(fake_server):
    path = fake_server(reverse_trickler(30))

    async def main():
        async with AsyncClient(unix_socket=path, timeout=10) as ac:
            calls = [ac.call(pb.Request(health=pb.HealthRequest())) for _ in range(30)]
            return await asyncio.gather(*calls)

    for resp in asyncio.run(main()):
        assert resp.health.in_flight == resp.id * 10


def test_request_level_error_raises(fake_server):
    def handler(conn):
        for _ in range(2):
            req, = read_requests(conn, 1)
            err = pb.Response(id=req.id, error=pb.Error(code=pb.OVERLOADED, message="busy"))
            conn.sendall(encode_frame(err.SerializeToString()))
        conn.recv(1)

    path = fake_server(handler)
    with Client(unix_socket=path, timeout=10) as c:
        with pytest.raises(PasskeydError) as e:
            c.health()
        assert (e.value.code, e.value.message) == (ErrorCode.OVERLOADED, "busy")
        assert e.value.retryable and str(e.value) == "OVERLOADED: busy"
        with pytest.raises(PasskeydError) as e:
            c.verify_authentication(policy("example.com", "https://example.com"), b"c", b"k", response_json="{}")
        assert e.value.code is ErrorCode.OVERLOADED


def bad_reply(reply: bytes):
    def handler(conn):
        read_requests(conn, 1)
        conn.sendall(reply)
        conn.recv(1)

    return handler


@pytest.mark.parametrize(
    "reply, exc",
    [
        (b"\x01" + struct.pack(">I", 2) + b"\x08\x01", FrameError),
        (struct.pack(">BI", 0, 16 * 1024 * 1024 + 1), FrameTooLargeError),
    ],
    ids=["nonzero_flag", "over_16MiB"],
)
def test_sync_bad_frames_from_server(fake_server, reply, exc):
    path = fake_server(bad_reply(reply))
    with Client(unix_socket=path, timeout=10) as c:
        with pytest.raises(exc):
            c.health()
        with pytest.raises(ConnectionError):
            c.health()


def test_client_max_frame_bytes_is_configurable(fake_server):
    big = pb.Response(id=1, server_info=pb.ServerInfoResponse(version="v" * 2000)).SerializeToString()
    path = fake_server(bad_reply(encode_frame(big)))
    with Client(unix_socket=path, timeout=10, max_frame_bytes=1000) as c:
        with pytest.raises(FrameTooLargeError):
            c.server_info()


def test_async_bad_flag_fails_pending(fake_server):
    path = fake_server(bad_reply(b"\x02\x00\x00\x00\x00"))

    async def main():
        async with AsyncClient(unix_socket=path, timeout=10) as ac:
            with pytest.raises(ConnectionClosedError) as e:
                await ac.health()
            assert isinstance(e.value.__cause__, FrameError)
            with pytest.raises(ConnectionError):
                await ac.health()

    asyncio.run(main())


def test_drop_fails_every_pending_call(fake_server):
    def handler(conn):
        read_requests(conn, 10)
        err = pb.Response(id=0, error=pb.Error(code=pb.SHUTTING_DOWN, message="bye"))
        conn.sendall(encode_frame(err.SerializeToString()))
        # close without answering

    path = fake_server(handler)

    async def main():
        async with AsyncClient(unix_socket=path, timeout=10) as ac:
            results = await asyncio.gather(*(ac.health() for _ in range(10)), return_exceptions=True)
            assert all(isinstance(r, ConnectionClosedError) for r in results), results
            assert results[0].server_error.code is ErrorCode.SHUTTING_DOWN
            with pytest.raises(ConnectionError):
                await ac.health()

    asyncio.run(main())


def test_sync_drop_and_timeout(fake_server):
    def handler(conn):
        read_requests(conn, 2)
        time.sleep(0.5)  # answer nothing, then hang up

    path = fake_server(handler)
    with Client(unix_socket=path, timeout=10) as c:
        a = c.send(pb.Request(health=pb.HealthRequest()))
        b = c.send(pb.Request(health=pb.HealthRequest()))
        with pytest.raises(TimeoutError):
            c.receive(a, timeout=0.1)
        with pytest.raises(ConnectionClosedError):
            c.receive(b)


def test_async_timeout_then_late_answer_is_ignored(fake_server):
    def handler(conn):
        first, = read_requests(conn, 1)
        time.sleep(0.3)  # the caller gives up meanwhile
        second, = read_requests(conn, 1)
        conn.sendall(answer(first) + answer(second))  # the late answer must be dropped, not confused
        conn.recv(1)

    path = fake_server(handler)

    async def main():
        async with AsyncClient(unix_socket=path, timeout=10) as ac:
            with pytest.raises(asyncio.TimeoutError):
                await ac.health(timeout=0.05)
            assert (await ac.health()).in_flight > 0

    asyncio.run(main())


def test_builders_set_the_challenge_check():
    from passkeyd_client.builders import authentication_request, registration_request

    p = policy("example.com", ["https://example.com"])
    expected = authentication_request(p, b"\x01" * 16, b"key", response_json="{}")
    assert expected.WhichOneof("challenge_check") == "challenge" and expected.challenge == b"\x01" * 16
    issued = authentication_request(p, None, b"key", response_json="{}", issued_context=b"session-1")
    assert issued.WhichOneof("challenge_check") == "issued_challenge" and issued.issued_challenge.context == b"session-1"
    reg = registration_request(p, None, response_json="{}", issued_context=b"")
    assert reg.WhichOneof("challenge_check") == "issued_challenge"
    with pytest.raises(ValueError):
        authentication_request(p, b"\x01" * 16, b"key", response_json="{}", issued_context=b"x")
