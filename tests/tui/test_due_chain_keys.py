"""The `m` the due toast asks for never lands in a message (ux_review17 #1).

The decision makes three messages due at once; the toast says "3 messages due —
press m". Each message sent from its dialog opens the next still due, and that dialog
opened with its editor focused: the coordinator's next `m`, pressed as the toast
said, was typed into the message, which went out as "... incident commander:
Ada.m". Now the dialog a send opens by itself is focused on its Send button and says
which of the due messages it is: `m` there does nothing, ctrl+s sends it as the
runbook wrote it, Tab reaches the text to edit it.

The review's keys, at a human pace (each pressed once the dialog or screen it was
meant for is up): `m`, ctrl+s, `m`, ctrl+s, `m`, ctrl+s. The real app on a real
SQLite file, the bundled runbook.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Label, TextArea

from incident.app import steps
from incident.app.session import IncidentSession
from incident.comms.due import awaiting_confirmation
from tests.tui.coordinator_harness import coordinator
from tests.tui.due_harness import notified, offers_due
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_due_messages import toasts_outlast_the_test
from tui.app.app import LastGoodApp
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.comms import DUE_TITLE
from tui.app.screens.incident import IncidentScreen

HINT = "ctrl+s send · ctrl+d don't send (asks why) · Esc decide later"
HINT_ON_SEND = "ctrl+s send · shift+Tab edit the text · ctrl+d don't send · Esc later"


def decided(session: IncidentSession) -> None:
    """`prepare`: the rollback decided, which makes three messages due for confirmation."""
    steps.decide(session, "ada", reason="error rate 12% > 5%")


def title(dialog: DueMessageModal) -> str:
    return str(dialog.query_one(".title", Label).content)


async def test_m_pressed_after_each_send_is_never_typed_into_the_next_message(
    tmp_path: Path,
) -> None:
    async with coordinator(tmp_path / "chain.db", prepare=decided) as (app, pilot, screen):
        await wait_until(pilot, lambda: offers_due(screen))
        due_at_first = len(awaiting_confirmation(screen.state, screen.view.now()))
        assert due_at_first == 3
        offered: list[tuple[str, str]] = []  # (title, text) of each dialog, as it opened
        dialog: object = None
        opened_by_itself: list[tuple[str | None, str]] = []
        for sent in range(due_at_first):
            # The coordinator presses m, as the toast says, on whatever is up.
            await pilot.press("m")
            await wait_for_screen(pilot, DueMessageModal)
            dialog = app.screen
            assert isinstance(dialog, DueMessageModal)
            offered.append((dialog.heading, dialog.text))
            await pilot.press("ctrl+s")

            def moved_on(sent: int = sent, before: object = dialog) -> bool:
                if len(screen.state.communications) != sent + 1:
                    return False
                top = app.screen
                if isinstance(top, DueMessageModal):
                    return top is not before  # the next, opened by the send
                return isinstance(top, IncidentScreen)

            await wait_until(pilot, moved_on)
            if sent + 1 < due_at_first and isinstance(app.screen, DueMessageModal):
                chained = app.screen  # opened by the send, not by a key
                focused = chained.focused
                opened_by_itself.append(
                    (focused.id if isinstance(focused, Button) else str(focused), title(chained))
                )
        await wait_for_screen(pilot, IncidentScreen)
        recorded = [(m.template, m.text) for m in screen.state.communications]
        assert [text for _, text in recorded] == [text for _, text in offered]
        assert not any(text.endswith("m") for _, text in recorded), recorded
        assert len({template for template, _ in recorded}) == due_at_first
        # Each dialog a send opened by itself waits on its Send button, not in the
        # text, and says which of the messages due it is.
        assert len(opened_by_itself) == due_at_first - 1
        for place, (focus, said) in enumerate(opened_by_itself, start=2):
            assert focus == "send"
            assert said.endswith(f" · {place} of {due_at_first} due"), said


def live_toasts(app: LastGoodApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def hint(dialog: DueMessageModal) -> str:
    return str(dialog.query_one(".hint", Label).content)


async def test_the_toast_the_footer_and_the_dialog_say_the_same_of_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a send opens the next dialog, no toast says "press m"; the dialog says
    which one it is, and its hint how to reach the text; Esc ends the run of dialogs,
    and the toast says `m` again, as the footer does."""
    opened = coordinator(tmp_path / "words.db", prepare=decided, notifications=True)
    async with opened as (app, pilot, screen):
        toasts_outlast_the_test(app, monkeypatch)
        await wait_until(pilot, lambda: offers_due(screen))
        await wait_until(pilot, lambda: bool(notified(app, DUE_TITLE)))
        assert notified(app, DUE_TITLE)[0].startswith("3 messages due — press m: ")

        await pilot.press("m")
        await wait_for_screen(pilot, DueMessageModal)
        first = app.screen
        assert isinstance(first, DueMessageModal)
        assert title(first).endswith(" · 1 of 3 due")
        assert isinstance(first.focused, TextArea)  # opened by m: the text, to edit
        assert hint(first) == HINT

        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, DueMessageModal) and app.screen is not first
        )
        second = app.screen
        assert isinstance(second, DueMessageModal)
        await wait_for_screen(pilot, DueMessageModal)
        assert title(second).endswith(" · 2 of 3 due")
        assert [
            n.startswith("2 messages due — the next opens by itself: ")
            for n in notified(app, DUE_TITLE)
        ] == [True]
        assert not any("press m" in said for said in live_toasts(app)), live_toasts(app)
        assert isinstance(second.focused, Button) and second.focused.id == "send"
        assert hint(second) == HINT_ON_SEND
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: isinstance(second.focused, TextArea))
        assert hint(second) == HINT

        await pilot.press("escape")  # later: nothing typed, nothing asked
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(
            pilot,
            lambda: notified(app, DUE_TITLE)[0].startswith("2 messages due — press m: "),
        )
        assert offers_due(screen)
        assert len(screen.state.communications) == 1
