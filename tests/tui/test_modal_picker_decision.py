"""Pilot tests of the incident picker, the help screen and the decision screen."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, OptionList, Static

from tests.tui.modal_harness import (
    ROWS,
    TRIGGERS,
    Toggler,
    assert_still_open,
    error_text,
    focused_id,
    opened,
    prompts,
    type_text,
)
from tui.app.modals import (
    PRINCIPLE,
    DecisionForm,
    DecisionModal,
    HelpModal,
    IncidentPicker,
    TriggerView,
)

# --- IncidentPicker --------------------------------------------------------------------------


async def test_picker_enter_returns_highlighted_id() -> None:
    modal = IncidentPicker(ROWS)
    async with opened(modal) as (app, pilot):
        lines = prompts(app.screen.query_one("#incidents", OptionList))
        assert lines[1].startswith("SEV3  Slow [search]")
        assert "T+1:02:00  resolved, ready to close" in lines[1]
        assert lines[1].splitlines()[1].split() == ["inc-2", "·", "IC", "Bo"]
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
    modal = HelpModal([(f"Section {i}", [("k", "does a thing")] * 6) for i in range(6)])
    async with opened(modal) as (app, pilot):
        keys = app.screen.query_one("#keys")
        assert keys.max_scroll_y > 0
        assert app.screen.focused is keys
        await pilot.press("end")
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y


# --- DecisionModal ---------------------------------------------------------------------------


async def test_decision_shows_principle_states_and_prefilled_reason() -> None:
    modal = DecisionModal(TRIGGERS, toggle_manual=Toggler(TRIGGERS), by="alice")
    async with opened(modal) as (app, pilot):
        texts = " ".join(str(label.content) for label in app.screen.query(Label))
        assert PRINCIPLE in texts
        assert app.screen.query_one("#by", Input).value == "alice"
        met, no_data, not_met = prompts(app.screen.query_one("#triggers", OptionList))
        assert met.startswith("● MET") and "error rate 12.0% > 5.0% for 3 samples" in met
        assert no_data.startswith("? no data")
        assert not_met.startswith("○ not met")
        assert app.screen.query_one("#reason", Input).value == (
            "Rollback triggers met: Error rate > 5%"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [DecisionForm("alice", "Rollback triggers met: Error rate > 5%")]


async def test_decision_toggles_manual_trigger_and_rerenders() -> None:
    toggler = Toggler(TRIGGERS)
    modal = DecisionModal(TRIGGERS, toggle_manual=toggler, by="alice")
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
        await pilot.press("space")
        await pilot.pause()
        assert toggler.calls == ["core-broken", "core-broken"]
        assert prompts(triggers)[2].startswith("○ not met")
        assert reason.value == "Rollback triggers met: Error rate > 5%"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [DecisionForm("alice", "Rollback triggers met: Error rate > 5%")]


async def test_decision_measured_trigger_does_not_toggle() -> None:
    toggler = Toggler(TRIGGERS)
    modal = DecisionModal(TRIGGERS, toggle_manual=toggler, by="alice")
    async with opened(modal) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        assert toggler.calls == []
        assert "only manual triggers toggle" in error_text(app)
        assert_still_open(app, modal)


async def test_decision_keeps_an_edited_reason_and_space_types_in_it() -> None:
    toggler = Toggler(TRIGGERS)
    modal = DecisionModal(TRIGGERS, toggle_manual=toggler, by="alice")
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
        assert app.results == [DecisionForm("alice", "customers m")]


async def test_decision_requires_reason() -> None:
    quiet = [TriggerView(t.id, t.title, t.kind, "not met", t.detail) for t in TRIGGERS]
    modal = DecisionModal(quiet, toggle_manual=Toggler(quiet), by="alice")
    async with opened(modal) as (app, pilot):
        assert app.screen.query_one("#reason", Input).value == ""
        await pilot.click("#submit")
        await pilot.pause()
        assert error_text(app) == "Reason is required."
        assert focused_id(app) == "reason"
        assert_still_open(app, modal)


async def test_decision_by_then_reason_by_keys() -> None:
    """By before Reason, as in the approval form: Enter in By moves on, Enter in the
    reason decides (the reason stays the last field, so `d`, reason, Enter still works)."""
    modal = DecisionModal(TRIGGERS, toggle_manual=Toggler(TRIGGERS), by="alice")
    async with opened(modal) as (app, pilot):
        by = app.screen.query_one("#by", Input)
        by.value = ""
        by.focus()
        await type_text(pilot, "Bo Smith")
        await pilot.press("enter")
        assert focused_id(app) == "reason"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [DecisionForm("Bo Smith", "Rollback triggers met: Error rate > 5%")]


async def test_decision_by_with_a_control_character_is_shown_not_sent() -> None:
    """A commander's name holding ESC is not put in the field raw: the field is left
    empty, its placeholder shows the name with the control made visible, and empty
    is the use case's own default, that same commander."""
    modal = DecisionModal(TRIGGERS, toggle_manual=Toggler(TRIGGERS), by="Ada\x1b[2J")
    async with opened(modal) as (app, pilot):
        by = app.screen.query_one("#by", Input)
        assert by.value == ""
        assert by.placeholder == "Ada\u241b[2J"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [DecisionForm("", "Rollback triggers met: Error rate > 5%")]
