"""Wire framing: 1 flag byte (0) + 4-byte big-endian length + protobuf payload."""

from __future__ import annotations

import socket
import struct

from .errors import FrameError, FrameTooLargeError

HEADER = struct.Struct(">BI")
HEADER_SIZE = HEADER.size  # 5
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
_UINT32_MAX = 0xFFFFFFFF


def encode_frame(payload: bytes, *, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES, flag: int = 0) -> bytes:
    """Frames ``payload``. ``flag`` is only for tests that want to send a malformed frame."""
    n = len(payload)
    if n > min(max_frame_bytes, _UINT32_MAX):
        raise FrameTooLargeError(f"outgoing frame of {n} bytes exceeds the limit of {max_frame_bytes} bytes")
    return HEADER.pack(flag, n) + bytes(payload)


def parse_header(header: bytes, *, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> int:
    """Validates a 5-byte frame header and returns the payload length."""
    flag, length = HEADER.unpack(header)
    assert isinstance(flag, int) and isinstance(length, int)
    if flag != 0:
        raise FrameError(f"frame flag byte is {flag}, expected 0")
    if length > max_frame_bytes:
        raise FrameTooLargeError(f"incoming frame of {length} bytes exceeds the limit of {max_frame_bytes} bytes")
    return length


class FrameDecoder:
    """Incremental decoder: feed it whatever ``recv`` returned, get complete payloads back.

    The header is validated as soon as its 5 bytes are in, so an oversized or malformed frame is refused before its
    payload is buffered.
    """

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        self.max_frame_bytes = max_frame_bytes
        self._buf = bytearray()
        self._need: int | None = None  # payload length of the frame in progress, once its header is parsed

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        out: list[bytes] = []
        while True:
            if self._need is None:
                if len(self._buf) < HEADER_SIZE:
                    return out
                self._need = parse_header(bytes(self._buf[:HEADER_SIZE]), max_frame_bytes=self.max_frame_bytes)
                del self._buf[:HEADER_SIZE]
            if len(self._buf) < self._need:
                return out
            out.append(bytes(self._buf[: self._need]))
            del self._buf[: self._need]
            self._need = None

    @property
    def pending_bytes(self) -> int:
        """Bytes of an incomplete frame held back (0 at a frame boundary)."""
        return len(self._buf) + (HEADER_SIZE if self._need is not None else 0)


def read_frame(sock: socket.socket, *, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> bytes | None:
    """Reads one frame's payload from a blocking socket. Returns None on a clean EOF at a frame boundary."""
    header = _recv_exactly(sock, HEADER_SIZE, eof_ok=True)
    if header is None:
        return None
    length = parse_header(header, max_frame_bytes=max_frame_bytes)
    return _recv_exactly(sock, length, eof_ok=False) if length else b""


def _recv_exactly(sock: socket.socket, n: int, *, eof_ok: bool) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            if eof_ok and not buf:
                return None
            raise ConnectionError(f"connection closed in the middle of a frame ({len(buf)} of {n} bytes)")
        buf += chunk
    return bytes(buf)
