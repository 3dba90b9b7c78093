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


PAGE = """
import sys
from incident.core.digest import BUDGET, sha256_for
small = sha256_for(100)
print(small(b"abc").hexdigest(), "_hashlib" in sys.modules)
page = sha256_for(BUDGET)  # a page of ticks past what is left: OpenSSL from here on
print(page(b"abc").hexdigest(), "_hashlib" in sys.modules, sha256_for(1) is page)
"""


def test_a_page_hashed_at_once_counts_against_the_budget_as_a_whole() -> None:
    printed = fresh_python(PAGE)
    abc = hashlib.sha256(b"abc").hexdigest()
    assert printed.split("\n")[:2] == [f"{abc} False", f"{abc} True True"]
