"""One poller's side of the probes' turn, for every face that polls (`monitor`, the
coordinator's screen and the child it polls in, the demo's and the drill's screens).

A poller records its samples only while it holds the turn (`incident.health.turns`):
a second poller of the incident does not poll, says once who does ("probes: polled
by Ada's monitor (pid 4242 on bastion); showing its readings"), and polls again once
that poller's ticks have stopped for longer than the turn's lapse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from incident.app.health import record_samples
from incident.app.outcome import Done
from incident.app.pollers import poller_gone as poller_gone
from incident.app.pollers import poller_name as poller_name
from incident.app.session import Session
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.health.turns import turn_free_in_s, turn_holder

POLLER_VARIABLE = "LASTGOOD_POLLER"
"""The environment variable a screen names its child `monitor` in, so that the
child's ticks are the screen's own (`tui/app/probe_child.py`)."""
POLLED_BY = "probes: polled by {}; showing its readings"
"""Said once when another poller holds the turn."""
POLLING_AGAIN = "probes: {} stopped polling; polling here"
"""Said once when that poller's turn lapsed and the probes are polled here again."""


class ProbeTurn:
    """Whether `poller` may poll now, its samples recorded only while it holds the
    turn, and the one line to say when who polls changes."""

    def __init__(self, poller: str) -> None:
        self.poller = poller
        """How this poller's ticks name it."""
        self._told: str | None = None
        """The other poller last said to hold the turn (None: polled here)."""

    def holder(self, state: IncidentState, now: datetime) -> str | None:
        """The other poller holding the turn at `now`, or None."""
        return turn_holder(state, self.poller, now, poller_gone)

    def wait_s(self, state: IncidentState, now: datetime) -> float:
        """Seconds to stand by before asking again (0: poll now)."""
        return turn_free_in_s(state, self.poller, now, poller_gone)

    def record(self, session: Session, samples: Sequence[Sample]) -> Done:
        """Record `samples` as this poller's, unless another poller holds the turn (or
        the incident is closed): then nothing is recorded (`Done.events` is empty)."""
        return record_samples(session, samples, poller=self.poller, gone=poller_gone)

    def news(self, state: IncidentState, now: datetime) -> str | None:
        """The line to say if who polls changed since it was last said, else None."""
        holder = self.holder(state, now)
        if holder == self._told:
            return None
        before, self._told = self._told, holder
        if holder is not None:
            return POLLED_BY.format(holder)
        return POLLING_AGAIN.format(before)
