"""SHA-256 for the record's hashes, without loading OpenSSL until a long text needs it.

`hashlib` loads OpenSSL's libcrypto as it is imported: 3.7 MiB of the coordinator's
memory before the first frame (`docs/PERFORMANCE.md`), for the few hundred short
events an incident opens with. CPython's own SHA-256 (`_sha256`; `_sha2` from 3.12)
gives the same digests at half OpenSSL's speed on such texts and a fifth of it on
long ones, so long texts (a tick of many samples, an export's thousands of them)
still go to OpenSSL, loaded the first time one comes.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Protocol


class _Hash(Protocol):
    def hexdigest(self) -> str: ...


LONG = 4096
"""Bytes from which OpenSSL's SHA-256 is used (measured: 3x faster at 2 KB, 5x at 25 KB)."""


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


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data`, in hex: the same digest whichever implementation runs.

    Once OpenSSL is loaded (here, or by anything else: an export, the network),
    it hashes everything, being the faster at every length.
    """
    global _openssl
    if _openssl is None:
        if _BUILTIN is not None and len(data) < LONG and "hashlib" not in sys.modules:
            return _BUILTIN(data).hexdigest()
        import hashlib  # loads OpenSSL: only once a long text comes, or it is loaded

        _openssl = hashlib.sha256
    return _openssl(data).hexdigest()
