"""The drill's screen names the shop its probes poll (review 3, finding 2b).

The headless drill printed the shop's URL; the TUI drill never said where the shop
was, so a player could not curl its `/version`, which lists the release's migrations
(the fact the database tier is scored on). The Production panel's title names it:
the URL where it fits, the address alone at 80 columns. Real shop, real probes.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from incident.core.clock import SystemClock
from incident.reports.drill_faults import FaultName, fault_named
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.demo.launch import demo_incident

TITLE = re.compile(r"╭─ Production · (\S+) ─")


async def _title_shown(tmp_path: Path, size: tuple[int, int]) -> tuple[str, str]:
    """The shop's URL, and what the panel's title says of it at `size`."""
    fault = fault_named(FaultName.IRREVERSIBLE_MIGRATION)
    log = SqliteEventLog.open(tmp_path / "drill.db")
    with demo_incident(log, fault) as drill:
        app = LastGoodApp(
            drill.log,
            drill.runbook,
            clock=SystemClock(),
            actor="ada",
            prepare=drill.declare,
            shop_url=drill.shop_url,
        )
        async with app.run_test(size=size) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            found = [m.group(1) for line in screen_lines(app) if (m := TITLE.search(line))]
            assert len(found) == 1, screen_lines(app)
            shown = found[0]
            if not shown.startswith("http://"):
                shown = f"http://{shown}"  # what curl reads it as
            answer = httpx.get(f"{shown}/version", timeout=5).json()
    assert [m["id"] for m in answer["migrations"]] == ["0042_add_orders_tax_region"], answer
    return drill.shop_url, found[0]


async def test_at_80_columns_the_panel_names_the_shops_address(tmp_path: Path) -> None:
    url, shown = await _title_shown(tmp_path, (80, 24))
    assert shown == url.removeprefix("http://")


async def test_where_it_fits_the_panel_names_the_shops_url(tmp_path: Path) -> None:
    url, shown = await _title_shown(tmp_path, (120, 40))
    assert shown == url
