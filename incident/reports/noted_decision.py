"""The key moment of a decision `decide` recorded as a note (a runbook without a gate).

The timeline said "Rollback decision: not recorded (no approval gate in the runbook)"
above the very note that recorded it (ux_review8 #11): it names the first such note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from incident.core.events import Event
from incident.core.gates import DECISION_NOTE, decision_note, decision_reason
from incident.core.payloads import NoteAdded
from incident.core.state import IncidentState


def noted_decision(
    state: IncidentState, events: Sequence[Event]
) -> tuple[datetime, int | None, str] | None:
    """The first decision note: when, the event that recorded it (its seq) and what it
    says (`noted by Ada: error rate 12%`); None if there is none."""
    note = decision_note(state)
    if note is None:
        return None
    seq = next(
        (
            event.seq
            for event in events
            if isinstance(event.data, NoteAdded) and event.data.text.startswith(DECISION_NOTE)
        ),
        None,
    )
    reason = decision_reason(note)
    return note.at, seq, f"noted by {note.by}" + (f": {reason}" if reason else "")
