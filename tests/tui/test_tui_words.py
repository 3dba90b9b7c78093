"""Inside the TUI, the way on is a key or a screen, not a command line.

Walking the guide in tmux: the palette's Check on a message step was refused with
"send the 'announce' message (send)", where the keys are `c` (and `m` while the
message is due); the post-mortem screen said "or: lastgood close ID" beside `X`; the
Production panel said a probe was "not polled (--no-probes)", a flag the demo passes
for the coordinator (`tests/tui/test_probes_not_polled.py`). The domain's refusal names its verbs
(`CommandError.verbs`) and the TUI says how it reaches each; the command line's words
are unchanged (`tests/test_hand_check_cli.py`, `tests/tui/test_closeout_words.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import (
    coordinator_on,
    fill_form,
    from_palette,
    highlight,
    wait_for_screen,
    wait_until,
)
from tests.tui.screen_text import screen_lines
from tui.app.modals import VerbForm
from tui.app.screens.postmortem import PostmortemScreen
from tui.demo.scenarios import closing


@pytest.mark.parametrize(
    ("scenario_name", "step", "way"),
    [
        ("declared", "announce-rollback", "message (key c, or m while it is due), which checks it"),
        ("declared", "assemble-team", "or record the page (key p) and check it"),
        ("resolved", "preliminary-rca", "record the root cause (P, then Root cause), which"),
        ("resolved", "schedule-post-mortem", "book the post-mortem (P, then Book post-mortem)"),
    ],
)
async def test_a_palette_refusal_names_the_tuis_way_to_the_verb(
    tmp_path: Path, scenario_name: str, step: str, way: str
) -> None:
    scenario = scenario_copy(scenario_name, tmp_path / f"{scenario_name}.db")
    async with coordinator_on(scenario) as (app, pilot, screen):
        before = screen.state.last_seq
        highlight(screen, step)
        await from_palette(pilot, "Check")
        await fill_form(pilot, note="done, we think")  # no override: refused
        form = app.screen
        assert isinstance(form, VerbForm)
        await wait_until(pilot, lambda: "fill in: override" in form.error_message)
        message = form.error_message
        assert way in message, message
        for verb in ("(send)", "(page)", "(rca)", "(schedule-postmortem)"):
            assert verb not in message, message
        assert screen.state.last_seq == before


async def test_the_postmortem_screen_names_x_not_the_command_line(tmp_path: Path) -> None:
    scenario = closing(tmp_path / "closing.db")
    async with coordinator_on(scenario) as (app, pilot, _):
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        text = "\n".join(screen_lines(app))
        assert "Every required step is done: the incident can be closed. X closes it" in text
        assert "lastgood" not in text.split("\n", 1)[1]  # the title bar aside
