"""A service verified goes back to failing while the coordinator's screen is open
(ux_review15 #2): the Production panel turned red, and the strip kept Verification
DONE and no update owed, with no word of it. The screen now says it as news (a
toast, "Service not restored"), owes stakeholders an update again, and `X` asks for
force and a reason, saying why, as `lastgood close` refuses.

The real app (Pilot) on a real SQLite file: the demo's mid-phase-2 moment verified,
then another writer records every probe refused three times (`health-failing` met).
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.core.phase_clocks import next_update_due
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.unstable_after_verification import down, verified
from tui.app.app import LastGoodApp
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen

TITLE = "Service not restored"


async def test_the_screen_says_verification_no_longer_holds(tmp_path: Path) -> None:
    db = tmp_path / "verified.db"
    scenario = verified(db)
    incident_id, clock = scenario.incident_id, scenario.clock
    scenario.advance(30)
    scenario.run(
        lambda s: commands.send_communication(s, actor="ada", clock=clock, template="resolved")
    )
    try:
        with SqliteEventLog.open(db) as log:
            app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
            async with app.run_test(size=(80, 24), notifications=True) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                assert isinstance(screen, IncidentScreen)
                assert screen.state.steps["check-health"].done
                assert next_update_due(screen.state) is None  # resolved: none owed

                down(scenario)  # another writer: the probes refused three times

                def said() -> list[str]:
                    return [str(n.message) for n in app._notifications if n.title == TITLE]

                await wait_until(pilot, lambda: bool(said()))
                assert said()[0].startswith(
                    "verification no longer holds: rollback trigger health-failing met since "
                ), said()
                assert "(after verification at T+" in said()[0]
                assert len(said()) == 1  # said once, not on every tick
                due = next_update_due(screen.state)
                assert due is not None and due <= clock.now()  # an update owed again

                await pilot.press("X")
                await wait_until(pilot, lambda: isinstance(app.screen, VerbForm))
                form = app.screen
                assert isinstance(form, VerbForm)
                assert form.context.startswith(
                    "Not stable: rollback trigger health-failing met since T+"
                ), form.context
    finally:
        scenario.log.close()
