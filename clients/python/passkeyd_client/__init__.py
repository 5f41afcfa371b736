"""Python client for passkeyd, the WebAuthn verification sidecar.

See clients/python/README.md and docs/protocol.md (the wire protocol).
"""

from . import passkeyd_pb2
from . import passkeyd_pb2 as pb
from ._common import Result, decode_response
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
from .results import (
    AttestationFormat,
    AttestationType,
    AuthenticationVerdict,
    ChallengeStoreState,
    COSEAlgorithm,
    ErrorCode,
    ExtensionResults,
    Health,
    HealthStatus,
    MetadataInfo,
    OptionsResult,
    RegistrationVerdict,
    RiskSignal,
    ServerInfo,
    TrustSource,
)

__version__ = "0.2.0"

__all__ = [
    "AsyncClient",
    "AttestationFormat",
    "AttestationType",
    "AuthenticationVerdict",
    "COSEAlgorithm",
    "ChallengeStoreState",
    "Client",
    "ConnectionClosedError",
    "DEFAULT_MAX_FRAME_BYTES",
    "ErrorCode",
    "ExtensionResults",
    "FrameDecoder",
    "FrameError",
    "FrameTooLargeError",
    "Health",
    "HealthStatus",
    "MetadataInfo",
    "OptionsResult",
    "PasskeydError",
    "ProtocolError",
    "RegistrationVerdict",
    "Result",
    "RiskSignal",
    "ServerInfo",
    "TrustSource",
    "authentication_options_request",
    "authentication_request",
    "b64url_decode",
    "b64url_encode",
    "decode_response",
    "encode_frame",
    "options_policy",
    "passkeyd_pb2",
    "pb",
    "policy",
    "read_frame",
    "registration_options_request",
    "registration_request",
]
