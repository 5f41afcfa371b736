"""Python client for passkeyd, the WebAuthn verification sidecar.

See clients/python/README.md and Protos/README.md (the wire protocol).
"""

from . import passkeyd_pb2
from . import passkeyd_pb2 as pb
from ._framing import DEFAULT_MAX_FRAME_BYTES, FrameDecoder, encode_frame, read_frame
from .aio import AsyncClient
from .builders import (
    authentication_options_request,
    authentication_request,
    b64url_decode,
    b64url_encode,
    options_policy,
    policy,
    registration_options_request,
    registration_request,
)
from .client import Client
from .errors import ConnectionClosedError, FrameError, FrameTooLargeError, PasskeydError, ProtocolError

__all__ = [
    "AsyncClient",
    "Client",
    "ConnectionClosedError",
    "DEFAULT_MAX_FRAME_BYTES",
    "FrameDecoder",
    "FrameError",
    "FrameTooLargeError",
    "PasskeydError",
    "ProtocolError",
    "authentication_options_request",
    "authentication_request",
    "b64url_decode",
    "b64url_encode",
    "encode_frame",
    "passkeyd_pb2",
    "pb",
    "options_policy",
    "policy",
    "read_frame",
    "registration_options_request",
    "registration_request",
]
