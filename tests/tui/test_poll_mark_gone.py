"""A screen restarted after `kill -9` does not name the dead screen as the poller
(review11 #9).

The Production panel said "polled by Sam's screen, T+01:32" of the screen just killed,
for the seconds until the new screen's own poller recorded its first tick (and for
the whole turn where the killed process was left a zombie): the takeover asked
whether the poller's process had ended, the panel did not. A live view now asks too;
replay, which shows a recorded moment, does not. Ticks are recorded through the
application layer into a real SQLite file, named as a screen of this machine whose
process has ended, reaped or not.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from incident.app.lifecycle import Declaration, declare
from incident.core.clock import ManualClock
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen
from tests.tui.test_poll_mark_panel import START, Polled, Screen, runbook_file
from tests.waiting import poll_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.health import HealthPanel


@contextmanager
def ended(*, reaped: bool) -> Iterator[int]:
    """The pid of a process of this machine that has ended: reaped, or a zombie."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    try:
        if reaped:
            process.wait()
        else:
            stat = Path(f"/proc/{process.pid}/stat")
            poll_until(lambda: stat.read_text().rpartition(")")[2].split()[0] == "Z", "Z", 30)
        yield process.pid
    finally:
        process.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("reaped", [True, False], ids=["reaped", "zombie"])
async def test_the_killed_screen_is_not_named_as_the_poller(tmp_path: Path, reaped: bool) -> None:
    clock = ManualClock(START)
    with ended(reaped=reaped) as pid, SqliteEventLog.open(tmp_path / "killed.db") as log:
        runbook = load_runbook(runbook_file(tmp_path, 3))
        session = declare(log, runbook, Declaration("t", "SEV2", "Sam"), actor="sam", clock=clock)
        polled = Polled(log, session.state.id, clock, tuple(p.name for p in runbook.probes))
        clock.advance(92)
        polled.tick(f"Sam's screen (pid {pid} on {socket.gethostname()})")  # T+01:32
        clock.advance(3)  # well inside its turn, which time alone would lapse in 12 s
        app = LastGoodApp(
            log, None, clock=clock, actor="sam", incident_id=polled.incident_id, network=False
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = Screen(app, pilot, app.screen.query_one(HealthPanel))
            await screen.marked("not polled since T+01:32 (Sam's sc…)")
