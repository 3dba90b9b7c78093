"""The report's timeline: one line per thing done, as SRE's example postmortem lists it.

A command step's run and the check it made on exit 0 are one line, the command in
a code span (so a URL in it stays code, not a link); webhook deliveries are not
lines of their own but the outcome beside each message, summed up once; probe
readings are counted. Key moments are starred. A delivery that failed for good or
was re-sent says so beside its message (`report_deliveries`).
"""

from __future__ import annotations

from incident.core.events import Event, Kind
from incident.core.payloads import (
    CommandRan,
    CommunicationDeclined,
    CommunicationSent,
    NoteAdded,
    StepChecked,
)
from incident.core.text import counted
from incident.reports.cadence import missed_outcome
from incident.reports.context import ReportContext
from incident.reports.describe import declined_text, describe, ran_late
from incident.reports.markdown import code_span, inline
from incident.reports.marks import KEY_MARK, PIN_MARK, WARN_MARK
from incident.reports.report_deliveries import delivered_note, deliveries

NOT_LISTED = frozenset(
    {
        Kind.PROBE_SAMPLES,
        Kind.NOTIFICATION_QUEUED,
        Kind.NOTIFICATION_DELIVERED,
        Kind.NOTIFICATION_FAILED,
        Kind.NOTIFICATION_REQUEUED,
    }
)
"""Kinds counted or summarised, not listed one by one."""


def timeline(ctx: ReportContext) -> list[str]:
    state = ctx.state
    marks, warned = ctx.key_marks(), ctx.warned()
    lines: list[str] = []
    events = [e for e in ctx.events if e.kind not in NOT_LISTED]
    previous: Event | None = None
    for event in events:
        if checked_by_its_command(previous, event):
            lines[-1] += "; step checked"
            previous = event
            continue
        what = marked_text(ctx, event, marks, warned)
        lines.append(f"- {ctx.row_start(event)}{inline(event.actor)} · {what}")
        previous = event
    samples, polls = ctx.record.samples, ctx.record.polls
    contradicted = f", {WARN_MARK} where the record contradicts itself" if warned else ""
    lead = (
        f"All times UTC; one line per action. {KEY_MARK} marks a key moment, {PIN_MARK} a "
        f"pinned note{contradicted}. {counted(samples, 'probe reading')} in "
        f"{counted(polls, 'poll')} "
        f"{'is' if samples == 1 else 'are'} summarised under Impact, "
        f"not listed; they are in {code_span(f'lastgood export {state.id} --format json')}, "
        f"and {code_span(f'lastgood timeline {state.id}')} groups this timeline by phase."
    )
    return ["## Timeline", "", lead, "", *lines, "", deliveries(ctx)]


def marked_text(
    ctx: ReportContext, event: Event, marks: dict[int, str], warned: dict[int, list[str]]
) -> str:
    """An event's text with its marks, as both timelines write it: ★ and the key moment's
    label, or 📌 for a pinned note; then ⚠ and each place the record contradicts itself
    there (`ReportContext.warned`)."""
    what = event_text(ctx, event)
    if event.seq in marks:
        what = f"{KEY_MARK} **{inline(marks[event.seq])}**: {what}"
    elif isinstance(event.data, NoteAdded) and event.data.pinned:
        what = f"{PIN_MARK} {what}"
    return what + "".join(f" {WARN_MARK} {inline(said)}" for said in warned.get(event.seq, []))


def checked_by_its_command(previous: Event | None, event: Event) -> bool:
    """A step check that only says its command exited 0, right after that command."""
    if previous is None or not isinstance(previous.data, CommandRan):
        return False
    ran, checked = previous.data, event.data
    return (
        isinstance(checked, StepChecked)
        and ran.exit_code == 0
        and checked.step == ran.step
        and checked.note == f"`{ran.command}` exited 0"
        and not checked.evidence
    )


def event_text(ctx: ReportContext, event: Event) -> str:
    """One event as Markdown: its description, a command in a code span, a message
    with its deliveries' outcome."""
    match event.data:
        case CommandRan() as ran:
            what = f"Ran {code_span(ran.command)} for {inline(ran.step)}{ran_late(ran)}"
            return f"{what}: exit {ran.exit_code}"
        case CommunicationSent():
            return inline(describe(event)) + delivered_note(ctx, event.seq)
        case CommunicationDeclined() as declined:
            return inline(declined_text(declined, ctx.when(declined.due_at)))
        case _:
            return inline(plain_text(ctx, event))


def plain_text(ctx: ReportContext, event: Event) -> str:
    """An event described (`describe`), and for an update recorded as missed, what
    became of it since (`missed_update_outcome`): both timelines and the JSON say it."""
    return describe(event) + missed_outcome(ctx.state, event, ctx.end)
