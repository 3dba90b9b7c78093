"""A stand-by `monitor` says what it does, and keeps saying it (ux_review14 #7).

A second monitor of an incident said `probes: polled by X; showing its readings` and
then nothing for hours: it showed no readings, and a log of one line reads as a hung
process. Now it says `probes: standing by while X polls; taking over if it stops`,
and every turn's lapse (at most a minute) `standing by: X polled at T+…`, the T+ of
the other's latest tick. The runbook here polls every 2 s, so its turn lapses after 5 s
and the test waits seconds for the second line, not the minute it waited when the
period was a fixed minute (issue #12).

Real `monitor` processes poll a real loopback server into a real SQLite file.
"""

from __future__ import annotations

import re
import signal
import socket
from pathlib import Path

from incident.app.probe_turn import STANDING_BY_AT_MOST_S, ProbeTurn, standing_by_every_s
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock, SystemClock
from incident.core.samples import Outcome, Sample
from incident.health.turns import turn_lapse_s
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli
from tests.probe_runbooks import probe_runbook
from tests.test_monitor_slow_record import Builds
from tests.test_one_poller import declared, monitor
from tests.waiting import poll_until

WAIT_S = 60
"""Far past the turn's lapse (5 s) between two of the stand-by's lines, on a loaded machine."""
STILL = re.compile(r"^T\+\d\d:\d\d  standing by: (.+) polled at (T\+\d\d:\d\d)$")


def test_a_stand_by_monitor_says_it_stands_by_and_again_every_minute(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "standby.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with monitor(cli, incident_id, "Ada") as (ada, ada_says):
            poll_until(lambda: bool(ada_says.lines), "Ada's first batch recorded", WAIT_S)
            with monitor(cli, incident_id, "Bo") as (bo, bo_says):
                poll_until(lambda: bool(bo_says.lines), "Bo's monitor to say something", WAIT_S)
                ada_name = f"Ada's monitor (pid {ada.pid} on {socket.gethostname()})"
                assert bo_says.lines[0].endswith(
                    f"  probes: standing by while {ada_name} polls; taking over if it stops"
                ), bo_says.lines
                poll_until(lambda: bo_says.has("standing by: "), "Bo still standing by", WAIT_S)
                bo.send_signal(signal.SIGINT)
                assert bo.wait(WAIT_S) == 0
            ada.send_signal(signal.SIGINT)
            assert ada.wait(WAIT_S) == 0
    still = STILL.match(bo_says.lines[1])
    assert still is not None, bo_says.lines
    assert still.group(1) == ada_name
    ada_ticks = {line.split("  ", 1)[0] for line in ada_says.joined().splitlines()}
    assert still.group(2) in ada_ticks, (still.group(2), ada_ticks)  # one of Ada's ticks
    assert "build-" not in bo_says.joined()  # it polled nothing, and showed no readings


def test_the_stand_by_line_comes_round_every_turns_lapse(tmp_path: Path) -> None:
    """The period is the turn's lapse (5 s with this runbook): said again once it has
    passed since the last time, not before, and naming the other's latest tick."""
    db = tmp_path / "period.db"
    cli = InProcessCli(db, actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
    with SqliteEventLog.open(db) as log:
        ada, bo = ProbeTurn("Ada's monitor"), ProbeTurn("Bo's monitor", shows_readings=False)
        clock = ManualClock(SystemClock().now().replace(microsecond=0))  # as stored
        ada_session = IncidentSession(log, incident_id, clock)
        bo_session = IncidentSession(log, incident_id, clock)
        assert ada.record(
            ada_session, [Sample("build", clock.now(), Outcome.OK, 3.0, 200, text="2.4.0")]
        ).events
        bo_session.refresh()
        assert bo.news(bo_session.state, clock.now()) == (
            "probes: standing by while Ada's monitor polls; taking over if it stops"
        )
        every = turn_lapse_s(bo_session.state.runbook)
        assert every == 5.0
        for _ in range(2):
            clock.advance(every - 1)
            assert ada.record(
                ada_session, [Sample("build", clock.now(), Outcome.OK, 3.0, 200, text="2.4.0")]
            ).events  # Ada polls on
            bo_session.refresh()
            assert bo.still_standing_by(bo_session.state, clock.now()) is None
            assert bo.next_said_in_s(bo_session.state, clock.now()) == 1.0
            clock.advance(1)
            line = bo.still_standing_by(bo_session.state, clock.now())
            assert line is not None and line.startswith("standing by: Ada's monitor polled at T+")
            assert bo.next_said_in_s(bo_session.state, clock.now()) == every


def test_the_period_is_the_lapse_and_at_most_a_minute(tmp_path: Path) -> None:
    bundled = load_runbook(resolve_runbook("rollback"))
    assert standing_by_every_s(bundled) == turn_lapse_s(bundled) == 35.0
    slow = "{name: build, kind: version, url: 'http://192.0.2.1/', interval_s: 300}"
    slow_runbook = load_runbook(probe_runbook(tmp_path / "slow.yaml", slow))
    assert turn_lapse_s(slow_runbook) > STANDING_BY_AT_MOST_S
    assert standing_by_every_s(slow_runbook) == STANDING_BY_AT_MOST_S
