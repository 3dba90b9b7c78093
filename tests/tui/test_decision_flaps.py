"""The decision dialog says how often a trigger not met now was met before.

A flapping health check showed "○ not met ... latest check ok" in the dialog, opened
between two flaps, though it had been met eight times in five minutes (a fresh user's
review): the decision is about the trend, so the trigger's line says it.
"""

from __future__ import annotations

import re
from pathlib import Path

from incident.app import steps
from incident.app.session import IncidentSession
from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.modals import DecisionModal


def flapped(session: IncidentSession) -> object:
    for verdict in ("met", "cleared", "met", "cleared"):
        steps.mark_trigger(session, "Bo", "core-broken", verdict, note="checkout flaps")
    return None


async def test_a_trigger_that_flapped_says_so_at_the_gate(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "flap.db", size=(100, 30), prepare=flapped) as (
        app,
        pilot,
        _screen,
    ):
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert re.search(r"met 2 times, last by Bo at T\+\d\d:\d\d", shown), shown
