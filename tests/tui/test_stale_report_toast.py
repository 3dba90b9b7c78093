"""At the close, the TUI says the report "Document the incident" names is out of date.

The step's report was written before the root cause, the booking and the close, and the
close's toast was only `Closed ID` (ux_review11 #8). Now a warning toast names the file,
what it predates and that `e` writes it again; `e`'s form then holds that file's path,
not `./ID-report.md`. The CLI's line is tests/test_stale_report_at_close.py.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from textual.widgets import Input

from incident import commands
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import ConfirmModal
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, resolved


async def test_the_close_says_the_report_is_out_of_date_and_e_offers_its_path(
    tmp_path: Path,
) -> None:
    scenario = resolved(tmp_path / "closing.db")
    clock = scenario.clock
    report = tmp_path / "INC-report.md"
    report.write_text("# Incident report\n", encoding="utf-8")
    long_ago = (clock.now().timestamp()) - 3600  # written before anything below
    os.utime(report, (long_ago, long_ago))
    evidence = f"report {report} on {socket.gethostname()}, head 0123456789ab"
    scenario.run(
        lambda s: commands.check_step(
            s, "document-incident", actor=ACTOR, clock=clock, evidence=evidence
        )
    )
    for step in ("preliminary-rca", "schedule-post-mortem"):
        scenario.run(
            lambda s, step=step: commands.check_step(
                s, step, actor=ACTOR, clock=clock, override="in the ticket"
            )
        )
    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("X")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.state.is_closed)

        def warned() -> list[str]:
            return [str(n.message) for n in app._notifications if n.title == "Report out of date"]

        await wait_until(pilot, lambda: bool(warned()))
        assert warned() == [f"the report at {report} predates the close: e writes it again"]

        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, VerbForm)
        assert app.screen.query(Input).first().value == str(report)
