"""The resolution while a rollback trigger is met after verification (ux_review11 #1),
on the coordinator's screen: the guidance points at the trigger, not at `m`; the `m`
dialog says which trigger is met and which probes fail before ctrl+s; the send is
recorded with a warning toast; and the close asks for force and a reason, saying why
(ux_review15 #2: it was a yes/no question with the warning above it).

The real app (Pilot) on a real SQLite file: the demo's mid-phase-2 moment, verified,
then every probe refused three times (`health-failing` met after verification).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from incident import commands
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.unstable_after_verification import verified_then_down
from tui.app.app import LastGoodApp
from tui.app.modals.due_message import DueMessageModal
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance

MET = "health-failing met since T+21:51, after verification"
FAILING = "failing: health REFUSED, version REFUSED, error-rate REFUSED"


def label_texts(screen: object) -> list[str]:
    return [str(label.render()) for label in screen.query(Label)]  # type: ignore[attr-defined]


async def test_guidance_dialog_toast_and_close_say_the_trigger(tmp_path: Path) -> None:
    db = tmp_path / "down.db"
    scenario = verified_then_down(db)
    incident_id, clock = scenario.incident_id, scenario.clock
    scenario.log.close()
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)

            await guide(pilot, screen, "communicate-resolution")
            said = " ".join(screen.query_one(Guidance)._text.plain.split())
            assert f"▸ Press n: rollback trigger {MET}; {FAILING}: re-assess" in said, said
            assert "Press m" not in said

            await pilot.press("m")  # the footer still offers it: said, not refused
            await wait_until(pilot, lambda: isinstance(app.screen, DueMessageModal))
            warning = [t for t in label_texts(app.screen) if t.startswith("⚠")]
            assert warning == [
                f"⚠ sent while rollback trigger {MET}; {FAILING}: it tells stakeholders "
                "the service is restored"
            ], label_texts(app.screen)

            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: screen.state.steps["communicate-resolution"].done)
            toasts = [n for n in app._notifications if n.title == "Recorded, but"]
            assert toasts and toasts[-1].severity == "warning"
            assert f"warning: sent while rollback trigger {MET}" in str(toasts[-1].message)

            for step in ("document-incident", "preliminary-rca", "schedule-post-mortem"):
                screen.desk.recorder.submit(
                    lambda s, step=step: s.run(
                        lambda st: commands.check_step(
                            st, step, actor="ada", clock=clock, override="done elsewhere"
                        )
                    ),
                    lambda outcome: None,
                )
            await wait_until(pilot, lambda: not screen.state.open_required_steps())
            await pilot.press("X")  # not a yes: force and a reason (ux_review15 #2)
            await wait_until(pilot, lambda: isinstance(app.screen, VerbForm))
            assert app.screen.context == (
                f"Not stable: rollback trigger {MET}. The guide closes out once it is."
            )
