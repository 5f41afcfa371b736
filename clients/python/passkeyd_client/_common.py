"""Pieces shared by the sync and asyncio clients: building requests, and turning responses into typed results."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, TypeVar, Union

from . import passkeyd_pb2 as pb
from .builders import (
    authentication_options_request,
    authentication_request,
    registration_options_request,
    registration_request,
)
from .errors import PasskeydError, ProtocolError
from .results import (
    AuthenticationVerdict,
    ErrorCode,
    Health,
    OptionsResult,
    RegistrationVerdict,
    ServerInfo,
)

Result = Union[
    AuthenticationVerdict,
    RegistrationVerdict,
    list[AuthenticationVerdict],
    list[RegistrationVerdict],
    OptionsResult,
    Health,
    ServerInfo,
]
"""What :func:`decode_response` returns: the typed form of any ``Response.result`` but ``error``."""


def error_from(response: pb.Response) -> PasskeydError:
    code = ErrorCode.from_number(response.error.code) or ErrorCode.UNRECOGNIZED
    return PasskeydError(code, response.error.message, response.id)


def expect(response: pb.Response, field: str) -> None:
    """Raises ``PasskeydError`` for ``Response.error`` and ``ProtocolError`` for an answer of another method."""
    which = response.WhichOneof("result")
    if which == "error":
        raise error_from(response)
    if which != field:
        raise ProtocolError(f"response {response.id} carries {which!r}, expected {field!r}")


def authentication_verdict(response: pb.Response) -> AuthenticationVerdict:
    expect(response, "verify_authentication")
    return AuthenticationVerdict.from_proto(response.verify_authentication)


def registration_verdict(response: pb.Response) -> RegistrationVerdict:
    expect(response, "verify_registration")
    return RegistrationVerdict.from_proto(response.verify_registration)


def authentication_verdicts(response: pb.Response) -> list[AuthenticationVerdict]:
    expect(response, "verify_authentication_batch")
    return [AuthenticationVerdict.from_proto(r) for r in response.verify_authentication_batch.results]


def registration_verdicts(response: pb.Response) -> list[RegistrationVerdict]:
    expect(response, "verify_registration_batch")
    return [RegistrationVerdict.from_proto(r) for r in response.verify_registration_batch.results]


def registration_options(response: pb.Response) -> OptionsResult:
    expect(response, "generate_registration_options")
    return OptionsResult.from_proto(response.generate_registration_options)


def authentication_options(response: pb.Response) -> OptionsResult:
    expect(response, "generate_authentication_options")
    return OptionsResult.from_proto(response.generate_authentication_options)


def health(response: pb.Response) -> Health:
    expect(response, "health")
    return Health.from_proto(response.health)


def server_info(response: pb.Response) -> ServerInfo:
    expect(response, "server_info")
    return ServerInfo.from_proto(response.server_info)


_DECODERS: dict[str, Callable[[pb.Response], Result]] = {
    "verify_authentication": authentication_verdict,
    "verify_registration": registration_verdict,
    "verify_authentication_batch": authentication_verdicts,
    "verify_registration_batch": registration_verdicts,
    "generate_registration_options": registration_options,
    "generate_authentication_options": authentication_options,
    "health": health,
    "server_info": server_info,
}


def decode_response(response: pb.Response) -> Result:
    """The typed result of any ``Response`` (from ``Client.receive`` / ``pipeline`` / ``call``): a verdict, a list
    of verdicts for a batch, an ``OptionsResult``, ``Health`` or ``ServerInfo``. ``Response.error`` raises
    ``PasskeydError``; a response with no result (a newer server's method) raises ``ProtocolError``."""
    which = response.WhichOneof("result")
    if which == "error":
        raise error_from(response)
    decoder = _DECODERS.get(which or "")
    if decoder is None:
        raise ProtocolError(f"response {response.id} carries {which!r}, which this client cannot decode")
    return decoder(response)


M = TypeVar("M", pb.VerifyAuthenticationRequest, pb.VerifyRegistrationRequest)


def _one(args: tuple[Any, ...], kwargs: dict[str, Any], msg_type: type[M], build: Callable[..., M]) -> M:
    if len(args) == 1 and not kwargs and isinstance(args[0], msg_type):
        return args[0]
    return build(*args, **kwargs)


def _items(items: Iterable[Any], msg_type: type[M], build: Callable[..., M]) -> list[M]:
    out: list[M] = []
    for item in items:
        if isinstance(item, msg_type):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(build(**item))
        else:
            raise TypeError(f"batch items must be {msg_type.__name__} or mappings, not {type(item).__name__}")
    return out


def auth_request(args: tuple[Any, ...], kwargs: dict[str, Any], deadline_ms: int) -> pb.Request:
    item = _one(args, kwargs, pb.VerifyAuthenticationRequest, authentication_request)
    return pb.Request(deadline_ms=deadline_ms, verify_authentication=item)


def reg_request(args: tuple[Any, ...], kwargs: dict[str, Any], deadline_ms: int) -> pb.Request:
    item = _one(args, kwargs, pb.VerifyRegistrationRequest, registration_request)
    return pb.Request(deadline_ms=deadline_ms, verify_registration=item)


def auth_batch_request(items: Iterable[Any], deadline_ms: int) -> pb.Request:
    batch = pb.VerifyAuthenticationBatchRequest(
        items=_items(items, pb.VerifyAuthenticationRequest, authentication_request)
    )
    return pb.Request(deadline_ms=deadline_ms, verify_authentication_batch=batch)


def reg_batch_request(items: Iterable[Any], deadline_ms: int) -> pb.Request:
    batch = pb.VerifyRegistrationBatchRequest(items=_items(items, pb.VerifyRegistrationRequest, registration_request))
    return pb.Request(deadline_ms=deadline_ms, verify_registration_batch=batch)


def reg_options_request(args: tuple[Any, ...], kwargs: dict[str, Any], deadline_ms: int) -> pb.Request:
    if len(args) == 1 and not kwargs and isinstance(args[0], pb.GenerateRegistrationOptionsRequest):
        item = args[0]
    else:
        item = registration_options_request(*args, **kwargs)
    return pb.Request(deadline_ms=deadline_ms, generate_registration_options=item)


def auth_options_request(args: tuple[Any, ...], kwargs: dict[str, Any], deadline_ms: int) -> pb.Request:
    if len(args) == 1 and not kwargs and isinstance(args[0], pb.GenerateAuthenticationOptionsRequest):
        item = args[0]
    else:
        item = authentication_options_request(*args, **kwargs)
    return pb.Request(deadline_ms=deadline_ms, generate_authentication_options=item)


def health_request(deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, health=pb.HealthRequest())


def server_info_request(deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, server_info=pb.ServerInfoRequest())


class IdAllocator:
    """Hands out nonzero request ids that are not in flight (id 0 is what the server uses for connection errors)."""

    def __init__(self) -> None:
        self._next = 1

    def allocate(self, in_flight: Iterable[int]) -> int:
        taken = in_flight if isinstance(in_flight, (set, frozenset, dict)) else set(in_flight)
        while True:
            rid = self._next
            self._next = self._next + 1 if self._next < 0xFFFFFFFFFFFFFFFF else 1
            if rid not in taken:
                return rid
