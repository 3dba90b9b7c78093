"""Waiting on an app that never idles: its clocks tick every second."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot
from textual.screen import Screen


async def wait_until(
    pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = 5
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


async def wait_for_screen(pilot: Pilot[object], screen_type: type[Screen[object]]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    await pilot.pause()


async def fill_form(pilot: Pilot[object], submit: str = "ctrl+s", **values: object) -> None:
    """Fill the generic verb form's fields by parameter name, then submit it."""
    from textual.widgets import Checkbox, Input, Select, TextArea

    from tui.app.modals.verb_form import VerbForm

    await wait_for_screen(pilot, VerbForm)
    form = pilot.app.screen
    for name, value in values.items():
        widget = form.query_one(f"#param-{name}")
        if isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.load_text(str(value))
        else:
            assert isinstance(widget, Input)
            widget.value = str(value)
    await pilot.press(submit)
