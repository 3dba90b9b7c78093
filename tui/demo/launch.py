"""`lastgood demo`: a real rollback to try in a minute, against a real HTTP service.

Starts the built-in shop (`tui.demo.shop`) on loopback playing a bad 2.4.1
release, writes a runbook whose probes and rollback switch point at it, declares
an incident in a scratch database; `tui.cli.launch` opens the TUI on it.
"""

from __future__ import annotations

import shlex
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from msgspec.structs import replace

from incident.app.changes import record_changes
from incident.app.drill import drill_declaration
from incident.app.lifecycle import declare
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import SystemClock
from incident.reports.drill_faults import Fault
from runbooks import load_runbook
from runbooks.model import Runbook
from runbooks.resolve import BUNDLED_DIR
from store.sqlite_log import SqliteEventLog
from tui.demo.faults import DEMO, SHOP_FAULTS, release_changes
from tui.demo.shop import DemoService

TEMPLATE = BUNDLED_DIR / "demo.yaml.in"
PLACEHOLDER = "{{SERVICE_URL}}"

DEMO_DECLARATION = Declaration(
    title="Checkout errors after shop 2.4.1",
    severity="SEV2",
    commander="",  # the coordinator running the demo, by name (`declare_demo`)
    issue="checkout failing for about 12% of requests after release 2.4.1",
    eta_min=20,
    pattern="blue-green",
    channel="#inc-shop-checkout",
    from_version="2.4.1",
    last_good_version="2.4.0",
)


def write_demo_runbook(service_url: str, directory: Path) -> Runbook:
    """The demo runbook, its probes and rollback switch pointed at `service_url`."""
    text = TEMPLATE.read_text(encoding="utf-8").replace(PLACEHOLDER, service_url)
    path = directory / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return load_runbook(path)


def declare_demo(log: SqliteEventLog, runbook: Runbook, actor: str) -> str:
    """Declare the demo incident with the coordinator, `actor`, as its commander."""
    clock = SystemClock()
    details = replace(
        DEMO_DECLARATION, commander=actor, started_at=clock.now() - timedelta(minutes=2)
    )
    session = declare(log, runbook, details, actor=actor, clock=clock)
    return session.state.id


DRILL_ACTOR = "drill"
"""Who records what the drill sets up for the coordinator (what its release changed)."""


def declare_drill(log: SqliteEventLog, runbook: Runbook, actor: str, *, fault: Fault) -> str:
    """Declare a drill of `fault`, `actor` in command; T+0 is now, so the clocks it is
    scored by start when the coordinator does. What rolling back undoes (the release's
    commits and migrations) is recorded with it, as `lastgood changes` records it: the
    tier dialog shows it as evidence, and the tier is scored on what it said."""
    clock = SystemClock()
    event, *done = drill_declaration(
        runbook, fault, actor, clock=clock, taken_ids=log.incident_ids()
    )
    session = IncidentSession.declare(log, event, clock, done=done)
    record_changes(session, DRILL_ACTOR, release_changes(SHOP_FAULTS[fault.name]))
    return event.incident_id


Declarer = Callable[[SqliteEventLog, Runbook, str], str]
"""Declares the incident in a log with a runbook, a commander; returns its id."""


@dataclass
class DemoIncident:
    """The demo's shop running and its runbook written; the incident is declared once
    the coordinator's name is known (`declare`), which the app may have to ask for."""

    log: SqliteEventLog
    runbook: Runbook
    db: Path
    declarer: Declarer = declare_demo
    incident_id: str | None = None
    shop_url: str = ""
    """The shop's base URL, http://127.0.0.1:PORT."""

    def declare(self, commander: str) -> str:
        """Declare the demo incident (or drill), `commander` in command; its id."""
        self.incident_id = self.declarer(self.log, self.runbook, commander)
        return self.incident_id


def scratch_db() -> Path:
    """A database of the demo's own, for when the coordinator named none."""
    return Path(tempfile.mkdtemp(prefix="lastgood-demo-")) / "demo.db"


@contextmanager
def demo_incident(
    log: SqliteEventLog, fault: Fault | None = None, seed: int | None = None
) -> Iterator[DemoIncident]:
    """Start the shop, write its runbook; stop the shop after.

    The incident records into `log`, the file the coordinator named or a scratch one.
    The runbook file goes with the shop: the incident carries its own copy.
    The Textual app is not imported here: `tui.cli.launch` opens it on what this yields,
    so the demo and the app stay independent packages.

    With a `fault` it is a drill: the same shop plays that fault and the incident is
    declared marked with it. `seed` seeds the shop's draws.
    """
    play = DEMO if fault is None else SHOP_FAULTS[fault.name]
    service = DemoService(fault=play) if seed is None else DemoService(fault=play, seed=seed)
    with service, tempfile.TemporaryDirectory(prefix="lastgood-demo-") as work:
        runbook = write_demo_runbook(service.url, Path(work))
        declarer: Declarer = declare_demo
        if fault is not None:
            declarer = partial(declare_drill, fault=fault)
        yield DemoIncident(log, runbook, log.path, declarer, shop_url=service.url)


def farewell(db: Path, incident_id: str | None, actor: str = "") -> str:
    """One line for after the TUI: where the record is and how to open it again."""
    if incident_id is None:
        return "The demo shop has stopped; no incident was declared."
    return (
        f"The demo shop has stopped (reopen with its probes off); its incident is in {db}. "
        f"Reopen it: {reopen_command(db, incident_id, actor)}"
    )


def reopen_command(db: Path | str, incident_id: str, actor: str = "") -> str:
    """How to open an incident of the demo's shop (or a drill's) once the shop has stopped,
    as `actor` (who coordinated it: named, the command asks no one's name again).

    Without --no-probes the shop's probes would fail, and their triggers be recorded
    as met: a record of an outage that is only the demo's end."""
    command = ["lastgood", "--db", str(db), "start", "--incident", incident_id, "--no-probes"]
    return shlex.join([*command, "--as", actor] if actor else command)
