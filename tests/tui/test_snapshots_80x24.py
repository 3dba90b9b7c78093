"""The rest of the 80x24 snapshots: each phase on show as it is worked in, and every
modal not covered by test_snapshots.py (approval, composer, help, close form, export),
test_due_messages.py (due message) or test_postmortem_screen.py.

Regenerate on purpose with `--snapshot-update` after reading the diff's text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from incident import commands
from incident.app.database_tiers import choose_tier
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.modal_harness import ROWS, Host
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_snapshots import app_for, highlight_then
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand, ConfirmModal, IncidentPicker
from tui.app.modals.declare import DeclareModal
from tui.app.modals.text_prompt import TextPrompt
from tui.demo.scenarios import ACTOR, SCENARIO_T0, Scenario, bundled_runbook

SIZE = (80, 24)


def worked_to(
    tmp_path: Path, *steps: str, then: Callable[[Scenario], object] | None = None
) -> LastGoodApp:
    """mid-phase-2, then the initiating message sent, `steps` checked and `then` done."""
    scenario: Scenario = scenario_copy("mid-phase-2", tmp_path / "worked.db")
    clock = scenario.clock
    scenario.run(
        lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="initiating")
    )
    for step in steps:
        scenario.advance(20)
        scenario.run(lambda s, step=step: commands.check_step(s, step, actor=ACTOR, clock=clock))
    if then is not None:
        then(scenario)
    return LastGoodApp(
        scenario.log,
        scenario.runbook,
        clock=clock,
        actor="ada",
        incident_id=scenario.incident_id,
        network=False,
    )


def down_migrations_after_all(scenario: Scenario) -> None:
    """The database step, checked by mid-phase-2's `none` tier, reopened: 2.4.1 dropped a
    column after all, and the down migrations are the tier now, still to run."""
    clock = scenario.clock
    scenario.advance(20)
    scenario.run(
        lambda s: commands.reopen_step(
            s, "database-rollback", reason="0042 dropped a column", actor=ACTOR, clock=clock
        )
    )
    choose_tier(scenario.session, ACTOR, "down-migrations", reason="0042 has a down step")


def test_phase_two_being_worked_in(snap_compare, tmp_path):
    """Phase 1 done: phase 2 on show, the database step highlighted (its tier to carry
    out: mid-phase-2's `none` checked it, so here it is reopened for down migrations)."""
    app = worked_to(tmp_path, "notify-stakeholders", then=down_migrations_after_all)
    assert snap_compare(app, terminal_size=SIZE)


def test_phase_three_verification(snap_compare, tmp_path):
    """Phases 1 and 2 done (mid-phase-2's `none` tier checked the database step)."""
    assert snap_compare(worked_to(tmp_path, "notify-stakeholders"), terminal_size=SIZE)


def test_phase_four_close_out(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, "resolved"), terminal_size=SIZE)


def test_decision_modal(snap_compare, tmp_path):
    assert snap_compare(
        app_for(tmp_path, "declared"),
        terminal_size=SIZE,
        run_before=highlight_then("decide-rollback", "d"),
    )


def test_database_tier_modal(snap_compare, tmp_path):
    assert snap_compare(
        app_for(tmp_path, "declared"),
        terminal_size=SIZE,
        run_before=highlight_then("assess-severity", "b"),
    )


def test_handoff_brief_modal(snap_compare, tmp_path):
    assert snap_compare(
        app_for(tmp_path, "mid-phase-2"),
        terminal_size=SIZE,
        run_before=highlight_then("notify-stakeholders", "i"),
    )


def form_up(form: type[Screen[object]]) -> Callable[[Pilot[object]], Awaitable[None]]:
    """`run_before` for a snapshot of `form`: the form on top, its first field focused,
    and its cursor's blink stopped. The form is pushed once the app has looked in the
    record; waiting for it rules out a snapshot taken before it is up. Its first field's
    cursor blinks every half second from the moment it has focus, so a snapshot taken
    later than that under load (-n 6, 2026-12-03; -n 2 at load 12, the name prompt)
    caught it off: with the blink stopped the cursor is drawn steady, in no phase, as in
    the other forms' snapshots."""

    async def up(pilot: Pilot[object]) -> None:
        await wait_for_screen(pilot, form)
        await wait_until(pilot, lambda: isinstance(pilot.app.focused, Input))
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await pilot.pause()

    return up


def test_name_prompt(snap_compare, tmp_path):
    """No name from --as, $LASTGOOD_USER or git: the text prompt asks for one."""
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    app = LastGoodApp(scenario.log, scenario.runbook, clock=scenario.clock, actor="", network=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=form_up(TextPrompt))


def test_declare_modal(snap_compare, tmp_path):
    """An empty record: the declaration form opens, on a frozen clock (the Started at
    field's example is an hour before it)."""
    log = SqliteEventLog.open(tmp_path / "empty.db")
    clock = ManualClock(SCENARIO_T0)
    app = LastGoodApp(log, bundled_runbook(), clock=clock, actor="ada", network=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=form_up(DeclareModal))


def test_incident_picker(snap_compare):
    assert snap_compare(Host(IncidentPicker(list(ROWS))), terminal_size=SIZE)


def test_confirm_command(snap_compare):
    modal = ConfirmCommand("Switch traffic back to blue", "kubectl rollout undo deploy/checkout")
    assert snap_compare(Host(modal), terminal_size=SIZE)


def test_confirm_close(snap_compare):
    question = "Close the incident? Every required step is done."
    modal = ConfirmModal("Close INC-20261128-DEMO?", question, "Close it")
    assert snap_compare(Host(modal), terminal_size=SIZE)


def test_export_form(snap_compare, tmp_path):
    """`e` in phase 4: the file, its format (following the file's name) and the box."""
    assert snap_compare(
        app_for(tmp_path, "resolved"),
        terminal_size=SIZE,
        run_before=highlight_then("document-incident", "e"),
    )


def test_declare_modal_says_what_declare_says_of_the_runbook(snap_compare, tmp_path):
    """Started on a Markdown runbook: the form says, under its title, what `lastgood
    declare` says of it (it enforces none of the guide's rules), before declaring."""
    from runbooks import load_runbook
    from tests.tui.test_declare_fields import CHECKLIST

    log = SqliteEventLog.open(tmp_path / "empty.db")
    clock = ManualClock(SCENARIO_T0)
    app = LastGoodApp(log, load_runbook(Path(CHECKLIST)), clock=clock, actor="ada", network=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=form_up(DeclareModal))
