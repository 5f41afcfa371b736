"""Exceptions raised by the passkeyd client."""

from __future__ import annotations

from .results import ErrorCode


class PasskeydError(Exception):
    """A request-level error answered by the server (``Response.error``): nothing of the request was decided.

    ``code`` is an :class:`ErrorCode` (e.g. ``ErrorCode.OVERLOADED``; ``str(code)`` is ``"overloaded"``),
    ``message`` the server's explanation, ``request_id`` the id of the request it answers (0 for connection-level
    errors such as ``MALFORMED_FRAME``). ``retryable`` tells whether sending the same request again is right
    (``OVERLOADED``, ``DEADLINE_EXCEEDED``, ``SHUTTING_DOWN``, ``UNAVAILABLE``; docs/protocol.md).
    """

    def __init__(self, code: ErrorCode, message: str = "", request_id: int = 0) -> None:
        super().__init__(f"{code.name}: {message}" if message else code.name)
        self.code = code
        self.message = message
        self.request_id = request_id

    @property
    def retryable(self) -> bool:
        return self.code.retryable


class ProtocolError(Exception):
    """The server's byte stream or answer broke the protocol. The connection is closed after it."""


class FrameError(ProtocolError):
    """The byte stream violated the framing rules (e.g. a nonzero flag byte)."""


class FrameTooLargeError(FrameError):
    """A frame is longer than the client's ``max_frame_bytes``."""


class ConnectionClosedError(ConnectionError):
    """The connection ended while requests were outstanding.

    ``server_error`` is the connection-level ``PasskeydError`` the server sent before closing, if any.
    """

    def __init__(self, message: str, server_error: PasskeydError | None = None) -> None:
        if server_error is not None:
            message = f"{message} (server said {server_error})"
        super().__init__(message)
        self.server_error = server_error
