"""Pilot tests of the modal screens at 80x24: every one fits, Escape returns None, and the
text prompt and approval forms return exactly what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Label

from tests.tui.modal_harness import (
    TEMPLATES,
    TIERS,
    Toggler,
    assert_fits,
    assert_still_open,
    declare_modal,
    error_text,
    focused_id,
    opened,
    type_text,
)
from tui.app.modals import (
    ApprovalModal,
    ComposerModal,
    DatabaseTierModal,
    DecisionModal,
    FormModal,
    HelpModal,
    IncidentPicker,
    IncidentRow,
    TextPrompt,
    TriggerView,
)

# --- fits at 80x24, including with the error line shown -----------------------------------

MANY_TRIGGERS = tuple(
    TriggerView(f"t{i}", f"Trigger {i}", "metric", "not met", "detail " * 12) for i in range(12)
)

ALL_MODALS: dict[str, Callable[[], Screen[Any]]] = {
    "text": lambda: TextPrompt("Skip step", "Why skip? " * 30),
    "approval": lambda: ApprovalModal("Restore from backup " * 5, "leadership"),
    "tier": lambda: DatabaseTierModal(TIERS),
    "composer": lambda: ComposerModal(TEMPLATES, channel="#inc-42"),
    "declare": lambda: declare_modal(commander=""),
    "picker": lambda: IncidentPicker(
        [IncidentRow(f"inc-{i}", "SEV2", "Title " * 20, "T+1:00", "Phase 1") for i in range(40)]
    ),
    "help": lambda: HelpModal([(f"Section {i}", [("k", "does a thing")] * 6) for i in range(6)]),
    "decision": lambda: DecisionModal(
        MANY_TRIGGERS, toggle_manual=Toggler(MANY_TRIGGERS), by="alice"
    ),
}


@pytest.mark.parametrize("name", sorted(ALL_MODALS))
async def test_modal_fits_80x24(name: str) -> None:
    modal = ALL_MODALS[name]()
    async with opened(modal) as (app, pilot):
        assert_fits(app)
        if isinstance(modal, FormModal):
            # Every one of these is invalid as opened: the error line appears and still fits.
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert error_text(app)
            assert_still_open(app, modal)
            assert_fits(app)


@pytest.mark.parametrize("name", sorted(ALL_MODALS))
async def test_escape_dismisses_none(name: str) -> None:
    modal = ALL_MODALS[name]()
    async with opened(modal) as (app, pilot):
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        assert app.screen is not modal


# --- TextPrompt ------------------------------------------------------------------------------


async def test_text_prompt_returns_stripped_text_on_enter() -> None:
    modal = TextPrompt("Skip step", "Why is this step skipped?", placeholder="reason")
    async with opened(modal) as (app, pilot):
        assert focused_id(app) == "answer"
        await type_text(pilot, " a b ")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["a b"]


async def test_text_prompt_initial_value_and_ctrl_s() -> None:
    modal = TextPrompt("Note", "Add a note", initial="paged db")
    async with opened(modal) as (app, pilot):
        await type_text(pilot, " team")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["paged db team"]


async def test_text_prompt_required_shows_error_and_stays_open() -> None:
    modal = TextPrompt("Reopen", "Why reopen?")
    async with opened(modal) as (app, pilot):
        await type_text(pilot, "   ")
        await pilot.press("enter")
        await pilot.pause()
        assert error_text(app) == "An answer is required (Esc to cancel)."
        assert_still_open(app, modal)
        await type_text(pilot, "5xx")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["5xx"]


async def test_text_prompt_optional_accepts_empty() -> None:
    modal = TextPrompt("Note", "Optional note", required=False)
    async with opened(modal) as (app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [""]


async def test_text_prompt_shows_brackets_literally() -> None:
    modal = TextPrompt("Page [team]", "Who? [bold]not bold[/bold]")
    async with opened(modal) as (app, _pilot):
        texts = [str(label.content) for label in app.screen.query(Label)]
        assert "Page [team]" in texts
        assert "Who? [bold]not bold[/bold]" in texts


# --- ApprovalModal ---------------------------------------------------------------------------


async def test_approval_prefilled_approver_and_typed_reason() -> None:
    modal = ApprovalModal("Restore from backup", "leadership", approver="dana")
    async with opened(modal) as (app, pilot):
        texts = [str(label.content) for label in app.screen.query(Label)]
        assert "Approve: Restore from backup" in texts
        assert "Needs approval by: leadership" in texts
        # Focus starts on the first empty field.
        assert focused_id(app) == "reason"
        await type_text(pilot, "sev1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [("dana", "sev1")]


async def test_approval_enter_moves_to_next_field_then_submits() -> None:
    modal = ApprovalModal("Restore from backup", "leadership")
    async with opened(modal) as (app, pilot):
        await type_text(pilot, "dana ")
        await pilot.press("enter")
        await pilot.pause()
        assert_still_open(app, modal)
        assert focused_id(app) == "reason"
        await type_text(pilot, "ok")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [("dana", "ok")]


async def test_approval_requires_both_fields() -> None:
    modal = ApprovalModal("Restore from backup", "leadership")
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Approver and Reason are required."
        assert_still_open(app, modal)
        await type_text(pilot, "dana")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Reason is required."
        assert focused_id(app) == "reason"
        assert_still_open(app, modal)


# --- ConfirmModal ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
async def test_a_long_question_wraps_inside_its_dialog(size: tuple[int, int]) -> None:
    """The data-loss question was cut off at the dialog's border, its end ("Choose it
    anyway?") never shown (a parity review)."""
    from tests.tui.screen_text import screen_lines
    from tui.app.modals.confirm import ConfirmModal

    question = (
        "The rollback decision is not recorded yet, and 'Last resort: restore the "
        "database from the last backup' will lose data. Choose it anyway?"
    )
    async with opened(ConfirmModal("Data loss", question, "Choose it"), size=size) as (app, _):
        inside = [line.split("│")[1].strip() for line in screen_lines(app) if line.count("│") >= 2]
        assert question in " ".join(part for part in inside if part)
        assert_fits(app)
