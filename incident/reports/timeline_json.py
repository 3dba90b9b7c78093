"""The post-mortem timeline as data, for `lastgood timeline --json`.

The same walk as the Markdown (`walk_timeline`): the same events in the same phases,
the same silences and the same counted probe ticks, so the two never disagree. Text is
exact (described as the TUI's timeline says it, not escaped for Markdown); times are
the one timestamp format and offsets are seconds from T+0.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from incident.core.chain import damage_data
from incident.core.events import JSONValue, format_timestamp
from incident.core.payloads import NoteAdded
from incident.health.reading_gaps import ReadingGap
from incident.reports.gaps import gap_data, until
from incident.reports.impact import PhaseResult
from incident.reports.record import ReportRecord
from incident.reports.report_timeline import plain_text
from incident.reports.timeline import AFTER_CLOSE, Item, Listed, Section, Walk, walk_timeline


def timeline_data(record: ReportRecord, now: datetime, *, gap: timedelta) -> JSONValue:
    walk = walk_timeline(record, now, gap, UTC)
    state = walk.ctx.state
    results = {result.clock.phase.id: result for result in walk.ctx.phases}
    phases: list[JSONValue] = [
        _section(walk, phase.id, phase.title, walk.sections[phase.id], results.get(phase.id))
        for phase in state.runbook.phases
    ]
    after = walk.sections[AFTER_CLOSE]
    if after.items or after.samples:
        phases.append(_section(walk, AFTER_CLOSE, "After close", after, None))
    return {
        "id": state.id,
        "title": state.title,
        "severity": state.severity,
        "t0": format_timestamp(state.started_at),
        "gap_s": gap.total_seconds(),
        "key_moments": [
            {
                "key": moment.key,
                "label": moment.label,
                "at": None if moment.at is None else format_timestamp(moment.at),
                "detail": moment.detail,
            }
            for moment in walk.ctx.moments
        ],
        "phases": phases,
        "damage": damage_data(walk.ctx.record.damage),
    }


def _section(
    walk: Walk, phase_id: str, title: str, section: Section, result: PhaseResult | None
) -> JSONValue:
    """A phase with what it came to, as the Markdown's summary says it (`state` as
    `status --json` names it: a phase skipped whole is "skipped", never "done"), and
    its two starts and its finish, the Markdown's figures (`PhaseResult`)."""
    return {
        "id": phase_id,
        "title": title,
        "state": None if result is None else str(result.clock.state),
        "result": None if result is None else result.result,
        "entered_at": _at(None if result is None else result.entered),
        "first_action_at": _at(None if result is None else result.first_action),
        "finished_at": _at(None if result is None else result.clock.finished_at),
        "samples": section.samples,
        "polls": section.polls,
        "items": [_item(walk, item) for item in section.items],
    }


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else format_timestamp(moment)


def _item(walk: Walk, item: Item) -> JSONValue:
    t0 = walk.ctx.state.started_at
    if isinstance(item, ReadingGap):
        return {"type": "reading_gap", **gap_data(item, until(walk.ctx, item))}
    if isinstance(item, Listed):
        event = item.event
        warned: list[JSONValue] = [*walk.warned.get(event.seq, [])]
        return {
            "type": "event",
            "seq": event.seq,
            "at": format_timestamp(event.at),
            "t_s": (event.at - t0).total_seconds(),
            "actor": event.actor,
            "kind": event.kind,
            "text": plain_text(walk.ctx, event),
            "key_moment": walk.marks.get(event.seq),
            "inconsistencies": warned,
            "pinned": isinstance(event.data, NoteAdded) and event.data.pinned,
            "step_checked": item.checked,
        }
    return {
        "type": "silence",
        "from": format_timestamp(item.start),
        "to": format_timestamp(item.end),
        "seconds": (item.end - item.start).total_seconds(),
        "so_far": item.so_far,
    }
