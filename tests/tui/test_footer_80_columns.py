"""At 80x24 the coordinator's footer shows every key it offers, in every phase.

At 80 columns in phase 4 (the bundled runbook) the footer lost `c Compose` and
`q Quit`: `P Post-mortem` came in before the verbs, and a due message's `m Send due`
or the close's `X` pushed more off (the footer leaves out whole keys, the last first).
Skip, Approve and DB tier now stay out of the footer: the guidance panel names `a`
and `b` when the highlighted step wants them, and `?` and the palette list all three.
Every phase is looked at, in each scenario of a rollback's length.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from tests.tui.contrast import incident_at
from tests.tui.screen_text import screen_lines
from tui.app.screens.incident import IncidentScreen
from tui.app.steady_footer import SteadyFooter


@pytest.mark.parametrize(
    ("scenario", "minutes", "contextual"),
    [
        ("declared", 0, ["d Decide"]),
        ("declared", 7, ["m Send due", "d Decide"]),  # the first messages fall due
        ("mid-phase-2", 0, ["m Send due"]),
        ("resolved", 0, []),
        ("drill-closing", 0, ["X Close"]),  # every required step done
        ("closed", 0, []),
    ],
)
async def test_every_phase_shows_its_keys_whole_at_80x24(
    tmp_path: Path, scenario: str, minutes: float, contextual: list[str]
) -> None:
    async with incident_at(tmp_path, scenario, minutes, size=(80, 24)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        phases = [phase.id for phase in screen.state.runbook.phases]
        seen = []
        for _ in phases:  # `→` wraps: from the phase it opens on, round to it again
            await pilot.pause()
            phase = screen.view.phase_id
            seen.append(phase)
            footer = screen.query_one(SteadyFooter)
            keys = [f"{key.key_display} {key.description}" for key in footer.query(FooterKey)]
            left_out = [
                f"{key.key_display} {key.description}"
                for key in footer.query(FooterKey)
                if not key.display
            ]
            drawn = screen_lines(app)[-1].rstrip()
            assert not left_out, (phase, drawn)
            assert drawn.startswith("? Help"), (phase, drawn)
            assert drawn.endswith("n Note c Compose q Quit"), (phase, drawn)
            for hint in contextual:
                assert hint in keys, (phase, hint, drawn)
            if phase == phases[-1]:
                assert "P Post-mortem" in keys, drawn
            await screen.run_action("phase(1)")
        assert sorted(seen) == sorted(phases)
