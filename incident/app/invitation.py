"""The post-mortem's calendar file, from the record as the latest booking left it.

The file is written from the state at the booking and the number of events up to
it (`incident.reports.ics`), so it changes only with a new booking. `lastgood export
--format ics` read the whole record decoded for that, every probe tick's samples
included: on a 100,000-event incident 3.9 s and 426 MB, even to say that nothing
was booked. The record now streams with each tick read from the store's summary of it,
and the state is kept as each booking leaves it.
"""

from __future__ import annotations

from incident.core.events import Event, Kind
from incident.core.folding import Fold, copy_state
from incident.core.log import EventLog
from incident.core.state import IncidentState
from incident.reports.ics import booked_ics, require_booking


def invitation(log: EventLog, state: IncidentState) -> str:
    """The calendar file of the post-mortem booked for the incident `state` is of;
    `NotScheduled` before anything is read when there is none."""
    require_booking(state)
    items = iter(log.report_items(state.id))  # a tick at a time: a run can hold a booking
    first = next(items, None)
    if not isinstance(first, Event):
        raise ValueError(f"incident {state.id} does not start with a declaration")
    fold = Fold(first)
    booked: tuple[IncidentState, int] | None = None
    for item in items:
        fold.add(item)
        if isinstance(item, Event) and item.kind == Kind.POSTMORTEM_SCHEDULED:
            booked = copy_state(fold.settled()), item.seq
    if booked is None:  # `state` is newer than the record read: booked since, then cut
        raise ValueError(f"incident {state.id}: no post-mortem booking in the record")
    booked_state, last_seq = booked
    return booked_ics(booked_state, last_seq)  # seqs run from 1: the events up to it
