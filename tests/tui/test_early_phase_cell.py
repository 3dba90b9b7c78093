"""The phase strip shows one phase being worked, however early work came in another.

A fresh user's review: the root cause recorded at T+00:04 (`lastgood rca`, which checks
Phase 4's `preliminary-rca`) made the strip read `1 Decision… ▶ ACTIVE` and
`4 Communication… ▶ ACTIVE  T+45m →` at T+00:15, two phases active at once. Close-out
stays upcoming, with no window to count to (the guide gives it none), and says what
was done in it early. A record whose runbook gave it a window from T+45 (the bundled
one did until review 7) runs it on that clock once it opens, beside a phase 1 still
unfinished.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from msgspec.structs import replace

from incident.app import postmortem
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from runbooks.model import Runbook, Window
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.phase_strip import PhaseCell
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

RCA = "a migration dropped a column that 2.4.1 still read"


def rca_at(db: Path, clock: ManualClock, after: timedelta, runbook: Runbook | None = None) -> str:
    """A new incident in `db` (of `runbook`, else the bundled one) with its root cause
    recorded `after` T+0: its id."""
    incident_id = declared(db, clock, decided=False, runbook=runbook)
    clock.set(SCENARIO_T0 + after)
    with SqliteEventLog.open(db) as log:
        postmortem.rca(IncidentSession(log, incident_id, clock), "ada", RCA)
    return incident_id


async def strip_at(
    db: Path, clock: ManualClock, incident_id: str, size: tuple[int, int]
) -> dict[int, list[str]]:
    """Each phase cell's state and time lines, the coordinator's screen at `size`."""
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=size) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            cells = {n: app.screen.query_one(f"#phase-{n}", PhaseCell) for n in range(1, 5)}
            assert cells[1].has_class("current")
            return {n: str(cell.render()).splitlines()[1:] for n, cell in cells.items()}


async def test_close_out_done_early_stays_upcoming(tmp_path: Path) -> None:
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "early.db"
    incident_id = rca_at(db, clock, timedelta(seconds=4))
    clock.set(SCENARIO_T0 + timedelta(seconds=15))

    wide = await strip_at(db, clock, incident_id, (160, 30))
    assert wide[1][0] == "▶ ACTIVE"
    assert wide[4] == ["· UPCOMING", "1 of 4 done early"]

    at_80 = await strip_at(db, clock, incident_id, (80, 24))
    assert at_80[1][0] == "▶ ACTIVE"
    assert at_80[4] == ["· UPCOMING", "1/4 done"]
    assert [lines[0] for lines in at_80.values()].count("▶ ACTIVE") == 1


async def test_close_out_is_active_once_its_window_opens(tmp_path: Path) -> None:
    """At T+50, phase 1 not finished, the work in close-out is under way in the window
    an older runbook gave it (`[45, null]`), which its record keeps."""
    bundled = bundled_runbook()
    close_out = replace(bundled.phases[-1], window=Window(45, None))
    older = replace(bundled, phases=(*bundled.phases[:-1], close_out))
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "open.db"
    incident_id = rca_at(db, clock, timedelta(minutes=46), older)
    clock.set(SCENARIO_T0 + timedelta(minutes=50))

    lines = await strip_at(db, clock, incident_id, (120, 30))
    assert lines[1][0] == "✖ OVERDUE"
    assert lines[4] == ["▶ ACTIVE", "T+45m →"]
