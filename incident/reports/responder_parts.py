"""What each responder did, counted by kind, and the roles each held with their spans
(review10 #9): the report's Responders table named only some kinds of part (a step
done for someone else, an approval, a page), so a post-mortem author could not see
who checked the steps, sent the updates or wrote the notes.

Each part is credited to the person the record says did it (a step checked `--by Bo`
is Bo's), not to whoever typed it; messages sent by themselves and probe verdicts are
no one's. The Markdown table says the counts in words (`checked 6 steps, 2 approvals,
sent 3 messages`); the JSON export gives the same counts by kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from msgspec import Struct

from incident.core.events import Event
from incident.core.payloads import (
    ActionItemAdded,
    ApprovalGranted,
    CommanderHandedOff,
    CommandRan,
    CommunicationDeclined,
    CommunicationSent,
    ContributingFactorNoted,
    DatabaseTierChosen,
    LessonNoted,
    NoteAdded,
    PageSent,
    RcaNoted,
    SeverityChanged,
    StepChecked,
    StepReopened,
    StepSkipped,
    TriggerChanged,
)
from incident.core.state import IncidentState
from incident.core.text import counted

PART_WORDS: dict[str, tuple[str, str]] = {
    "checked": ("checked", "step"),
    "skipped": ("skipped", "step"),
    "reopened": ("reopened", "step"),
    "approvals": ("", "approval"),
    "decisions": ("", "decision"),
    "messages": ("sent", "message"),
    "declined": ("declined", "message"),
    "notes": ("", "note"),
    "handoffs": ("", "hand-off"),
    "pages": ("", "page"),
    "commands": ("ran", "command"),
    "postmortem": ("", "post-mortem entry"),
}
"""Each kind of part, in the order the table says them: the verb and the thing counted
(`checked 6 steps`, `2 approvals`). Decisions are database tiers chosen, triggers marked
by hand and severity changes; post-mortem entries are root causes, contributing
factors, action items and lessons."""


class RoleSpan(Struct, frozen=True):
    """A role held from `start` until `end` (None: still held at the record's end)."""

    role: str
    start: datetime
    end: datetime | None


def _credit(event: Event) -> tuple[str, str] | None:
    """(kind, person) for an event that is someone's part, else None."""
    data = event.data
    match data:
        case StepChecked():
            return "checked", data.by or event.actor
        case StepSkipped():
            return "skipped", data.by or event.actor
        case StepReopened():
            return "reopened", event.actor
        case ApprovalGranted():
            return "approvals", data.by
        case DatabaseTierChosen():
            return "decisions", data.by or event.actor
        case TriggerChanged() if data.source == "manual":
            return "decisions", data.by or event.actor
        case SeverityChanged():
            return "decisions", event.actor
        case CommunicationSent() if not data.auto:
            return "messages", data.by or event.actor
        case CommunicationDeclined():
            return "declined", data.by or event.actor
        case NoteAdded():
            return "notes", data.by or event.actor
        case CommanderHandedOff():
            return "handoffs", event.actor
        case PageSent():
            return "pages", data.by or event.actor
        case CommandRan():
            return "commands", event.actor
        case RcaNoted() | ContributingFactorNoted() | ActionItemAdded() | LessonNoted():
            return "postmortem", data.by or event.actor
    return None


def _name(name: str) -> str:
    return " ".join(name.split())


def part_counts(events: Sequence[Event]) -> dict[str, dict[str, int]]:
    """Per person (spaces folded, as the Responders table names them): how many parts
    of each kind of `PART_WORDS`, only the kinds they had, in that order."""
    found: dict[str, dict[str, int]] = {}
    for event in events:
        credit = _credit(event)
        if credit is None or not _name(credit[1]):
            continue
        kind, person = credit
        counts = found.setdefault(_name(person), {})
        counts[kind] = counts.get(kind, 0) + 1
    order = list(PART_WORDS)
    return {
        person: dict(sorted(counts.items(), key=lambda item: order.index(item[0])))
        for person, counts in found.items()
    }


def parts_in_words(counts: dict[str, int]) -> list[str]:
    """`checked 6 steps`, `2 approvals`, `sent 3 messages`: one phrase per kind."""
    said = []
    for kind, number in counts.items():
        verb, noun = PART_WORDS[kind]
        phrase = counted(number, noun)
        if noun.endswith("entry") and number != 1:
            phrase = f"{number} post-mortem entries"
        said.append(f"{verb} {phrase}" if verb else phrase)
    return said


def role_spans(state: IncidentState) -> dict[str, list[RoleSpan]]:
    """Per person: each role they held, from when it was given until it was given to
    someone else (None while they still hold it)."""
    spans: dict[str, list[RoleSpan]] = {}
    history = state.role_history
    for index, change in enumerate(history):
        after = [c for c in history[index + 1 :] if c.role == change.role]
        end = after[0].at if after else None
        if after and _name(after[0].person) == _name(change.person):
            continue  # given again to the same person: one span, from the first
        start = change.at
        before = [c for c in history[:index] if c.role == change.role]
        while before and _name(before[-1].person) == _name(change.person):
            start = before.pop().at
        span = RoleSpan(change.role, start, end)
        spans.setdefault(_name(change.person), []).append(span)
    return spans
