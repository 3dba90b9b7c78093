"""The incident report, read from the record one way whichever face asks for it.

`lastgood export`, `export --check-step` and the TUI's `e` wrote the same document
from two reads: the CLI's took each probe tick from the store's summaries, the
others decoded every tick's samples, twice the time on a long record (a 100,000-event
incident, nine events in ten ticks). There is one read now, the summaries'.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from incident.core.log import EventLog
from incident.reports.record import ReportRecord, read_record
from incident.reports.report import markdown_report_from


def report_record(log: EventLog, incident_id: str) -> ReportRecord:
    """The record as the report reads it: every event but the ticks, which are counted
    from the store's summaries, in runs, their samples left undecoded."""
    return read_record(log.report_items(incident_id, runs=True))


def report_document(
    log: EventLog, incident_id: str, now: datetime, *, tz: tzinfo | None = None
) -> tuple[ReportRecord, str]:
    """The Markdown report of the incident as it stands at `now`, with the record it
    covers (its head hash goes into the line that says where the report went)."""
    record = report_record(log, incident_id)
    return record, markdown_report_from(record, now, tz=tz)
