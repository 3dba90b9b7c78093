"""One line of plain English per event, for timelines in the TUI, CLI and report."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from incident.core.attribution import command_change
from incident.core.events import Event, format_timestamp
from incident.core.names import same_person
from incident.core.payloads import (
    ActionItemAdded,
    ActionItemDone,
    ApprovalGranted,
    BaselineCaptured,
    ChangesRead,
    ChannelSet,
    Closed,
    CommanderHandedOff,
    CommandRan,
    CommunicationDeclined,
    CommunicationSent,
    ContributingFactorNoted,
    DatabaseTierChosen,
    Declared,
    ImpactMeasured,
    LessonNoted,
    NoteAdded,
    NotificationDelivered,
    NotificationFailed,
    NotificationQueued,
    NotificationRequeued,
    PageSent,
    PostmortemScheduled,
    ProbeSamples,
    RcaNoted,
    ReportStatusSet,
    RoleAssigned,
    SeverityChanged,
    StatusPageUpdated,
    StepChecked,
    StepReopened,
    StepSkipped,
    TriggerChanged,
    UpdateOverdue,
)
from incident.core.text import one_line, visible
from incident.core.timefmt import utc_stamp


def _line(value: object) -> str:
    """A field as one line of shown text: stored text is data, never obeyed.

    Line breaks are shown as ` ⏎ ` and tabs fold to spaces (`one_line`); every other
    control character is shown.
    """
    return one_line(str(value))


def _then(text: str) -> str:
    """`: text` after a description, or nothing when `text` is empty."""
    line = _line(text)
    return f": {line}" if line else ""


def declined_text(declined: CommunicationDeclined, due: str) -> str:
    """A message declined, with its due time as `due` says it: a time, never the
    runbook's moment id (`update-due`), which no reader of the timeline knows."""
    what = f"the {_line(declined.template)} message due at {due}"
    return f"Chose not to send {what}{_then(declined.reason)}"


LONGEST_COUNT = 1e15
"""A count at or past this is shown in powers of ten (`1e+308`), not as hundreds of
digits: no real request count comes near it, but Prometheus may answer anything."""


NO_FAILED_SERIES = "counted as none failed; check the selector if failures were expected"
"""What a failed requests' query that matched no series was taken to mean (0, as an
exporter that shows its 5xx series only after the first error would mean it), and
what to do if that is wrong: after `--failed matched no series: ` in the CLI's line,
and the report's own words for the selector."""


def count_text(value: float) -> str:
    """A request count as people read it, wherever it is printed: whole requests,
    `1,234` (Prometheus's `increase()` extrapolates, so its 3070.55 is said 3,071; the
    JSON keeps the figure as given), but a fraction under one as it is (`0.01`, not a
    `0` that would read as none)."""
    if abs(value) >= LONGEST_COUNT:
        return f"{value:.6g}"
    if float(value).is_integer() or abs(value) >= 1:
        return f"{value:,.0f}"
    return f"{value:.2g}"


def describe(event: Event) -> str:
    match event.data:
        case Declared() as d:
            text = f'Declared {_line(d.severity)} "{_line(d.title)}"'
            text += f", commander {_line(d.commander)}" if _line(d.commander) else ""
            if d.coordinator and d.coordinator != d.commander:
                text += f", coordinator {_line(d.coordinator)}"
            return text
        case StepChecked() as d:
            text = f"Checked {_line(d.step)}"
            if _line(d.by) and _line(d.by) != event.actor:
                text += f" (by {_line(d.by)})"
            text += _then(d.note)
            text += f" [evidence: {_line(d.evidence)}]" if _line(d.evidence) else ""
            return text + late(d.written_at)
        case StepSkipped() as d:
            return f"Skipped {_line(d.step)}: {_line(d.reason)}{late(d.written_at)}"
        case StepReopened() as d:
            return f"Reopened {_line(d.step)}: {_line(d.reason)}"
        case ApprovalGranted() as d:
            approved = f"Approved {_line(d.target)} by {_line(d.by)}: {_line(d.reason)}"
            return approved + late(d.written_at)
        case DatabaseTierChosen() as d:
            chosen = f"Database tier chosen: {_line(d.tier)}: {_line(d.reason)}"
            return chosen + late(d.written_at)
        case NoteAdded() as d:
            return f"{'Pinned note' if d.pinned else 'Note'}: {_line(d.text)}{written_late(d)}"
        case RoleAssigned() as d:
            return f"{_line(d.person)} is {_line(d.role)}"
        case ChannelSet() as d:
            return f"Incident channel: {_line(d.channel)}"
        case CommanderHandedOff() as d:
            taken = same_person(event.actor, d.to)
            if taken or (d.from_ and not same_person(event.actor, d.from_)):  # or moved
                said = command_change(_line(d.from_), _line(d.to), _line(event.actor))
                return f"{said}{_then(d.reason)}"
            handed = f"from {_line(d.from_) or 'nobody'} to {_line(d.to)}"
            return f"Incident command handed {handed}{_then(d.reason)}"
        case PageSent() as d:
            return f"Paged {_line(d.target)}{_then(d.note)}"
        case CommunicationSent() as d:
            how = "Message sent automatically" if d.auto else "Message sent"
            return f"{how}: {_line(d.text)}{late(d.written_at)}"
        case CommunicationDeclined() as d:
            return declined_text(d, f"{format_timestamp(d.due_at)[11:19]} UTC")
        case StatusPageUpdated() as d:
            who = f" by {_line(d.by)}" if _line(d.by) and _line(d.by) != event.actor else ""
            return f"Status page updated by hand{who}{_then(d.note)}"
        case CommandRan() as d:
            return f"Ran `{_line(d.command)}` for {_line(d.step)}{ran_late(d)}: exit {d.exit_code}"
        case TriggerChanged() as d:
            verdict = "met" if d.met else "cleared"
            return f"Trigger {_line(d.trigger)} {verdict}{_then(d.detail)}"
        case SeverityChanged() as d:
            return f"Severity {_line(d.previous)} -> {_line(d.severity)}{_then(d.reason)}"
        case UpdateOverdue() as d:
            which = "first stakeholder update" if d.first else "stakeholder update"
            return f"The {which} due at {format_timestamp(d.due_at)[11:19]} UTC was not sent"
        case NotificationQueued() as d:
            return f"Queued for {_line(d.target)}"
        case NotificationDelivered() as d:
            tries = f" after {d.attempts} tries" if d.attempts != 1 else ""
            return f"Delivered to {_line(d.target)}{tries}"
        case NotificationFailed() as d:
            failed = f"FAILED after {d.attempts} tries: {_line(d.error)}"
            return f"Delivery to {_line(d.target)} {failed}"
        case NotificationRequeued() as d:
            return f"Re-sending to {_line(d.target)} (by {_line(d.by) or event.actor})"
        case Closed() as d:
            if d.unstable:
                return f"Closed while {_line(d.unstable)} (forced: {_line(d.reason)})"
            if d.forced:
                return f"Closed (forced: {_line(d.reason)})"
            return f"Closed{_then(d.reason)}"
        case RcaNoted() as d:
            return f"Root cause noted: {_line(d.text)}"
        case ActionItemAdded() as d:
            details = [f"owner {_line(d.owner)}"] if _line(d.owner) else []
            details += [f"due {d.due.isoformat()}"] if d.due else []
            details += [_line(value) for value in (d.priority, d.type) if _line(value)]
            details += [f"ticket {_line(d.ticket)}"] if _line(d.ticket) else []
            return f"Action item: {_line(d.text)}" + (f" ({', '.join(details)})" if details else "")
        case ActionItemDone() as d:
            return f"Action item {d.number} done{_then(d.note)}"
        case ContributingFactorNoted() as d:
            return f"Contributing factor noted: {_line(d.text)}"
        case ChangesRead() as d:
            return f"What the rollback undoes: {_line(d.summary)}"
        case ImpactMeasured() as d:
            failed, total = count_text(d.failed), count_text(d.total)
            said = f"Impact measured: {failed} of {total} requests failed"
            return said + (" (the failed query matched no series)" if d.failed_no_series else "")
        case ReportStatusSet() as d:
            text = f"Report {_line(d.status)}, owner {_line(d.owner) or 'unset'}"
            reviewers = _line(", ".join(d.reviewers))
            return text + (f", reviewers {reviewers}" if reviewers else "")
        case LessonNoted() as d:
            kind = _line(d.category)
            return f"Lesson{f' ({kind})' if kind else ''}: {_line(d.text)}"
        case PostmortemScheduled() as d:
            text = f"Post-mortem booked for {utc_stamp(d.starts_at)} ({d.duration_min} min)"
            if d.attendees:
                text += f" with {visible(', '.join(d.attendees))}"
            if d.forced:
                text += f", outside its window: {_line(d.reason)}"
            return text
        case BaselineCaptured() as d:
            where = "the median of its samples" if d.source == "samples" else "given"
            return f"Baseline of {_line(d.probe)}: {d.value:g} ({where})"
        case ProbeSamples():
            return visible(event.kind)
        case _:
            assert_never(event.data)


def written_late(note: NoteAdded) -> str:
    """When a note recorded later than it was written was written (`NoteAdded.written_at`),
    as `ran_late` says it of a run: after the text, which a timeline panel's row of 40
    cells showed none of behind `written at 11:46:50 UTC (recorded late): `."""
    return late(note.written_at)


def late(written_at: datetime | None) -> str:
    """` (written at 11:02:07 UTC, recorded late)`: what was typed while the record could
    not take it (a note, a check, a decision, a message), after its text; "" if not."""
    if written_at is None:
        return ""
    return f" (written at {format_timestamp(written_at)[11:19]} UTC, recorded late)"


def ran_late(ran: CommandRan) -> str:
    """When a command recorded later than it ran was run (`CommandRan.ran_at`): its line
    is at the time it was recorded, and must not read as a second run then."""
    if ran.ran_at is None:
        return ""
    return f" at {format_timestamp(ran.ran_at)[11:19]} UTC (recorded late)"
