"""A response body read up to a limit, decompressed here with the limit on every step.

httpx decodes gzip and deflate one network chunk at a time before it hands the
chunk over, and stacks of encodings (`gzip, deflate, gzip`) one after another: a
64 KiB chunk of a bomb was tens of megabytes before any limit was checked, and a
probe whose body was a gigabyte of zeros (a megabyte on the wire) took `monitor`,
and a webhook's answer the coordinator's own screen, to 2 GB (a hostile review).
Here the raw bytes are inflated with the output of each step capped at what the
limit leaves, so no more than the limit and one byte is ever held; at most one
encoding is undone, as a server that means to be read sends no more.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

INFLATED = frozenset({"gzip", "x-gzip", "deflate"})
"""The content encodings read here; `identity` is none. lastgood asks for these alone
(`ACCEPTED`), so any other is a server's choice it cannot read."""
ACCEPTED = "gzip, deflate"
"""The Accept-Encoding lastgood's requests send, unless a probe sets its own."""


class UnreadableEncoding(Exception):
    """The body comes in an encoding, or a stack of them, that is not read here."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.encoding = encoding


class CorruptBody(Exception):
    """The body does not inflate as its encoding says."""


class _Inflater:
    """One encoding undone a piece at a time, never more output than asked for."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        # gzip's header and trailer; deflate is zlib-wrapped, or raw from some servers.
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else 16 + zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """What `data` inflates to, cut off once it is more than `room` bytes."""
        try:
            out = self._inflate_within(data, room)
        except zlib.error as error:
            if not (self._deflate and not self._started):
                raise CorruptBody(str(error)) from None
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no wrapper
            try:
                out = self._inflate_within(data, room)
            except zlib.error as again:
                raise CorruptBody(str(again)) from None
        self._started = True
        return out

    def _inflate_within(self, data: bytes, room: int) -> bytes:
        out = bytearray()
        while data and len(out) <= room:
            out += self._inflate.decompress(data, room - len(out) + 1)
            data = self._inflate.unconsumed_tail
        return bytes(out)


def _inflater(content_encoding: str) -> _Inflater | None:
    """The inflater the header names, None for none; UnreadableEncoding for anything else."""
    named = [part.strip().lower() for part in content_encoding.split(",")]
    encodings = [name for name in named if name and name != "identity"]
    if not encodings:
        return None
    if len(encodings) > 1 or encodings[0] not in INFLATED:
        raise UnreadableEncoding(content_encoding.strip())
    return _Inflater(encodings[0])


async def read_at_most(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """The body's first `limit` bytes as sent before any encoding, and whether it held
    more; reading stops there."""
    inflater = _inflater(response.headers.get("content-encoding", ""))
    body = bytearray()
    async for raw in response.aiter_raw():
        piece = raw if inflater is None else inflater.feed(raw, limit - len(body))
        body += piece
        if len(body) > limit:
            return bytes(body[:limit]), True
    return bytes(body), False
