"""The phase strip of an incident declared late: phase 1 has its five minutes.

Review 7, F1: declared 20 minutes after the impact start it gave (`Started at`), the
first frame read `✖ OVERDUE +16m02s` over phase 1 and `▶ ACTIVE 8m58s left` over
phase 2, two phases active and the rollback due in nine minutes before anything was
decided. The windows now count from the declaration, on the same T+ clock: T+0 stays
the impact start, and phase 1 is the one being worked, with its whole window.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.back_dated import DECLARED, T0, back_dated_record
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.phase_strip import PhaseCell
from tui.app.widgets.phase_title import PhaseTitle


async def test_declared_at_t12_phase_one_is_active_with_its_window_from_there(
    tmp_path: Path,
) -> None:
    record = back_dated_record(tmp_path / "late.db", closed=False)  # declared at T+12:00.9
    clock = ManualClock(T0 + timedelta(minutes=13))
    assert timedelta(minutes=13) > DECLARED
    with SqliteEventLog.open(record.db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=record.incident_id)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: screen_lines(app)[0].lstrip().startswith("T+13:00"))
            cells = [app.screen.query_one(f"#phase-{n}", PhaseCell) for n in range(1, 5)]
            shown = [str(cell.render()).splitlines()[1:] for cell in cells]
            # Phase 1 opens at the declaration's second, T+12:00, and ends at T+17:00.
            assert shown == [
                ["▶ ACTIVE", "4m00s left"],
                ["· UPCOMING", "in 4m00s"],
                ["· UPCOMING", "in 14m00s"],
                ["· UPCOMING"],  # close-out: no window, no time; its turn comes
            ]
            assert cells[0].has_class("current")
            heading = str(app.screen.query_one(PhaseTitle).render())
            assert heading == "Phase 1/4 · Decision and Communication · T+12–17m"
            assert "OVERDUE" not in "\n".join(screen_lines(app))
