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
from collections.abc import Callable, Sequence
from typing import Protocol

from incident.core.chain import ChainHead, ChainReport, ChainWalk, DamagedRecord
from incident.core.clock import Clock
from incident.core.events import Event, NewEvent
from incident.core.folding import fold_items
from incident.core.log import EventLog
from incident.core.state import IncidentState


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


class IncidentSession:
    """An incident's live state, kept in step with its log."""

    def __init__(self, log: EventLog, incident_id: str, clock: Clock) -> None:
        walk = ChainWalk(incident_id)
        items = iter(log.scan(incident_id, walk=walk))
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

    @classmethod
    def declare(cls, log: EventLog, declaration: NewEvent, clock: Clock) -> IncidentSession:
        log.append([declaration])
        return cls(log, declaration.incident_id, clock)

    def refresh(self) -> list[Event]:
        """Fold in events other writers recorded since we last looked, verifying them."""
        if self.damage is not None:
            fresh = self.log.events(self.state.id, after_seq=self.state.last_seq)
        else:
            fresh, report = self.log.read_chain(self.state.id, after=self._head)
            self._note(report)
        for event in fresh:
            self.state.apply(event)
        return fresh

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
            for event in fresh:
                self.state.apply(event)
            return command(self.state)

        try:
            fresh, recorded = self.log.append_decided(self.state.id, self._head, decide)
        except DamagedRecord as refusal:
            self.damage = refusal.report
            raise
        for event in recorded:
            self.state.apply(event)
        if fresh or recorded:
            last = (fresh + recorded)[-1]
            self._head = ChainHead(last.seq, last.hash)
        return recorded

    def _note(self, report: ChainReport) -> None:
        if report.ok:
            self._head = report.head
        else:
            self.damage = report
