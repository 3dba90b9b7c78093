"""While the record does not answer, the Production panel says so, not that polling
stopped (ux_review4 finding 13).

With PostgreSQL down for 50 s the panel read `not polled since T+02:11; polling here
stopped`, though the screen's child `monitor` polled on throughout and only its
samples could not be recorded: words that would send the coordinator to restart a
poller that runs. The screen reads no tick while its record is away, so the mark
says what it knows: not recorded since, the record is unreachable. A real cluster,
over TCP as from another machine, is stopped under the screen and started again.
"""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from pathlib import Path

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, declare
from incident.app.probe_turn import poller_name
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.health.turns import turn_lapse_s
from runbooks.loading import load_runbook
from store.postgres_log import PostgresEventLog
from tests.postgres_server import Cluster
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_poll_mark_panel import START, Screen, runbook_file, screen_on
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.health import HealthPanel

LOST = "Database unreachable, retrying"
BACK = "Reconnected to"


def toasts(app: LastGoodApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Connection"]


async def test_the_mark_says_the_record_is_unreachable_not_that_polling_stopped(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    url = pg_cluster.tcp_url(database=pg_url.split("@/", 1)[1].split("?", 1)[0])
    clock = ManualClock(START)
    with PostgresEventLog.open(url) as log:
        runbook = load_runbook(runbook_file(tmp_path, 3))
        session = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
        clock.advance(30)
        samples = [Sample(p.name, clock.now(), Outcome.OK, 12.0, 200) for p in runbook.probes]
        # The last tick is this screen's, as its child's ticks name it.
        assert record_samples(session, samples, poller=poller_name("Ada", "screen")).events
        lapsed = clock.now() + timedelta(seconds=turn_lapse_s(runbook) + 1)
        app = LastGoodApp(
            log, None, clock=clock, actor="Ada", incident_id=session.state.id, network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = Screen(app, pilot, app.screen.query_one(HealthPanel))
            await asyncio.to_thread(pg_cluster.stop)
            try:
                await wait_until(pilot, lambda: any(LOST in t for t in toasts(app)))
                clock.set(lapsed)  # its ticks no longer come, past the turn's lapse
                await screen.marked("not recorded since T+00:30; the record is unreachable")
            finally:
                await asyncio.to_thread(pg_cluster.start)
            await wait_until(pilot, lambda: any(BACK in t for t in toasts(app)))
            # The record answers, and no tick has come: nothing polls here (the test's
            # screen has no network), which the panel may say now.
            await screen.marked("not polled since T+00:30; polling here stopped")


async def test_on_a_file_that_went_away_the_mark_says_so_too(tmp_path: Path) -> None:
    """A SQLite record moved from under the screen: its tick's read is refused, and the
    mark says why no tick comes (the screen's poller, in this process, went on)."""
    async with screen_on(tmp_path, size=(120, 40), poller=poller_name("Bo", "screen")) as (
        polled,
        screen,
        at,
    ):
        os.rename(tmp_path / "polled.db", tmp_path / "archived.db")
        polled.clock.set(at + timedelta(seconds=turn_lapse_s(screen.app.screen.state.runbook) + 1))
        await screen.marked("not recorded since T+00:30; the record is unreachable")
