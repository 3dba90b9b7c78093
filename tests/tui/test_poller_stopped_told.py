"""The screen that polled production stops: the follow view and the coordinator's other
screens say so once, in a toast, and again when polling resumes.

ux_review13 #9: Eve's screen, the one polling production, was killed (a dropped SSH
session) mid-rollback. `status` said "production: not polled since T+08:11; Eve
Engineer's screen (pid 13959 on vm) stopped"; attach said `not p…` at the foot of its
Production panel at 46 columns, and nothing else: production unwatched, the person
typing gone, and no news of it.

Here a real process plays Eve's screen (its ticks name its pid on this machine, as
`poller_name` does), killed and reaped as the review's was; the follow view and a
coordinator's screen that does not poll (`--no-probes`) are open on one real SQLite
file with a manual clock, so only the process's end, by the application's rule
(`incident.app.pollers.poller_gone`), stops the turn.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, declare
from incident.app.pollers import poller_gone
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.health.poll_mark import Polling, PollMark
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.probe_runbooks import probe_runbook
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.poller_news import POLLING_AGAIN_TITLE, UNWATCHED_TITLE, PollerNews

START = datetime(2026, 12, 7, 19, 50, tzinfo=UTC)
PROBE = "{name: health, kind: http, url: 'http://192.0.2.1/', interval_s: 5, timeout_s: 2}"
CY = "Cy's monitor (pid 7 on db-2)"
"""A `monitor` on another machine, as its ticks name it."""


@contextmanager
def eves_screen() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A process of this machine, and the name its ticks give it."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        yield process, f"Eve Engineer's screen (pid {process.pid} on {socket.gethostname()})"
    finally:
        process.kill()
        process.wait()


def tick(log: SqliteEventLog, incident_id: str, clock: ManualClock, poller: str) -> None:
    """One tick of the probe, recorded as `poller`'s, in its turn."""
    session = IncidentSession(log, incident_id, clock)
    samples = [Sample("health", clock.now(), Outcome.OK, 12.0, 200)]
    assert record_samples(session, samples, poller=poller, gone=poller_gone).events


def toasts(app: App[object], title: str) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == title]


async def told(pilot: Pilot[object], title: str) -> str:
    await wait_until(pilot, lambda: bool(toasts(pilot.app, title)))
    [said] = toasts(pilot.app, title)
    return said


async def test_the_pollers_end_and_the_next_poller_are_told_once(tmp_path: Path) -> None:
    db = tmp_path / "inc.db"
    clock = ManualClock(START)
    runbook = load_runbook(probe_runbook(tmp_path / "probes.yaml", PROBE))
    with (
        eves_screen() as (eve, eves_name),
        SqliteEventLog.open(db) as log,
        SqliteEventLog.open(db, read_only=True) as watching,
    ):
        incident_id = declare(
            log, runbook, Declaration("Checkout errors", "SEV2", "Cass"), actor="Eve", clock=clock
        ).state.id
        clock.advance(491)
        tick(log, incident_id, clock, eves_name)  # T+08:11
        clock.advance(3)
        bo = FollowApp(watching, incident_id, clock=clock)
        cass = LastGoodApp(
            log, None, clock=clock, actor="Cass", incident_id=incident_id, network=False
        )
        async with (
            bo.run_test(size=(80, 24), notifications=True) as bo_pilot,
            cass.run_test(size=(100, 30), notifications=True) as cass_pilot,
        ):
            await wait_for_screen(bo_pilot, FollowScreen)
            await wait_for_screen(cass_pilot, IncidentScreen)
            pilots = (bo_pilot, cass_pilot)
            for pilot in pilots:  # polled, and nothing said of it
                assert toasts(pilot.app, UNWATCHED_TITLE) == []

            eve.kill()  # a dropped SSH session
            eve.wait()
            stopped = f"Not polled since T+08:11; {eves_name} stopped"
            for pilot in pilots:
                assert await told(pilot, UNWATCHED_TITLE) == stopped
            tick(log, incident_id, clock, CY)  # Cy's monitor takes the turn
            for pilot in pilots:
                assert await told(pilot, POLLING_AGAIN_TITLE) == f"Polling again, from {CY}"
                assert toasts(pilot.app, UNWATCHED_TITLE) == []  # no longer so


def test_said_once_each_way_and_not_for_an_unreachable_record(tmp_path: Path) -> None:
    """The news follows the mark's changes, not the mark: a second look at a stopped
    poller says nothing; a record that does not answer is no poller's end (the read's
    own toast says it); the poller seen stopped when the screen opened is no news."""
    state = declared_state(tmp_path)
    at = state.declared_at
    eve = "Eve's screen (pid 4 on vm)"
    polled = PollMark(Polling.ELSEWHERE, eve, at)
    lapsed = PollMark(Polling.LAPSED, eve, at)
    news = PollerNews()
    assert news.toast(polled, state) is None
    stopped = news.toast(lapsed, state)
    assert stopped is not None and stopped[1] == UNWATCHED_TITLE
    assert news.toast(lapsed, state) is None
    assert news.toast(PollMark(Polling.LAPSED, eve, at, away=True), state) is None
    again = news.toast(PollMark(Polling.ELSEWHERE, CY, at), state)
    assert again is not None and again[:2] == (f"Polling again, from {CY}", POLLING_AGAIN_TITLE)
    assert news.toast(PollMark(Polling.ELSEWHERE, CY, at), state) is None

    opened_stopped = PollerNews()
    assert opened_stopped.toast(lapsed, state) is None
    assert opened_stopped.toast(polled, state) is None  # its stop was never said
    assert opened_stopped.toast(None, state) is None  # closed: nothing to poll


def declared_state(tmp_path: Path) -> IncidentState:
    runbook = load_runbook(probe_runbook(tmp_path / "probes.yaml", PROBE))
    with SqliteEventLog.open(tmp_path / "unit.db") as log:
        session = declare(
            log, runbook, Declaration("t", "SEV2", "Cass"), actor="Eve", clock=ManualClock(START)
        )
        return session.state
