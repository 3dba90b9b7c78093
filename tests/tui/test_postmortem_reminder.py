"""The TUI says once, 24 h after resolution, that no post-mortem is booked (clock injected)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident.reports.postmortem import resolved_at
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen


def reminders(app: LastGoodApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Post-mortem"]


async def test_the_booking_reminder_comes_once_at_24_hours(tmp_path: Path) -> None:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    app = scenario_app(scenario, "Ada")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        resolved = resolved_at(screen.state)
        assert resolved is not None
        scenario.clock.set(resolved + timedelta(hours=23, minutes=59))
        screen.comms.remind()
        assert reminders(app) == []
        scenario.clock.set(resolved + timedelta(hours=24))
        await wait_until(pilot, lambda: len(reminders(app)) == 1)  # from the screen's tick
        screen.comms.remind()
        screen.comms.remind()
        assert len(reminders(app)) == 1
        assert reminders(app)[0].startswith("Post-mortem not booked yet: book it to start by ")
        scenario.clock.set(resolved + timedelta(hours=49))
        # The late reminder replaces the first (toasts with one title are merged).
        await wait_until(pilot, lambda: any("now needs a reason" in r for r in reminders(app)))
        assert len(reminders(app)) == 1
