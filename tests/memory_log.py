"""An in-memory EventLog for unit tests of the domain (the store has its own tests)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from incident.core.chain import (
    GENESIS,
    GENESIS_HASH,
    DamagedRecord,
    canonical_json,
    event_hash,
    verify_chain,
)
from incident.core.events import Event, NewEvent
from incident.core.payloads import decode_payload


class MemoryLog:
    def __init__(self) -> None:
        self._events: dict[str, list[Event]] = {}

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        recorded = []
        for new in events:
            chain = self._events.setdefault(new.incident_id, [])
            prev = chain[-1].hash if chain else GENESIS_HASH
            seq = len(chain) + 1
            stored = json.loads(canonical_json(new.payload))  # as the store reads it back
            event = Event(
                new.incident_id,
                seq,
                new.kind,
                new.actor,
                new.at,
                new.mono_ns,
                stored,
                decode_payload(new.kind, stored),
                prev,
                event_hash(new, seq, prev),
            )
            chain.append(event)
            recorded.append(event)
        return recorded

    def append_decided(self, incident_id, after, decide, proposal=None):
        fresh, report = self.read_chain(incident_id, after)
        if not report.ok:
            raise DamagedRecord(report)
        if fresh or proposal is None:
            return fresh, self.append(decide(fresh))
        return fresh, self.append(proposal)

    def read_chain(self, incident_id, after=GENESIS):
        fresh = self.events(incident_id, after.seq)
        return fresh, verify_chain(incident_id, fresh, after)

    def events(self, incident_id: str, after_seq: int = 0) -> list[Event]:
        return [e for e in self._events.get(incident_id, []) if e.seq > after_seq]

    def incident_ids(self) -> list[str]:
        return list(self._events)

    def opening_items(self, incident_id, walk):
        return self.scan(incident_id, walk=walk)

    def scan(self, incident_id, *, after_seq=0, upto_seq=None, walk=None):
        for event in self.events(incident_id, after_seq):
            if upto_seq is not None and event.seq > upto_seq:
                return
            if walk is not None:
                walk.add(event)
            yield event
