"""A dialog that closes while another screen is on top of it closes itself, not the
screen on top.

Textual's `dismiss` pops the top screen, whichever it is. A form that waits for its
record can have a screen pushed over it meanwhile (the command palette, whose ctrl+p
works over every dialog; a drill's score card): when the record answered, that screen
was popped in the form's place, and the form stayed on screen, dead to every key.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual.command import CommandPalette

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import VerbForm
from tui.app.screens.incident import IncidentScreen


async def test_the_palette_opened_while_a_form_records_leaves_the_form_to_close(
    tmp_path: Path,
) -> None:
    scenario = scenario_copy("declared", tmp_path / "under.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        await pilot.press("X")  # required steps open: the close form, Force focused
        await wait_for_screen(pilot, VerbForm)
        form = app.screen
        assert isinstance(form, VerbForm)
        await pilot.press("space", "tab", *"false alarm")
        gate = threading.Event()  # the record is slow to answer (a lock, a slow disk)
        incident.recorder.submit(lambda session: gate.wait(10))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.is_recording)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        gate.set()
        await wait_until(pilot, lambda: incident.state.is_closed and not form.is_recording)
        await wait_until(pilot, lambda: form.is_dismissed)
        assert app.screen is palette  # the palette stays up until it is closed
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)  # and the form has closed beneath it
        assert form not in app.screen_stack and palette not in app.screen_stack
