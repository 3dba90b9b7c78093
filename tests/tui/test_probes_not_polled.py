"""A probe this session will not poll says so, instead of "waiting for first poll" for
ever: under `start --no-probes`, or while it points at the bundled runbook's loopback
default (a review of the TUI in constrained terminals). The words are every face's
(`incident.health.no_reading`)."""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.conftest import T0
from tests.probe_runbooks import pointed_rollback
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.replay_app import ReplayApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.replay import ReplayScreen
from tui.app.widgets.health import HealthPanel

NOT_POLLED_OFF = "not polled (probes off)"


def fresh_incident(db: Path, clock: ManualClock) -> tuple[SqliteEventLog, str]:
    """An incident just declared on the bundled runbook, its probes pointed away from
    their bundled defaults (which every face names as such): no probe has a reading."""
    runbook = load_runbook(pointed_rollback(db.with_suffix(".yaml")))
    details = Declaration(title="t", severity="SEV2", commander="Ada")
    log = SqliteEventLog.open(db)
    declared = commands.declare(runbook, details, actor="Ada", clock=clock)
    return log, IncidentSession.declare(log, declared, clock).state.id


def rows(panel: HealthPanel) -> list[str]:
    return [panel.row_text(n, 80).plain for n in range(len(panel.probes))]


async def test_no_probes_says_each_probe_is_not_polled(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    log, incident_id = fresh_incident(tmp_path / "fresh.db", clock)
    app = LastGoodApp(
        log,
        None,
        clock=clock,
        actor="Ada",
        incident_id=incident_id,
        network=True,  # the network is up (deliveries): polling alone is off
        poll_probes=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        panel = app.screen.query_one(HealthPanel)
        await wait_until(pilot, lambda: all(NOT_POLLED_OFF in row for row in rows(panel)))
        assert not any("waiting for first poll" in row for row in rows(panel)), rows(panel)
        # In the TUI's words, not the command line's: the demo and the drill turn
        # polling off for the coordinator, who typed no `--no-probes`.
        assert all("not polled (probes off)" in row for row in rows(panel)), rows(panel)
    log.close()


async def test_replay_says_not_polled_yet_rather_than_waiting_for_a_poll(
    tmp_path: Path,
) -> None:
    """attach and replay poll nothing themselves (a review of the docs against the wheel):
    they say what `status` says."""
    log, incident_id = fresh_incident(tmp_path / "fresh.db", ManualClock(T0))
    app = ReplayApp(log.events(incident_id), playing=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        panel = app.screen.query_one(HealthPanel)
        assert all(row.endswith("not polled yet") for row in (r.rstrip() for r in rows(panel)))
    log.close()


async def test_attach_on_a_closed_incident_does_not_promise_a_reading(tmp_path: Path) -> None:
    """attach on a closed incident whose probes never ran said "no reading recorded
    yet", promising readings that cannot come (a second review of the wheel); it says
    "never polled", as `status` and the report do."""
    clock = ManualClock(T0)
    log, incident_id = fresh_incident(tmp_path / "closed.db", clock)
    IncidentSession(log, incident_id, clock).run(
        lambda s: commands.close(s, actor="Ada", clock=clock, force=True, reason="drill")
    )
    log.close()
    with SqliteEventLog.open(tmp_path / "closed.db", read_only=True) as reading:
        app = FollowApp(reading, incident_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            panel = app.screen.query_one(HealthPanel)
            shown = [r.rstrip() for r in rows(panel)]
            assert shown and all(row.endswith("never polled") for row in shown), shown
