"""Pilot tests of the database tier picker and the message composer."""

from __future__ import annotations

from textual.widgets import Input, Label, OptionList, Select, Static, TextArea

from tests.tui.modal_harness import (
    TEMPLATES,
    TIERS,
    assert_still_open,
    error_text,
    focused_id,
    opened,
    prompts,
    type_text,
)
from tui.app.modals import (
    ComposerModal,
    DatabaseTierModal,
    TierView,
)

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
        assert app.screen.query_one("#channel", Input).value == "#inc-42"
        text_area = app.screen.query_one("#text", TextArea)
        assert text_area.text == TEMPLATES[0][2]
        assert str(app.screen.query_one("#count", Label).content) == "51 characters"
        assert len(TEMPLATES[0][2]) == 51
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [("initiating", TEMPLATES[0][2], "#inc-42")]


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
        assert app.results == [
            ("resolved", "Resolved: checkout errors. Service is restored. Ok", "")
        ]


async def test_composer_free_text_without_template() -> None:
    """What is typed as the form opens is the message: the template list had the
    focus, so a space opened it and the keys were lost (a review)."""
    modal = ComposerModal(TEMPLATES)
    async with opened(modal) as (app, pilot):
        await type_text(pilot, "Hi")
        await pilot.press("enter")  # a newline in the message, not a submit
        await type_text(pilot, "yo")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [(None, "Hi\nyo", "")]


async def test_composer_sends_to_the_channel_typed() -> None:
    """`lastgood send --channel` had no field in the TUI (a parity review)."""
    modal = ComposerModal(TEMPLATES, template="initiating", channel="#inc-42")
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#channel", Input).value = "  #ops  "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [("initiating", TEMPLATES[0][2], "#ops")]


async def test_composer_empty_text_is_an_error() -> None:
    modal = ComposerModal(TEMPLATES, template="resolved")
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#text", TextArea).text = "  \n "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "The message is empty."
        assert_still_open(app, modal)


async def test_the_channel_typed_in_the_composer_is_recorded(tmp_path) -> None:
    """Through the coordinator's screen, to the record: the message went to the
    incident's channel whatever was meant (a parity review)."""
    from textual.widgets import TextArea as Editor

    from tests.tui.coordinator_harness import coordinator
    from tests.tui.pilot_helpers import wait_for_screen, wait_until
    from tui.app.screens.incident import IncidentScreen

    async with coordinator(tmp_path / "channel.db") as (app, pilot, screen):
        screen.comms.open_composer(None)
        await wait_for_screen(pilot, ComposerModal)
        app.screen.query_one("#channel", Input).value = "#ops"
        app.screen.query_one("#text", Editor).text = "rolling back now"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: bool(screen.state.communications))
        [sent] = screen.state.communications
        assert (sent.text, sent.channel) == ("rolling back now", "#ops")
