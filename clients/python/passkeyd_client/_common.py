"""Pieces shared by the sync and asyncio clients."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from . import passkeyd_pb2 as pb
from .builders import (
    authentication_options_request,
    authentication_request,
    registration_options_request,
    registration_request,
)
from .errors import PasskeydError, ProtocolError


def error_name(code: int) -> str:
    try:
        return pb.ErrorCode.Name(code)
    except ValueError:
        return str(code)


def error_from(response: pb.Response) -> PasskeydError:
    return PasskeydError(error_name(response.error.code), response.error.message, response.id)


def unwrap(response: pb.Response, field: str) -> Any:
    """Returns ``response.<field>``, raising ``PasskeydError`` for ``Response.error``."""
    which = response.WhichOneof("result")
    if which == "error":
        raise error_from(response)
    if which != field:
        raise ProtocolError(f"response {response.id} carries {which!r}, expected {field!r}")
    return getattr(response, field)


def _auth(args: tuple, kwargs: dict) -> pb.VerifyAuthenticationRequest:
    if len(args) == 1 and not kwargs and isinstance(args[0], pb.VerifyAuthenticationRequest):
        return args[0]
    return authentication_request(*args, **kwargs)


def _reg(args: tuple, kwargs: dict) -> pb.VerifyRegistrationRequest:
    if len(args) == 1 and not kwargs and isinstance(args[0], pb.VerifyRegistrationRequest):
        return args[0]
    return registration_request(*args, **kwargs)


def _items(items: Iterable[Any], msg_type, build) -> list:
    out = []
    for item in items:
        if isinstance(item, msg_type):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(build(**item))
        else:
            raise TypeError(f"batch items must be {msg_type.__name__} or mappings, not {type(item).__name__}")
    return out


def auth_request(args: tuple, kwargs: dict, deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, verify_authentication=_auth(args, kwargs))


def reg_request(args: tuple, kwargs: dict, deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, verify_registration=_reg(args, kwargs))


def auth_batch_request(items: Iterable[Any], deadline_ms: int) -> pb.Request:
    batch = pb.VerifyAuthenticationBatchRequest(
        items=_items(items, pb.VerifyAuthenticationRequest, authentication_request)
    )
    return pb.Request(deadline_ms=deadline_ms, verify_authentication_batch=batch)


def reg_batch_request(items: Iterable[Any], deadline_ms: int) -> pb.Request:
    batch = pb.VerifyRegistrationBatchRequest(items=_items(items, pb.VerifyRegistrationRequest, registration_request))
    return pb.Request(deadline_ms=deadline_ms, verify_registration_batch=batch)


def _reg_options(args: tuple, kwargs: dict) -> pb.GenerateRegistrationOptionsRequest:
    if len(args) == 1 and not kwargs and isinstance(args[0], pb.GenerateRegistrationOptionsRequest):
        return args[0]
    return registration_options_request(*args, **kwargs)


def _auth_options(args: tuple, kwargs: dict) -> pb.GenerateAuthenticationOptionsRequest:
    if len(args) == 1 and not kwargs and isinstance(args[0], pb.GenerateAuthenticationOptionsRequest):
        return args[0]
    return authentication_options_request(*args, **kwargs)


def reg_options_request(args: tuple, kwargs: dict, deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, generate_registration_options=_reg_options(args, kwargs))


def auth_options_request(args: tuple, kwargs: dict, deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, generate_authentication_options=_auth_options(args, kwargs))


def health_request(deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, health=pb.HealthRequest())


def server_info_request(deadline_ms: int) -> pb.Request:
    return pb.Request(deadline_ms=deadline_ms, server_info=pb.ServerInfoRequest())


class IdAllocator:
    """Hands out nonzero request ids that are not in flight (id 0 is what the server uses for connection errors)."""

    def __init__(self) -> None:
        self._next = 1

    def allocate(self, in_flight) -> int:
        while True:
            rid = self._next
            self._next = self._next + 1 if self._next < 0xFFFFFFFFFFFFFFFF else 1
            if rid not in in_flight:
                return rid
