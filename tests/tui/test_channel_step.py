"""Checking "Create a dedicated communication channel" with no channel named asks for
it: space on the step opens the channel's form, and naming the channel checks the step
(ux_review7 F6). It was checked at once, `▸ Press space: check it once done.`, with no
field for the channel. The real app on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance

STEP = "create-channel"


async def test_space_on_the_channel_step_opens_the_channel_form_which_checks_it(
    tmp_path: Path,
) -> None:
    async with coordinator(tmp_path / "channel.db") as (_, pilot, screen):
        assert not screen.state.channel  # declared without --channel
        await guide(pilot, screen, STEP)
        guidance = screen.query_one(Guidance)
        await wait_until(
            pilot,
            lambda: "name the incident channel; naming it checks this" in guidance._text.plain,
        )
        await pilot.press("space")
        await wait_for_screen(pilot, VerbForm)
        assert not screen.state.steps[STEP].done  # nothing recorded by the key alone
        await fill_form(pilot, channel="#inc-checkout")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps[STEP].done)
        assert screen.state.channel == "#inc-checkout"
        assert screen.state.steps[STEP].evidence == "incident channel #inc-checkout"
