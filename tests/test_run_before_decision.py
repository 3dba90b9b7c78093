"""Running a later phase's command before the rollback is decided is said, not refused.

`lastgood run` and the TUI's `space` ran `kubectl rollout undo` before the decision
with no word of it (a review of the docs against the product, which claimed the
gates refuse anything out of turn). The guide says to act decisively, so the command
still runs; the coordinator is told first that the decision is not recorded.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import InProcessCli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import highlight, scenario_app, wait_for_screen
from tui.app.modals.confirm import ConfirmCommand
from tui.app.screens.incident import IncidentScreen

RUNBOOK = """\
runbook: gated
title: A gate, then a command
phases:
  - id: decide
    title: Decision
    window: [0, 5]
    steps:
      - id: go
        title: Decide to roll back
        approver: incident-commander
  - id: execute
    title: Execute Rollback
    window: [5, 30]
    steps:
      - id: switch
        title: Switch traffic back
        kind: command
        command: echo switched > {marker}
"""


def test_run_before_the_decision_warns_and_still_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    runbook = tmp_path / "gated.yaml"
    runbook.write_text(RUNBOOK.format(marker=marker), encoding="utf-8")
    cli = InProcessCli(tmp_path / "gated.db", actor="Ada")
    declared = ("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada")
    incident_id = cli.ok(*declared, "--runbook", str(runbook)).strip()

    early = cli.run("run", incident_id, "switch", "--yes")
    assert early.code == 0, early.err
    assert marker.read_text() == "switched\n"
    assert "warning: the rollback is not decided yet (go is open)" in early.err

    cli.ok("reopen", incident_id, "switch", "--reason", "run again once decided")
    cli.ok("decide", incident_id, "--reason", "error rate over 5%")
    later = cli.run("run", incident_id, "switch", "--yes")
    assert later.code == 0 and "warning" not in later.err, later.err


async def test_the_screen_says_so_in_the_run_dialog(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    steps = (step for phase in scenario.runbook.phases for step in phase.steps)
    command_step = next(step.id for step in steps if step.command)
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("right")  # phase 2, where the command step is
        highlight(screen, command_step)
        await pilot.press("space")
        await wait_for_screen(pilot, ConfirmCommand)
        dialog = app.screen
        assert isinstance(dialog, ConfirmCommand)
        assert dialog.question.startswith("⚠ The rollback is not decided yet")
        await pilot.press("n")


def test_a_resolution_sent_before_verification_says_so(tmp_path: Path) -> None:
    """`send --template resolved` at T+05 told stakeholders the service was restored,
    checked communicate-resolution and stopped the update cadence, without a word that
    nothing was verified (the same review)."""
    cli = InProcessCli(tmp_path / "early.db", actor="Ada")
    declared = ("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada")
    incident_id = cli.ok(*declared).strip()
    early = cli.ok("send", incident_id, "--template", "resolved")
    assert (
        "warning: sent while the service is not verified yet "
        "(confirm-version, check-health, smoke-test open)"
    ) in early
    for step in ("confirm-version", "check-health"):
        cli.ok("check", incident_id, step, "--override", "checked by hand")
    cli.ok("check", incident_id, "smoke-test", "--evidence", "logged in by hand")
    # Sent once already: a second one goes only on purpose (`--again`), and says so.
    again = cli.ok("send", incident_id, "--template", "resolved", "--again")
    assert "warning" not in again, again
    assert "sent again: resolved was already sent by Ada at T+" in again


def test_the_warning_holds_when_the_execute_phase_comes_first(tmp_path: Path) -> None:
    """Judged by the gate's state, not by where the phases stand: with the execute phase
    above the decision, `run` ran the rollback with no word (ux_review17 #3)."""
    marker = tmp_path / "ran.txt"
    runbook = tmp_path / "gated.yaml"
    text = RUNBOOK.format(marker=marker)
    decide = text[text.index("  - id: decide\n") : text.index("  - id: execute\n")]
    runbook.write_text(text.replace(decide, "") + decide, encoding="utf-8")
    cli = InProcessCli(tmp_path / "gated.db", actor="Ada")
    declared = ("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada")
    incident_id = cli.ok(*declared, "--runbook", str(runbook)).strip()
    early = cli.run("run", incident_id, "switch", "--yes")
    assert early.code == 0, early.err
    assert "warning: the rollback is not decided yet (go is open)" in early.err
