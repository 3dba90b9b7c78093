"""Make the README's screenshots from the real app in known states.

Run from the repository root: `python screenshots/make_screenshots.py`. Each state
is recorded through the domain into a scratch SQLite file (`tui.demo.scenarios`), with
the clock frozen, then opened exactly as `lastgood start --incident ID` would.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

# The screenshots are in millions of colours whatever terminal makes them: under a
# plain TERM=xterm the app would take its sixteen-colour styles (tui.app.colour_depth).
# Read by Textual when it is imported.
os.environ["TEXTUAL_COLOR_SYSTEM"] = "truecolor"

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.app.app import LastGoodApp  # noqa: E402
from tui.app.widgets.checklist import Checklist  # noqa: E402
from tui.demo.scenarios import SCENARIOS  # noqa: E402

OUT = Path(__file__).resolve().parent

Steer = Callable[[Pilot[None]], Awaitable[None]]


def highlight_then(step_id: str, *keys: str) -> Steer:
    async def steer(pilot: Pilot[None]) -> None:
        checklist = pilot.app.screen.query_one(Checklist)
        for index in range(checklist.option_count):
            if checklist.get_option_at_index(index).id == step_id:
                checklist.highlighted = index
        await pilot.press(*keys)
        await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False

    return steer


async def nothing(pilot: Pilot[None]) -> None:
    return None


async def close_the_drill(pilot: Pilot[None]) -> None:
    """`X`, then `y` in the confirmation: the drill closes and its score card shows."""
    from tui.app.modals.score_card import ScoreCardModal

    await pilot.press("X")
    await pilot.pause()
    await pilot.press("y")
    while not isinstance(pilot.app.screen, ScoreCardModal):
        await pilot.pause(0.05)


def reopened_then(step_id: str, reason: str, *keys: str) -> Steer:
    """The step reopened by keys (`u`, a reason, ctrl+s), then `keys` on it: the tier
    picker opens on an open database step, and the scenario has it settled (tier none)."""
    settle = highlight_then(step_id, "u")
    then = highlight_then(step_id, *keys)

    async def steer(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*reason, "ctrl+s")
        checklist = pilot.app.screen.query_one(Checklist)
        while checklist.screen is not pilot.app.screen:
            await pilot.pause(0.05)
        await pilot.pause()
        await then(pilot)

    return steer


def press(*keys: str) -> Steer:
    async def steer(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    return steer


SHOTS: list[tuple[str, str, tuple[int, int], Steer]] = [
    ("just-declared", "declared", (120, 40), nothing),
    ("mid-phase-2-overdue", "mid-phase-2", (120, 40), nothing),
    ("mid-phase-2-80x24", "mid-phase-2", (80, 24), nothing),
    ("approval-modal", "declared", (120, 40), highlight_then("decide-rollback", "a")),
    ("comms-composer", "declared", (120, 40), highlight_then("notify-stakeholders", "c")),
    ("decision-gate", "declared", (120, 40), highlight_then("decide-rollback", "d")),
    (
        "database-tiers",
        "mid-phase-2",
        (120, 40),
        reopened_then("database-rollback", "the migration dropped a column", "b"),
    ),
    ("message-due", "mid-phase-2", (120, 40), highlight_then("database-rollback", "m")),
    ("closed", "closed", (120, 40), nothing),
    ("help", "declared", (120, 40), highlight_then("assess-severity", "question_mark")),
    ("close-form", "declared", (120, 40), highlight_then("assess-severity", "X")),
    ("post-mortem", "close-out", (120, 40), press("P")),
    ("post-mortem-80x24", "close-out", (80, 24), press("P")),
    ("drill-score-card", "drill-closing", (120, 40), close_the_drill),
]


async def shoot(name: str, scenario_name: str, size: tuple[int, int], steer: Steer) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        scenario = SCENARIOS[scenario_name](Path(scratch) / "shot.db")
        app = LastGoodApp(
            scenario.log,
            scenario.runbook,
            clock=scenario.clock,
            actor="ada",
            incident_id=scenario.incident_id,
            network=False,
        )
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            if scenario_name == "mid-phase-2" and steer is not nothing:
                await app.screen.run_action("phase(1)")
                await pilot.pause()
            await steer(pilot)
            await pilot.pause()
            path = app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
        scenario.log.close()
    return Path(path)


async def main() -> None:
    for name, scenario_name, size, steer in SHOTS:
        path = await shoot(name, scenario_name, size, steer)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
