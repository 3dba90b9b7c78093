"""An incident on the bundled runbook, recorded through the real domain a moment at a time.

The report tests drive one on a frozen clock into a log in memory: each command at the
moment it names, each error-rate reading as the probes record it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.events import Event, NewEvent
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from runbooks.model import Runbook
from tests.memory_log import MemoryLog
from tui.demo.scenarios import bundled_runbook


class BundledIncident:
    """Declared at `declared_at` by Ada (SEV2, blue-green), its impact from `started_at`;
    on the bundled runbook, or on `runbook`."""

    def __init__(
        self,
        declared_at: datetime,
        *,
        started_at: datetime,
        incident_id: str | None = None,
        from_version: str = "",
        last_good_version: str = "",
        runbook: Runbook | None = None,
    ) -> None:
        self.clock = ManualClock(declared_at)
        details = Declaration(
            title="Checkout errors",
            severity="SEV2",
            commander="Ada",
            pattern="blue-green",
            started_at=started_at,
            from_version=from_version,
            last_good_version=last_good_version,
        )
        event = commands.declare(
            runbook or bundled_runbook(),
            details,
            actor="ada",
            clock=self.clock,
            incident_id=incident_id,
        )
        self.log = MemoryLog()
        self.session = IncidentSession.declare(self.log, event, self.clock)

    def run(self, moment: datetime, command: Callable[[IncidentState], NewEvent]) -> None:
        self.clock.set(moment)
        self.session.run(command)

    def record_error_rate(self, moment: datetime, value: float) -> None:
        """One tick of the probes at `moment`: an error-rate reading of `value`."""
        self.clock.set(moment)
        reading = Sample("error-rate", moment, Outcome.OK, 20.0, 200, value=value)
        clock = self.clock
        self.session.run_many(
            lambda s: commands.record_samples(s, [reading], actor="probes", clock=clock)
        )

    @property
    def events(self) -> list[Event]:
        return self.log.events(self.session.state.id)
