"""The guidance names one key per step, and that key opens what the guidance says.

On the bundled rollback runbook, a real SQLite file, the real app: for each kind of
step the test reads the key from the guidance panel's text (not from the rule that
wrote it) and presses it, then checks what opened.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.modals import ComposerModal, DatabaseTierModal, DecisionModal, VerbForm
from tui.app.modals.confirm import ConfirmModal
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance

PRESS = re.compile(r"▸ Press (\S+):")


def guidance_key(screen: IncidentScreen) -> str:
    text = screen.query_one(Guidance)._text.plain
    keys = PRESS.findall(text)
    assert len(keys) == 1, f"the guidance names {keys}, not one key:\n{text}"
    return keys[0]


async def press_named(
    pilot: Pilot[None], screen: IncidentScreen, step: str, opens: type[Screen[object]]
) -> str:
    """Highlight `step`, press the key its guidance names, wait for `opens` on top."""
    await guide(pilot, screen, step)
    key = guidance_key(screen)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, opens))
    return key


async def back(pilot: Pilot[None]) -> None:
    await pilot.press("escape")
    await wait_for_screen(pilot, IncidentScreen)


async def test_each_kind_of_step_opens_what_its_key_names(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "keys.db") as (app, pilot, screen):
        # The decision gate: the decision screen, by its key or by checking it.
        assert await press_named(pilot, screen, "decide-rollback", DecisionModal) == "d"
        await back(pilot)
        await pilot.press("space")
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionModal))
        await back(pilot)

        # A plain step: the named key checks it.
        await guide(pilot, screen, "assess-severity")
        key = guidance_key(screen)
        assert key == "space"
        await pilot.press(key)
        await wait_until(pilot, lambda: screen.state.steps["assess-severity"].done)

        # A message step with nothing due yet: the composer, on its template.
        assert await press_named(pilot, screen, "announce-rollback", ComposerModal) == "c"
        await back(pilot)

        # Phase 2: the command step confirms its command; the database step its tiers.
        await pilot.press("]")
        assert await press_named(pilot, screen, "record-running-version", ConfirmModal)
        await back(pilot)
        assert await press_named(pilot, screen, "database-rollback", DatabaseTierModal) == "b"
        await back(pilot)


async def test_a_due_message_step_names_m_and_m_opens_that_message(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "due.db", decided=True) as (app, pilot, screen):
        # `initiating` is due (the second of two): m opens it, not the first due.
        assert await press_named(pilot, screen, "notify-stakeholders", DueMessageModal) == "m"
        assert "initiating" in app.screen.heading.lower()
        await back(pilot)
        # `paging` was declined: its step is left to be skipped, the decline's reason in
        # the form (`c` still composes it, should it be sent after all).
        assert await press_named(pilot, screen, "assemble-team", VerbForm) == "s"
        reason = app.screen.query_one("#param-reason", Input).value
        assert reason.startswith("message declined: "), reason
        await back(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, ComposerModal)
