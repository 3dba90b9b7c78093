"""Who approves a database tier when its role is vacant: no one yet, and the dialog says so.

The approval dialog's Approver field came up empty when the role had no holder, and
Enter refused ("Approver is required"), where `lastgood approve` without --by
records the person running it (a parity review); the field has since shown that
person. For the last-resort tier that let whoever chose it also approve it, with
the leadership role vacant, and the report called that "(leadership)" approval (a
review). The tier's approval is now its role holder's only, and never its
chooser's (`incident.core.gates`): the dialog says the role is vacant, a refusal
stays in it with what was typed, and assigning the role is the way on.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from incident.app import database_tiers
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.due_harness import highlight
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ApprovalModal
from tui.app.modals.base import ERROR_ID
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0


def dialog_text(app: LastGoodApp) -> list[str]:
    return [str(label.render()) for label in app.screen.query(Label) if label.display]


async def test_the_chooser_of_the_last_resort_cannot_approve_it(tmp_path: Path) -> None:
    db = tmp_path / "approve.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=True)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        database_tiers.choose_tier(session, "ada", "restore-backup", reason="a column was dropped")
        assert not session.state.roles.get("leadership")
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)

            def guidance() -> str:
                return str(screen.query_one(Guidance)._text)

            await pilot.press("right")  # the database step is the second phase's
            await wait_until(pilot, lambda: screen.view.phase_id == "execute")
            highlight(screen, "database-rollback")
            await wait_until(pilot, lambda: "▸ Press r: assign the leadership role" in guidance())
            await pilot.press("a")
            await wait_for_screen(pilot, ApprovalModal)
            assert "Needs approval by: leadership (no one holds it: assign it first, key r)" in (
                dialog_text(app)
            )
            assert app.screen.query_one("#approver", Input).value == "ada"  # as the CLI has it
            app.screen.query_one("#reason", Input).value = "accept the loss"
            await pilot.press("ctrl+s")
            error = app.screen.query_one(f"#{ERROR_ID}", Label)
            await wait_until(pilot, lambda: bool(error.display))
            assert str(error.render()) == (
                "ada chose the database tier 'restore-backup' and cannot also approve it: it "
                "needs the approval of someone else in the leadership role; assign the "
                "leadership role to that person first, then record their approval"
            )
            assert isinstance(app.screen, ApprovalModal)  # still open, the reason kept
            assert app.screen.query_one("#reason", Input).value == "accept the loss"
            assert "tier:restore-backup" not in screen.state.approvals

            # The way on: give leadership to the person who approves, then approve.
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("r")
            await fill_form(pilot, role="leadership", person="Grace")
            await wait_until(pilot, lambda: screen.state.roles.get("leadership") == "Grace")
            await wait_until(pilot, lambda: "▸ Press a: record leadership's" in guidance())
            await pilot.press("a")
            await wait_for_screen(pilot, ApprovalModal)
            assert "Needs approval by: leadership" in dialog_text(app)
            assert app.screen.query_one("#approver", Input).value == "Grace"
            app.screen.query_one("#reason", Input).value = "accept the loss"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "tier:restore-backup" in screen.state.approvals)
            approval = screen.state.approvals["tier:restore-backup"]
            assert (approval.by, approval.recorded_by, approval.by_role) == ("Grace", "ada", True)


async def test_a_gate_whose_role_is_vacant_says_so_and_refuses_in_the_dialog(
    tmp_path: Path,
) -> None:
    """A step's gate follows the tiers' rule (ux_review7 F7): its role's holder only. A
    runbook whose decision gate names `ops`, held by no one: the dialog says so first,
    and the approval is refused in it, the reason kept, the way on named by its key."""
    from runbooks import load_runbook, resolve_runbook

    text = resolve_runbook("rollback").read_text(encoding="utf-8")
    assert "approver: incident-commander" in text
    path = tmp_path / "ops-gate.yaml"
    path.write_text(text.replace("approver: incident-commander", "approver: ops"), "utf-8")
    db = tmp_path / "gate.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=False, runbook=load_runbook(path))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            highlight(screen, "decide-rollback")
            await pilot.press("a")
            await wait_for_screen(pilot, ApprovalModal)
            assert "Needs approval by: ops (no one holds it: assign it first, key r)" in (
                dialog_text(app)
            )
            app.screen.query_one("#reason", Input).value = "error rate 12%"
            await pilot.press("ctrl+s")
            error = app.screen.query_one(f"#{ERROR_ID}", Label)
            await wait_until(pilot, lambda: bool(error.display))
            assert str(error.render()) == (
                "the rollback decision (decide-rollback) needs ops approval and no one holds "
                "the ops role: give it to the approver first (key r), then record their "
                "approval"
            )
            assert isinstance(app.screen, ApprovalModal)
            assert app.screen.query_one("#reason", Input).value == "error rate 12%"
            assert "decide-rollback" not in screen.state.approvals
