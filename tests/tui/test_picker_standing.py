"""The picker tells a resolved incident ready to close from a live one, and shows each
one's id and commander (review 6 #12): it showed `SEV3  Search timeouts after 3.1.0
T+04:22  open`, with no id to give `lastgood start ID` and no commander."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from store.sqlite_log import SqliteEventLog
from tests.test_list_standing import LIVE, two_incidents
from tests.tui.modal_harness import prompts
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals import IncidentPicker
from tui.demo.scenarios import SCENARIO_ID, bundled_runbook


async def test_the_picker_shows_standing_id_and_commander(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    two_incidents(db)
    log = SqliteEventLog.open(db)
    app = LastGoodApp(log, bundled_runbook(), actor="bo", network=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentPicker)
        shown = prompts(app.screen.query_one("#incidents", OptionList))
        resolved = next(p for p in shown if "Checkout errors" in p)
        live = next(p for p in shown if "Search timeouts" in p)
        assert "resolved, ready to close" in resolved
        assert f"{SCENARIO_ID} · IC Ada Lovelace" in resolved
        assert "  open" not in resolved.splitlines()[0]
        assert live.splitlines()[0].rstrip().endswith("  open")
        assert f"{LIVE} · IC Bo" in live
    log.close()
