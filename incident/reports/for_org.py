"""The record as a report for readers outside the incident team shows it (`export --for
org`): what people typed for the team alone left out, each in words that say so.

Notes, free-text reasons, paths on the team's machines (a report's evidence names
where it was written), command lines and their output, and delivery errors (which
name webhook hosts) are replaced; what the incident told stakeholders, the steps,
times, decisions' outcomes, the root cause, lessons and action items, written for the
post-mortem, stay. The
events are replaced after the store verified them as read: the report still says
where the record does not verify, and its head hash is not quoted, since it covers
the text left out (`ReportRecord.for_org`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from msgspec import structs

from incident.core.events import Event
from incident.core.folding import Summarised
from incident.core.payloads import (
    ActionItemDone,
    ApprovalGranted,
    Closed,
    CommanderHandedOff,
    CommandRan,
    CommunicationDeclined,
    DatabaseTierChosen,
    NoteAdded,
    NotificationFailed,
    PageSent,
    SeverityChanged,
    StatusPageUpdated,
    StepChecked,
    StepReopened,
    StepSkipped,
    TriggerChanged,
)
from incident.core.tick_runs import TickRun
from incident.reports.markdown import code_span

NOTE = "(internal note)"
REASON = "(internal reason)"
COMMAND = "(command left out)"
ERROR = "(error left out)"

PATH = "(path left out)"

LEFT_OUT: dict[type, dict[str, str]] = {
    NoteAdded: {"text": NOTE},
    StepChecked: {"override": REASON},
    StepSkipped: {"reason": REASON},
    StepReopened: {"reason": REASON},
    ApprovalGranted: {"reason": REASON},
    DatabaseTierChosen: {"reason": REASON},
    CommanderHandedOff: {"reason": REASON},
    SeverityChanged: {"reason": REASON},
    Closed: {"reason": REASON},
    CommunicationDeclined: {"reason": REASON},
    PageSent: {"note": NOTE},
    StatusPageUpdated: {"note": NOTE},
    ActionItemDone: {"note": NOTE},
    CommandRan: {"command": COMMAND, "output_tail": ""},
    NotificationFailed: {"error": ERROR},
}
"""Each payload's fields left out, and what stands in their place (a field left empty
stays empty: nothing was written there)."""


def org_note(incident_id: str) -> str:
    """The paragraph at the top of such a report."""
    full = code_span(f"lastgood export {incident_id}")
    return (
        "This version is for readers outside the incident team: notes, free-text "
        "reasons, command lines, paths on the team's machines and delivery errors are "
        f"left out, each shown as {NOTE}, {REASON}, {COMMAND}, {PATH} or {ERROR} (a "
        "check's evidence stays, its paths left out). The record's head hash "
        "covers the whole record, the text left out too, so it is not quoted here: the "
        f"full report ({full}) is the one to check against the record."
    )


_HOST_PATH = re.compile(r"(?<![\w:/.])(?:~|\.{1,2})?(?:/[^\s/`'\"()<>,;]+){2,}/?")
"""A path on someone's machine (`/tmp/x/report.md`, `~/notes/a.txt`): two segments or
more, not inside a URL or a word (`/health` alone, `and/or`, `http://host/a/b` stay)."""

_COMMAND_EXITED = re.compile(r"`.*` exited (-?\d+)", re.DOTALL)
"""The note a command step's check carries (`command_step`): the command in it."""


def without_paths(text: str) -> str:
    """`text` with each path on a machine said `PATH`."""
    return _HOST_PATH.sub(PATH, text)


def _check_fields(data: StepChecked) -> dict[str, str]:
    """A check's evidence and note as the org reads them: the tool's own words ("message
    sent", "every instance reports 2.4.0") stay, paths and command lines do not."""
    ran = _COMMAND_EXITED.fullmatch(data.note)
    note = f"`{COMMAND}` exited {ran.group(1)}" if ran else without_paths(data.note)
    return {"note": note, "evidence": without_paths(data.evidence)}


def for_org(event: Event) -> Event:
    """`event` with what `LEFT_OUT` names of its payload replaced (a manual trigger's
    note too: a probe's verdict is the figures, and stays)."""
    data = event.data
    fields = LEFT_OUT.get(type(data), {})
    if isinstance(data, TriggerChanged) and data.source == "manual":
        fields = {"detail": NOTE}
    if isinstance(data, StepChecked):
        fields = {**fields, **_check_fields(data)}
    changed = {
        name: said
        for name, said in fields.items()
        if getattr(data, name) and getattr(data, name) != said
    }
    if not changed:
        return event
    payload: dict[str, Any] = dict(event.payload)
    payload.update((name, said) for name, said in changed.items() if name in payload)
    return structs.replace(event, data=structs.replace(data, **changed), payload=payload)


def items_for_org(items: Iterable[Summarised]) -> Iterator[Summarised]:
    """`items` as read for a report, each event `for_org`; ticks pass as they are, a
    run of them (`TickRun`) with the events among them each `for_org`."""
    for item in items:
        if isinstance(item, Event):
            yield for_org(item)
        elif isinstance(item, TickRun):
            item.between = [for_org(event) for event in item.between]  # read once, here
            yield item
        else:
            yield item
