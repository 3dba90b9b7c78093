"""ctrl+c says how to quit in plain words.

Textual's answer to ctrl+c is a toast whose message is markup (`Press [b]ctrl+q[/b]
to quit the app`); the apps' toasts show every message as text, since messages quote
what people typed, so the brackets showed as typed. The apps now say it in text.
"""

from __future__ import annotations

from pathlib import Path

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.screens.incident import IncidentScreen


async def test_ctrl_c_names_the_quit_key_without_markup(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("declared", tmp_path / "ctrl-c.db"))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("ctrl+c")

        def said() -> list[str]:
            return [n.message for n in app._notifications if n.title == "Do you want to quit?"]

        await wait_until(pilot, lambda: bool(said()))
        assert said() == ["Press ctrl+q to quit the app"]
        assert app.return_code is None
