"""The step that sends the resolution, on the coordinator's screen: with the bundled
runbook (no `status_page:`) its guidance says no status page is configured instead of
implying one is updated; with a page and no target it says to update it by hand at the
page's URL, and the key that records it (U), which records who updated it and when, and
the guidance then says so. The real app (Pilot) on a real SQLite file."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot

from incident.core.clock import ManualClock
from runbooks.loading import load_runbook
from runbooks.resolve import resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import coordinator, declared
from tests.tui.pilot_helpers import fill_form, highlight, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0


async def guide(pilot: Pilot[None], screen: IncidentScreen, step: str) -> None:
    """Show the step's phase, highlight it, and wait for its guidance."""
    highlight(screen, step)
    title = screen.state.steps[step].step.title
    await wait_until(pilot, lambda: screen.query_one(Guidance)._text.plain.startswith(title))


def said(screen: IncidentScreen) -> str:
    return " ".join(screen.query_one(Guidance)._text.plain.split())


async def test_without_a_page_the_guidance_says_none_is_configured(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "none.db", size=(120, 40)) as (_app, pilot, screen):
        await guide(pilot, screen, "communicate-resolution")
        assert "Update the status page" in said(screen)  # the guide's words, as written
        assert "No status page is configured (the runbook has no status_page)" in said(screen)
        await guide(pilot, screen, "assess-severity")
        assert "status page" not in said(screen).lower()


async def test_a_page_without_a_target_is_to_be_updated_by_hand(tmp_path: Path) -> None:
    text = (
        Path(resolve_runbook("rollback"))
        .read_text()
        .replace(
            "# status_page:\n#   url: https://status.example.com\n",
            "status_page:\n  url: https://status.example.com\n",
        )
    )
    assert "\nstatus_page:" in text
    path = tmp_path / "paged.yaml"
    path.write_text(text)
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "paged.db"
    incident_id = declared(db, clock, decided=False, runbook=load_runbook(path))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await guide(pilot, screen, "communicate-resolution")
            assert (
                "Status page: update it by hand at https://status.example.com "
                "(no target posts to it), then record it (key U)." in said(screen)
            ), said(screen)
            await pilot.press("U")
            await fill_form(pilot, note="posted on statuspage.io")
            await wait_until(pilot, lambda: bool(screen.state.page_hand_updates))
            await wait_until(pilot, lambda: "updated by hand" in said(screen))
            assert re.search(
                r"Status page updated by hand by ada at T\+\d\d:\d\d "
                r"\(https://status\.example\.com\): posted on statuspage\.io\.",
                said(screen),
            ), said(screen)
    with SqliteEventLog.open(db) as log:
        kinds = [e.kind for e in log.events(incident_id)]
    assert kinds.count("status_page.updated") == 1
