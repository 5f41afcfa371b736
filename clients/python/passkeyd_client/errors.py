"""Exceptions raised by the passkeyd client."""

from __future__ import annotations


class PasskeydError(Exception):
    """A request-level error answered by the server (``Response.error``).

    ``code`` is the ``ErrorCode`` enum name, e.g. ``"OVERLOADED"``; ``request_id`` the id of the request it answers
    (0 for connection-level errors such as ``MALFORMED_FRAME``).
    """

    def __init__(self, code: str, message: str = "", request_id: int = 0) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.request_id = request_id


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
