"""The example times the forms show in their placeholders, read off the app's clock.

A written-out example ("e.g. 2026-11-29T14:00:00Z") was a day ahead when it was
written and in the past weeks later, where the booking form asked for a meeting "not
in the past, e.g." that date. An example made from the clock the form is opened by
stays one a person could type: tomorrow at 14:00 UTC for a meeting, an hour ago for
the start of an impact (which cannot be in the future).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from incident.app.params import Param
from incident.app.verb import Verb


def meeting_example(now: datetime) -> str:
    """Tomorrow at 14:00 UTC: a post-mortem's start, within 48 h of a resolution now."""
    day = (now.astimezone(UTC) + timedelta(days=1)).date()
    return f"e.g. {day.isoformat()}T14:00Z"


def impact_start_example(now: datetime) -> str:
    """An hour ago, to the minute: when an impact began, back-dating T+0."""
    at = now.astimezone(UTC) - timedelta(hours=1)
    return f"e.g. {at:%Y-%m-%dT%H:%M}Z"


def placeholders_for(verb: Verb, now: datetime) -> dict[str, str]:
    """The generic form's placeholders that differ from a parameter's help: a moment's
    help with an example from `now` (the meeting's start is the one a form asks for)."""
    return {
        param.name: f"{param.help}, {meeting_example(now)}"
        for param in verb.params
        if _is_meeting_start(verb, param)
    }


def _is_meeting_start(verb: Verb, param: Param) -> bool:
    return verb.name == "schedule-postmortem" and param.name == "at"
