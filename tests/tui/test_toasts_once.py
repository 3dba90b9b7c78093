"""A toast shows once, on the screen on top, a dialog's included.

Textual gives every screen its own rack of toasts and fills only the top one's. The
coordinator's screen, drawn beneath a dialog, kept the toasts it had when the dialog
opened: at 120x40 a toast showed at the dialog's top and again over the timeline,
and a toast taken down while the dialog was up (merged, displaced) stayed beneath.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.screen import Screen
from textual.widgets._toast import Toast

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app.modals.base import FormModal
from tui.app.screens.incident import IncidentScreen


def times_shown(lines: list[str], text: str) -> int:
    return sum(line.count(text) for line in lines)


def titles(screen: Screen[Any]) -> set[str]:
    return {toast._notification.title for toast in screen.query(Toast)}


async def test_a_toast_shows_once_over_a_dialog_and_again_once_it_closes(tmp_path: Path) -> None:
    opened = coordinator(tmp_path / "once.db", size=(120, 40), notifications=True)
    async with opened as (app, pilot, screen):
        app.notify("raised before the dialog", title="Earlier news", timeout=60)
        await wait_until(pilot, lambda: "Earlier news" in titles(screen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal))
        dialog = app.screen
        app.notify("raised over the dialog", title="Later news", timeout=60)
        await wait_until(pilot, lambda: {"Earlier news", "Later news"} <= titles(dialog))
        await pilot.pause()
        lines = screen_lines(app)
        assert times_shown(lines, "raised before the dialog") == 1, "\n".join(lines)
        assert times_shown(lines, "raised over the dialog") == 1, "\n".join(lines)
        # Displaced by the two (two toasts live at most): on no screen.
        assert times_shown(lines, "Probes not polled") == 0, "\n".join(lines)

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentScreen))
        await wait_until(pilot, lambda: titles(screen) == {"Earlier news", "Later news"})
        await pilot.pause()
        lines = screen_lines(app)
        assert times_shown(lines, "raised before the dialog") == 1, "\n".join(lines)
        assert times_shown(lines, "raised over the dialog") == 1, "\n".join(lines)
