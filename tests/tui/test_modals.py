"""Pilot tests of the modal screens in ``tui.app.modals``.

Each modal is pushed onto a tiny host app with a callback that stores the
result, then driven with keys at 80x24: the happy path returns the exact value,
Escape returns ``None``, missing required fields show an inline error and keep
the modal open, and every control is on screen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea

from tui.app.modals import (
    PRINCIPLE,
    ApprovalModal,
    ComposerModal,
    DatabaseTierModal,
    DecisionModal,
    DeclareForm,
    DeclareModal,
    FormModal,
    HelpModal,
    IncidentPicker,
    IncidentRow,
    TextPrompt,
    TierView,
    TriggerView,
)

SIZE = (80, 24)


class Host(App[None]):
    """Pushes one modal on mount and records what it is dismissed with."""

    def __init__(self, modal: Screen[Any]) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


@asynccontextmanager
async def opened(modal: Screen[Any]) -> AsyncIterator[tuple[Host, Pilot[None]]]:
    app = Host(modal)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen is modal
        yield app, pilot


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def error_text(app: Host) -> str:
    label = app.screen.query_one("#error", Label)
    return str(label.content) if label.display else ""


def focused_id(app: Host) -> str | None:
    focused = app.screen.focused
    return focused.id if focused is not None else None


def assert_still_open(app: Host, modal: Screen[Any]) -> None:
    assert app.results == []
    assert app.screen is modal


def prompts(option_list: OptionList) -> list[str]:
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def assert_fits(app: Host) -> None:
    """Every control is visible inside the 80x24 screen; the dialog is compact."""
    screen = app.screen
    dialog = screen.query_one(".dialog")
    assert dialog.region.width <= 76
    assert dialog.region.height <= 22
    assert screen.region.contains_region(dialog.region)
    controls: list[Widget] = [
        *screen.query(Input),
        *screen.query(Button),
        *screen.query(Select),
        *screen.query(TextArea),
        *(w for w in screen.query(OptionList) if w.display and w.parent is not None),
    ]
    controls = [w for w in controls if not isinstance(w.parent, Select)]  # Select's own overlay
    titles, hints = screen.query(".title"), screen.query(".hint")
    assert len(titles) == 1 and len(hints) == 1
    assert titles.first().region.height == 1 and hints.first().region.height == 1
    for widget in controls:
        region = widget.region
        assert region.area > 0, f"{widget!r} is not visible"
        assert screen.region.contains_region(region), f"{widget!r} at {region} is off screen"
        assert dialog.region.contains_region(region), f"{widget!r} at {region} is off the dialog"


# --- sample data, shaped like the bundled rollback runbook ---------------------------------

TIERS = (
    TierView(
        id="none",
        title="Best case: no database rollback",
        risk="No data loss. Requires that you used the Expand-Contract pattern.",
        data_loss="none",
        guidance="The old application code is compatible with the new database schema. "
        "No database rollback is needed.",
        approver=None,
        approved_by=None,
    ),
    TierView(
        id="down-migrations",
        title="Acceptable case: run down migrations",
        risk="This carries a risk of data loss.",
        data_loss="possible",
        guidance='Run "down" migration scripts to reverse the schema changes.',
        approver=None,
        approved_by=None,
    ),
    TierView(
        id="restore-backup",
        title="Last resort: restore the pre-deployment backup",
        risk="This will cause data loss for any transactions that occurred after the backup "
        "was taken.",
        data_loss="certain",
        guidance="Restore the database from the pre-deployment backup. This *will* cause data "
        "loss for any transactions that occurred after the backup was taken. This requires "
        "leadership approval.",
        approver="leadership",
        approved_by=None,
    ),
)

TRIGGERS = (
    TriggerView(
        "error-rate", "Error rate > 5%", "metric", "met", "error rate 12.0% > 5.0% for 3 samples"
    ),
    TriggerView(
        "health-failing",
        "Health checks failing (3 in a row)",
        "consecutive_failures",
        "no data",
        "no samples yet",
    ),
    TriggerView("core-broken", "Core functionality broken", "manual", "not met", "set by hand"),
)

TEMPLATES = (
    ("initiating", "Initiating rollback", "Initiating rollback due to [red]5xx[/]. ETA 20 min."),
    ("resolved", "Resolved", "Resolved: checkout errors. Service is restored."),
)

ROWS = (
    IncidentRow("inc-1", "SEV1", "Checkout 500s after v2.5.0", "T+12:34", "Phase 2: rollback"),
    IncidentRow("inc-2", "SEV3", "Slow [search]", "T+1:02:00", "Phase 1: assess"),
)

PATTERNS = ("blue-green", "canary", "rolling", "recreate")


class Toggler:
    """A ``toggle_manual`` stand-in: flips the manual trigger and records calls."""

    def __init__(self, triggers: Sequence[TriggerView]) -> None:
        self.triggers = list(triggers)
        self.calls: list[str] = []

    async def __call__(self, trigger_id: str) -> Sequence[TriggerView]:
        return self.flip(trigger_id)

    def flip(self, trigger_id: str) -> Sequence[TriggerView]:
        self.calls.append(trigger_id)
        self.triggers = [
            TriggerView(t.id, t.title, t.kind, "not met" if t.state == "met" else "met", t.detail)
            if t.id == trigger_id
            else t
            for t in self.triggers
        ]
        return self.triggers


def declare_modal(**overrides: Any) -> DeclareModal:
    kwargs: dict[str, Any] = {
        "runbook_title": "Emergency rollback",
        "patterns": PATTERNS,
        "default_pattern": "rolling",
        "commander": "alice",
    }
    kwargs.update(overrides)
    return DeclareModal(**kwargs)


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
        MANY_TRIGGERS, toggle_manual=Toggler(MANY_TRIGGERS), commander="alice"
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


# --- DatabaseTierModal -----------------------------------------------------------------------


async def test_tier_options_show_data_loss_in_words_and_block_state() -> None:
    approved = TierView(**{**vars(TIERS[2]), "id": "restore-ok", "approved_by": "vp-eng"})
    modal = DatabaseTierModal([*TIERS, approved])
    async with opened(modal) as (app, _pilot):
        none, down, restore, restore_ok = prompts(app.screen.query_one("#tiers", OptionList))
        assert "DATA LOSS: NONE" in none
        assert "! DATA LOSS: POSSIBLE" in down
        assert "!! DATA LOSS: CERTAIN" in restore
        assert "BLOCKED until approved by leadership" in restore
        assert "BLOCKED" not in restore_ok
        assert "Approved by vp-eng" in restore_ok
        assert "BLOCKED" not in none + down


async def test_tier_pick_by_keys_shows_guidance_and_returns_choice() -> None:
    modal = DatabaseTierModal(TIERS)
    async with opened(modal) as (app, pilot):
        guidance = app.screen.query_one("#guidance", Static)
        assert str(guidance.content).startswith("Best case: no database rollback: The old")
        await pilot.press("down", "down")
        await pilot.pause()
        assert "pre-deployment backup. This *will* cause" in str(guidance.content)
        await pilot.press("enter")  # choose the tier, on to the reason
        assert focused_id(app) == "reason"
        await type_text(pilot, "ddl")
        await pilot.press("enter")
        await pilot.pause()
        # Blocked tiers are still selectable: the app keeps the step blocked.
        assert app.results == [("restore-backup", "ddl")]


async def test_tier_chosen_is_preselected() -> None:
    modal = DatabaseTierModal(TIERS, chosen="down-migrations")
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#reason", Input).value = "  column added  "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [("down-migrations", "column added")]


async def test_tier_requires_reason() -> None:
    modal = DatabaseTierModal(TIERS)
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Reason is required."
        assert focused_id(app) == "reason"
        assert_still_open(app, modal)


# --- ComposerModal ---------------------------------------------------------------------------


async def test_composer_sends_selected_template_text() -> None:
    modal = ComposerModal(TEMPLATES, template="initiating", channel="#inc-42")
    async with opened(modal) as (app, pilot):
        texts = [str(label.content) for label in app.screen.query(Label)]
        assert "channel: #inc-42" in texts
        text_area = app.screen.query_one("#text", TextArea)
        assert text_area.text == TEMPLATES[0][2]
        assert str(app.screen.query_one("#count", Label).content) == "51 characters"
        assert len(TEMPLATES[0][2]) == 51
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [("initiating", TEMPLATES[0][2])]


async def test_composer_other_template_replaces_text_and_edits_are_returned() -> None:
    modal = ComposerModal(TEMPLATES, template="initiating")
    async with opened(modal) as (app, pilot):
        select = app.screen.query_one("#template", Select)
        text_area = app.screen.query_one("#text", TextArea)
        select.focus()
        await pilot.press("enter", "down", "enter")  # blank, initiating, [resolved]
        await pilot.pause()
        assert select.value == "resolved"
        assert text_area.text == "Resolved: checkout errors. Service is restored."
        text_area.focus()
        text_area.move_cursor(text_area.document.end)
        await type_text(pilot, " Ok")
        await pilot.pause()
        assert str(app.screen.query_one("#count", Label).content) == "50 characters"
        await pilot.click("#submit")
        await pilot.pause()
        assert app.results == [("resolved", "Resolved: checkout errors. Service is restored. Ok")]


async def test_composer_free_text_without_template() -> None:
    modal = ComposerModal(TEMPLATES)
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#text", TextArea).focus()
        await type_text(pilot, "Hi")
        await pilot.press("enter")  # a newline in the message, not a submit
        await type_text(pilot, "yo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [(None, "Hi\nyo")]


async def test_composer_empty_text_is_an_error() -> None:
    modal = ComposerModal(TEMPLATES, template="resolved")
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#text", TextArea).text = "  \n "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "The message is empty."
        assert_still_open(app, modal)


# --- DeclareModal ----------------------------------------------------------------------------


async def test_declare_full_form_by_keys() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        assert focused_id(app) == "title"
        await type_text(pilot, "5xx")
        await pilot.press("enter")  # next field: severity
        assert focused_id(app) == "severity"
        await pilot.press("enter", "up", "enter")  # SEV2 -> SEV1
        await pilot.press("tab")
        assert focused_id(app) == "commander"
        await pilot.press("tab")
        await type_text(pilot, "err")
        await pilot.press("enter")
        await type_text(pilot, "20")
        await pilot.press("enter")
        assert focused_id(app) == "pattern"
        await pilot.press("tab")
        await type_text(pilot, "v2")
        await pilot.press("enter")
        await type_text(pilot, "v1")
        await pilot.press("enter")
        assert focused_id(app) == "channel"
        await type_text(pilot, "#i")
        await pilot.press("enter")  # Enter in the last Input submits
        await pilot.pause()
        assert app.results == [
            DeclareForm(
                title="5xx",
                severity="SEV1",
                commander="alice",
                issue="err",
                eta_min=20,
                pattern="rolling",
                from_version="v2",
                last_good_version="v1",
                channel="#i",
            )
        ]


async def test_declare_minimal_form_defaults() -> None:
    modal = declare_modal(default_pattern=None)
    async with opened(modal) as (app, pilot):
        await type_text(pilot, "Bad")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [
            DeclareForm(
                title="Bad",
                severity="SEV2",
                commander="alice",
                issue="",
                eta_min=None,
                pattern=None,
                from_version="",
                last_good_version="",
                channel="",
            )
        ]


async def test_declare_required_fields() -> None:
    modal = declare_modal(commander="")
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Title and Commander are required."
        assert focused_id(app) == "title"
        await type_text(pilot, "Bad")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Commander is required."
        assert focused_id(app) == "commander"
        assert_still_open(app, modal)


async def test_declare_escape_closes_an_open_select_first() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        severity = app.screen.query_one("#severity", Select)
        severity.focus()
        await pilot.press("enter")
        assert severity.expanded
        await pilot.press("escape")
        await pilot.pause()
        assert not severity.expanded
        assert_still_open(app, modal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


@pytest.mark.parametrize("eta", ["-3", "abc", "1.5", "²"])
async def test_declare_rejects_bad_eta(eta: str) -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        app.screen.query_one("#eta", Input).value = eta
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "ETA must be whole minutes (0 or more), or empty."
        assert focused_id(app) == "eta"
        assert_still_open(app, modal)


async def test_declare_accepts_zero_eta() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        app.screen.query_one("#eta", Input).value = " 0 "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [form.eta_min for form in app.results] == [0]


# --- IncidentPicker --------------------------------------------------------------------------


async def test_picker_enter_returns_highlighted_id() -> None:
    modal = IncidentPicker(ROWS)
    async with opened(modal) as (app, pilot):
        lines = prompts(app.screen.query_one("#incidents", OptionList))
        assert lines[1].startswith("SEV3  Slow [search]")
        assert "T+1:02:00  Phase 1: assess" in lines[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == ["inc-2"]


async def test_picker_n_declares_new() -> None:
    modal = IncidentPicker(ROWS)
    async with opened(modal) as (app, pilot):
        await pilot.press("n")
        await pilot.pause()
        assert app.results == ["new"]


async def test_picker_without_incidents() -> None:
    modal = IncidentPicker([])
    async with opened(modal) as (app, pilot):
        assert not app.screen.query(OptionList)
        await pilot.press("enter")
        await pilot.pause()
        assert_still_open(app, modal)
        await pilot.press("n")
        await pilot.pause()
        assert app.results == ["new"]


# --- HelpModal -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_closes_with_none(key: str) -> None:
    modal = HelpModal([("Steps", [("space", "Check step"), ("[", "Literal [b]bracket[/b]")])])
    async with opened(modal) as (app, pilot):
        texts = [str(static.content) for static in app.screen.query(Static)]
        assert {"Steps", "space", "Check step", "[", "Literal [b]bracket[/b]"} <= set(texts)
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [None]


async def test_help_scrolls_long_sections() -> None:
    modal = ALL_MODALS["help"]()
    async with opened(modal) as (app, pilot):
        keys = app.screen.query_one("#keys")
        assert keys.max_scroll_y > 0
        assert app.screen.focused is keys
        await pilot.press("end")
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y


# --- DecisionModal ---------------------------------------------------------------------------


async def test_decision_shows_principle_states_and_prefilled_reason() -> None:
    modal = DecisionModal(TRIGGERS, toggle_manual=Toggler(TRIGGERS), commander="alice")
    async with opened(modal) as (app, pilot):
        texts = " ".join(str(label.content) for label in app.screen.query(Label))
        assert PRINCIPLE in texts
        assert "Decision by: alice" in texts
        met, no_data, not_met = prompts(app.screen.query_one("#triggers", OptionList))
        assert met.startswith("● MET") and "error rate 12.0% > 5.0% for 3 samples" in met
        assert no_data.startswith("? no data")
        assert not_met.startswith("○ not met")
        assert app.screen.query_one("#reason", Input).value == (
            "Rollback triggers met: Error rate > 5%"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["Rollback triggers met: Error rate > 5%"]


async def test_decision_toggles_manual_trigger_and_rerenders() -> None:
    toggler = Toggler(TRIGGERS)
    modal = DecisionModal(TRIGGERS, toggle_manual=toggler, commander="alice")
    async with opened(modal) as (app, pilot):
        triggers = app.screen.query_one("#triggers", OptionList)
        reason = app.screen.query_one("#reason", Input)
        assert app.screen.focused is triggers
        await pilot.press("down", "down", "space")
        await pilot.pause()
        assert toggler.calls == ["core-broken"]
        assert prompts(triggers)[2].startswith("● MET")
        assert triggers.highlighted == 2
        assert reason.value == ("Rollback triggers met: Error rate > 5%, Core functionality broken")
        await pilot.press("m")
        await pilot.pause()
        assert toggler.calls == ["core-broken", "core-broken"]
        assert prompts(triggers)[2].startswith("○ not met")
        assert reason.value == "Rollback triggers met: Error rate > 5%"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["Rollback triggers met: Error rate > 5%"]


async def test_decision_measured_trigger_does_not_toggle() -> None:
    toggler = Toggler(TRIGGERS)
    modal = DecisionModal(TRIGGERS, toggle_manual=toggler, commander="alice")
    async with opened(modal) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        assert toggler.calls == []
        assert "only manual triggers toggle" in error_text(app)
        assert_still_open(app, modal)


async def test_decision_keeps_an_edited_reason_and_space_types_in_it() -> None:
    toggler = Toggler(TRIGGERS)
    modal = DecisionModal(TRIGGERS, toggle_manual=toggler, commander="alice")
    async with opened(modal) as (app, pilot):
        reason = app.screen.query_one("#reason", Input)
        reason.focus()
        reason.value = "customers"
        reason.cursor_position = len(reason.value)
        await type_text(pilot, " m")  # space and m go to the Input here
        assert toggler.calls == []
        modal.show_triggers(toggler.flip("core-broken"))
        await pilot.pause()
        assert reason.value == "customers m"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["customers m"]


async def test_decision_requires_reason() -> None:
    quiet = [TriggerView(t.id, t.title, t.kind, "not met", t.detail) for t in TRIGGERS]
    modal = DecisionModal(quiet, toggle_manual=Toggler(quiet), commander="alice")
    async with opened(modal) as (app, pilot):
        assert app.screen.query_one("#reason", Input).value == ""
        await pilot.click("#submit")
        await pilot.pause()
        assert error_text(app) == "Reason is required."
        assert focused_id(app) == "reason"
        assert_still_open(app, modal)
