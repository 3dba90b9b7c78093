"""The incident report and JSON export, as pure functions of the record.

The Markdown report follows the shape of Google SRE's example postmortem: a title
and metadata table, then Summary, Impact, Root Causes, Trigger, Resolution,
Detection, Action Items, Lessons Learned, Timeline and Supporting information.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from incident.core.events import Event, JSONValue, format_timestamp
from incident.core.state import IncidentState
from incident.core.text import json_text
from incident.reports.context import ReportContext, join_blocks
from incident.reports.data import derived_data
from incident.reports.followup import action_items, lessons, supporting, timeline
from incident.reports.sections import (
    detection,
    header,
    impact,
    resolution,
    root_causes,
    summary,
    trigger,
)
from incident.reports.status import status_data

REPORT_SECTIONS = (
    "Summary",
    "Impact",
    "Root Causes",
    "Trigger",
    "Resolution",
    "Detection",
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
    ctx = ReportContext.build(state, events, now, tz)
    blocks = [
        header(ctx),
        summary(ctx),
        impact(ctx),
        root_causes(ctx),
        trigger(ctx),
        resolution(ctx),
        detection(ctx),
        action_items(ctx),
        lessons(ctx),
        timeline(ctx),
        supporting(ctx),
    ]
    return "\n".join(join_blocks(blocks)) + "\n"


def json_export(state: IncidentState, events: Sequence[Event], now: datetime) -> str:
    """The whole record, the derived status and the post-mortem figures, for machines."""
    ctx = ReportContext.build(state, events, now, None)
    data: dict[str, JSONValue] = {
        "format": "lastgood-incident/1",
        "status": status_data(state, now),
        "head_hash": events[-1].hash if events else None,
        "event_count": len(events),
        "verify": f"lastgood verify {state.id}",
        **derived_data(ctx),
        "events": [
            {
                "seq": e.seq,
                "at": format_timestamp(e.at),
                "mono_ns": e.mono_ns,
                "actor": e.actor,
                "kind": e.kind,
                "payload": dict(e.payload),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ],
    }
    return json_text(data, indent=None, sort_keys=True) + "\n"
