"""After the incident: the post-mortem's rules and the words the documents share.

The guide says: "Book a blameless post-mortem meeting within 24-48 hours". Read as
an incident commander reads it: the meeting is held at the latest 48 h after the
resolution, and if nothing is booked after 24 h someone is reminded. So the meeting
may start any time from the resolution up to +48 h (the next morning included);
a later start is allowed with a reason, which is recorded.

Resolution is the moment the resolution was communicated (the guide's "Communicate
Resolution", a message from the `resolved` template), or else the moment the
incident was closed. So the close-out step "Schedule post-mortem" can be done, with
a real booking, before closing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache

from msgspec import Struct

from incident.core.phase_clocks import (  # re-exported: the cadence stops there too
    RESOLVED_TEMPLATE as RESOLVED_TEMPLATE,
)
from incident.core.phase_clocks import resolved_at as resolved_at
from incident.core.state import IncidentState

REMIND_AFTER = timedelta(hours=24)
"""With nothing booked this long after resolution, the coordinator is reminded."""
LATEST = timedelta(hours=48)
"""The post-mortem starts no later than this after resolution, unless a reason is given."""
ADVISED_EARLIEST = timedelta(hours=24)
"""The guide's "within 24-48 hours": a meeting sooner is booked all the same (a team
may want it), and said to be sooner than the guide advises, where it was called
"within 48 h" ten minutes after the resolution, before any root cause was written."""


def sooner_than_advised(window: tuple[datetime, datetime], starts_at: datetime) -> str | None:
    """`it starts 10m00s after the resolution, sooner than the guide's 24-48 h` for a
    meeting booked under `ADVISED_EARLIEST` after the resolution (`window[0]`); None
    otherwise."""
    if starts_at - window[0] >= ADVISED_EARLIEST:
        return None
    from incident.core.timefmt import printed_duration

    after = printed_duration(window[0], starts_at)
    return f"it starts {after} after the resolution, sooner than the guide's 24-48 h"


@cache
def email_address() -> re.Pattern[str]:
    """An address a calendar client can invite (attendees) or answer (the organizer):
    ASCII, or internationalised as RFC 6531 allows (`josé@münchen.de`), which
    `mailto_uri` writes in the ASCII a calendar file holds."""
    return re.compile(
        r"[\w.%+\-!#$&'*/=?^`{|}~]+@(?:[^\W_](?:[\w\-]*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9\-]+)",
        re.IGNORECASE,
    )


_URI_LOCAL_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_!$&'*=^`{|}~"
)
"""What a `mailto:` local part keeps as it is (RFC 6068); the rest is percent-encoded."""


def mailto_uri(address: str) -> str | None:
    """`mailto:` and `address` as a calendar file holds it: the local part's other
    characters percent-encoded as UTF-8 (RFC 6068), the domain in IDNA's ASCII
    (`xn--mnchen-3ya.de`); None when it is no address a client can invite."""
    if not email_address().fullmatch(address):
        return None
    local, _, domain = address.rpartition("@")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:  # a label IDNA cannot write (too long, or not allowed)
        return None
    encoded = "".join(
        char if char in _URI_LOCAL_SAFE else "".join(f"%{byte:02X}" for byte in char.encode())
        for char in local
    )
    return f"mailto:{encoded}@{ascii_domain.lower()}"


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


def meeting_window(state: IncidentState) -> tuple[datetime, datetime] | None:
    """When the post-mortem may start without a reason (both ends allowed), or None
    before resolution.

    The earliest start is the resolution rounded down to the second, as it is shown.
    """
    resolved = resolved_at(state)
    if resolved is None:
        return None
    return resolved.replace(microsecond=0), resolved + LATEST


class BookingReminder(Struct, frozen=True):
    """Nothing is booked 24 h after resolution: say so, and by when to book."""

    due_at: datetime
    """Resolution + 24 h: when the reminder came."""
    deadline: datetime
    """Resolution + 48 h: a meeting starting later needs a reason."""
    late: bool
    """The 48 h are past: any booking now needs a reason."""

    @property
    def text(self) -> str:
        if self.late:
            return (
                f"Post-mortem not booked, and the 48 h after resolution ended "
                f"{utc_text(self.deadline)}: booking it now needs a reason"
            )
        return f"Post-mortem not booked yet: book it to start by {utc_text(self.deadline)}"


def booking_reminder(state: IncidentState, now: datetime) -> BookingReminder | None:
    """The reminder due at `now`: from resolution + 24 h while nothing is booked."""
    resolved = resolved_at(state)
    if resolved is None or state.postmortem is not None or now < resolved + REMIND_AFTER:
        return None
    deadline = resolved + LATEST
    return BookingReminder(resolved + REMIND_AFTER, deadline, now > deadline)


def window_text(window: tuple[datetime, datetime]) -> str:
    return f"between {utc_text(window[0])} and {utc_text(window[1])}"


GUIDE_WORDS = "within 24-48 h of the resolution"
"""How documents name the rule, in the guide's words ("Book a blameless post-mortem
meeting within 24-48 hours"): a window from 0 to 48 h, shown as such, was narrower at
one end and wider at the other than the guide's without saying so (ux_review15 #12)."""


def guide_window(window: tuple[datetime, datetime]) -> tuple[datetime, datetime]:
    """The guide's 24-48 h after the resolution (`window[0]`), where `window` is the
    bookable one, from the resolution to its 48 h deadline."""
    return window[0] + ADVISED_EARLIEST, window[0] + LATEST


def summary_line(state: IncidentState) -> str:
    """One sentence on the incident, for invitations and report summaries."""
    from incident.reports.rollback_state import rollback_sentence  # the reports', not `status`'s

    text = f"{state.severity} {state.title}"
    if state.from_version or state.last_good_version:
        text += ": " + rollback_sentence(state, f" ({state.pattern})" if state.pattern else "")
    return text + "."
