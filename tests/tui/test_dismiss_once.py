"""Every dialog closes once: a submit key pressed twice, quickly, records once.

Under stress people double-press. Both key presses reach the app before the first
has closed the dialog; the second used to dismiss again, which pops the screen
beneath: the incident itself, leaving a blank app with its probes stopped. Each case
below opens one dialog from the running app, fills it, sends its submit key twice
in one go (Enter where Enter submits; ctrl+s where the focus is in a text area,
which takes Enter as a new line), and checks the record and the screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from incident import commands
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import (
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
    DatabaseTierModal,
    DecisionModal,
    DeclareModal,
    HelpModal,
    IncidentPicker,
    TextPrompt,
    VerbForm,
)
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import DECLARATION, SCENARIO_T0, bundled_runbook

COMMANDER = DECLARATION.commander
"""The scenarios' incident commander, whose word the decision gate takes."""
CHARS = {"enter": "\r", "ctrl+s": "\x13", "escape": "\x1b", "y": "y"}


async def twice_at_once(pilot: Pilot[None], key: str) -> None:
    """Both presses queued before either is handled, as a fast double press arrives."""
    for _ in range(2):
        pilot.app.post_message(events.Key(key, CHARS[key]))
    await pilot.pause()
    await pilot.pause()


Open = Callable[[Pilot[None]], Awaitable[str]]
"""Opens and fills the dialog; returns the key that submits it."""


@dataclass(frozen=True)
class Case:
    scenario: str
    open: Open
    recorded: dict[str, int]
    """Event kinds the submit records, and how many of each."""


def fields(kind: type, **values: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def fill(pilot: Pilot[None]) -> None:
        await wait_for_screen(pilot, kind)
        for widget_id, value in values.items():
            widget = pilot.app.screen.query_one(f"#{widget_id}")
            if isinstance(widget, Input):
                widget.value = value
            else:
                widget.load_text(value)  # type: ignore[attr-defined]
            widget.focus()

    return fill


def by_key(key: str, kind: type, submit: str, step: str | None = None, **values: str) -> Open:
    async def open_(pilot: Pilot[None]) -> str:
        if step is not None:
            highlight(pilot.app.screen, step)
        await pilot.press(key)
        await fields(kind, **values)(pilot)
        return submit

    return open_


async def decline_form(pilot: Pilot[None]) -> str:
    await pilot.press("m")
    await wait_for_screen(pilot, DueMessageModal)
    await pilot.press("ctrl+d")
    await fields(VerbForm, **{"param-reason": "on the status page already"})(pilot)
    return "enter"


async def run_confirm(pilot: Pilot[None]) -> str:
    highlight(pilot.app.screen, "record-running-version")
    await from_palette(pilot, "Run command")
    await wait_for_screen(pilot, ConfirmCommand)
    return "y"


async def tier(pilot: Pilot[None]) -> str:
    await pilot.press("b")
    await wait_for_screen(pilot, DatabaseTierModal)
    reason = pilot.app.screen.query_one("#reason", Input)
    reason.value = "expand-contract"
    reason.focus()
    return "enter"


async def close_form(pilot: Pilot[None]) -> str:
    await pilot.press("X")
    await fields(VerbForm, **{"param-reason": "false alarm"})(pilot)
    pilot.app.screen.query_one("#param-force").value = True  # type: ignore[attr-defined]
    return "enter"


CASES: dict[str, Case] = {
    "note": Case(
        "declared", by_key("n", VerbForm, "ctrl+s", **{"param-text": "LB back"}), {"note.added": 1}
    ),
    "skip": Case(
        "declared",
        by_key("s", VerbForm, "enter", "assemble-team", **{"param-reason": "paged by hand"}),
        {"step.skipped": 1},
    ),
    "generic form": Case(
        "declared", by_key("p", VerbForm, "enter", **{"param-target": "dba"}), {"page.sent": 1}
    ),
    "close form": Case("declared", close_form, {"incident.closed": 1}),
    "approval": Case(
        "declared",
        by_key("a", ApprovalModal, "enter", "decide-rollback", approver=COMMANDER, reason="5xx"),
        {"approval.granted": 1},
    ),
    "decision": Case(
        "declared",
        by_key("d", DecisionModal, "enter", by=COMMANDER, reason="checkout down"),
        {"approval.granted": 1, "step.checked": 2},  # the decision and Assess severity
    ),
    # No database rollback: the choice checks the database step, once.
    "tiers": Case("declared", tier, {"database.tier_chosen": 1, "step.checked": 1}),
    "composer": Case(
        "declared",
        by_key("c", ComposerModal, "ctrl+s", "announce-rollback", text="We are rolling back."),
        {"communication.sent": 1, "step.checked": 1},
    ),
    "due message": Case(
        "mid-phase-2",
        by_key("m", DueMessageModal, "ctrl+s", text="Initiating rollback."),
        {"communication.sent": 1, "step.checked": 1},
    ),
    "decline form": Case("mid-phase-2", decline_form, {"communication.declined": 1}),
    "confirm command": Case("mid-phase-2", run_confirm, {"command.ran": 1}),
    "override prompt": Case(
        "declared",
        by_key("space", TextPrompt, "enter", "check-health", answer="customers confirm"),
        {"step.checked": 1},
    ),
    "help": Case("declared", by_key("question_mark", HelpModal, "escape"), {}),
}


@pytest.mark.parametrize("name", sorted(CASES))
async def test_a_double_submit_records_once_and_keeps_the_incident(tmp_path, name):
    case = CASES[name]
    scenario = scenario_copy(case.scenario, tmp_path / "twice.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        before = screen.state.last_seq
        key = await case.open(pilot)
        dialog = app.screen
        await twice_at_once(pilot, key)
        await wait_until(pilot, lambda: dialog not in app.screen_stack)
        if case.recorded:
            await wait_until(pilot, lambda: screen.state.last_seq > before)
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.is_attached and screen in app.screen_stack
    with SqliteEventLog.open(scenario.log.path, read_only=True) as log:
        kinds = [e.kind for e in log.events(scenario.incident_id, after_seq=before)]
    counted = {kind: kinds.count(kind) for kind in case.recorded}
    assert counted == case.recorded
    assert len([k for k in kinds if k != "update.overdue"]) == sum(case.recorded.values())


async def test_declare_and_picker_open_the_incident_once(tmp_path: Path) -> None:
    clock = ManualClock(SCENARIO_T0)
    with SqliteEventLog.open(tmp_path / "new.db") as log:
        app = LastGoodApp(log, bundled_runbook(), clock=clock, actor="ada", network=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            form.query_one("#title", Input).value = "checkout 500s"
            form.query_one("#commander", Input).value = "Ada"
            form.query_one("#severity", Select).value = "SEV2"
            form.query_one("#channel", Input).focus()  # the last field: Enter submits
            await twice_at_once(pilot, "enter")
            await wait_for_screen(pilot, IncidentScreen)
            assert len(log.incident_ids()) == 1
            assert [type(s) for s in app.screen_stack[1:]] == [IncidentScreen]
        log.append(
            [
                commands.declare(
                    bundled_runbook(), DECLARATION, actor="ada", clock=clock, incident_id="INC-2"
                )
            ]
        )
        app = LastGoodApp(log, bundled_runbook(), clock=clock, actor="ada", network=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentPicker)
            app.screen.query_one(OptionList).focus()
            await twice_at_once(pilot, "enter")
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.pause()
            assert [type(s) for s in app.screen_stack[1:]] == [IncidentScreen]
