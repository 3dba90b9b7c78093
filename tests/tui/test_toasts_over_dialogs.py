"""A toast over a dialog keeps off its buttons and its key hint: at 60x20 the toasts,
at the screen's foot, hid `Don't send (ctrl+d)` and `Later (esc)` for ten seconds."""

from __future__ import annotations

import pytest
from textual.widgets import Label
from textual.widgets._toast import Toast

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tui.app.modals.base import FormModal


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_toasts_keep_off_a_dialogs_buttons_and_hint(tmp_path, size):
    async with coordinator(tmp_path / "toasts.db", size=size, notifications=True) as (
        app,
        pilot,
        _screen,
    ):
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, FormModal))
        dialog = app.screen
        for n in range(3):
            app.notify(f"news {n}: something happened elsewhere", title=f"news {n}")
        await wait_until(pilot, lambda: bool(dialog.query(Toast)))
        await pilot.pause()
        toasts = [toast.region for toast in dialog.query(Toast)]
        buttons = dialog.query_one(".buttons").region
        hint = dialog.query(Label).filter(".hint").last().region
        assert toasts
        for toast in toasts:
            assert not toast.overlaps(buttons), (toast, buttons)
            assert not toast.overlaps(hint), (toast, hint)
