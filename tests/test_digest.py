"""The record's SHA-256 is SHA-256, whichever implementation computed it, and OpenSSL
is loaded only once a process has hashed a megabyte."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from incident.core import digest
from tests.cli_helpers import fresh_python


@given(st.binary(max_size=30_000))
def test_cpythons_own_sha256_gives_hashlibs_digests(data: bytes) -> None:
    assert digest._BUILTIN is not None  # CPython always builds it
    assert digest._BUILTIN(data).hexdigest() == hashlib.sha256(data).hexdigest()


PROBE = """
import sys
from incident.core.digest import BUDGET, sha256_hex
print(sha256_hex(b"abc"), "_hashlib" in sys.modules)
print(sha256_hex(b"x" * (BUDGET - 3)), "_hashlib" in sys.modules)
print(sha256_hex(b"abc"), "_hashlib" in sys.modules)
"""


def test_openssl_is_loaded_once_a_process_has_hashed_its_budget() -> None:
    printed = fresh_python(PROBE)
    abc = hashlib.sha256(b"abc").hexdigest()
    long = hashlib.sha256(b"x" * (digest.BUDGET - 3)).hexdigest()
    assert printed.split("\n")[:3] == [f"{abc} False", f"{long} False", f"{abc} True"]
