"""At 80x24 the due messages' cue survives the toast of the verb that made them due
(a fresh-eyes review of the wheel, item 6).

Under 38 rows only the newest toast shows. Deciding the rollback raises `3 messages
due — press m` as its events land, then `Rollback decided: …` once the decision is
drawn: only the second was on screen (at 120x40 both show). The verb's toast now
leads with the cue.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DatabaseTierModal, DecisionModal
from tui.app.screens.incident import IncidentScreen


async def decided(pilot: Pilot[None], app: LastGoodApp, screen: IncidentScreen) -> None:
    """Decide the rollback at the gate; back on the incident once its toast is up."""
    await guide(pilot, screen, "decide-rollback")
    await pilot.press("d")
    await wait_for_screen(pilot, DecisionModal)
    app.screen.query_one("#reason", Input).value = "error rate 12% > 5%"
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, IncidentScreen)
    await wait_until(pilot, lambda: toast_says(app, "Rollback decided"))


def toast_says(app: LastGoodApp, words: str) -> bool:
    return any(words in line for line in screen_lines(app))


async def test_at_80x24_the_decision_toast_says_the_messages_due(tmp_path: Path) -> None:
    opened = coordinator(tmp_path / "due.db", size=(80, 24), notifications=True)
    async with opened as (app, pilot, screen):
        await decided(pilot, app, screen)
        toast = [line[:40] for line in screen_lines(app) if line.startswith("▌")]
        assert any("Rollback decided" in line for line in toast), toast
        # the due cue, unless a note outranks it (below): here the baseline Check health
        # will want (ux_review15 #1), the footer's `m Send due` saying what is due
        said = " ".join(toast)
        assert "3 messages due — press m" in said or "no baseline for error-rate" in said, toast


async def test_a_verbs_note_outranks_the_due_cue(tmp_path: Path) -> None:
    """A note is a warning or a step left open: with the cue first, a 3-row toast had no
    room for it. The footer's `m Send due` still says what is due."""
    opened = coordinator(tmp_path / "due.db", size=(80, 24), notifications=True)
    async with opened as (app, pilot, screen):
        await decided(pilot, app, screen)
        await pilot.press("b")
        await wait_for_screen(pilot, DatabaseTierModal)
        reason = app.screen.query_one("#reason", Input)
        reason.value = "0042 has a down step"
        reason.focus()
        await pilot.press("down")  # down migrations: work to do, the step left open, said so
        await pilot.press("enter")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: toast_says(app, "left open"))
        toast = [line for line in screen_lines(app) if line.startswith("▌")]
        assert not any("messages due" in line for line in toast), toast
