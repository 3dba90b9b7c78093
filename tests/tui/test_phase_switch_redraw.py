"""A phase switch redraws what it changes (the phase title, the checklist, the
guidance), not the whole incident view: as a repaint of the view, it sent 39 of the
40 rows at 120x40 to the terminal (14 KB) in the frame the key waits for, the clocks
and the phase strip included."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, wait_until
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.incident_view import IncidentView


async def test_a_phase_switch_repaints_the_phase_not_the_view(tmp_path: Path) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "switch.db")
    async with coordinator_on(scenario) as (_, pilot, screen):
        view = screen.query_one(IncidentView)
        repainted: list[str] = []
        refresh = Widget.refresh

        def noted(widget: Widget, *args: object, **kwargs: object) -> Widget:
            if widget is view or view in widget.ancestors:
                repainted.append(f"{type(widget).__name__}#{widget.id}")
            return refresh(widget, *args, **kwargs)  # type: ignore[arg-type]

        Widget.refresh = noted  # type: ignore[method-assign]
        try:
            shown = view.phase_id
            await pilot.press("right")
            await wait_until(pilot, lambda: view.phase_id != shown)
            await pilot.pause()
        finally:
            Widget.refresh = refresh  # type: ignore[method-assign]
        assert "IncidentView#incident" not in repainted
        assert {"PhaseTitle#phase-title", "Checklist#checklist", "Guidance#guidance"} <= set(
            repainted
        )


async def test_a_phase_switched_back_to_shows_its_guidance_as_wrapped_before(
    tmp_path: Path,
) -> None:
    """The step's guidance is the same text at the same width: its wrapped lines are
    kept (`Guidance._wrapped`), not wrapped again."""
    scenario = scenario_copy("mid-phase-2", tmp_path / "back.db")
    async with coordinator_on(scenario) as (_, pilot, screen):
        view = screen.query_one(IncidentView)
        guidance = view.query_one(Guidance)
        shown = view.phase_id
        lines_before = guidance._lines
        await pilot.press("right")
        await wait_until(pilot, lambda: view.phase_id != shown)
        await pilot.pause()
        assert guidance._lines is not lines_before
        await pilot.press("left")
        await wait_until(pilot, lambda: view.phase_id == shown)
        await pilot.pause()
        assert guidance._lines is lines_before
