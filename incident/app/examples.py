"""The example times a person is shown for a moment they type, read off a clock.

A written-out example ("e.g. 2026-11-29T14:00:00Z") was a day ahead when it was
written and in the past weeks later, where the booking form asked for a meeting "not
in the past, e.g." that date, and `--at tomorrow` was refused with it. An example made
from the clock of the face that shows it stays one a person could type: tomorrow at
14:00 UTC for a meeting, an hour ago for the start of an impact (which cannot be in
the future). The forms show them in their placeholders, and both faces in the
refusal of a time that does not read (`Param.parse`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def meeting_example(now: datetime) -> str:
    """Tomorrow at 14:00 UTC: a post-mortem's start, within 48 h of a resolution now."""
    day = (now.astimezone(UTC) + timedelta(days=1)).date()
    return f"{day.isoformat()}T14:00Z"


def due_date_example(now: datetime) -> str:
    """Two weeks from `now`, a day: when an action item is due."""
    return (now.astimezone(UTC) + timedelta(days=14)).date().isoformat()


def impact_start_example(now: datetime) -> str:
    """An hour ago, to the minute: when an impact began, back-dating T+0."""
    at = now.astimezone(UTC) - timedelta(hours=1)
    return f"{at:%Y-%m-%dT%H:%M}Z"


MOMENT_EXAMPLES: dict[str, Callable[[datetime], str]] = {
    "at": meeting_example,  # schedule-postmortem: not in the past
    "started_at": impact_start_example,  # declare: not in the future
}
"""Each moment parameter's example, by name (a test holds every verb's to one)."""


def moment_example(name: str, now: datetime) -> str:
    """The example for the moment parameter `name` at `now`; a meeting's for another."""
    return MOMENT_EXAMPLES.get(name, meeting_example)(now)
