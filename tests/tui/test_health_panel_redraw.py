"""The health panel is repainted for what it shows (samples, baselines), not for every
event: a step checked used to repaint every probe's row in the frame the key waits for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from tests.scenario_copies import scenario_copy
from tests.tui.coordinator_harness import guide
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.health import HealthPanel


async def test_a_checked_step_leaves_the_panel_and_samples_repaint_it(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "panel.db")
    clock = scenario.clock
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        panel = screen.query_one(HealthPanel)
        repaints: list[int] = []
        show = panel.show

        def counted(state: IncidentState, now: datetime | None = None) -> None:
            repaints.append(state.last_seq)
            show(state, now)

        panel.show = counted  # type: ignore[method-assign]
        await guide(pilot, screen, "assess-severity")
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.state.steps["assess-severity"].done)
        await pilot.pause()
        assert repaints == []

        now = clock.now()
        fresh = [Sample("health", now, Outcome.OK, 10.0, 200, text="ok")]
        IncidentSession(scenario.log, scenario.incident_id, clock).run_many(
            lambda s: commands.record_samples(s, fresh, actor="monitor", clock=clock)
        )
        await wait_until(pilot, lambda: bool(repaints))
