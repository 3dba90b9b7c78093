"""An incident of a runbook declared in memory: the core's tests start from it."""

from __future__ import annotations

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from runbooks.model import Runbook
from tests.memory_log import MemoryLog


def start(runbook: Runbook, clock: ManualClock, **overrides: object) -> IncidentSession:
    details = Declaration(
        **{  # type: ignore[arg-type]
            "title": "Checkout errors",
            "severity": "SEV2",
            "commander": "Ada",
            "issue": "checkout 500s",
            "eta_min": 30,
            "last_good_version": "2.4.0",
            "from_version": "2.4.1",
            **overrides,
        }
    )
    event = commands.declare(runbook, details, actor="ada", clock=clock)
    return IncidentSession.declare(MemoryLog(), event, clock)


def complete_phase_one(session: IncidentSession, clock: ManualClock) -> None:
    session.run(lambda s: commands.check_step(s, "assess", actor="a", clock=clock))
    session.run(
        lambda s: commands.approve(s, "initiate", by="Ada", reason="r", actor="a", clock=clock)
    )
    session.run(lambda s: commands.check_step(s, "initiate", actor="a", clock=clock))
    session.run(lambda s: commands.check_step(s, "notify", actor="a", clock=clock))
