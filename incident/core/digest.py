"""SHA-256 for the record's hashes, without loading OpenSSL for an incident's first texts.

`hashlib` sets up OpenSSL's digests as it is imported: 0.7 MiB of the coordinator's
memory at its first frame (43.4 -> 42.7 MiB; asyncio has loaded libcrypto for `ssl`
already, and a process without it pays 3.7 MiB), to hash an incident's first few
hundred events. CPython's own SHA-256 (`_sha256`; `_sha2` from 3.12) gives the
same digests, at half OpenSSL's speed on short texts and a fifth of it on long ones
(measured: 2.5 against 1.3 us at 300 bytes, 110 against 19 us at 25 KB). So it hashes
the first `BUDGET` bytes a process hashes (a few ms of work at most) and OpenSSL
everything after, or everything as soon as anything else has loaded it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Protocol


class _Hash(Protocol):
    def hexdigest(self) -> str: ...


BUDGET = 1 << 20
"""Bytes hashed without OpenSSL: an incident's declaration and a few hundred events
fit; a record of many probe ticks or an export goes past it at once."""


def _builtin() -> Callable[[bytes], _Hash] | None:
    for name in ("_sha256", "_sha2"):
        try:
            sha256: Callable[[bytes], _Hash] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return sha256
    return None


_BUILTIN = _builtin()
_openssl: Callable[[bytes], _Hash] | None = None
_spent = 0
"""Bytes the builtin implementation has hashed."""


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, in hex: the same digest whichever implementation runs."""
    return sha256_for(len(data))(data).hexdigest()


def sha256_for(size: int) -> Callable[[bytes], _Hash]:
    """The SHA-256 to hash `size` more bytes with (a page of ticks at once): the builtin
    while they fit in what is left of `BUDGET`, else OpenSSL from then on."""
    global _openssl, _spent
    if _openssl is None:
        if _BUILTIN is not None and _spent + size <= BUDGET and "hashlib" not in sys.modules:
            _spent += size
            return _BUILTIN
        _openssl = openssl_sha256()
    return _openssl


def openssl_sha256() -> Callable[[bytes], _Hash]:
    """OpenSSL's SHA-256, loaded now if it was not (for a page of ticks hashed at once,
    or once a process has spent its budget)."""
    import hashlib  # loads OpenSSL

    return hashlib.sha256
