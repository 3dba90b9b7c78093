"""The real app, driven by keys through a whole rollback; the proof is in the store.

Declare from the form, make the phase 1 decision, send the messages, choose the
restore-from-backup tier and get it approved, verify, close: then reopen the
database file and check what was recorded, not just what was on screen.
"""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, OptionList, Select, TextArea

from incident.core.clock import ManualClock
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import (
    ApprovalModal,
    ComposerModal,
    ConfirmModal,
    DatabaseTierModal,
    DecisionModal,
    DeclareModal,
    HelpModal,
    TextPrompt,
)
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

INCIDENT = "INC-20261128-PILOT"


def make_app(db, clock: ManualClock) -> LastGoodApp:
    return LastGoodApp(
        SqliteEventLog.open(db),
        bundled_runbook(),
        clock=clock,
        actor="ada",
        new_incident_id=INCIDENT,
        network=False,
    )


def highlighted(app: LastGoodApp) -> str | None:
    return app.screen.query_one(Checklist).highlighted_step


async def check_highlighted(pilot, expected: str, clock: ManualClock) -> None:
    app = pilot.app
    assert highlighted(app) == expected
    clock.advance(30)
    await pilot.press("space")
    await wait_until(pilot, lambda: app.screen.state.steps[expected].done)


async def type_what_was_seen(pilot, step: str, seen: str, clock: ManualClock) -> None:
    """Space on a verification step its probe shows nothing of: the prompt asks what
    was seen, and records it as the step's evidence."""
    app = pilot.app
    assert highlighted(app) == step
    clock.advance(30)
    await pilot.press("space")
    await wait_for_screen(pilot, TextPrompt)
    app.screen.query_one("#answer", Input).value = seen
    await pilot.press("enter")
    await wait_for_screen(pilot, IncidentScreen)
    await wait_until(pilot, lambda: app.screen.state.steps[step].done)
    assert app.screen.state.steps[step].evidence == seen


async def send_from_composer(pilot, step: str, clock: ManualClock) -> None:
    app = pilot.app
    assert highlighted(app) == step
    clock.advance(30)
    await pilot.press("space")
    await wait_for_screen(pilot, ComposerModal)
    assert app.screen.query_one("#text", TextArea).text.strip()
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, IncidentScreen)
    await wait_until(pilot, lambda: app.screen.state.steps[step].done)


async def test_whole_rollback_from_the_keyboard(tmp_path):
    db = tmp_path / "pilot.db"
    clock = ManualClock(SCENARIO_T0)
    app = make_app(db, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        # Declare from the form.
        await wait_for_screen(pilot, DeclareModal)
        form = app.screen
        form.query_one("#title", Input).value = "Checkout errors after 2.4.1"
        form.query_one("#commander", Input).value = "Ada"
        form.query_one("#severity", Select).value = "SEV2"
        form.query_one("#issue", Input).value = "checkout 500s"
        form.query_one("#eta", Input).value = "30"
        form.query_one("#from_version", Input).value = "2.4.1"
        form.query_one("#last_good_version", Input).value = "2.4.0"
        form.query_one("#pattern").value = "blue-green"
        form.query_one("#channel", Input).value = "#inc-checkout"  # create-channel's evidence
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert screen.state.title == "Checkout errors after 2.4.1"

        # Phase 1: decision and communication. The declaration named the channel and the
        # commander: their steps are done by it, no key spent on them (review7 F17).
        steps = screen.state.steps
        assert steps["create-channel"].done and steps["assign-commander"].done
        assert steps["assign-commander"].note == "done by the declaration: commander Ada"
        await check_highlighted(pilot, "assess-severity", clock)
        assert highlighted(app) == "decide-rollback"
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        app.screen.query_one("#triggers", OptionList).focus()
        options = app.screen.query_one("#triggers", OptionList)
        options.highlighted = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == "core-broken"
        )
        await pilot.press("space")
        await wait_until(pilot, lambda: "core-broken" in screen.state.triggers)
        reason = app.screen.query_one("#reason", Input)
        assert "Core functionality broken" in reason.value
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps["decide-rollback"].done)
        for step in ("announce-rollback", "assemble-team", "notify-stakeholders"):
            await send_from_composer(pilot, step, clock)
        assert app.clipboard.startswith("Initiating rollback due to checkout 500s. ETA ")

        # Phase 2: the highlight passes over the optional command step; going back up
        # to it, the coordinator skips it with a reason.
        assert highlighted(app) == "app-rollback-blue-green"
        await pilot.press("up")
        await wait_until(pilot, lambda: highlighted(app) == "record-running-version")
        await pilot.press("s")
        await fill_form(pilot, "enter", reason="version already in the deploy log")
        await wait_for_screen(pilot, IncidentScreen)
        # What was done is its evidence: a bare tick is refused (ux_review15 #6).
        await type_what_was_seen(pilot, "app-rollback-blue-green", "LB back on blue", clock)

        # The database: restore from backup stays blocked until leadership approves.
        assert highlighted(app) == "database-rollback"
        await pilot.press("space")
        await wait_for_screen(pilot, DatabaseTierModal)
        tiers = app.screen.query_one("#tiers", OptionList)
        tiers.highlighted = next(
            i
            for i in range(tiers.option_count)
            if tiers.get_option_at_index(i).id == "restore-backup"
        )
        app.screen.query_one("#reason", Input).value = "down migration dropped a column"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        assert screen.state.blocker("database-rollback") == (
            "tier 'restore-backup' needs approval by leadership"
        )
        # Only whoever holds leadership approves the last resort: the role first.
        await pilot.press("r")
        await fill_form(pilot, role="leadership", person="Grace (VP Eng)")
        await wait_until(pilot, lambda: screen.state.roles.get("leadership") == "Grace (VP Eng)")
        await pilot.press("space")  # blocked: asks for the approval instead
        await wait_for_screen(pilot, ApprovalModal)
        assert app.screen.query_one("#approver", Input).value == "Grace (VP Eng)"
        app.screen.query_one("#reason", Input).value = "accept 4 minutes of order loss"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await check_highlighted(pilot, "database-rollback", clock)

        # Phase 3 and close-out. No probe polls here (network off): space on a
        # verification step asks what was seen, recorded as its evidence. "Check
        # health" claims no rollback trigger met: the team clears its own core-broken
        # trigger first (t), or space asks why.
        await type_what_was_seen(pilot, "confirm-version", "kubectl: every pod on 2.4.0", clock)
        await pilot.press("t")
        await fill_form(pilot, verdict="cleared")
        await wait_until(pilot, lambda: not screen.state.triggers["core-broken"].met)
        await wait_for_screen(pilot, IncidentScreen)
        await type_what_was_seen(pilot, "check-health", "5xx at 0.3% on the dashboard", clock)
        await type_what_was_seen(pilot, "smoke-test", "logged in, checked out a test order", clock)
        await send_from_composer(pilot, "communicate-resolution", clock)
        # Close-out steps are done by doing them: space opens what makes the artefact.
        report = tmp_path / "report.md"
        tomorrow = (clock.now() + timedelta(hours=25)).isoformat()
        for step, values in (
            ("document-incident", {"output": str(report)}),
            ("preliminary-rca", {"text": "2.4.1 retried 502s without backoff"}),
            ("schedule-post-mortem", {"at": tomorrow}),
        ):
            assert highlighted(app) == step
            await pilot.press("space")
            await fill_form(pilot, **values)
            await wait_until(pilot, lambda step=step: screen.state.steps[step].done)
        assert report.read_text(encoding="utf-8").startswith("# Incident report")
        await pilot.press("X")  # every required step done: a plain question first
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.state.is_closed)

        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)

    # What was recorded, read back from the file by a fresh reader.
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(INCIDENT)
        assert log.verify(INCIDENT).ok
    state = fold(events)
    assert state.is_closed and not state.forced_close
    assert state.open_required_steps() == []
    assert state.steps["record-running-version"].reason == "version already in the deploy log"
    assert state.approvals["decide-rollback"].by == "Ada"
    assert state.approvals["tier:restore-backup"].by == "Grace (VP Eng)"
    assert state.approvals["tier:restore-backup"].by_role
    assert state.tier_choice is not None and state.tier_choice.tier == "restore-backup"
    assert [(t, mark.met) for t, mark in state.trigger_history] == [
        ("core-broken", True),
        ("core-broken", False),
    ]
    assert [c.template for c in state.communications] == [
        "announce",
        "paging",
        "initiating",
        "resolved",
    ]
    kinds = [e.kind for e in events]
    assert kinds[0] == "incident.declared" and kinds[-1] == "incident.closed"
    assert kinds.count("step.checked") == 16


async def test_refused_command_shows_why_and_records_nothing(tmp_path):
    db = tmp_path / "refuse.db"
    clock = ManualClock(SCENARIO_T0)
    app = make_app(db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, DeclareModal)
        app.screen.query_one("#title", Input).value = "t"
        app.screen.query_one("#commander", Input).value = "Ada"
        app.screen.query_one("#severity", Select).value = "SEV2"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        before = app.screen.state.last_seq
        await pilot.press("X")  # close asks first; with required steps open, for a reason
        await fill_form(pilot, reason="done enough")  # without force: refused in the form
        await wait_until(pilot, lambda: "tick: force" in app.screen.error_message)
        assert "required steps still open" in app.screen.error_message
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("a")  # nothing to approve on the first step
        await pilot.pause()
        assert app.screen.state.last_seq == before
        assert any("Nothing to approve" in str(n.message) for n in app._notifications)


async def test_restart_shows_the_same_state(tmp_path):
    db = tmp_path / "restart.db"
    clock = ManualClock(SCENARIO_T0)
    app = make_app(db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, DeclareModal)
        app.screen.query_one("#title", Input).value = "t"
        app.screen.query_one("#commander", Input).value = "Ada"
        app.screen.query_one("#severity", Select).value = "SEV2"
        app.screen.query_one("#channel", Input).value = "#inc-checkout"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await check_highlighted(pilot, "assess-severity", clock)
    again = make_app(db, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        state = again.screen.state
        done = ("assess-severity", "create-channel", "assign-commander")  # two by declaring
        assert all(state.steps[step].done for step in done)
        assert highlighted(again) == "decide-rollback"
