"""What the domain needs from a record, so it never has to know it is SQLite."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from incident.core.chain import GENESIS, ChainHead, ChainReport, ChainWalk
from incident.core.events import Event, NewEvent
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick

if TYPE_CHECKING:
    from incident.core.folding import Summarised  # the fold's modules: not the store's to load

Opened = Event | ProbeTick | TickRun
"""What a session folds as it opens a record (`EventLog.opening_items`)."""


class EventLog(Protocol):
    """An append-only, per-incident, hash-chained event log."""

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        """Record `events` atomically, durable before returning; all or nothing.

        Events may belong to one incident only. Sequence numbers continue from the
        incident's last recorded event, whoever wrote it.
        """
        ...

    def append_decided(
        self,
        incident_id: str,
        after: ChainHead,
        decide: Callable[[list[Event]], Sequence[NewEvent]],
        proposal: Sequence[NewEvent] | None = None,
    ) -> tuple[list[Event], list[Event]]:
        """Atomically: read events after `after`, let `decide` look at them and
        say what to append, append it. Returns (fresh events, recorded events).

        `proposal` is what `decide` would say if nothing follows `after`, decided
        before the call: it is checked and encoded before the write lock is taken
        and appended as it is when nothing does, so a writer holds the lock for the
        write alone; `decide` is called only when others appended meanwhile.

        Raises `incident.core.chain.DamagedRecord`, appending nothing, if the event at
        `after` changed or what follows it does not extend the chain from it.
        """
        ...

    def read_chain(
        self, incident_id: str, after: ChainHead = GENESIS
    ) -> tuple[list[Event], ChainReport]:
        """The events after `after`, and the report of verifying them as its successors."""
        ...

    def events(self, incident_id: str, after_seq: int = 0) -> list[Event]:
        """The incident's events with `seq > after_seq`, in order."""
        ...

    def incident_ids(self) -> list[str]:
        """Every incident in the log, oldest first."""
        ...

    def scan(
        self,
        incident_id: str,
        *,
        after_seq: int = 0,
        upto_seq: int | None = None,
        walk: ChainWalk | None = None,
    ) -> Iterator[Event | ProbeTick]:
        """As `RecordReader.scan`: the record streamed, for one too long to hold decoded."""
        ...

    def opening_items(self, incident_id: str, walk: ChainWalk) -> Iterator[Opened]:
        """What `scan` with `walk` gives, each verified into it, but ticks in a row that the
        store's summaries serve may come as one `TickRun`: what a session folds as it opens."""
        ...

    def report_items(
        self, incident_id: str, walk: ChainWalk, *, runs: bool = False
    ) -> Iterator[Summarised]:
        """What `scan` gives, but a tick the store keeps a summary of given from it alone
        (with `runs`, ticks in a row as one `TickRun`): what the documents read.

        Each event is linked into `walk` as it is read, and each that is not a
        tick from its summary is checked as `verify` checks it (its stored text the
        canonical spelling, hashing to its hash): the report says where the record is
        not what was recorded. A tick's own text is not read, so not hashed, and its
        summary, which the report counts, is taken as written: `verify` alone derives
        each summary again from its tick.
        """
        ...

    def export_items(
        self, incident_id: str, walk: ChainWalk
    ) -> Iterator[Event | ProbeTick | TickRun]:
        """Every event, as the JSON export copies it: ticks whose stored text still hashes
        to their summary's hash in runs that carry that text; each verified into `walk`
        as it is read."""
        ...


class RecordReader(Protocol):
    """A record read a stretch at a time, for incidents too long to hold decoded."""

    def scan(
        self,
        incident_id: str,
        *,
        after_seq: int = 0,
        upto_seq: int | None = None,
        walk: ChainWalk | None = None,
    ) -> Iterator[Event | ProbeTick]:
        """The incident's events with `after_seq < seq <= upto_seq`, in order, as read.

        A probe tick whose stored text is canonical comes as a `ProbeTick` (not
        decoded); every other event decoded. With `walk` (from genesis), each is
        verified into it as it passes.
        """
        ...
