"""What every face says, at the moment, of telling stakeholders the service is restored
or closing the incident while a rollback trigger is met (ux_review11 #1).

The rule is `incident.health.stability`'s (the report's Inconsistencies read it the next
day); here are its words for the send (the `m` dialog, the composer, `send`), the close
(its question, `close`) and the guidance, which points at the trigger instead of the
resolution message while one is met: the guide's "Act Decisively". Said, not refused:
the coordinator may know more than a lagging rate window, and the send is recorded
with the warning beside it, as a send before verification is.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.phase_clocks import RESOLVED_TEMPLATE
from incident.core.state import IncidentState
from incident.health.stability import Unstable, close_held, lapse_said, unstable

__all__ = [
    "Unstable",
    "close_held",
    "close_warning",
    "lapse_said",
    "resolution_warning",
    "unstable",
]

RESTORED = "it tells stakeholders the service is restored"
STABLE = "the guide closes out once the service is stable"


def resolution_warning(state: IncidentState, template: str | None, now: datetime) -> str | None:
    """`sent while rollback trigger health-failing met since T+03:28, after
    verification; failing: health REFUSED: it tells stakeholders the service is
    restored`, for the `resolved` message while a trigger is met; else None."""
    if template != RESOLVED_TEMPLATE:
        return None
    found = unstable(state, now)
    return None if found is None else f"sent while {found.text}: {RESTORED}"


def close_warning(state: IncidentState, now: datetime) -> str | None:
    """`closing while rollback trigger health-failing met since T+03:28, …: the guide
    closes out once the service is stable`; None while no trigger is met."""
    found = unstable(state, now)
    return None if found is None else f"closing while {found.text}: {STABLE}"
