"""The decision dialog's trigger rows in the words the rest of the product uses
(ux_review11 #5): a probe trigger with one reading in, a failing one, read `? no
data` beside a Production panel showing `FAILING 12.0%`. Now `◔ not yet` and `1 of 3
readings above 5.0% (12.0%): not met yet`, the words `status` and `brief` say
(`incident.health.triggers.standing`). The real app (Pilot) on a real SQLite file;
`status` as a `lastgood` process on the same file.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.core.samples import Outcome, Sample
from tests.cli_helpers import Cli
from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.modals import DecisionModal

ERROR_RATE = "1 of 3 readings above 5.0% (12.0%): not met yet"
HEALTH = "1 of 3 checks failed in a row (REFUSED): not met yet"


def one_bad_reading(session: IncidentSession) -> object:
    clock = session.clock
    assert hasattr(clock, "set")
    clock.set(clock.now() + timedelta(seconds=13))
    now = clock.now()
    batch = [
        Sample("error-rate", now, Outcome.OK, 30.0, 200, value=0.12),
        Sample("health", now, Outcome.REFUSED),
    ]
    return session.run_many(
        lambda s: commands.record_samples(s, batch, actor="probes", clock=clock)
    )


async def test_a_trigger_with_a_failing_reading_is_not_yet_not_no_data(tmp_path: Path) -> None:
    db = tmp_path / "gate.db"
    async with coordinator(db, size=(100, 30), prepare=one_bad_reading) as (app, pilot, screen):
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        await wait_until(pilot, lambda: ERROR_RATE in "\n".join(screen_lines(app)))
        shown = "\n".join(screen_lines(app))
        assert "no data" not in shown, shown
        assert re.search(r"◔ not yet\s+Error rate > 5%", shown), shown
        assert HEALTH in shown, shown
        incident_id = screen.state.id

    status = Cli(db).ok("status", incident_id)
    assert f"error-rate {ERROR_RATE}" in status, status
    assert f"health-failing {HEALTH}" in status, status
