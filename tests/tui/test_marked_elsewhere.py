"""Another person's trigger mark or role change reaches the screen as a toast, and one
that reverses a mark a moment old says so, where it is recorded and where it lands.

Bo marked core-broken met on his screen; a second later Cy cleared it from the
command line. Bo's screen kept its toast `Trigger core-broken met`, Ada's showed
no toast for either mark, and likewise for a role given to Bo and then to Dee
(ux_review6 finding 2). The real app (Bo's) and `lastgood` as processes (Cy's), on
one SQLite file, on the wall clock both keep.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import bundled_runbook


def said(app: LastGoodApp) -> list[tuple[str, str]]:
    """Every toast raised so far: (title, message)."""
    return [(n.title, str(n.message)) for n in app._notifications]


async def test_marks_and_roles_from_elsewhere_are_toasts_that_say_what_they_reverse(
    tmp_path: Path,
) -> None:
    db = tmp_path / "marked.db"
    cy = Cli(db, actor="Cy")
    incident = declare(cy)
    app = LastGoodApp(
        SqliteEventLog.open(db),
        bundled_runbook(),
        clock=SystemClock(),  # the command line's, so "a moment ago" is one
        actor="Bo",
        incident_id=incident,
        network=False,
    )
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)

        await pilot.press("t")
        await fill_form(pilot, trigger="core-broken", verdict="met", note="payment fails")
        await wait_until(pilot, lambda: screen.state.triggers["core-broken"].met)
        cleared = await asyncio.to_thread(
            cy.run, "trigger", incident, "core-broken", "cleared", "--note", "works from here"
        )
        assert cleared.code == 0, cleared.err
        assert "(marked met by Bo " in cleared.out

        def cleared_toast() -> str | None:
            return next((m for t, m in said(app) if t == "Trigger cleared by Cy"), None)

        await wait_until(pilot, lambda: cleared_toast() is not None)
        assert re.search(r"\(marked met by Bo \S+s ago\)$", cleared_toast() or ""), said(app)
        # Bo's own mark was said by his verb's toast, not again as news from elsewhere.
        assert not any(t == "Rollback trigger met by Bo" for t, _ in said(app)), said(app)

        given = await asyncio.to_thread(cy.run, "assign", incident, "ops", "Dee")
        assert given.code == 0, given.err
        await wait_until(pilot, lambda: ("Role given by Cy", "Dee is ops") in said(app))

        await pilot.press("r")
        await fill_form(pilot, role="ops", person="Eve")
        await wait_until(pilot, lambda: screen.state.roles.get("ops") == "Eve")
        await wait_until(
            pilot, lambda: any("Eve is ops (given to Dee by Cy " in m for _, m in said(app))
        )
