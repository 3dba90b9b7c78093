"""The check key's two questions say which they are, and of which step.

Checking a verification step asks one of two things before it records: what was
seen, when its probe shows nothing yet (recorded as the step's evidence), or why to
check it anyway, when the samples say otherwise (recorded as its override). The two
dialogs looked alike: a title ("Confirm version: no evidence yet", "Evidence does not
hold"), a line, one field, OK. Each title now leads with what the answer is recorded
as, `--evidence` or `--override` on the command line, then the step.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Label

from tests.tui.pilot_helpers import coordinator_on, highlight, wait_for_screen
from tui.app.modals import TextPrompt
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SAMPLE_EVERY_S, declared


def _lines(app: object) -> tuple[str, str]:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, TextPrompt)
    title = str(screen.query_one(".title", Label).render())
    return title, str(screen.query_one(".prompt", Label).render())


async def test_no_samples_asks_for_evidence_and_says_so(tmp_path: Path) -> None:
    scenario = declared(tmp_path / "none.db", at=timedelta(0))  # no probe has polled
    async with coordinator_on(scenario, size=(80, 24)) as (app, pilot, screen):
        highlight(screen, "confirm-version")
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        title, prompt = _lines(app)
        assert title == "Evidence: Confirm version"
        assert prompt.endswith("It is recorded as the step's evidence.")
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)


async def test_samples_against_it_ask_for_an_override_and_say_so(tmp_path: Path) -> None:
    scenario = declared(tmp_path / "against.db", at=timedelta(0))
    scenario.advance(SAMPLE_EVERY_S * 12)  # the bad version's error rate, sampled
    async with coordinator_on(scenario, size=(80, 24)) as (app, pilot, screen):
        highlight(screen, "check-health")
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        title, prompt = _lines(app)
        assert title == "Override: Check health"
        assert prompt.startswith("Evidence does not hold (")
        assert prompt.endswith("Reason to check it anyway? It is recorded as the step's override.")
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
