"""The handoff brief (`i`) on the screen that polls production says it polls here.

The dialog said `Production: polled by Ada's screen (pid 4242 on vm), last tick
T+00:02` on Ada's own screen, the one polling: its own name, as if another poller
held the turn, where the Production panel under it said `polled here`. The brief now
says who polls as the screen knows it (`IncidentView.poll_mark_at`, with
`incident.app.pollers.poller_here`).

A real demo shop on loopback, polled by the coordinator's screen in its own process
(as the demo's and the drill's screens poll), into a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from incident.health.poll_mark import Polling
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.brief import BriefModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService

WAIT_S = 30.0


async def test_the_brief_on_the_polling_screen_says_polled_here(tmp_path: Path) -> None:
    db = tmp_path / "screen.db"
    cli = InProcessCli(db, actor="Ada")
    with DemoService(latency_scale=0, synthetic_rps=50, window_s=4) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
            "--runbook", runbook.source, "--last-good", "2.4.0",
        ).strip()  # fmt: skip
        with SqliteEventLog.open(db) as log:
            app = LastGoodApp(log, None, actor="Ada", incident_id=incident_id)
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                assert isinstance(screen, IncidentScreen)

                def polling_here() -> bool:
                    mark = screen.view.poll_mark()
                    return mark is not None and mark.polling is Polling.HERE

                await wait_until(pilot, polling_here, WAIT_S)
                mark = screen.view.poll_mark()
                assert mark is not None and mark.poller is not None
                assert mark.poller.startswith("Ada's screen (pid ")

                await pilot.press("i")
                await wait_for_screen(pilot, BriefModal)
                shown = str(app.screen.query_one("#brief-text", Static).render())
                assert "Production: polled here" in shown.splitlines(), shown
                assert mark.poller not in shown and "another poller" not in shown
                await pilot.press("escape")
                await wait_for_screen(pilot, IncidentScreen)
