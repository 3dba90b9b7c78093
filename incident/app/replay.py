"""The incident as it was at a moment: `replay --at … --json`, and the replay screen's seek.

A long record keeps its folded state every thousand events (`store.snapshots`), so
the state at a moment is the nearest stored state at or before it, and the events
after it up to the moment folded on top. What that checks is less than `verify`:

- the stored state belongs to this chain: every snapshot it is built from names the
  hash and time its event has now (so an edit of that event, or a snapshot written
  for another record or moved to another time, is not used);
- the events folded after it: each links to the one before, from the snapshot's
  event on, and hashes to what it says (as a session checks what others appended).

It does not re-hash the events before the snapshot, nor re-derive the snapshot from
them: an event edited before it and re-hashed along with every later one, or a
snapshot forged together with its event's hash, goes unseen here and is reported by
`verify` (which folds the whole record and compares every snapshot). Without a usable
snapshot (none stored, a file from before them, times that go backwards) the whole
record is read and verified, as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from msgspec import Struct

from incident.core.chain import ChainHead, ChainReport, ChainWalk
from incident.core.events import Event
from incident.core.folding import Fold
from incident.core.log import RecordReader
from incident.core.replay import state_at_items
from incident.core.state import IncidentState


class StoredState(Protocol):
    """A state stored with the record: the state after event `seq`, whose hash is `hash`."""

    @property
    def seq(self) -> int: ...

    @property
    def hash(self) -> str: ...

    @property
    def state(self) -> IncidentState: ...


class ReplayStart(Protocol):
    """Where folding up to a moment may start, the record's times never going back."""

    @property
    def stored(self) -> StoredState | None:
        """The latest usable stored state at or before the moment; None: the declaration."""
        ...


class SnapshotReader(RecordReader, Protocol):
    """A record that can be streamed (`RecordReader.scan`) and may keep stored states."""

    def replay_start(self, incident_id: str, moment: datetime) -> ReplayStart | None: ...


class Replayed(Struct, frozen=True):
    """The state at a moment, and what was checked to give it."""

    state: IncidentState
    report: ChainReport
    """The links checked: from the declaration, or from the snapshot's event on."""
    snapshot_seq: int
    """The event whose stored state it started from; 0 when it folded from the start."""


def state_at_moment(reader: SnapshotReader, incident_id: str, moment: datetime) -> Replayed:
    """The fold of the events recorded at or before `moment` (see the module's docstring)."""
    start = reader.replay_start(incident_id, moment)
    if start is None:  # some time goes back: any event may be at or before `moment`
        walk = ChainWalk(incident_id)
        state = state_at_items(reader.scan(incident_id, walk=walk), moment)
        return Replayed(state, walk.report(), 0)
    stored = start.stored
    if stored is None:
        walk = ChainWalk(incident_id)
        items = reader.scan(incident_id, walk=walk)
        first = next(items, None)
        if not isinstance(first, Event):
            raise ValueError(f"incident {incident_id} does not start with a declaration")
        if first.at > moment:
            raise ValueError("no events to fold")  # as `state_at_items` finds
        fold = Fold(first)
    else:
        walk = ChainWalk(incident_id, ChainHead(stored.seq, stored.hash))
        items = reader.scan(incident_id, after_seq=stored.seq, walk=walk)
        fold = Fold.resume(stored.state)
    for item in items:
        if item.at > moment:  # and so is every later one: the times never go back
            break
        fold.add(item)
    return Replayed(fold.settled(), walk.report(), 0 if stored is None else stored.seq)
