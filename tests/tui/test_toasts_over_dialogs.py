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


async def test_deliveries_refused_for_good_are_said_stopped_not_retrying(tmp_path):
    """A role that cannot write the outbox ends deliveries (`Deliverer.refusal`); the
    toast said "paused, retrying" though no retry was coming."""
    from textual.notifications import Notification

    from tui.app.screens.deliveries import DELIVERIES_TITLE
    from tui.net.delivery import CannotDeliver

    async with coordinator(tmp_path / "refused.db", notifications=True) as (app, pilot, screen):
        why = "cannot deliver: this role cannot write the outbox (permission denied)"
        screen.comms.deliveries.say(CannotDeliver("postgresql://reader@db/x", why))

        def said() -> list[Notification]:
            return [n for n in app._notifications if n.title == DELIVERIES_TITLE]

        await wait_until(pilot, lambda: bool(said()))
        [toast] = said()
        assert toast.message.startswith("Webhook deliveries stopped: ")
        assert "retrying" not in toast.message and toast.severity == "error"
