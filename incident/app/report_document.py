"""The incident report, read from the record one way whichever face asks for it.

`lastgood export`, `export --check-step` and the TUI's `e` wrote the same document
from two reads: the CLI's took each probe tick from the store's summaries, the
others decoded every tick's samples, twice the time on a long record (a 100,000-event
incident, nine events in ten ticks). There is one read now, the summaries'.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from msgspec import structs

from incident.core.chain import ChainWalk
from incident.core.log import EventLog
from incident.reports.for_org import items_for_org
from incident.reports.record import ReportRecord, read_record
from incident.reports.report import json_export_read, markdown_report_from


def report_record(log: EventLog, incident_id: str) -> ReportRecord:
    """The record as the report reads it: every event but the ticks, which are counted
    from the store's summaries, in runs, their samples left undecoded; verified as it
    is read, so the report says where it is not what was recorded (`damage`)."""
    walk = ChainWalk(incident_id)
    return read_record(log.report_items(incident_id, walk, runs=True), walk)


def org_report_document(
    log: EventLog, incident_id: str, now: datetime, *, tz: tzinfo | None = None
) -> tuple[ReportRecord, str]:
    """`report_document` for readers outside the incident team (`export --for org`):
    the events read and verified as for the full report, then what the team wrote for
    itself left out of each (`incident.reports.for_org`)."""
    walk = ChainWalk(incident_id)
    items = items_for_org(log.report_items(incident_id, walk))
    record = structs.replace(read_record(items, walk), for_org=True)
    return record, markdown_report_from(record, now, tz=tz)


def json_export_record(
    log: EventLog, incident_id: str, now: datetime, write_events: Callable[[str], object]
) -> tuple[ReportRecord, str, str]:
    """The JSON export as the record streams (`json_export_read`): its events go to
    `write_events` as they are read, every one verified on the way (`damage`)."""
    walk = ChainWalk(incident_id)
    return json_export_read(log.export_items(incident_id, walk), now, write_events, walk)


def report_document(
    log: EventLog, incident_id: str, now: datetime, *, tz: tzinfo | None = None
) -> tuple[ReportRecord, str]:
    """The Markdown report of the incident as it stands at `now`, with the record it
    covers (its head hash goes into the line that says where the report went)."""
    record = report_record(log, incident_id)
    return record, markdown_report_from(record, now, tz=tz)
