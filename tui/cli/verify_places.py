"""The events `verify` names beside a seq: where a chain stops holding, and what was
recorded after a head kept elsewhere, each as the documents list it
(`incident.reports.event_place`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from incident.core.chain import ChainReport
from incident.core.events import Event, Kind
from incident.core.ticks import ProbeTick
from incident.reports.event_place import (
    MOST_LISTED,
    Later,
    NamedEvent,
    declared_t0,
    named_event,
)
from store.errors import StoreError

PROBE_KIND = Kind.PROBE_SAMPLES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from store.backends import EventRecord


def bad_event(log: EventRecord, report: ChainReport) -> NamedEvent | None:
    """The event a broken chain stops at, named; None when there is none to read (it
    was cut from the record, or its row cannot be read: the seq is then all there is)."""
    seq = report.first_bad_seq
    if report.ok or not seq:
        return None
    found = _read(log, report.incident_id, seq - 1, seq)
    if not found:
        return None
    return named_event(found[0], _t0(log, report.incident_id, found[0]))


def events_after(log: EventRecord, incident_id: str, head_seq: int, count: int) -> Later:
    """The events after `head_seq` (of the `count` recorded): the first `MOST_LISTED`
    that are not probe ticks, named, and how many ticks there are (a tick is a probe's
    reading, never a person's word: "was anything recorded after the report?" asks
    about the others). Read until `MOST_LISTED` are found or the record ends; fewer
    when a row cannot be read."""
    listed: list[NamedEvent] = []
    ticks = 0
    t0: datetime | None = None
    if count <= head_seq:
        return Later(listed, ticks)
    for item in _items(log, incident_id, head_seq, count):
        if isinstance(item, ProbeTick) or item.kind == PROBE_KIND:
            ticks += 1
            continue
        if len(listed) < MOST_LISTED:
            t0 = t0 or _t0(log, incident_id, item)
            listed.append(named_event(item, t0))
    return Later(listed, ticks)


def _t0(log: EventRecord, incident_id: str, item: Event | ProbeTick) -> datetime | None:
    """T+0 from the incident's declaration (`item` when it is the first event)."""
    first = item if item.seq == 1 else next(iter(_read(log, incident_id, 0, 1)), None)
    return declared_t0(first)


def _read(log: EventRecord, incident_id: str, after: int, upto: int) -> list[Event | ProbeTick]:
    """The events `after < seq <= upto`; those read before a row that cannot be."""
    return list(_items(log, incident_id, after, upto))


def _items(
    log: EventRecord, incident_id: str, after: int, upto: int
) -> Iterator[Event | ProbeTick]:
    """The events `after < seq <= upto` as read, ending quietly at a row that cannot be
    read (a record that cannot be reached now still ends the verb, exit 75)."""
    try:
        yield from log.scan(incident_id, after_seq=after, upto_seq=upto)
    except StoreError as error:
        if error.transient:
            raise
