"""After the incident: the post-mortem's rules and the words the documents share.

The guide says: "Book a blameless post-mortem meeting within 24-48 hours". Here
that is a window measured from resolution: the moment the resolution was
communicated (the guide's "Communicate Resolution", a message from the `resolved`
template), or else the moment the incident was closed. So the close-out step
"Schedule post-mortem" can be done, with a real booking, before closing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from incident.core.phase_clocks import (  # re-exported: the cadence stops there too
    RESOLVED_TEMPLATE as RESOLVED_TEMPLATE,
)
from incident.core.phase_clocks import resolved_at as resolved_at
from incident.core.state import IncidentState

EARLIEST = timedelta(hours=24)
"""The post-mortem starts no sooner than this after resolution..."""
LATEST = timedelta(hours=48)
"""...and no later than this."""

DEFAULT_DURATION_MIN = 60
MAX_DURATION_MIN = 8 * 60

LESSON_CATEGORIES: dict[str, str] = {
    "went-well": "What went well",
    "went-wrong": "What went wrong",
    "lucky": "Where we got lucky",
}
"""The lesson categories of a classic post-mortem, by their CLI name."""


def utc_text(moment: datetime) -> str:
    """`2026-11-29 10:00:00 UTC`: a moment as people read it in an error or a report."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def meeting_window(state: IncidentState) -> tuple[datetime, datetime] | None:
    """When the post-mortem may start (both ends allowed), or None before resolution.

    The earliest start is rounded down to the second, as it is shown.
    """
    resolved = resolved_at(state)
    if resolved is None:
        return None
    earliest = (resolved + EARLIEST).replace(microsecond=0)
    return earliest, resolved + LATEST


def window_text(window: tuple[datetime, datetime]) -> str:
    return f"between {utc_text(window[0])} and {utc_text(window[1])}"


def summary_line(state: IncidentState) -> str:
    """One sentence on the incident, for invitations and report summaries."""
    text = f"{state.severity} {state.title}"
    if state.from_version or state.last_good_version:
        text += (
            f": rolled back {state.from_version or 'the new release'} to "
            f"{state.last_good_version or 'the last good version'}"
        )
        if state.pattern:
            text += f" ({state.pattern})"
    return text + "."
