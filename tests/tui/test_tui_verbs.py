"""The coordinator's TUI offers exactly the verb table's TUI verbs, and each one records.

Keys, footer, help screen and command palette are read from `VERBS`; each verb is
then driven from the running app (its key, or the palette) and what it recorded is
read back from the database file by a second reader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static
from textual.widgets._footer import FooterKey

from incident import commands
from incident.app.verbs import BY_NAME, VERBS
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import (
    fill_form,
    from_palette,
    highlight,
    scenario_app,
    wait_for_screen,
    wait_until,
)
from tui.app.app import LastGoodApp
from tui.app.modals import (
    ApprovalModal,
    ComposerModal,
    ConfirmCommand,
    ConfirmModal,
    DatabaseTierModal,
    DecisionModal,
    HelpModal,
    TextPrompt,
)
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.verb_keys import FOOTER_IF_ROOM, verb_action
from tui.demo.scenarios import ACTOR, DECLARATION, Scenario

TUI = [verb for verb in VERBS if verb.tui]
IN_WIDE_FOOTER = [v for v in TUI if v.footer or verb_action(v) in FOOTER_IF_ROOM]
"""The verbs a footer 120 columns wide or more shows: skip, approve and DB tier too."""


def app_on(
    tmp_path: Path, scenario_name: str, prepare: Callable[[Scenario], None] | None = None
) -> tuple[LastGoodApp, Path]:
    db = tmp_path / f"{scenario_name}.db"
    scenario = scenario_copy(scenario_name, db)
    if prepare is not None:
        prepare(scenario)
    app = scenario_app(scenario)
    return app, db


# --- 1. keys, footer, help and palette are the verb table --------------------------------


def test_bindings_are_the_tui_verbs_with_keys_and_the_moving_keys():
    bound = {b.action: b for b in IncidentScreen.BINDINGS}
    for verb in VERBS:
        action = f"verb({verb.name!r})"
        if verb.tui and verb.key:
            binding = bound.pop(action)
            assert (binding.key, binding.description, binding.show) == (
                verb.key,
                verb.title,
                verb in IN_WIDE_FOOTER,  # narrower, only `Verb.footer` (`test_footer_wide`)
            )
        else:
            assert action not in bound, f"{verb.name} is bound but has no key or is CLI-only"
    assert sorted(bound) == [
        "app.help",
        "close_ready",  # `X` in the footer once every required step is done
        "closed_already",  # `X` once closed: says so
        "decided",
        "due_message",
        "open_postmortem",
        "phase(-1)",
        "phase(1)",
        "postmortem",
    ]


async def test_footer_palette_and_help_list_exactly_the_tui_verbs(tmp_path):
    app, _ = app_on(tmp_path, "declared")
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.query(FooterKey)))
        footer = [key.description for key in screen.query(FooterKey)]
        assert footer == ["Help", *(v.title for v in IN_WIDE_FOOTER), "Quit"]

        commands = {c.title: c.help for c in app.get_system_commands(screen)}
        for verb in VERBS:
            if verb.tui:
                assert commands[verb.title] == verb.help
            else:
                assert verb.title not in commands, verb.name

        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
        rows = [
            (
                str(row.query_one(".key", Static).content),
                str(row.query_one(".desc", Static).content),
            )
            for row in app.screen.query(".row")
        ]
        verb_rows = rows[: len(TUI)]
        assert [desc.split(": ", 1)[0] for _, desc in verb_rows] == [v.title for v in TUI]
        assert [key for key, _ in verb_rows] == [
            " / ".join(v.key.split(",")) if v.key else "palette" for v in TUI
        ]
        assert not any(
            desc.split(": ", 1)[0] in {v.title for v in VERBS} for _, desc in rows[len(TUI) :]
        )


# --- 2. every verb records, from the TUI, through the application layer ---------------------

Drive = Callable[[object], Awaitable[None]]


async def nothing(pilot) -> None:
    return None


def form(**values: object) -> Drive:
    async def drive(pilot) -> None:
        await fill_form(pilot, **values)

    return drive


def modal(kind: type, submit: str = "ctrl+s", **inputs: str) -> Drive:
    async def drive(pilot) -> None:
        await wait_for_screen(pilot, kind)
        for widget_id, value in inputs.items():
            pilot.app.screen.query_one(f"#{widget_id}", Input).value = value
        await pilot.press(submit)

    return drive


async def decide(pilot) -> None:
    await wait_for_screen(pilot, DecisionModal)
    # The incident commander's word: the gate takes no one else's (ada is not Ada Lovelace).
    pilot.app.screen.query_one("#by", Input).value = DECLARATION.commander
    pilot.app.screen.query_one("#reason", Input).value = "checkout broken for everyone"
    await pilot.press("ctrl+s")


async def choose_restore(pilot) -> None:
    await wait_for_screen(pilot, DatabaseTierModal)
    tiers = pilot.app.screen.query_one("#tiers", OptionList)
    tiers.highlighted = 2
    pilot.app.screen.query_one("#reason", Input).value = "the migration dropped a column"
    await pilot.press("ctrl+s")
    # Before the decision, a tier that loses data asks first (test_tier_confirmation.py).
    await wait_for_screen(pilot, ConfirmModal)
    await pilot.press("y")


@dataclass(frozen=True)
class Case:
    scenario: str
    drive: Drive
    recorded: tuple[str, ...]
    """The kinds of the events the verb records, in order."""
    step: str | None = None
    prepare: Callable[[Scenario], None] | None = None
    """Recorded before the app starts: what the verb needs to act on."""


def an_action_item(scenario: Scenario) -> None:
    scenario.run(
        lambda s: commands.add_action_item(s, "rehearse", actor=ACTOR, clock=scenario.clock)
    )


CASES: dict[str, Case] = {
    "check": Case("declared", nothing, ("step.checked",), "assess-severity"),
    "skip": Case("declared", form(reason="done by chatops"), ("step.skipped",), "assemble-team"),
    "reopen": Case(
        "mid-phase-2", form(reason="wrong dashboard"), ("step.reopened",), "assess-severity"
    ),
    "approve": Case(
        "declared",
        modal(ApprovalModal, approver=DECLARATION.commander, reason="error rate over 5%"),
        ("approval.granted",),
        "decide-rollback",
    ),
    "decide": Case("declared", decide, ("approval.granted", "step.checked")),
    "db-tier": Case("declared", choose_restore, ("database.tier_chosen",)),
    "trigger": Case("declared", form(verdict="met"), ("trigger.changed",)),
    "run": Case(
        "mid-phase-2", modal(ConfirmCommand, "y"), ("command.ran",), "record-running-version"
    ),
    "note": Case("declared", form(text="LB switched", pin=True), ("note.added",)),
    "page": Case("declared", form(target="payments on-call"), ("page.sent",)),
    "assign": Case("declared", form(role="comms-lead", person="Cy"), ("role.assigned",)),
    "channel": Case("declared", form(channel="#inc-war-room"), ("channel.set",)),
    "handoff": Case("declared", form(to="Bo", reason="shift change"), ("commander.handed_off",)),
    "severity": Case("declared", form(severity="SEV1"), ("incident.severity_changed",)),
    "baseline": Case("declared", form(probe="error-rate", value="0.004"), ("baseline.captured",)),
    "send": Case("declared", modal(ComposerModal), ("communication.sent",), "announce-rollback"),
    "status-page": Case("declared", form(note="posted on statuspage.io"), ("status_page.updated",)),
    "decline": Case(
        "mid-phase-2",
        form(template="initiating", reason="status page says it all"),
        ("communication.declined",),
    ),
    "close": Case("declared", form(force=True, reason="false alarm"), ("incident.closed",)),
    "rca": Case("closed", form(text="a migration dropped a column"), ("rca.noted",)),
    "action": Case(
        "closed", form(text="rehearse", owner="Bo", due="2026-12-04"), ("action_item.added",)
    ),
    "factor": Case(
        "closed", form(text="no canary stage for 2.4.1"), ("contributing_factor.noted",)
    ),
    "action-done": Case(
        "closed", form(number="1", note="rehearsed"), ("action_item.done",), None, an_action_item
    ),
    "report-status": Case("closed", form(owner="Bo", reviewers="Cy, Di"), ("report.status_set",)),
    "lesson": Case("closed", form(text="the trigger fired", kind="went-well"), ("lesson.noted",)),
    "schedule-postmortem": Case(
        "closed", form(at="2026-11-29T14:00:00Z", attendees="Ada, Bo"), ("postmortem.scheduled",)
    ),
}
"""How each verb is driven; `deliver` (`f`) is driven in test_due_messages.py, which
needs a webhook to fail and then recover."""

BACKGROUND = {"update.overdue"}
"""Recorded by the screen's clock, whatever the key (a scenario past its first update)."""


def test_every_tui_verb_has_a_case():
    # deliver, export and brief record nothing: their own tests (brief: test_brief_key.py)
    assert set(CASES) | {"deliver", "export", "brief"} == {v.name for v in TUI}


@pytest.mark.parametrize("name", sorted(CASES))
async def test_every_tui_verb_records_from_the_tui(tmp_path, name):
    case = CASES[name]
    verb = BY_NAME[name]
    app, db = app_on(tmp_path, case.scenario, case.prepare)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        before = screen.state.last_seq
        if case.step is not None:
            highlight(screen, case.step)
        if verb.key:
            await pilot.press(verb.key.split(",")[0])
        else:
            await from_palette(pilot, verb.title)
        await case.drive(pilot)
        await wait_until(pilot, lambda: screen.state.last_seq > before)
        await wait_for_screen(pilot, IncidentScreen)
        incident_id = screen.state.id
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id, after_seq=before)
    kinds = tuple(e.kind for e in events if e.kind not in BACKGROUND)
    assert kinds[: len(case.recorded)] == case.recorded
    assert set(kinds[len(case.recorded) :]) <= {"step.checked"}  # a step the verb completed
    assert {e.actor for e in events if e.kind not in BACKGROUND} == {"ada"}


async def test_export_writes_the_markdown_report_where_asked(tmp_path):
    app, _ = app_on(tmp_path, "closed")
    target = tmp_path / "reports" / "incident.md"
    target.parent.mkdir()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await fill_form(pilot, "enter", output=str(tmp_path / "missing" / "incident.md"))
        form = app.screen
        await wait_until(pilot, lambda: "cannot write: No such file" in form.error_message)
        await fill_form(pilot, "enter", output=str(target))
        await wait_for_screen(pilot, IncidentScreen)
        incident_id = app.screen.state.id
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# ") and incident_id in text and "## Timeline" in text
    assert [p.name for p in target.parent.iterdir()] == ["incident.md"]  # no temp file left


async def test_a_verification_step_the_samples_contradict_asks_for_an_override(tmp_path):
    app, db = app_on(tmp_path, "declared")  # 12% errors on 2.4.1: not back to baseline
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        highlight(screen, "check-health")
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        app.screen.query_one(Input).value = "dashboards lag; customers confirm"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.state.steps["check-health"].done)
        incident_id = screen.state.id
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
        checks = [e for e in events if e.kind == "step.checked"]
        [checked] = [e for e in checks if e.payload["step"] == "check-health"]
    assert checked.payload["override"] == "dashboards lag; customers confirm"


async def test_a_choice_with_nothing_to_choose_says_so_instead_of_an_empty_form(tmp_path):
    app, _ = app_on(tmp_path, "declared")  # no message is due yet
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await from_palette(pilot, "Decline message")
        said = "Decline message: no template to choose from now."
        await wait_until(pilot, lambda: any(n.message == said for n in app._notifications))
        assert isinstance(app.screen, IncidentScreen)
