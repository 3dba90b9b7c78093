"""Stored and typed times are read only within the years clocks can add to (`YEARS`)."""

from __future__ import annotations

from datetime import UTC

import pytest

from incident.core.events import OutOfRange, parse_timestamp


@pytest.mark.parametrize(
    ("text", "readable"),
    [
        ("1000-01-01T00:00:00.000Z", True),
        ("9000-12-31T23:59:59.999Z", True),
        ("0999-12-31T23:59:59.999Z", False),
        ("9001-01-01T00:00:00.000Z", False),
        ("9000-12-31T23:30:00-01:00", False),  # 9001 in UTC
        ("9999-12-31T23:59:59.999Z", False),
    ],
)
def test_a_stored_time_is_read_only_within_the_years_clocks_can_add_to(
    text: str, readable: bool
) -> None:
    if readable:
        assert parse_timestamp(text).tzinfo is UTC
    else:
        with pytest.raises(OutOfRange, match="out of range"):
            parse_timestamp(text)
