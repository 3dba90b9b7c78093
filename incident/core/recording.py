"""A recorded incident left where it is kept, indexed once for replay.

Replaying a long record from a list of decoded events holds every event (some
4 KB each) in memory. A `Recording` reads the record once, as it streams, and
keeps only what a replay needs at any moment: each event's time and sequence
number, the events a timeline shows (every one but the probe ticks), and the
state every `CHECKPOINT_EVERY` events. Moving anywhere then costs a checkpoint
copy and at most that many events read back from the store.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import overload

from incident.core.chain import ChainWalk
from incident.core.events import Event
from incident.core.folding import Fold, Item, copy_state
from incident.core.log import RecordReader
from incident.core.payloads import ProbeSamples
from incident.core.state import IncidentState
from incident.core.ticks import ProbeTick

CHECKPOINT_EVERY = 1000
"""Events between saved states: bounds what a move anywhere folds (see bench/README.md)."""


class Recording(Sequence[Event]):
    """The events of one incident, read from `reader` when needed.

    As a sequence it gives decoded events (a probe tick is decoded when asked
    for); `times`, `shown` and the checkpoints serve replay without decoding.
    With `walk`, reading it verifies the chain, as `read_chain` would.
    """

    def __init__(
        self, reader: RecordReader, incident_id: str, *, walk: ChainWalk | None = None
    ) -> None:
        self._reader = reader
        self._incident_id = incident_id
        self.times: list[datetime] = []
        """Each event's time, in order."""
        self._seqs: list[int] = []
        self._shown: dict[int, Event] = {}
        """Every event but the probe ticks, by position."""
        self._shown_positions: list[int] = []
        self.checkpoints: dict[int, IncidentState] = {}
        """The state after that many events, every `CHECKPOINT_EVERY`."""
        self.end: IncidentState | None = None
        """The state after the last event: the incident as its record stands (None
        without events)."""
        fold: Fold | None = None
        for item in reader.scan(incident_id, walk=walk):
            position = len(self.times)
            self.times.append(item.at)
            self._seqs.append(item.seq)
            if fold is None:
                if isinstance(item, ProbeTick):
                    raise ValueError(f"incident {incident_id} does not start with a declaration")
                fold = Fold(item)
            else:
                fold.add(item)
            if not _is_tick(item):
                assert isinstance(item, Event)
                self._shown[position] = item
                self._shown_positions.append(position)
            done = position + 1
            if done == 1 or done % CHECKPOINT_EVERY == 0:
                self.checkpoints[done] = copy_state(fold.settled())
        if fold is not None:
            self.end = fold.settled()

    def __len__(self) -> int:
        return len(self.times)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[position] for position in range(start, stop, step)]
            return [_decoded(item) for item in self.items(start, stop)]
        position = range(len(self))[index]
        shown = self._shown.get(position)
        if shown is not None:
            return shown
        return _decoded(next(iter(self.items(position, position + 1))))

    def items(self, start: int, stop: int) -> Iterator[Item]:
        """The events at positions `start` to `stop` (not included), read from the store."""
        if start >= stop:
            return iter(())
        after = self._seqs[start - 1] if start > 0 else 0
        return self._reader.scan(self._incident_id, after_seq=after, upto_seq=self._seqs[stop - 1])

    def last_tick(self, start: int, stop: int) -> int | None:
        """The position of the last probe tick at positions `start` to `stop` (not
        included); None if there is none. Walked back from `stop`: ticks are nine
        events in ten of a long record, so it is seldom more than a step or two."""
        position = stop - 1
        while position >= start and position in self._shown:
            position -= 1
        return position if position >= start else None

    def shown(self, start: int, stop: int) -> list[Event]:
        """The events a timeline lists at positions `start` to `stop`: all but the probe ticks."""
        first = bisect.bisect_left(self._shown_positions, start)
        last = bisect.bisect_left(self._shown_positions, stop)
        return [self._shown[p] for p in self._shown_positions[first:last]]


def _is_tick(item: Item) -> bool:
    return isinstance(item, ProbeTick) or isinstance(item.data, ProbeSamples)


def _decoded(item: Item) -> Event:
    return item.event() if isinstance(item, ProbeTick) else item
