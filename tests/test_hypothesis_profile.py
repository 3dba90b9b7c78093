"""The suite runs Hypothesis without a deadline (`tests/conftest.py`): a deadline is a
wall-time assertion, which fails a correct test on a loaded machine."""

from __future__ import annotations

from hypothesis import settings


def test_the_loaded_profile_has_no_deadline() -> None:
    assert settings.default.deadline is None
    assert settings(max_examples=3).deadline is None  # what a test's own settings inherit
