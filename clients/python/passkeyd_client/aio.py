"""asyncio client: one connection, many concurrent calls, responses matched by id."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any, Iterable

from google.protobuf.message import DecodeError

from . import _common as c
from . import passkeyd_pb2 as pb
from ._framing import DEFAULT_MAX_FRAME_BYTES, HEADER_SIZE, encode_frame, parse_header
from .client import _endpoint
from .errors import ConnectionClosedError, PasskeydError, ProtocolError
from .results import AuthenticationVerdict, Health, OptionsResult, RegistrationVerdict, ServerInfo


class AsyncClient:
    """An asyncio passkeyd client.

    Every call writes its request at once and waits on a future; a single reader task reads the responses and
    resolves the futures by id, so any number of concurrent calls (``asyncio.gather``) share one pipelined
    connection and may complete in any order. When the connection drops, every pending call fails with
    :class:`ConnectionClosedError` (a ``ConnectionError``).

    ``await AsyncClient(unix_socket=path).connect()`` or ``async with AsyncClient(host=..., port=...) as client``;
    the first call also connects if needed. After a drop or ``close()``, calls raise until ``connect()`` is
    called again. ``timeout`` (seconds, None = no limit) bounds connecting and each call.
    """

    def __init__(
        self,
        unix_socket: str | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        timeout: float | None = 30.0,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    ) -> None:
        self._endpoint = _endpoint(unix_socket, host, port)
        self.timeout = timeout
        self.max_frame_bytes = max_frame_bytes
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._read_task: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[pb.Response]] = {}
        self._ids = c.IdAllocator()
        self._failure: ConnectionClosedError | None = None
        self._connect_lock: asyncio.Lock | None = None
        self._drain_lock: asyncio.Lock | None = None
        self.connection_error: PasskeydError | None = None

    # -- connection -------------------------------------------------------------------------------------------------

    async def connect(self) -> "AsyncClient":
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
            self._drain_lock = asyncio.Lock()
        async with self._connect_lock:
            if self._writer is not None and self._failure is None:
                return self
            kind, addr = self._endpoint
            if isinstance(addr, str):
                opening = asyncio.open_unix_connection(addr)
            else:
                opening = asyncio.open_connection(*addr)
            reader, writer = await asyncio.wait_for(opening, self.timeout)
            if kind == "tcp":
                sock = writer.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._reader, self._writer = reader, writer
            self._failure = None
            self.connection_error = None
            self._read_task = asyncio.get_running_loop().create_task(self._read_loop(reader, writer))
            return self

    async def close(self) -> None:
        task, writer = self._read_task, self._writer
        self._read_task = self._writer = self._reader = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        self._fail_pending(ConnectionClosedError("client closed"))
        self._failure = ConnectionClosedError("client closed")

    async def __aenter__(self) -> "AsyncClient":
        return await self.connect()

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def _fail_pending(self, exc: ConnectionClosedError) -> None:
        pending, self._pending = self._pending, {}
        for fut in pending.values():
            if not fut.done():
                fut.set_exception(exc)

    async def _read_loop(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        failure: ConnectionClosedError
        try:
            while True:
                try:
                    header = await reader.readexactly(HEADER_SIZE)
                except asyncio.IncompleteReadError as e:
                    what = "connection closed by passkeyd" + (" mid-frame" if e.partial else "")
                    failure = ConnectionClosedError(what, self.connection_error)
                    break
                length = parse_header(header, max_frame_bytes=self.max_frame_bytes)
                try:
                    payload = await reader.readexactly(length)
                except asyncio.IncompleteReadError:
                    failure = ConnectionClosedError("connection closed by passkeyd mid-frame", self.connection_error)
                    break
                resp = pb.Response()
                try:
                    resp.ParseFromString(payload)
                except DecodeError as e:
                    raise ProtocolError(f"undecodable Response from passkeyd: {e}") from e
                fut = self._pending.pop(resp.id, None)
                if fut is not None:
                    if not fut.done():
                        fut.set_result(resp)
                elif resp.id == 0 and resp.WhichOneof("result") == "error":
                    self.connection_error = c.error_from(resp)
        except asyncio.CancelledError:
            failure = ConnectionClosedError("client closed")
            self._finish(failure, writer)
            raise
        except Exception as e:  # ProtocolError, OSError, ...: no caller may be left waiting
            failure = ConnectionClosedError(f"connection lost: {e}", self.connection_error)
            failure.__cause__ = e
        self._finish(failure, writer)

    def _finish(self, failure: ConnectionClosedError, writer: asyncio.StreamWriter) -> None:
        if self._writer is writer:
            self._failure = failure
        self._fail_pending(failure)
        writer.close()

    # -- calls ------------------------------------------------------------------------------------------------------

    async def call(self, request: pb.Request, *, timeout: float | None = None) -> pb.Response:
        """Sends one request and returns its ``Response`` (not unwrapped). An id of 0 gets a fresh id (on a copy)."""
        if self._writer is None and self._failure is None:
            await self.connect()  # first use; after close() or a drop, call connect() again explicitly
        if self._failure is not None:
            raise self._failure
        if request.id == 0:
            rid = self._ids.allocate(self._pending)
            req = pb.Request()
            req.CopyFrom(request)
            req.id = rid
        else:
            rid, req = request.id, request
            if rid in self._pending:
                raise ValueError(f"request id {rid} is already in flight")
        frame = encode_frame(req.SerializeToString(), max_frame_bytes=self.max_frame_bytes)
        writer, drain_lock = self._writer, self._drain_lock
        if writer is None or drain_lock is None:
            raise ConnectionClosedError("not connected")
        fut: asyncio.Future[pb.Response] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        try:
            writer.write(frame)  # one write per frame: frames never interleave
            async with drain_lock:
                await writer.drain()
            t = self.timeout if timeout is None else timeout
            return await asyncio.wait_for(fut, t)
        except (ConnectionError, OSError) as e:
            if isinstance(e, (ConnectionClosedError, TimeoutError)):  # TimeoutError is an OSError
                raise
            raise ConnectionClosedError(f"connection lost: {e}", self.connection_error) from e
        finally:
            if self._pending.get(rid) is fut:
                del self._pending[rid]

    async def verify_authentication(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> AuthenticationVerdict:
        """As :meth:`Client.verify_authentication`."""
        return c.authentication_verdict(await self.call(c.auth_request(args, kwargs, deadline_ms), timeout=timeout))

    async def verify_authentication_batch(
        self, items: Iterable[Any], *, deadline_ms: int = 0, timeout: float | None = None
    ) -> list[AuthenticationVerdict]:
        return c.authentication_verdicts(await self.call(c.auth_batch_request(items, deadline_ms), timeout=timeout))

    async def verify_registration(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> RegistrationVerdict:
        return c.registration_verdict(await self.call(c.reg_request(args, kwargs, deadline_ms), timeout=timeout))

    async def verify_registration_batch(
        self, items: Iterable[Any], *, deadline_ms: int = 0, timeout: float | None = None
    ) -> list[RegistrationVerdict]:
        return c.registration_verdicts(await self.call(c.reg_batch_request(items, deadline_ms), timeout=timeout))

    async def generate_registration_options(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> OptionsResult:
        req = c.reg_options_request(args, kwargs, deadline_ms)
        return c.registration_options(await self.call(req, timeout=timeout))

    async def generate_authentication_options(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> OptionsResult:
        req = c.auth_options_request(args, kwargs, deadline_ms)
        return c.authentication_options(await self.call(req, timeout=timeout))

    async def health(self, *, timeout: float | None = None) -> Health:
        return c.health(await self.call(c.health_request(0), timeout=timeout))

    async def server_info(self, *, timeout: float | None = None) -> ServerInfo:
        return c.server_info(await self.call(c.server_info_request(0), timeout=timeout))
