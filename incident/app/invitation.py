"""The post-mortem's calendar file, from the record as the latest booking left it.

The file is written from the state at the booking and the number of events up to
it (`incident.reports.ics`), so it changes only with a new booking. `lastgood export
--format ics` read the whole record decoded for that, every probe tick's samples
included: on a 100,000-event incident 3.9 s and 426 MB, even to say that nothing
was booked. The record now streams with each tick read from the store's summary of it,
once, and the state is kept as each booking leaves it.
"""

from __future__ import annotations

from msgspec import Struct

from incident.core.chain import ChainReport, ChainWalk
from incident.core.events import Event, Kind
from incident.core.folding import Fold, copy_state
from incident.core.log import EventLog
from incident.core.state import IncidentState
from incident.reports.ics import booked_ics, require_booking


class Invitation(Struct, frozen=True):
    text: str
    """The calendar file."""
    state: IncidentState
    """The incident as the record stands, not as the booking left it."""
    damage: ChainReport | None
    """Where the record is not what was recorded, if the read found that."""


def invitation(log: EventLog, incident_id: str) -> Invitation:
    """The calendar file of the post-mortem booked for the incident, from one read of its
    record, verified as it is read; `NotScheduled` once read if none is booked.

    The state a face needs beside the file (the line saying where it went) is the one
    this read folds: a session opened first read the whole record a second time.
    """
    walk = ChainWalk(incident_id)
    items = iter(log.report_items(incident_id, walk))  # a tick at a time: a run
    first = next(items, None)  # can hold a booking
    if not isinstance(first, Event):
        raise ValueError(f"incident {incident_id} does not start with a declaration")
    fold = Fold(first)
    booked: tuple[IncidentState, int, str] | None = None
    for item in items:
        fold.add(item)
        if isinstance(item, Event) and item.kind == Kind.POSTMORTEM_SCHEDULED:
            booked = copy_state(fold.settled()), item.seq, item.hash
    state = fold.settled()
    require_booking(state)
    if booked is None:  # a booking the state holds and the record does not: never written
        raise ValueError(f"incident {incident_id}: no post-mortem booking in the record")
    booked_state, last_seq, booked_head = booked
    damage = walk.report() if walk.failure is not None else None
    text = booked_ics(booked_state, last_seq, booked_head)  # seqs run from 1: the events up to it
    return Invitation(text, state, damage)
