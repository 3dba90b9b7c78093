"""After the incident: the post-mortem's rules and the words the documents share.

The guide says: "Book a blameless post-mortem meeting within 24-48 hours". Here
that is a window measured from resolution: the moment the resolution was
communicated (the guide's "Communicate Resolution", a message from the `resolved`
template), or else the moment the incident was closed. So the close-out step
"Schedule post-mortem" can be done, with a real booking, before closing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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

ACTION_PRIORITIES = ("P1", "P2", "P3")
"""An action item's priority, most urgent first."""
ACTION_TYPES = ("mitigate", "prevent", "detect", "process", "other")
"""An action item's type, as SRE's example postmortem sorts them."""
REPORT_STATUSES = ("draft", "reviewed")
"""The post-mortem document's status; it is a draft until someone has reviewed it."""


def utc_text(moment: datetime) -> str:
    """`2026-11-29 10:00:00 UTC`: a moment as people read it in an error or a report."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


RESOLVED_TEMPLATE = "resolved"
"""The template whose message says the service is restored."""


def resolved_at(state: IncidentState) -> datetime | None:
    """When the incident was resolved: the resolution message, else the close."""
    for message in state.communications:
        if message.template == RESOLVED_TEMPLATE:
            return message.at
    return state.closed_at


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
