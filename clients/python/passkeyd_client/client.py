"""Blocking client."""

from __future__ import annotations

import selectors
import socket
import threading
import time
from typing import Any, Iterable, Union

from google.protobuf.message import DecodeError

from . import _common as c
from . import passkeyd_pb2 as pb
from ._framing import DEFAULT_MAX_FRAME_BYTES, FrameDecoder, encode_frame
from .errors import ConnectionClosedError, PasskeydError, ProtocolError
from .results import AuthenticationVerdict, Health, OptionsResult, RegistrationVerdict, ServerInfo

_RECV_CHUNK = 256 * 1024

Endpoint = Union[tuple[str, str], tuple[str, tuple[str, int]]]


def _endpoint(unix_socket: str | None, host: str | None, port: int | None) -> Endpoint:
    if unix_socket is not None:
        if host is not None or port is not None:
            raise ValueError("give either unix_socket or host/port, not both")
        return ("unix", str(unix_socket))
    if port is None:
        raise ValueError("give unix_socket=PATH or port=N (with host, default 127.0.0.1)")
    return ("tcp", (host or "127.0.0.1", int(port)))


class Client:
    """A blocking passkeyd client over one connection.

    ``Client(unix_socket="/run/passkeyd/passkeyd.sock")`` or ``Client(host="127.0.0.1", port=7443)``.
    ``timeout`` (seconds, None = wait forever) bounds connecting and each wait for the socket.

    The verify and options methods take either a ready request message or the arguments of
    :func:`passkeyd_client.authentication_request` / :func:`passkeyd_client.registration_request` /
    :func:`passkeyd_client.registration_options_request` / :func:`passkeyd_client.authentication_options_request`,
    and return typed results (:class:`AuthenticationVerdict`, :class:`RegistrationVerdict`, lists of them for
    batches, :class:`OptionsResult`, :class:`Health`, :class:`ServerInfo`); ``Response.error`` raises
    :class:`PasskeydError`.

    Pipelining: :meth:`send` writes a request and returns its id without waiting, :meth:`receive` returns the
    response for an id (responses for other ids that arrive first are kept for their own ``receive``), and
    :meth:`pipeline` does both for a list. While a send would block, the client reads what the server has answered,
    so a long pipeline cannot deadlock on full socket buffers.

    Calls from several threads are safe but run one at a time; use :class:`AsyncClient` for concurrency.
    """

    def __init__(
        self,
        unix_socket: str | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        timeout: float | None = 30.0,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        connect: bool = True,
    ) -> None:
        self._endpoint = _endpoint(unix_socket, host, port)
        self.timeout = timeout
        self.max_frame_bytes = max_frame_bytes
        self._lock = threading.RLock()
        self._sock: socket.socket | None = None
        self._selector: selectors.BaseSelector | None = None
        self._reset_state()
        if connect:
            self.connect()

    def _reset_state(self) -> None:
        self._decoder = FrameDecoder(self.max_frame_bytes)
        self._responses: dict[int, pb.Response] = {}
        self._outstanding: set[int] = set()
        self._ids = c.IdAllocator()
        self._failure: BaseException | None = None  # why the connection is unusable
        self._eof = False
        self.connection_error: PasskeydError | None = None  # last connection-level (id 0) error from the server

    # -- connection -------------------------------------------------------------------------------------------------

    def connect(self) -> None:
        with self._lock:
            if self._sock is not None:
                return
            kind, addr = self._endpoint
            if isinstance(addr, str):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.settimeout(self.timeout)
                    sock.connect(addr)
                except BaseException:
                    sock.close()
                    raise
            else:
                sock = socket.create_connection(addr, timeout=self.timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setblocking(False)
            self._reset_state()
            self._sock = sock
            self._selector = selectors.DefaultSelector()
            self._selector.register(sock, selectors.EVENT_READ)

    def close(self) -> None:
        with self._lock:
            if self._selector is not None:
                self._selector.close()
                self._selector = None
            if self._sock is not None:
                self._sock.close()
                self._sock = None
            if self._failure is None:
                self._failure = ConnectionClosedError("client closed")

    def __enter__(self) -> "Client":
        self.connect()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _check_usable(self) -> None:
        if self._failure is not None:
            raise self._closed_error()
        if self._sock is None:
            raise ConnectionClosedError("not connected")

    def _closed_error(self) -> ConnectionClosedError:
        f = self._failure
        if isinstance(f, ConnectionClosedError):
            return f
        err = ConnectionClosedError(f"connection unusable: {f}", self.connection_error)
        err.__cause__ = f
        return err

    def _fail(self, exc: BaseException) -> None:
        if self._failure is None:
            self._failure = exc
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _connected(self) -> tuple[socket.socket, selectors.BaseSelector]:
        self._check_usable()
        assert self._sock is not None and self._selector is not None
        return self._sock, self._selector

    # -- I/O --------------------------------------------------------------------------------------------------------

    def _deadline(self, timeout: float | None) -> float | None:
        t = self.timeout if timeout is None else timeout
        return None if t is None else time.monotonic() + t

    def _wait(self, deadline: float | None, *, write: bool) -> tuple[bool, bool]:
        sock, selector = self._connected()
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if write else 0)
        selector.modify(sock, events)
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready = selector.select(remaining)
        if not ready:
            raise TimeoutError("timed out waiting for passkeyd")
        mask = ready[0][1]
        return bool(mask & selectors.EVENT_READ), bool(mask & selectors.EVENT_WRITE)

    def _read_available(self) -> None:
        sock, _ = self._connected()
        try:
            data = sock.recv(_RECV_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self._fail(ConnectionClosedError(f"connection lost: {e}", self.connection_error))
            return
        if not data:
            self._eof = True
            self._fail(ConnectionClosedError("connection closed by passkeyd", self.connection_error))
            return
        try:
            payloads = self._decoder.feed(data)
        except ProtocolError as e:
            self._fail(e)
            raise
        for payload in payloads:
            resp = pb.Response()
            try:
                resp.ParseFromString(payload)
            except DecodeError as e:
                err = ProtocolError(f"undecodable Response from passkeyd: {e}")
                self._fail(err)
                raise err from e
            if resp.id in self._outstanding:
                self._responses[resp.id] = resp
            elif resp.id == 0 and resp.WhichOneof("result") == "error":
                self.connection_error = c.error_from(resp)
            # anything else answers nothing we are waiting for (e.g. an abandoned id): dropped

    def _drain_after_error(self) -> None:
        for _ in range(64):
            if self._sock is None or self._failure is not None:
                return
            try:
                self._read_available()
            except ProtocolError:
                return
            ready = self._selector.select(0) if self._selector is not None else []
            if not ready:
                return

    def _send_bytes(self, data: bytes, deadline: float | None) -> None:
        view = memoryview(data)
        while view:
            sock, _ = self._connected()
            try:
                n = sock.send(view)
                view = view[n:]
                continue
            except (BlockingIOError, InterruptedError):
                pass
            except OSError as e:
                self._drain_after_error()  # keep the server's last word (e.g. MALFORMED_FRAME) for the error
                self._fail(ConnectionClosedError(f"connection lost: {e}", self.connection_error))
                raise self._closed_error() from e
            readable, _ = self._wait(deadline, write=True)
            if readable:
                # Read what the server answered meanwhile so that it can go on reading our requests.
                self._read_available()

    # -- pipelining -------------------------------------------------------------------------------------------------

    def send(self, request: pb.Request, *, timeout: float | None = None) -> int:
        """Writes ``request`` without waiting for its answer and returns its id.

        An id of 0 is replaced by a fresh one (on a copy; ``request`` is not modified). Explicit ids must not be in
        flight on this connection.
        """
        with self._lock:
            self._check_usable()
            if request.id == 0:
                rid = self._ids.allocate(self._outstanding.union(self._responses))
                req = pb.Request()
                req.CopyFrom(request)
                req.id = rid
            else:
                rid = request.id
                if rid in self._outstanding or rid in self._responses:
                    raise ValueError(f"request id {rid} is already in flight")
                req = request
            frame = encode_frame(req.SerializeToString(), max_frame_bytes=self.max_frame_bytes)
            self._outstanding.add(rid)
            try:
                self._send_bytes(frame, self._deadline(timeout))
            except BaseException as e:
                self._outstanding.discard(rid)
                # Part of the frame may be on the wire: the stream can no longer be trusted.
                self._fail(e if isinstance(e, ConnectionError) else ConnectionClosedError(f"send failed: {e!r}"))
                raise
            return rid

    def receive(self, request_id: int, *, timeout: float | None = None) -> pb.Response:
        """Returns the ``Response`` for ``request_id`` (as is, even when it carries ``error``).

        Raises ``TimeoutError`` if it does not come in time (the id stays pending; ``receive`` may be called again),
        ``ConnectionClosedError`` if the connection ends first.
        """
        with self._lock:
            if request_id in self._responses:
                self._outstanding.discard(request_id)
                return self._responses.pop(request_id)
            if request_id not in self._outstanding:
                raise KeyError(f"no request with id {request_id} is pending")
            deadline = self._deadline(timeout)
            while request_id not in self._responses:
                self._check_usable()
                self._wait(deadline, write=False)
                self._read_available()
            self._outstanding.discard(request_id)
            return self._responses.pop(request_id)

    def pipeline(self, requests: Iterable[pb.Request], *, timeout: float | None = None) -> list[pb.Response]:
        """Sends every request before reading, then returns their ``Response`` messages in request order."""
        with self._lock:
            ids = [self.send(r, timeout=timeout) for r in requests]
            return [self.receive(i, timeout=timeout) for i in ids]

    def call(self, request: pb.Request, *, timeout: float | None = None) -> pb.Response:
        """Sends one request and waits for its ``Response`` (not unwrapped)."""
        with self._lock:
            return self.receive(self.send(request, timeout=timeout), timeout=timeout)

    # -- methods ----------------------------------------------------------------------------------------------------

    def verify_authentication(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> AuthenticationVerdict:
        """``verify_authentication(request)`` or ``verify_authentication(policy, challenge, public_key, ...)``
        (the arguments of :func:`passkeyd_client.authentication_request`)."""
        return c.authentication_verdict(self.call(c.auth_request(args, kwargs, deadline_ms), timeout=timeout))

    def verify_authentication_batch(
        self, items: Iterable[Any], *, deadline_ms: int = 0, timeout: float | None = None
    ) -> list[AuthenticationVerdict]:
        """Items are request messages or keyword dicts for ``authentication_request``; verdicts come in order."""
        return c.authentication_verdicts(self.call(c.auth_batch_request(items, deadline_ms), timeout=timeout))

    def verify_registration(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> RegistrationVerdict:
        """``verify_registration(request)`` or ``verify_registration(policy, challenge, response_json=...)``."""
        return c.registration_verdict(self.call(c.reg_request(args, kwargs, deadline_ms), timeout=timeout))

    def verify_registration_batch(
        self, items: Iterable[Any], *, deadline_ms: int = 0, timeout: float | None = None
    ) -> list[RegistrationVerdict]:
        return c.registration_verdicts(self.call(c.reg_batch_request(items, deadline_ms), timeout=timeout))

    def generate_registration_options(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> OptionsResult:
        """``generate_registration_options(request)`` or the arguments of ``registration_options_request``; the
        result's ``options_json`` is what the browser's ``parseCreationOptionsFromJSON()`` takes."""
        return c.registration_options(self.call(c.reg_options_request(args, kwargs, deadline_ms), timeout=timeout))

    def generate_authentication_options(
        self, *args: Any, deadline_ms: int = 0, timeout: float | None = None, **kwargs: Any
    ) -> OptionsResult:
        """``generate_authentication_options(request)`` or the arguments of ``authentication_options_request``."""
        return c.authentication_options(self.call(c.auth_options_request(args, kwargs, deadline_ms), timeout=timeout))

    def health(self, *, timeout: float | None = None) -> Health:
        return c.health(self.call(c.health_request(0), timeout=timeout))

    def server_info(self, *, timeout: float | None = None) -> ServerInfo:
        return c.server_info(self.call(c.server_info_request(0), timeout=timeout))
