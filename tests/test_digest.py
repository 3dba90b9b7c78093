"""The record's SHA-256 is SHA-256, whichever implementation computed it."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from incident.core.digest import LONG, sha256_hex


@given(st.binary(max_size=LONG + 64))
def test_the_digest_is_hashlibs_on_both_sides_of_the_threshold(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_long_text_and_texts_around_the_threshold() -> None:
    for size in (0, LONG - 1, LONG, LONG + 1, 25_000):
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
