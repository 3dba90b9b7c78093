"""The `m` dialog warns before it sends a message that fills a stand-in (ux_review15 #7).

Declared without `--channel`, the decision makes the announcement due; its dialog
showed "Channel: the incident channel." with no word that no channel was named. It now
says so, and how to name it, before ctrl+s. The real app (Pilot) on a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen


async def test_the_due_dialog_names_the_missing_channel(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    cli = InProcessCli(db, actor="Ada")
    incident = cli.ok(
        "declare", "--title", "T", "--severity", "SEV2", "--commander", "Ada",
        "--issue", "500s", "--eta", "20", "--from-version", "2.4.1", "--last-good", "2.4.0",
    ).strip()  # fmt: skip
    cli.ok("decide", incident, "--reason", "error rate over 5%")
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=SystemClock(), actor="Ada", incident_id=incident)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, DueMessageModal))
            labels = [str(label.render()) for label in app.screen.query(Label)]
            warned = [text for text in labels if text.startswith("⚠")]
            assert len(warned) == 1, labels
            assert "{channel}: no channel was named: name it first (Set channel" in warned[0]
