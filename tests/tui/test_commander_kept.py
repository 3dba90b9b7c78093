"""After a hand-off the header names the new commander at 100 columns and at a phone's
46: `IC Cass` is kept before `✉ all delivered` and the id (attach names the id in its
own bar). At 100 columns the engineer's header read `... · as Eve Engineer ·
INC-20261207-00B9 · ✉ all delivered`, no commander, and attach at 46 columns no
commander either (ux_review13 #13)."""

from __future__ import annotations

from pathlib import Path

from incident.app.people import hand_off
from incident.core.records import DeliveryRecord
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.incident_bar import fitted
from tui.demo.scenarios import SCENARIO_ID, Scenario

TITLE = "Checkout errors after shop 2.4.1"


def handed_off(tmp_path: Path) -> Scenario:
    scenario = scenario_copy("mid-phase-2", tmp_path / "live.db")
    hand_off(scenario.session, "Eve Engineer", "Cass Commander", reason="paged as IC")
    return scenario


async def test_the_coordinators_header_at_100_columns_names_the_commander(tmp_path: Path) -> None:
    app = scenario_app(handed_off(tmp_path), actor="Eve Engineer")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "IC Cass Commander" in screen_lines(app)[0])
        header = screen_lines(app)[0]
        assert "as Eve Engineer" in header, header


async def test_attach_at_46_columns_names_the_commander(tmp_path: Path) -> None:
    scenario = handed_off(tmp_path)
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "live.db", read_only=True) as log:
        app = FollowApp(log, SCENARIO_ID, clock=scenario.clock)
        async with app.run_test(size=(46, 22)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            await wait_until(pilot, lambda: "IC Cass" in screen_lines(app)[1])
            assert SCENARIO_ID in screen_lines(app)[0]  # FOLLOWING INC-…


def test_all_delivered_and_the_id_give_way_before_the_commander(tmp_path: Path) -> None:
    scenario = handed_off(tmp_path)
    state = fold(scenario.log.events(scenario.incident_id))
    state.title = TITLE
    state.deliveries = {"k1": DeliveryRecord("k1", "slack", "delivered")}
    now = scenario.clock.now()
    wide = fitted(state, now, 140, recording_as="Eve Engineer").plain
    for part in ("IC Cass Commander", "as Eve Engineer", state.id, "✉ all delivered"):
        assert part in wide, wide
    at_100 = fitted(state, now, 98, recording_as="Eve Engineer").plain
    assert "IC Cass Commander" in at_100 and "as Eve Engineer" in at_100, at_100
    assert "all delivered" not in at_100, at_100
    at_46 = fitted(state, now, 44, recording_as="Eve Engineer").plain
    assert "IC Cass" in at_46 and state.id not in at_46, at_46
