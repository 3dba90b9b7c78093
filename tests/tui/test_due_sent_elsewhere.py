"""A due message sent from another terminal while this one has it open is not sent twice.

Two coordinators on one file (a review): Bo's TUI had the due announce open (`m`), Ada
sent it with `lastgood send`, and Bo's ctrl+s sent it again with no word, so
stakeholders were told twice. The send from the dialog is decided on the record as it
is inside the append, and refused there, in the dialog, naming who sent it and when,
as the decision dialog refuses a second decision. Two sessions on one real file: the
TUI driven with Pilot, the CLI as a person runs it (a process) or a session of its own.
ctrl+d (don't send) is refused as ctrl+s is, at once, rather than by the decline form.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from incident import commands
from incident.app import messages
from incident.app.session import IncidentSession
from incident.comms.due import no_longer_due
from incident.core.clock import SystemClock
from incident.core.text import visible
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.due_harness import (
    CONFIRM_ON_GATE,
    GATE,
    declare,
    kinds,
    offers_due,
    stored,
    write_runbook,
)
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.composer import ComposerModal
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen


def decided(tmp_path: Path) -> tuple[Path, LastGoodApp, str]:
    """The gate done (so `announce` is due), and Bo's TUI on the same file."""
    clock = SystemClock()
    runbook = write_runbook(tmp_path, {"team": "http://127.0.0.1:9/hook"}, CONFIRM_ON_GATE)
    db = tmp_path / "two.db"
    incident_id = declare(db, runbook, clock)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        session.run(
            lambda s: commands.approve(s, GATE, by="Ada", reason="errors", actor="Ada", clock=clock)
        )
        session.run(lambda s: commands.check_step(s, GATE, actor="Ada", clock=clock))
    app = LastGoodApp(
        SqliteEventLog.open(db),
        runbook,
        clock=SystemClock(),
        actor="Bo",
        incident_id=incident_id,
        network=False,
    )
    return db, app, incident_id


def answered(app: LastGoodApp, dialog: DueMessageModal) -> bool:
    """The dialog closed (sent), or says why not."""
    return app.screen is not dialog or bool(dialog.error_message)


async def test_a_due_message_sent_from_the_cli_meanwhile_is_refused_in_the_dialog(tmp_path):
    db, app, incident_id = decided(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await wait_until(pilot, lambda: offers_due(screen))
        await pilot.press("m")
        await wait_for_screen(pilot, DueMessageModal)
        dialog = app.screen
        assert isinstance(dialog, DueMessageModal)

        ada = Cli(db, actor="Ada")
        sent = await asyncio.to_thread(ada.run, "send", incident_id, "--template", "announce")
        assert sent.code == 0, sent.err
        assert "message recorded as sent" in sent.out

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: answered(app, dialog))
        assert app.screen is dialog, "sent again: the dialog closed"  # still open, as it was
        assert "announce was sent by Ada at T+" in dialog.error_message
        assert "not due any more" in dialog.error_message
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
        assert len(screen.state.communications) == 1

    events = stored(db, incident_id)
    [message] = [e for e in events if e.kind == "communication.sent"]
    assert message.actor == "Ada"
    assert kinds(events).count("communication.sent") == 1


async def test_a_due_message_declined_from_the_cli_meanwhile_is_refused_in_the_dialog(tmp_path):
    db, app, incident_id = decided(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await wait_until(pilot, lambda: offers_due(screen))
        await pilot.press("m")
        await wait_for_screen(pilot, DueMessageModal)
        dialog = app.screen
        assert isinstance(dialog, DueMessageModal)

        ada = Cli(db, actor="Ada")
        why = ("--reason", "told them on the bridge")
        declined = await asyncio.to_thread(ada.run, "decline", incident_id, "announce", *why)
        assert declined.code == 0, declined.err

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: answered(app, dialog))
        assert app.screen is dialog, "sent: the dialog closed"
        assert "announce was declined by Ada at T+" in dialog.error_message
        assert "told them on the bridge" in dialog.error_message

    assert "communication.sent" not in kinds(stored(db, incident_id))


@pytest.mark.parametrize("elsewhere", ["sent", "declined"])
async def test_ctrl_d_on_a_due_message_settled_meanwhile_refuses_at_once(tmp_path, elsewhere):
    """ctrl+d (don't send) on a message another terminal sent or declined meanwhile
    opened the decline form, which then refused in other words ("no 'announce' message
    is due (due now: none)"). Refused at once, in the dialog, as ctrl+s is refused:
    in the words of the send path (`no_longer_due`), read from the record as it is."""
    db, app, incident_id = decided(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await wait_until(pilot, lambda: offers_due(screen))
        await pilot.press("m")
        await wait_for_screen(pilot, DueMessageModal)
        dialog = app.screen
        assert isinstance(dialog, DueMessageModal)

        def other_terminal() -> None:  # a writer of its own on the same file
            with SqliteEventLog.open(db) as log:
                ada = IncidentSession(log, incident_id, SystemClock())
                if elsewhere == "sent":
                    messages.send(ada, "Ada", template="announce")
                else:
                    messages.decline(ada, "Ada", "announce", reason="told them on the bridge")

        await asyncio.to_thread(other_terminal)
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: answered(app, dialog))
        assert app.screen is dialog, "closed: the decline form opened"
        said = dialog.error_message
        assert said == visible(no_longer_due(screen.state, "announce"))
        assert said.startswith(f"announce was {elsewhere} by Ada at T+"), said
        assert said.endswith(": it is not due any more"), said

        dialog.clear_error()
        await pilot.press("ctrl+s")  # the send path says the same
        await wait_until(pilot, lambda: answered(app, dialog))
        assert app.screen is dialog and dialog.error_message == said
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)

    events = stored(db, incident_id)
    assert [e.actor for e in events if e.kind.startswith("communication.")] == ["Ada"]


async def test_the_composer_refuses_announce_sent_meanwhile_then_sends_it_on_a_second_ctrl_s(
    tmp_path,
):
    """The composer is the other way to send it: the same refusal, in the dialog, and
    (as `send --again`) a second ctrl+s sends it once more, on purpose."""
    db, app, incident_id = decided(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        screen.comms.open_composer("announce")
        await wait_for_screen(pilot, ComposerModal)
        composer = app.screen
        assert isinstance(composer, ComposerModal)
        assert composer.error_message == ""  # not sent yet: nothing to say

        ada = Cli(db, actor="Ada")
        sent = await asyncio.to_thread(ada.run, "send", incident_id, "--template", "announce")
        assert sent.code == 0, sent.err

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not composer or bool(composer.error_message))
        assert app.screen is composer, "sent again: the composer closed"
        assert composer.error_message.startswith("announce was already sent by Ada at T+")
        assert composer.error_message.endswith("(ctrl+s sends it again)")
        assert len(screen.state.communications) == 1

        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: len(screen.state.communications) == 2)

        screen.comms.open_composer("announce")  # opened on it now: said at once
        await wait_for_screen(pilot, ComposerModal)
        said = app.screen.error_message
        assert (
            said.startswith("announce was already sent by Ada at T+") and " and by Bo at T+" in said
        )
        assert said.endswith(": ctrl+s sends it again")

    events = stored(db, incident_id)
    assert [e.actor for e in events if e.kind == "communication.sent"] == ["Ada", "Bo"]
