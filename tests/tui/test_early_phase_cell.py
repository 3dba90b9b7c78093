"""The phase strip shows one phase being worked, however early work came in another.

A fresh user's review: the root cause recorded at T+00:04 (`lastgood rca`, which checks
Phase 4's `preliminary-rca`) made the strip read `1 Decision… ▶ ACTIVE` and
`4 Communication… ▶ ACTIVE  T+45m →` at T+00:15, two phases active at once. Close-out
stays upcoming, counting to its window, and says what was done in it early; once its
window opens it is active, beside a phase 1 still unfinished.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident.app import postmortem
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.phase_strip import PhaseCell
from tui.demo.scenarios import SCENARIO_T0

RCA = "a migration dropped a column that 2.4.1 still read"


def rca_at(db: Path, clock: ManualClock, after: timedelta) -> str:
    """A new incident in `db` with its root cause recorded `after` T+0: its id."""
    incident_id = declared(db, clock, decided=False)
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
    assert wide[4] == ["· UPCOMING", "in 44m45s · 1 of 4 done early"]

    at_80 = await strip_at(db, clock, incident_id, (80, 24))
    assert at_80[1][0] == "▶ ACTIVE"
    assert at_80[4] == ["· UPCOMING", "in 44m · 1/4 ✓"]
    assert [lines[0] for lines in at_80.values()].count("▶ ACTIVE") == 1


async def test_close_out_is_active_once_its_window_opens(tmp_path: Path) -> None:
    """At T+50, phase 1 not finished, the work in close-out is under way in its window."""
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "open.db"
    incident_id = rca_at(db, clock, timedelta(minutes=46))
    clock.set(SCENARIO_T0 + timedelta(minutes=50))

    lines = await strip_at(db, clock, incident_id, (120, 30))
    assert lines[1][0] == "✖ OVERDUE"
    assert lines[4] == ["▶ ACTIVE", "T+45m →"]
