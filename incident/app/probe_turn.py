"""One poller's side of the probes' turn, for every face that polls (`monitor`, the
coordinator's screen and the child it polls in, the demo's and the drill's screens).

A poller records its samples only while it holds the turn (`incident.health.turns`):
a second poller of the incident does not poll, says once who does ("probes: polled
by Ada's monitor (pid 4242 on bastion); showing its readings"), and polls again once
that poller's ticks have stopped for longer than the turn's lapse.

A screen shows the other poller's readings from the record; a `monitor` standing by
shows none (ux_review14 #7), so it says what it does instead ("probes: standing by
while Ada's monitor (…) polls; taking over if it stops") and, every `standing_by_every_s`
(the turn's lapse, at most a minute), when that poller last polled ("standing by: Ada's
monitor (…) polled at T+12:05"): its log is never a single line for hours, which reads
as a hung process. Printing the other's readings there instead would double the log of a
two-bastion set-up, each reading printed by both, in words that read as polled here,
and it could show them only as often as a stand-by reads the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from incident.app.health import record_samples
from incident.app.outcome import Done
from incident.app.pollers import poller_gone as poller_gone
from incident.app.pollers import poller_name as poller_name
from incident.app.session import Session
from incident.core.phase_clocks import t_plus
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.health.turns import turn_free_in_s, turn_holder, turn_lapse_s
from runbooks.model import Runbook

POLLER_VARIABLE = "LASTGOOD_POLLER"
"""The environment variable a screen names its child `monitor` in, so that the
child's ticks are the screen's own (`tui/app/probe_child.py`)."""
POLLED_BY = "probes: polled by {}; showing its readings"
"""Said once when another poller holds the turn."""
POLLING_AGAIN = "probes: {} stopped polling; polling here"
"""Said once when that poller's turn lapsed and the probes are polled here again."""
STANDING_BY = "probes: standing by while {} polls; taking over if it stops"
"""Said once, instead of `POLLED_BY`, by a poller that shows no readings (`monitor`)."""
STILL_STANDING_BY = "standing by: {} polled at {}"
"""Said every `standing_by_every_s` while such a poller stands by: when the other polled."""
STANDING_BY_AT_MOST_S = 60.0
"""The longest a poller standing by that shows no readings goes without saying it still
does, whatever the runbook's probe intervals."""


def standing_by_every_s(runbook: Runbook) -> float:
    """How often a poller standing by that shows no readings says it still does: every
    turn's lapse (35 s with the bundled runbook), the time after which it would take
    over were the other's ticks to stop, so each line can name a newer tick; at most
    `STANDING_BY_AT_MOST_S`, so a runbook of slow probes leaves no long silence."""
    lapse = turn_lapse_s(runbook)
    return min(lapse, STANDING_BY_AT_MOST_S) if lapse > 0 else STANDING_BY_AT_MOST_S


class ProbeTurn:
    """Whether `poller` may poll now, its samples recorded only while it holds the
    turn, and the one line to say when who polls changes."""

    def __init__(
        self,
        poller: str,
        *,
        shows_readings: bool = True,
        unset: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.poller = poller
        """How this poller's ticks name it."""
        self.unset = dict(unset or {})
        """The probes it leaves out for a `${NAME}` its environment does not set: its
        first tick tells the record, so a face that polls nothing can say why."""
        self.shows_readings = shows_readings
        """Whether the face shows the other poller's readings while it stands by (a
        screen does); else it says it stands by, and again every `standing_by_every_s`."""
        self._told: str | None = None
        """The other poller last said to hold the turn (None: polled here)."""
        self._said_at: datetime | None = None
        """When standing by was last said."""

    def holder(self, state: IncidentState, now: datetime) -> str | None:
        """The other poller holding the turn at `now`, or None."""
        return turn_holder(state, self.poller, now, poller_gone)

    def wait_s(self, state: IncidentState, now: datetime) -> float:
        """Seconds to stand by before asking again (0: poll now)."""
        return turn_free_in_s(state, self.poller, now, poller_gone)

    def record(self, session: Session, samples: Sequence[Sample]) -> Done:
        """Record `samples` as this poller's, unless another poller holds the turn (or
        the incident is closed): then nothing is recorded (`Done.events` is empty)."""
        return record_samples(
            session, samples, poller=self.poller, gone=poller_gone, unset=self.unset
        )

    def news(self, state: IncidentState, now: datetime) -> str | None:
        """The line to say if who polls changed since it was last said, else None."""
        holder = self.holder(state, now)
        if holder == self._told:
            return None
        before, self._told = self._told, holder
        if holder is not None:
            self._said_at = now
            return (POLLED_BY if self.shows_readings else STANDING_BY).format(holder)
        return POLLING_AGAIN.format(before)

    def still_standing_by(self, state: IncidentState, now: datetime) -> str | None:
        """For a face that shows no readings: once `standing_by_every_s` has passed since
        it last said it stands by, the line saying it still does and when the other
        poller last polled; else None. Ask after `news`."""
        last = state.last_poll
        if self.shows_readings or self._told is None or self._said_at is None or last is None:
            return None
        if (now - self._said_at).total_seconds() < standing_by_every_s(state.runbook):
            return None
        self._said_at = now
        return STILL_STANDING_BY.format(self._told, t_plus(state, last.at))

    def next_said_in_s(self, state: IncidentState, now: datetime) -> float | None:
        """Seconds until `still_standing_by` has a line to say; None if it never will."""
        if self.shows_readings or self._told is None or self._said_at is None:
            return None
        every = standing_by_every_s(state.runbook)
        return max(0.0, every - (now - self._said_at).total_seconds())
