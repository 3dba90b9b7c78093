"""A hand-off of command reaches both commanders' screens, and reads by who made it.

Three people on one SQLite file (ux_review6 finding 1): Cy ran `lastgood handoff ID
Cy` while Ada drove. Ada's screen changed only its `IC …`; its timeline read
"Incident command handed from Ada to Cy", as if Ada had given it away; and Ada's `d`
came up with By already `Cy`, so her decision was recorded as Cy's approval ("Cy,
recorded by Ada" in the brief, plain "approved by Cy" in the report). With Ada
handing off to Bo through `h`, Bo's screen showed no toast either.

Here the real app on a real file, and the CLI (in this process, under its own name)
or a second app on the same file for the other person.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App
from textual.widgets import Input

from incident import commands
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.modals import DecisionModal
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import bundled_runbook

TAKEN = re.compile(r"Cy took command from Ada at T\+03:\d\d: Cy takes command from the bastion")


def declared(db: Path) -> tuple[str, ManualClock]:
    """Ada's incident, declared three minutes ago with Ada in command."""
    clock = ManualClock(datetime.now(UTC) - timedelta(minutes=3))
    details = commands.Declaration(
        title="Search timeouts", severity="SEV3", commander="Ada", issue="p99 at 8s"
    )
    event = commands.declare(bundled_runbook(), details, actor="Ada", clock=clock)
    with SqliteEventLog.open(db) as log:
        log.append([event])
    clock.set(datetime.now(UTC))
    return event.incident_id, clock


def toasts(app: App[object], title: str) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == title]


async def test_cy_taking_command_is_told_on_adas_screen_and_her_decision_stays_hers(
    tmp_path: Path,
) -> None:
    """Never Cy's name behind her back: By names Cy and says it records Cy's word.
    Cleared, it is Ada's own decision, and she no longer holds the role the gate names,
    so it is refused in the dialog with the way on (ux_review7 F7), the reason kept;
    Cy's word, named in By, is recorded as Cy's, "recorded by Ada"."""
    db = tmp_path / "shared.db"
    incident_id, clock = declared(db)
    cy = InProcessCli(db, actor="Cy")
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="Ada", incident_id=incident_id)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)

            cy.ok("handoff", incident_id, "Cy", "--reason", "Cy takes command from the bastion")
            await wait_until(pilot, lambda: screen.state.commander == "Cy", timeout=30)
            await wait_until(pilot, lambda: bool(toasts(app, "Incident command")))
            [told] = toasts(app, "Incident command")
            assert TAKEN.fullmatch(told), told

            # Ada, still driving, decides. By names Cy, and says plainly that it records
            # Cy's word; cleared, it is her own decision, which is refused.
            await pilot.press("d")
            await wait_for_screen(pilot, DecisionModal)
            dialog = app.screen
            assert isinstance(dialog, DecisionModal)
            by = dialog.query_one("#by", Input)
            assert by.value == "Cy"
            labels = [str(x.render()).strip() for x in dialog.query("FieldLabel")]
            assert "By (the incident commander is Cy: this records their word)" in labels
            assert by.placeholder == "Ada"  # cleared: hers
            by.value = ""
            reason = "p99 at 8s, search unusable"
            dialog.query_one("#reason", Input).value = reason
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: bool(dialog.error_message))
            assert dialog.error_message == (
                "the rollback decision (decide-rollback) needs incident-commander approval, "
                "and Cy holds the incident-commander role, not Ada: hand command to Ada first "
                "(key h), or record Cy's word"
            )
            assert app.screen is dialog and dialog.focused is by
            assert dialog.query_one("#reason", Input).value == reason
            assert "decide-rollback" not in screen.state.approvals

            by.value = "Cy"  # the way on: Cy's word, recorded by Ada
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: "decide-rollback" in screen.state.approvals)
    approval = screen.state.approvals["decide-rollback"]
    assert (approval.by, approval.recorded_by, approval.by_role) == ("Cy", "Ada", True)

    timeline = cy.ok("timeline", incident_id)
    assert "Cy took command from Ada: Cy takes command from the bastion" in timeline, timeline
    assert "handed from Ada to Cy" not in timeline


async def test_ada_handing_off_with_h_is_told_on_bos_screen(tmp_path: Path) -> None:
    """Bo watches (`attach`) while Ada hands command to him from her screen: his screen
    says so; Ada's says it once, as the verb's own toast."""
    db = tmp_path / "shared.db"
    incident_id, clock = declared(db)
    with (
        SqliteEventLog.open(db, read_only=True) as watching,
        SqliteEventLog.open(db) as driving,
    ):
        bo = FollowApp(watching, incident_id)
        ada = LastGoodApp(driving, None, clock=clock, actor="Ada", incident_id=incident_id)
        async with (
            bo.run_test(size=(80, 24), notifications=True) as bo_pilot,
            ada.run_test(size=(100, 30), notifications=True) as ada_pilot,
        ):
            await wait_for_screen(bo_pilot, FollowScreen)
            await wait_for_screen(ada_pilot, IncidentScreen)
            screen = ada.screen
            await ada_pilot.press("h")
            await fill_form(ada_pilot, to="Bo", reason="Ada off shift at 12:00")
            await wait_until(ada_pilot, lambda: screen.state.commander == "Bo")
            await wait_until(bo_pilot, lambda: bool(toasts(bo, "Incident command")), timeout=30)
            [told] = toasts(bo, "Incident command")
            assert re.fullmatch(
                r"Ada handed command to Bo at T\+03:\d\d: Ada off shift at 12:00", told
            )
            assert toasts(ada, "Incident command") == []  # her own: the verb's toast
            assert any("Ada handed command to Bo" in str(n.message) for n in ada._notifications)
