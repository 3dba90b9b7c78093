"""One incident bound to its log: run a command, record its events, fold them.

This is the seam every face (CLI, TUI, monitor) uses, so "recorded before shown"
holds everywhere: state changes only from events the log has accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from incident.clock import Clock
from incident.events import Event, NewEvent
from incident.log import EventLog
from incident.state import IncidentState, fold


class UnknownIncident(LookupError):
    """No incident with that id in the log."""


class IncidentSession:
    """An incident's live state, kept in step with its log."""

    def __init__(self, log: EventLog, incident_id: str, clock: Clock) -> None:
        events = log.events(incident_id)
        if not events:
            raise UnknownIncident(incident_id)
        self.log = log
        self.clock = clock
        self.state: IncidentState = fold(events)

    @classmethod
    def declare(cls, log: EventLog, declaration: NewEvent, clock: Clock) -> IncidentSession:
        log.append([declaration])
        return cls(log, declaration.incident_id, clock)

    def refresh(self) -> list[Event]:
        """Fold in events other writers recorded since we last looked."""
        fresh = self.log.events(self.state.id, after_seq=self.state.last_seq)
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
        """

        def decide(fresh: list[Event]) -> Sequence[NewEvent]:
            for event in fresh:
                self.state.apply(event)
            return command(self.state)

        _, recorded = self.log.append_decided(self.state.id, self.state.last_seq, decide)
        for event in recorded:
            self.state.apply(event)
        return recorded
