"""Each webhook delivery's setbacks, read once from the record for a document.

The state keeps only where a delivery stands now; the documents say what it went
through (`incident.reports.report_deliveries`): its rounds that failed for good, their
tries and last error, and who re-sent it. Read once per report (`ReportContext`), not
once per message line.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct, field

from incident.core.events import Event
from incident.core.payloads import NotificationFailed, NotificationRequeued


class Setbacks(Struct):
    """One delivery's rounds that failed for good, and its re-sends, in record order."""

    rounds: int = 0
    """Rounds of tries that failed for good."""
    tries: int = 0
    """Tries in those rounds."""
    error: str = ""
    """The last round's error, as recorded."""
    seq: int = 0
    """Where in the record that round failed."""
    resent_by: list[str] = field(default_factory=list)
    """Who asked for each re-send, as recorded (older records say `lastgood`)."""


def setbacks(events: Iterable[Event]) -> dict[str, Setbacks]:
    """Each delivery key that failed for good at least once, with what followed."""
    found: dict[str, Setbacks] = {}
    for event in events:
        match event.data:
            case NotificationFailed() as failed:
                seen = found.setdefault(failed.key, Setbacks())
                seen.rounds += 1
                seen.tries += failed.attempts
                seen.error, seen.seq = failed.error, event.seq
            case NotificationRequeued() as requeued:
                found.setdefault(requeued.key, Setbacks()).resent_by.append(requeued.by)
    return found
