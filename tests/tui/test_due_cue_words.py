"""One due message is said one way: in its own toast and at the head of a verb's toast.

The toast said "The announce message is ready: m reviews and sends it" while the
line leading a verb's toast at 80x24 said "1 message due — press m" of the same
message. The words now come from one rule in the application layer
(`incident.app.next_key.due_cue`); the toast adds which message, the short line does
not. A real SQLite file and the app at 80x24, where the verb's toast leads with it.
"""

from __future__ import annotations

from pathlib import Path

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.tui.due_harness import (
    CONFIRM_ON_GATE,
    approve_and_check_gate,
    declare,
    make_app,
    notified,
    offers_due,
    write_runbook,
)
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen


def newest(app: LastGoodApp) -> str:
    """The newest toast's text."""
    return str(list(app._notifications)[-1].message)


async def test_one_due_message_reads_alike_in_both_toasts(tmp_path: Path) -> None:
    runbook = write_runbook(tmp_path, {"team": "http://127.0.0.1:9/hook"}, CONFIRM_ON_GATE)
    db = tmp_path / "one.db"
    incident_id = declare(db, runbook, SystemClock())
    with SqliteEventLog.open(db) as log:
        app = make_app(log, runbook, incident_id)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await approve_and_check_gate(pilot, screen)
            await wait_until(pilot, lambda: offers_due(screen))
            await wait_until(pilot, lambda: bool(notified(app, "Message due")))
            assert notified(app, "Message due") == ["1 message due — press m: announce"]

            await pilot.press("n")
            await fill_form(pilot, text="announce waits for the bridge")
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: len(screen.state.notes) == 1)
            await wait_until(pilot, lambda: "Note" in newest(app))
            said = newest(app)
            assert said.splitlines()[0] == "1 message due — press m", said
