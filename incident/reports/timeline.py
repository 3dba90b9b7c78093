"""The post-mortem timeline: what happened, phase by phase, with the silences.

Each event is placed in a phase: a step's own phase for step events (checks,
skips, approvals, the database tier, commands), otherwise the phase current at
that moment (the first one not yet done). Work recorded after close (root cause,
action items, the meeting) has its own section. Probe samples are counted, not
listed: a phase's count is one line, where its first tick was recorded (its
range starts there, so the lines stay in the order of their T+). Webhook
deliveries are the outcome beside each message, summed up at the end; a command
step's run and the check it made are one line. A stretch longer than the
threshold with no action recorded by a person is called out where it ends, and so
is a stretch with no readings of a probe (`incident.health.reading_gaps`): where
the tick that ended it was recorded, or at the end if none did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from msgspec import Struct, field

from incident.core.events import Event, Kind
from incident.core.payloads import (
    ApprovalGranted,
    ChangesRead,
    CommandRan,
    DatabaseTierChosen,
    StepChecked,
    StepReopened,
    StepSkipped,
)
from incident.core.phase_clocks import current_phase
from incident.core.state import IncidentState, new_state
from incident.core.text import counted
from incident.core.timefmt import exact_duration, printed_duration, printed_span
from incident.core.verification import verification
from incident.health.reading_gaps import ReadingGap
from incident.reports.authorship import by_people
from incident.reports.context import ReportContext, entry, join_blocks
from incident.reports.gaps import GAP_MARK, RULE, alike, gap_line
from incident.reports.impact import PhaseResult
from incident.reports.markdown import heading, inline
from incident.reports.marks import KEY_MARK, PIN_MARK
from incident.reports.record import ReportRecord, TickCount, tick_time
from incident.reports.report_deliveries import deliveries
from incident.reports.report_head import damage_note, drill_note
from incident.reports.report_timeline import NOT_LISTED, checked_by_its_command, marked_text
from runbooks.model import StepKind

AFTER_CLOSE = "after-close"
DEFAULT_GAP = timedelta(minutes=5)


class Listed(Struct, frozen=True):
    """An event listed on its own line; `checked` when its command step's check joins it."""

    event: Event
    checked: bool = False


class Silence(Struct, frozen=True):
    """A stretch with no action recorded by a person; `so_far` when it runs until now."""

    start: datetime
    end: datetime
    so_far: bool = False


Item = Listed | Silence | ReadingGap


class Section(Struct):
    """What one phase (or the time after close) lists, and the probe ticks it counts."""

    items: list[Item] = field(default_factory=list)
    samples: int = 0
    polls: int = 0
    first_sample: datetime | str | None = None
    last_sample: datetime | str | None = None
    samples_at: int = 0
    """Where in `items` the ticks' line goes: where the first of them was recorded."""

    def count(self, tick: TickCount) -> None:
        _, at, samples = tick
        self.samples += samples
        self.polls += 1
        if self.first_sample is None:
            self.first_sample = at
            self.samples_at = len(self.items)
        self.last_sample = at


def phase_of_events(state: IncidentState, events: Sequence[Event]) -> dict[int, str]:
    """Each event's phase id (or `AFTER_CLOSE`), by sequence number."""
    if not events:
        return {}
    placer = _Placer(state, events[0])
    return {event.seq: placer.place(event) for event in events}


class _Placer:
    """Places events in phases in the order they were recorded.

    An event's own phase if it has one (a step's), else the phase current after the
    events before it, replayed without the probe ticks (which move no phase); after
    the close, `AFTER_CLOSE`.
    """

    def __init__(self, state: IncidentState, first: Event) -> None:
        self._state = state
        self._first_seq = first.seq
        self._partial = new_state(first)
        phases = [p.id for p in self._partial.runbook.phases]
        self._fallback = phases[-1] if phases else AFTER_CLOSE
        self._database = next(
            (r.step.phase_id for r in state.steps.values() if r.step.kind == StepKind.DATABASE),
            None,
        )
        self._current = _current(self._partial, self._fallback)

    def place(self, event: Event) -> str:
        if event.seq != self._first_seq:
            if self._partial.is_closed:
                return AFTER_CLOSE
            if event.kind != Kind.PROBE_SAMPLES:
                self._partial.apply(event)
                self._current = _current(self._partial, self._fallback)
        return _own_phase(self._state, event, self._database) or self._current

    def place_tick(self) -> str:
        """Where a probe tick recorded after the events placed so far goes."""
        return AFTER_CLOSE if self._partial.is_closed else self._current


def _current(partial: IncidentState, fallback: str) -> str:
    phase = current_phase(partial, partial.last_event_at or partial.declared_at)
    return phase.phase.id if phase is not None else fallback


def _own_phase(state: IncidentState, event: Event, database: str | None) -> str | None:
    match event.data:
        case StepChecked(step=target) | StepSkipped(step=target) | StepReopened(step=target):
            pass
        case CommandRan(step=target) | ApprovalGranted(target=target):
            pass
        case DatabaseTierChosen() | ChangesRead():
            return database
        case _:
            return None
    if target.startswith("tier:"):
        return database
    record = state.steps.get(target)
    return record.step.phase_id if record is not None else None


def markdown_timeline(
    state: IncidentState,
    events: Sequence[Event],
    now: datetime,
    *,
    gap: timedelta = DEFAULT_GAP,
    tz: tzinfo | None = None,
) -> str:
    """The timeline as Markdown; `gap` is the silence worth calling out."""
    return timeline_from(ReportRecord.of(state, events), now, gap=gap, tz=tz)


class Walk(Struct, frozen=True):
    """The timeline before it is written out: each phase's items, in record order."""

    ctx: ReportContext
    marks: dict[int, str]
    warned: dict[int, list[str]]
    """What the report's Inconsistencies say of an event, by its sequence number."""
    sections: dict[str, Section]
    gap: timedelta
    """The silence worth calling out."""
    reading_gaps: bool = False
    """Whether any probe went unrecorded (`ReadingGap` items)."""


def walk_timeline(
    record: ReportRecord, now: datetime, silence: timedelta, tz: tzinfo | None
) -> Walk:
    """One pass over a record read with `read_record`, for the Markdown and the JSON."""
    state = record.state
    ctx = ReportContext.build(record, now, tz)
    sections: dict[str, Section] = {p.id: Section() for p in state.runbook.phases}
    sections[AFTER_CLOSE] = Section()
    last_action = state.declared_at
    entries, ticks = record.entries, record.ticks
    placer = _Placer(state, entries[0]) if entries else None
    next_tick = 0
    previous: Event | None = None
    gaps = ctx.reading_gaps
    ended = iter(sorted((g for g in gaps if g.end_seq is not None), key=_end_seq))
    gap = next(ended, None)
    closed_in: str | None = None
    for event in entries:
        assert placer is not None
        while next_tick < len(ticks) and ticks[next_tick][0] < event.seq:
            section = sections[placer.place_tick()]
            section.count(ticks[next_tick])
            while gap is not None and gap.end_seq == ticks[next_tick][0]:
                section.items.append(gap)
                gap = next(ended, None)
            next_tick += 1
        phase = placer.place(event)
        if event.kind == Kind.CLOSED:
            closed_in = phase
        if event.kind in NOT_LISTED:
            continue
        section = sections[phase]
        if phase != AFTER_CLOSE and by_people(event):
            if printed_span(last_action, event.at) > silence:  # as its line will read
                section.items.append(Silence(last_action, event.at))
            last_action = max(last_action, event.at)
        last = section.items[-1] if section.items else None
        if checked_by_its_command(previous, event) and isinstance(last, Listed):
            section.items[-1] = Listed(last.event, checked=True)
        else:
            section.items.append(Listed(event))
        previous = event
    for tick in ticks[next_tick:]:
        if placer is not None:
            section = sections[placer.place_tick()]
            section.count(tick)
            while gap is not None and gap.end_seq == tick[0]:
                section.items.append(gap)
                gap = next(ended, None)
    phase_now = current_phase(state, now)
    last_phase = phase_now.phase.id if phase_now else (state.runbook.phases[-1].id)
    if not state.is_closed and printed_span(last_action, now) > silence:
        sections[last_phase].items.append(Silence(last_action, now, so_far=True))
    at_end = closed_in if state.is_closed and closed_in is not None else last_phase
    sections[at_end].items += [g for g in gaps if g.end_seq is None]
    return Walk(ctx, ctx.key_marks(), ctx.warned(), sections, silence, bool(gaps))


def _end_seq(gap: ReadingGap) -> int:
    return gap.end_seq or 0


def timeline_from(
    record: ReportRecord,
    now: datetime,
    *,
    gap: timedelta = DEFAULT_GAP,
    tz: tzinfo | None = None,
) -> str:
    """The timeline of a record read with `read_record`, as Markdown."""
    walk = walk_timeline(record, now, gap, tz)
    deliveries_line = deliveries(walk.ctx)
    return "\n".join([*_document(walk), "", deliveries_line]) + "\n"


Line = Listed | Silence | list[ReadingGap]
"""What one line of a section says: gaps alike are one line."""


def _grouped(items: Sequence[Item]) -> list[Line]:
    """The items, gaps in a row alike (`alike`) as one line's group."""
    found: list[Line] = []
    for item in items:
        if isinstance(item, ReadingGap) and found and isinstance(found[-1], list):
            found[-1:] = alike([*found[-1], item])
        elif isinstance(item, ReadingGap):
            found.append([item])
        else:
            found.append(item)
    return found


def _item_line(ctx: ReportContext, item: Line, walk: Walk) -> str:
    if isinstance(item, list):
        return f"- {GAP_MARK} {gap_line(ctx, item)}"
    if isinstance(item, Silence):
        line = _gap_line(ctx, item.start, item.end)
        return line + " so far" if item.so_far else line
    line = _event_line(ctx, item.event, walk)
    return line + "; step checked" if item.checked else line


def _event_line(ctx: ReportContext, event: Event, walk: Walk) -> str:
    what = marked_text(ctx, event, walk.marks, walk.warned)
    return f"- {ctx.row_start(event)}{inline(event.actor)} · {what}"


def _gap_line(ctx: ReportContext, start: datetime, end: datetime) -> str:
    return (
        f"- {GAP_MARK} no action recorded for {printed_duration(start, end)} "
        f"({ctx.offset(start)} → {ctx.offset(end)})"
    )


def _document(walk: Walk) -> list[str]:
    ctx, sections, gap = walk.ctx, walk.sections, walk.gap
    state = ctx.state
    intro = (
        f"{inline(state.id)} · {inline(state.severity)} · T+0 is "
        f"{ctx.zone.alongside(state.started_at, date=True)}. {ctx.times_note}. "
        f"{KEY_MARK} key moment, {PIN_MARK} pinned note, {GAP_MARK} more than "
        f"{exact_duration(gap)} with no action recorded by a person"
        + (f", or a probe with no readings {RULE}" if walk.reading_gaps else "")
        + (", or where the record contradicts itself." if walk.warned else ".")
    )
    title = f"# Post-mortem timeline: {heading(state.title)}"
    head = [title, "", *damage_note(ctx), *drill_note(state), intro]
    blocks: list[list[str]] = [head]
    blocks.append(_pinned(ctx))
    blocks.append(_key_moments(ctx))
    results = {r.clock.phase.id: r for r in ctx.phases}
    for phase in state.runbook.phases:
        result = results[phase.id]
        clock = result.clock
        window = clock.window  # placed from the declaration, on the T+ clock
        target = "no target window"
        if window is not None:
            target = f"target {window.opens} to {window.closes or 'close'}"
        summary = f"{target}; {_ran(ctx, result)}; {result.result}."
        section = sections[phase.id]
        blocks.append(_section(walk, f"## {heading(phase.title)}", summary, section))
    after = sections[AFTER_CLOSE]
    if after.items or after.samples:
        blocks.append(
            _section(walk, "## After close", "Post-mortem work recorded after resolution.", after)
        )
    return join_blocks(blocks)


def _ran(ctx: ReportContext, result: PhaseResult) -> str:
    """When the phase ran, by the report's two starts (`PhaseResult`): `entered T+03:05,
    first action T+10:22, finished T+19:07`. A phase entered with no step done yet says
    so, not "not started" (ux_review13 #14); "ran" from the earlier of the two read as
    the report's Started, minutes apart (ux_review16 #2)."""
    entered, first, finished = result.entered, result.first_action, result.clock.finished_at
    if entered is None and first is None:
        return "not started"
    said = [f"entered {ctx.offset(entered)}"] if entered is not None else []
    said.append(f"first action {ctx.offset(first)}" if first else "no step done yet")
    if finished is not None:
        said.append(f"finished {ctx.offset(finished)}")
    return ", ".join(said)


def _section(walk: Walk, title: str, summary: str, section: Section) -> list[str]:
    ctx = walk.ctx
    lines = [title, "", summary, ""]
    body = [_item_line(ctx, item, walk) for item in _grouped(section.items)]
    if section.samples:  # where they began, so the lines stay in the order of their T+
        body.insert(
            section.samples_at,
            f"- {counted(section.samples, 'sample')} recorded in {counted(section.polls, 'poll')} "
            f"({ctx.offset(_time(section.first_sample))} to "
            f"{ctx.offset(_time(section.last_sample))}), "
            "not listed one by one",
        )
    return lines + (body or ["Nothing recorded in this phase."])


def _time(at: datetime | str | None) -> datetime | None:
    return None if at is None else tick_time(at)


def _pinned(ctx: ReportContext) -> list[str]:
    pinned = [note for note in ctx.state.notes if note.pinned]
    if not pinned:
        return ["## Pinned notes", "", "No pinned notes."]
    entries = [
        entry(f"{PIN_MARK} {ctx.when(note.at)} · {inline(note.by)}", note.text) for note in pinned
    ]
    return join_blocks([["## Pinned notes"], *entries])


def _key_moments(ctx: ReportContext) -> list[str]:
    lines = ["## Key moments", ""]
    skipped = verification(ctx.state).skipped
    for moment in ctx.moments:
        if moment.key == "impact_start":
            continue
        if moment.at is None and moment.key == "service_verified" and skipped:
            # never, unless reopened and checked: not "not recorded" (ux_review7 F2)
            lines.append(f"- {inline(moment.label)}: no, {inline(', '.join(skipped))} skipped")
        elif moment.at is None:
            why = f" ({inline(moment.detail)})" if moment.detail else ""
            lines.append(f"- {inline(moment.label)}: not recorded{why}")
        else:
            mark = ctx.unverified_mark(moment.seq)
            lines.append(
                f"- {mark}{KEY_MARK} {inline(moment.label)}: {ctx.when(moment.at)}"
                + (f" ({inline(moment.detail)})" if moment.detail else "")
            )
    return lines
