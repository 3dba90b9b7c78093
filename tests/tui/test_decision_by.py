"""Who decides: the decision screen's By field records what `lastgood decide --by` does.

The screen had no By field: the decision was always the commander's, where the command
line could record someone else's word. The field comes filled with the person at the
keyboard, `decide`'s default (it was the commander, and the faces disagreed once the
form named the person recording); cleared, it records that default again, as its
placeholder says. Each case here decides once through the TUI (keys, a real SQLite file) and once
through `lastgood decide` on a copy of the same record, and the decision gate's
approval and check must come out the same. The gate takes the incident commander's word
only (ux_review7 F7): a name that is not the commander's, the person at the keyboard's
included, is refused in the dialog as `decide` refuses it, the way on said.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from incident.core.events import Event
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import DecisionModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR

GATE = "decide-rollback"
REASON = "checkout broken for everyone"
COMMANDER = "Ada Lovelace"
"""The `declared` scenario's incident commander (Ada at the keyboard is `ada`)."""


def the_decision(db: Path, incident_id: str) -> list[tuple[str, str, dict[str, object]]]:
    """The gate's approval and check as recorded: kind, who recorded it, payload."""
    with SqliteEventLog.open(db, read_only=True) as log:
        events: list[Event] = log.events(incident_id)
    return [
        (e.kind, e.actor, dict(e.payload))
        for e in events
        if GATE in (e.payload.get("target"), e.payload.get("step"))
    ]


def through_the_cli(
    db: Path, *by: str, actor: str = ACTOR
) -> tuple[str, list[tuple[str, str, dict[str, object]]]]:
    scenario = scenario_copy("declared", db)
    scenario.log.close()
    cli = InProcessCli(db, actor=actor)
    said = cli.ok("decide", scenario.incident_id, "--reason", REASON, *by)
    return said, the_decision(db, scenario.incident_id)


async def through_the_tui(
    db: Path, by: str | None, actor: str = ACTOR
) -> list[tuple[str, str, dict[str, object]]]:
    """`d`, then the By field left as it came (None) or typed over, and the reason."""
    scenario = scenario_copy("declared", db)
    app = scenario_app(scenario, actor=actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        dialog = app.screen
        # The person at the keyboard if they command; else the commander, and the label
        # says whose word it records (`ada` is not `Ada Lovelace`: she records his).
        prefilled = actor if actor == COMMANDER else COMMANDER
        assert dialog.query_one("#by", Input).value == prefilled
        assert dialog.query_one("#by", Input).placeholder == actor  # cleared: decide's
        if actor != COMMANDER:
            label = "By (the incident commander is Ada Lovelace: this records their word)"
            assert label in [str(x.render()).strip() for x in dialog.query("FieldLabel")]
        if by is not None:
            dialog.query_one("#by", Input).value = by
        dialog.query_one("#reason", Input).value = REASON
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps[GATE].done)
    scenario.log.close()
    return the_decision(db, scenario.incident_id)


@pytest.mark.parametrize(
    ("actor", "typed", "cli_args"),
    [
        (COMMANDER, None, ()),  # the commander at the keyboard, By as it came
        (COMMANDER, "", ("--by", "")),  # cleared: the use case's default again
        (ACTOR, None, ("--by", COMMANDER)),  # as it came: the commander's word
        (ACTOR, COMMANDER, ("--by", COMMANDER)),  # the commander's word, named
        (ACTOR, " ada  lovelace ", ("--by", " ada  lovelace ")),  # spelt otherwise
    ],
    ids=["default", "cleared", "their-word", "the-commander", "spelt-otherwise"],
)
async def test_the_tui_records_the_decision_as_decide_does(
    tmp_path: Path, actor: str, typed: str | None, cli_args: tuple[str, ...]
) -> None:
    tui = await through_the_tui(tmp_path / "tui.db", typed, actor)
    _, cli = through_the_cli(tmp_path / "cli.db", *cli_args, actor=actor)
    approvals = [payload for kind, _, payload in tui if kind == "approval.granted"]
    given = COMMANDER if typed is None else (typed or actor)
    decided_by = " ".join(given.split())  # a name is kept as one spacing
    assert [a["by"] for a in approvals] == [decided_by]
    assert [a["reason"] for a in approvals] == [REASON]
    assert {recorder for _, recorder, _ in tui} == {actor}
    assert tui == cli


@pytest.mark.parametrize(
    ("typed", "cli_args", "named"),
    [
        ("  Bo Smith ", ("--by", "  Bo Smith "), "Bo Smith"),
        ("", (), ACTOR),  # cleared: the person at the keyboard, decide's default
    ],
    ids=["someone-else", "cleared"],
)
async def test_a_decision_by_someone_not_in_command_is_refused_in_the_dialog_as_decide_refuses(
    tmp_path: Path, typed: str | None, cli_args: tuple[str, ...], named: str
) -> None:
    """The refusal `lastgood decide` prints, the verb named as this face reaches it,
    in the dialog: the focus on By, the reason kept, nothing recorded. The commander's
    word typed in By then goes through."""
    cli = InProcessCli(tmp_path / "cli.db", actor=ACTOR)
    scenario = scenario_copy("declared", tmp_path / "cli.db")
    scenario.log.close()
    refused = cli.run("decide", scenario.incident_id, "--reason", REASON, *cli_args)
    why = (
        f"the rollback decision ({GATE}) needs incident-commander approval, and {COMMANDER} "
        f"holds the incident-commander role, not {named}: hand command to {named} first "
        f"(handoff), or record {COMMANDER}'s word"
    )
    assert (refused.code, refused.err) == (2, f"lastgood decide: {why} (--by '{COMMANDER}')\n")

    app = scenario_app(scenario_copy("declared", tmp_path / "tui.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        dialog = app.screen
        by = dialog.query_one("#by", Input)
        if typed is not None:
            by.value = typed
        dialog.query_one("#reason", Input).value = REASON
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(dialog.error_message))
        assert dialog.error_message == why.replace("(handoff)", "(key h)")
        assert app.screen is dialog and dialog.focused is by
        assert dialog.query_one("#reason", Input).value == REASON
        assert not screen.state.steps[GATE].done and GATE not in screen.state.approvals

        by.value = COMMANDER
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps[GATE].done)
        approval = screen.state.approvals[GATE]
        assert (approval.by, approval.recorded_by) == (COMMANDER, ACTOR)


async def test_a_name_that_names_no_one_is_refused_in_the_dialog(tmp_path: Path) -> None:
    """The one line `lastgood decide --by root` prints, in the dialog, the focus on By;
    nothing recorded, what was typed kept; the refusal's own words."""
    said = InProcessCli(tmp_path / "cli.db", actor=ACTOR)
    scenario = scenario_copy("declared", tmp_path / "cli.db")
    scenario.log.close()
    refused = said.run("decide", scenario.incident_id, "--reason", REASON, "--by", "root")
    assert refused.code != 0
    why = "the approver: 'root' names no one in particular: give a person's name"
    assert refused.err.strip() == f"lastgood decide: {why} (--by)"

    app = scenario_app(scenario_copy("declared", tmp_path / "tui.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        dialog = app.screen
        dialog.query_one("#by", Input).value = "root"
        dialog.query_one("#reason", Input).value = REASON
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(dialog.error_message))
        assert dialog.error_message == why
        assert app.screen is dialog and dialog.focused is dialog.query_one("#by", Input)
        assert dialog.query_one("#reason", Input).value == REASON
        assert not screen.state.steps[GATE].done and GATE not in screen.state.approvals

        dialog.query_one("#by", Input).value = COMMANDER
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps[GATE].done)
        assert screen.state.approvals[GATE].by == COMMANDER
