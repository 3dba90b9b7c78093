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

import json
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, tzinfo

from incident.core.chain import json_string
from incident.core.events import Event, JSONValue, Kind, format_timestamp
from incident.core.folding import Item
from incident.core.state import IncidentState
from incident.core.text import escape_raw_controls, json_text
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick
from incident.reports.context import ReportContext, join_blocks
from incident.reports.data import derived_data
from incident.reports.followup import action_items, lessons, supporting
from incident.reports.impact_section import impact
from incident.reports.record import ReportRecord, read_record
from incident.reports.report_head import header, summary
from incident.reports.report_timeline import timeline
from incident.reports.resolution import resolution
from incident.reports.response import detection, inconsistencies_section, responders_section
from incident.reports.sections import root_causes, trigger
from incident.reports.status import status_data

REPORT_SECTIONS = (
    "Summary",
    "Impact",
    "Root Causes",
    "Trigger",
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
    events = JsonEvents(write_events)
    return json_frame(read_record(events.passing(items)), now)


def json_frame(record: ReportRecord, now: datetime) -> tuple[str, str]:
    """The export's text before and after the `events` array (keys sorted, as one dump)."""
    state = record.state
    ctx = ReportContext.build(record, now, None)
    data: dict[str, JSONValue] = {
        "format": "lastgood-incident/1",
        "status": status_data(state, now),
        "head_hash": record.head_hash or None,
        "event_count": record.event_count,
        "verify": f"lastgood verify {state.id}",
        **derived_data(ctx),
    }
    before = {key: value for key, value in data.items() if key < _EVENTS}
    after = {key: value for key, value in data.items() if key > _EVENTS}
    head = json_text(before, indent=None, sort_keys=True)[:-1]
    head += ("," if before else "") + f'"{_EVENTS}":['
    tail = "]" + ("," + json_text(after, indent=None, sort_keys=True)[1:] if after else "}")
    return head, tail + "\n"


_EVENTS = "events"
_CHUNK = 1000
"""Events per piece of text handed on."""


class JsonEvents:
    """The export's events, each as the whole document's dump would write it, comma-separated.

    A probe tick read from its canonical text is written from that text; any
    other event is dumped from its decoded payload, as it always was.
    """

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self._pending: list[str] = []
        self._started = False

    def write(self, items: Iterable[Item | TickRun]) -> None:
        for _ in self.passing(items):
            pass

    def passing(self, items: Iterable[Item | TickRun]) -> Iterator[Item | TickRun]:
        """`items`, each written as it passes on."""
        pending = self._pending
        for item in items:
            if isinstance(item, TickRun):
                pending += _run_texts(item)
            else:
                pending.append(
                    _tick_text(item) if isinstance(item, ProbeTick) else _event_text(item)
                )
            if len(pending) >= _CHUNK:
                self._flush()
            yield item
        self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        text = ",".join(self._pending)
        if not text.isascii() or "\x7f" in text:  # C1 is not ASCII; most records are
            text = escape_raw_controls(text)
        self._write("," + text if self._started else text)
        self._started = True
        self._pending.clear()


def _event_text(event: Event) -> str:
    """The event as `json_text(..., indent=None, sort_keys=True)` of its envelope writes it
    (keys sorted; DEL and C1 controls are escaped by `JsonEvents` for the whole chunk)."""
    return (
        f'{{"actor":{json_string(event.actor)},"at":"{format_timestamp(event.at)}",'
        f'"hash":{json_string(event.hash)},"kind":{json_string(event.kind)},'
        f'"mono_ns":{event.mono_ns},"payload":{_PAYLOAD(dict(event.payload))},'
        f'"prev_hash":{json_string(event.prev_hash)},"seq":{event.seq}}}'
    )


_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
"""What `json_text` writes of a payload, less its escape of DEL and C1 (see `_event_text`)."""


def _tick_text(tick: ProbeTick) -> str:
    """As `_event_text` writes it: the stored time and payload are their canonical text."""
    return (
        f'{{"actor":{json_string(tick.actor)},"at":"{tick.at_text}",'
        f'"hash":{json_string(tick.hash)},"kind":"{tick.kind}","mono_ns":{tick.mono_ns},'
        f'"payload":{tick.text},"prev_hash":{json_string(tick.prev_hash)},"seq":{tick.seq}}}'
    )


def _run_texts(run: TickRun) -> list[str]:
    """As `_tick_text` writes each tick of `run`, from the stored columns the run carries,
    and the events between them in their places.

    The store gave them only for ticks whose text hashed to their summary's hash, so the
    time and previous hash are plain text, written between quotes as they are."""
    quoted = {actor: json_string(actor) for actor in set(run.actors)}
    texts = [
        f'{{"actor":{quoted[actor]},"at":"{at}","hash":"{digest}","kind":"{_KIND}",'
        f'"mono_ns":{mono_ns},"payload":{payload},"prev_hash":"{prev}","seq":{seq}}}'
        for seq, at, mono_ns, actor, payload, prev, digest in zip(
            run.seqs,
            run.ats,
            run.mono_ns,
            run.actors,
            run.payloads,
            run.prev_hashes,
            run.hashes,
            strict=True,
        )
    ]
    if not run.between:
        return texts
    placed: list[str] = []
    start = 0
    for event in run.between:
        stop = bisect_left(run.seqs, event.seq)
        placed += texts[start:stop]
        placed.append(_event_text(event))
        start = stop
    placed += texts[start:]
    return placed


_KIND = str(Kind.PROBE_SAMPLES)
