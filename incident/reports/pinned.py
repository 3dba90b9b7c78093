"""The pinned notes a reader is shown: the commander's word that is no runbook gate
("VP told by phone", "no customer comms until 03:30").

One rule for `brief` and `status`: the newest `MAX_PINNED`, each said on one line
with who and when (`pinned_said`); their `--json` has every one, whole
(`pinned_data`). The rest are in the timeline and the report.
"""

from __future__ import annotations

from incident.core.events import JSONValue, format_timestamp
from incident.core.phase_clocks import t_plus
from incident.core.records import Note
from incident.core.state import IncidentState
from incident.core.text import visible

MAX_PINNED = 2
"""Pinned notes shown, the newest; the rest are in the timeline."""


def pinned_notes(state: IncidentState) -> list[Note]:
    """The pinned notes, the newest first (`note ID --pin`)."""
    return sorted((note for note in state.notes if note.pinned), key=lambda n: n.at, reverse=True)


def pinned_shown(state: IncidentState) -> list[Note]:
    """The pinned notes a reader is shown: the newest `MAX_PINNED`."""
    return pinned_notes(state)[:MAX_PINNED]


def pinned_said(state: IncidentState, note: Note) -> str:
    """`Pinned T+06:24 by Cy: VP told by phone`, whole, on one line (a line break read
    as a space), every control shown."""
    said = f"Pinned {t_plus(state, note.at)} by {note.by}: {note.text}"
    return visible(said.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def pinned_data(state: IncidentState) -> list[JSONValue]:
    """Every pinned note, the newest first, whole: `pinned_notes` in `--json`."""
    return [{"text": n.text, "by": n.by, "at": format_timestamp(n.at)} for n in pinned_notes(state)]
