"""The incident report and JSON export, as pure functions of the record.

Each comes two ways: from events in memory (`markdown_report`, `json_export`), and
from a record as it streams from the store, read once (`markdown_report_from` a
`read_record`, `json_export_streamed`); both write the same bytes.

The Markdown report follows the shape of Google SRE's example postmortem (Appendix
D) and PagerDuty's template: a title and metadata table (the report's status, owner
and reviewers among it), then Summary, Impact, Root Causes (with contributing
factors), Trigger, Resolution, Detection, Responders, Inconsistencies, Action Items,
Lessons Learned, Timeline and Supporting information.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo

from incident.core.chain import ChainWalk, damage_data
from incident.core.events import Event, JSONValue
from incident.core.folding import Item
from incident.core.state import IncidentState
from incident.core.text import json_text
from incident.core.tick_runs import TickRun
from incident.reports.context import ReportContext, join_blocks
from incident.reports.data import derived_data
from incident.reports.drill_faults import require_fault_shown
from incident.reports.followup import action_items, lessons, supporting
from incident.reports.impact_section import impact
from incident.reports.record import ReportRecord, read_record
from incident.reports.report_head import header, summary
from incident.reports.report_json import JsonEvents
from incident.reports.report_timeline import timeline
from incident.reports.resolution import resolution
from incident.reports.response import detection, inconsistencies_section, responders_section
from incident.reports.sections import root_causes, trigger
from incident.reports.status import status_data

REPORT_SECTIONS = (
    "Summary",
    "Impact",
    "Root Causes",
    "What changed",
    "Resolution",
    "Detection",
    "Responders",
    "Inconsistencies",
    "Action Items",
    "Lessons Learned",
    "Timeline",
    "Supporting information",
)
"""The report's `##` sections, in order."""


def markdown_report(
    state: IncidentState, events: Sequence[Event], now: datetime, *, tz: tzinfo | None = None
) -> str:
    """The incident report; `tz` adds the coordinator's local time beside UTC."""
    return markdown_report_from(ReportRecord.of(state, events), now, tz=tz)


def markdown_report_from(record: ReportRecord, now: datetime, *, tz: tzinfo | None = None) -> str:
    """The incident report of a record read with `read_record`."""
    ctx = ReportContext.build(record, now, tz)
    blocks = [
        header(ctx),
        summary(ctx),
        impact(ctx),
        root_causes(ctx),
        trigger(ctx),
        resolution(ctx),
        detection(ctx),
        responders_section(ctx),
        inconsistencies_section(ctx),
        action_items(ctx),
        lessons(ctx),
        timeline(ctx),
        supporting(ctx),
    ]
    return "\n".join(join_blocks(blocks)) + "\n"


def json_export(state: IncidentState, events: Sequence[Event], now: datetime) -> str:
    """The whole record, the derived status and the post-mortem figures, for machines."""
    parts: list[str] = []
    JsonEvents(parts.append).write(events)
    head, tail = json_frame(ReportRecord.of(state, events), now)
    return head + "".join(parts) + tail


def json_export_streamed(
    items: Iterable[Item | TickRun], now: datetime, write_events: Callable[[str], object]
) -> tuple[str, str]:
    """The JSON export of a record as it streams, read once.

    The events go to `write_events` as they pass (a file to copy from, say), since
    the figures that come before them in the document are known only at the end;
    returns the text before and after them.
    """
    _, head, tail = json_export_read(items, now, write_events)
    return head, tail


def json_export_read(
    items: Iterable[Item | TickRun],
    now: datetime,
    write_events: Callable[[str], object],
    walk: ChainWalk | None = None,
) -> tuple[ReportRecord, str, str]:
    """`json_export_streamed`, with the record it read: its head hash, its state; `walk`
    the one the store verified `items` into, if it did (`read_record`)."""
    record = read_record(JsonEvents(write_events).passing(items), walk)
    head, tail = json_frame(record, now)
    return record, head, tail


def json_frame(record: ReportRecord, now: datetime) -> tuple[str, str]:
    """The export's text before and after the `events` array (keys sorted, as one dump).

    `FaultHidden` for a drill still running: its declaration, copied into the events
    as it was hashed, names the fault the coordinator is looking for.

    A closed incident's `status` is as of its close (`_status_at`): its clocks stopped
    there, so read at any moment after it that document differs only in `as_of`, and
    with `as_of` the moment of reading two exports of the same closed record differed
    on every run (a job that syncs what changed uploaded every closed record each
    time). Anything recorded after the close (an RCA, lessons) is in the document as
    it is in the events, so the export changes when the record does and only then.
    """
    state = record.state
    require_fault_shown(state, "its JSON export")
    ctx = ReportContext.build(record, now, None)
    data: dict[str, JSONValue] = {
        "format": "lastgood-incident/1",
        "status": status_data(state, _status_at(state, now)),
        "head_hash": record.head_hash or None,
        "event_count": record.event_count,
        "damage": damage_data(record.damage),
        "verify": f"lastgood verify {state.id}",
        "verify_export": VERIFY_EXPORT,
        **derived_data(ctx),
    }
    before = {key: value for key, value in data.items() if key < _EVENTS}
    after = {key: value for key, value in data.items() if key > _EVENTS}
    head = json_text(before, indent=None, sort_keys=True)[:-1]
    head += ("," if before else "") + f'"{_EVENTS}":['
    tail = "]" + ("," + json_text(after, indent=None, sort_keys=True)[1:] if after else "}")
    return head, tail + "\n"


_EVENTS = "events"


VERIFY_EXPORT = "lastgood verify --export FILE"
"""The JSON export's `verify_export`: the check a reader sent only the export can run
(`verify` names the database's, which that reader does not have). Two fields, each a
command a script can run as written, FILE standing for the export's path."""


def _status_at(state: IncidentState, now: datetime) -> datetime:
    """The moment the JSON export's `status` is read at: the close, for a closed
    incident (see `json_frame`), else `now`."""
    if state.is_closed and state.closed_at is not None:
        return min(state.closed_at, now)
    return now
