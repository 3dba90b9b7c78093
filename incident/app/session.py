"""One incident bound to its log: run a command, record its events, fold them.

This is the seam every face (CLI, TUI, monitor) uses, so "recorded before shown"
holds everywhere: state changes only from events the log has accepted.

It is also where the chain is trusted or not. Opening verifies the whole chain
in the same pass that reads the events to fold; after that only what other
writers append is verified, from the head this session checked. A session on a
damaged chain still shows the incident (status, attach) but records nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from incident.core.chain import ChainHead, ChainReport, ChainWalk, DamagedRecord
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import Event, NewEvent
from incident.core.folding import Summarised, fold_items
from incident.core.log import EventLog
from incident.core.state import IncidentState
from incident.core.tick_runs import TickRun


class Session(Protocol):
    """What the screens and the background senders need of a session.

    `IncidentSession` records; `incident.core.replay.ReplaySession` moves a cursor
    through a finished record and refuses to record. The same screens show both.
    """

    @property
    def state(self) -> IncidentState: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def damage(self) -> ChainReport | None: ...

    def refresh(self) -> list[Event]: ...

    def run(self, command: Callable[[IncidentState], NewEvent]) -> Event: ...

    def run_many(self, command: Callable[[IncidentState], Sequence[NewEvent]]) -> list[Event]: ...


class UnknownIncident(LookupError):
    """No incident with that id in the log."""


def cannot_read(where: object, incident_id: str, error: Exception) -> str:
    """The one line every face gives for an incident whose record does not read as
    stored (`where`: the file's path or the database's URL)."""
    return f"{where}: incident {incident_id} cannot be read: {error}"


class IncidentSession:
    """An incident's live state, kept in step with its log."""

    def __init__(
        self, log: EventLog, incident_id: str, clock: Clock, *, journal: bool = False
    ) -> None:
        """`journal`: keep the events folded into `state` until `take_applied` hands them
        over, for a view that shows them (a timeline). At opening that is every event
        read but the probe ticks, which a long record holds undecoded."""
        walk = ChainWalk(incident_id)
        self._journal: list[Event] | None = [] if journal else None
        self._appended_here: list[int] = []
        """The `seq`s of the journal's events this session appended (`take_appended_here`)."""
        items: Iterator[Summarised] = iter(log.opening_items(incident_id, walk))
        if self._journal is not None:
            items = self._journaled(items)
        first = next(items, None)
        if first is None:
            raise UnknownIncident(incident_id)
        self.log = log
        self.clock = clock
        self.state: IncidentState = fold_items(itertools.chain([first], items))
        """Folded as the record streams: a long one is never held decoded."""
        report = walk.report()
        self.damage: ChainReport | None = None if report.ok else report
        """Why the chain does not verify, if it does not: recording is refused."""
        self._head: ChainHead = report.head
        """The last event verified; appends must extend it."""

    def _journaled(self, items: Iterator[Summarised]) -> Iterator[Summarised]:
        journal = self._journal
        assert journal is not None
        for item in items:
            if isinstance(item, Event):
                journal.append(item)
            elif isinstance(item, TickRun):
                journal += item.between
            yield item

    @classmethod
    def declare(
        cls, log: EventLog, declaration: NewEvent, clock: Clock, *, done: Sequence[NewEvent] = ()
    ) -> IncidentSession:
        """Record a new incident's declaration, and `done`, what it did (the steps it
        checks, `incident.app.lifecycle.declaration_events`), in one append; open it."""
        log.append([declaration, *done])
        return cls(log, declaration.incident_id, clock)

    def refresh(self) -> list[Event]:
        """Fold in events other writers recorded since we last looked, verifying them."""
        if self.damage is not None:
            fresh = self.log.events(self.state.id, after_seq=self.state.last_seq)
        else:
            fresh, report = self.log.read_chain(self.state.id, after=self._head)
            self._note(report)
        self._fold(fresh)
        return fresh

    def take_applied(self) -> list[Event]:
        """The events folded into `state` since the last call, in order, without gaps
        (but the probe ticks read at opening, which are not decoded).

        Other writers' events read inside an append are folded there and never
        returned by `run_many`; a view that must show every event takes them here.
        Empty unless the session was opened with `journal=True`.
        """
        if self._journal is None:
            return []
        taken, self._journal = self._journal, []
        return taken

    def take_appended_here(self) -> frozenset[int]:
        """The `seq`s of the events this session appended itself since the last call:
        of those `take_applied` hands over, what this face recorded, not what it read of
        other writers (whatever name they record under: one person may write from two
        terminals). Empty unless the session was opened with `journal=True`."""
        taken, self._appended_here = self._appended_here, []
        return frozenset(taken)

    def run(self, command: Callable[[IncidentState], NewEvent]) -> Event:
        """Decide on fresh state, record durably, then apply to our state."""
        return self.run_many(lambda state: [command(state)])[-1]

    def run_many(self, command: Callable[[IncidentState], Sequence[NewEvent]]) -> list[Event]:
        """As `run`, for commands that produce several events.

        Reading what other writers added, deciding and appending happen in one
        store transaction, so two terminals can never both check the same step.
        Raises `DamagedRecord`, recording nothing, if the chain does not verify.
        """
        if self.damage is not None:
            raise DamagedRecord(self.damage)

        def decide(fresh: list[Event]) -> Sequence[NewEvent]:
            self._fold(fresh)
            if fresh:  # verified successors: a refusal below must not fold them twice
                self._head = ChainHead(fresh[-1].seq, fresh[-1].hash)
            return command(self.state)

        # Decided on the state as it is, before the store's lock: if no one appends
        # meanwhile, that stands, and the lock is held for the write alone. A refusal
        # may not stand once others' events are read, so it is decided again there.
        proposal: Sequence[NewEvent] | None
        try:
            proposal = command(self.state)
        except CommandError:
            proposal = None
        try:
            _, recorded = self.log.append_decided(self.state.id, self._head, decide, proposal)
        except DamagedRecord as refusal:
            self.damage = refusal.report
            raise
        self._fold(recorded)
        if self._journal is not None:
            self._appended_here += [event.seq for event in recorded]
        if recorded:
            self._head = ChainHead(recorded[-1].seq, recorded[-1].hash)
        return recorded

    def _fold(self, events: list[Event]) -> None:
        for event in events:
            self.state.apply(event)
        if self._journal is not None:
            self._journal.extend(events)

    def _note(self, report: ChainReport) -> None:
        if report.ok:
            self._head = report.head
        else:
            self.damage = report
