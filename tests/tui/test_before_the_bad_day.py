"""What `lastgood init` and `lastgood changes` leave for the coordinator's screen.

Probes still at the bundled runbook's 127.0.0.1 defaults are not polled (they could
only show REFUSED) and the screen says how to point them; what the rollback undoes,
once recorded, is in the database tier dialog, with the tier it suggests highlighted.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from incident.app.changes import record_changes
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.reports.changes import Migration, ReleaseChanges
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import coordinator, declared, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DatabaseTierModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0


async def test_unpointed_probes_are_not_polled_and_the_screen_says_how_to_point_them(
    tmp_path: Path,
) -> None:
    async with coordinator(tmp_path / "probes.db", size=(120, 40)) as (app, pilot, screen):

        def told() -> bool:
            return any(
                "lastgood init` writes a runbook for your service" in n.message
                for n in app._notifications
            )

        await wait_until(pilot, told)
        assert screen.probes.polling is None  # all three probes are the bundled defaults
        assert screen.state.sample_count == 0


async def test_the_tier_dialog_shows_what_the_rollback_undoes_and_its_suggestion(
    tmp_path: Path,
) -> None:
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "tier.db"
    incident_id = declared(db, clock, decided=True)
    dropped = Migration("alembic/versions/2b_drop.py", "alembic", False, ("op.drop_column(x)",))
    with SqliteEventLog.open(db) as log:
        changes = ReleaseChanges("v2.4.1", "v2.4.0", (), (), (dropped,))
        record_changes(IncidentSession(log, incident_id, clock), "dba", changes)
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, None, clock=clock, actor="ada", incident_id=incident_id, network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("right")
            await guide(pilot, screen, "database-rollback")
            await pilot.press("b")
            await wait_for_screen(pilot, DatabaseTierModal)
            dialog = app.screen
            shown = str(dialog.query_one("#evidence", Static).render())
            assert shown.startswith("What the rollback undoes: v2.4.1 → v2.4.0 undoes 0 commits")
            assert "suggested tier restore-backup" in shown
            tiers = dialog.query_one("#tiers", OptionList)
            highlighted = tiers.highlighted
            assert highlighted is not None
            assert tiers.get_option_at_index(highlighted).id == "restore-backup"
