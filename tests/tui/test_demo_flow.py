"""The demo, for real: a live service, live probes, a trigger, the rollback switch.

Drives the app against `DemoService` on loopback with the real clock: the error-rate
trigger is met from live samples, the decision is recorded, the blue-green switch
runs as a confirmed command step, and the verification steps are checked with the
evidence the probes produced.
"""

from __future__ import annotations

from incident.core.clock import SystemClock
from incident.core.state import fold
from incident.health.readings import evidence_for
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand, DecisionModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.demo.launch import declare_demo, write_demo_runbook
from tui.demo.shop import DemoService


def highlight(screen: IncidentScreen, step_id: str) -> None:
    checklist = screen.query_one(Checklist)
    checklist.highlighted = next(
        i for i in range(checklist.option_count) if checklist.get_option_at_index(i).id == step_id
    )


async def test_trigger_rollback_switch_and_evidence(tmp_path):
    service = DemoService(
        latency_scale=0, settle_s=1, synthetic_rps=50, window_s=4, baseline_error_rate=0.001
    )
    service.start()
    try:
        runbook = write_demo_runbook(service.url, tmp_path)
        db = tmp_path / "demo.db"
        log = SqliteEventLog.open(db)
        incident_id = declare_demo(log, runbook, "ada")
        app = LastGoodApp(log, runbook, clock=SystemClock(), actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            # Live samples meet the error-rate trigger (12% > 5% for 3 samples).
            await wait_until(
                pilot,
                lambda: (
                    "error-rate" in screen.state.triggers
                    and screen.state.triggers["error-rate"].met
                ),
            )
            await pilot.press("d")
            await wait_for_screen(pilot, DecisionModal)
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            assert "decide-rollback" in screen.state.approvals

            # The blue-green switch: a command step, run only once confirmed.
            await pilot.press("right")
            await wait_until(pilot, lambda: screen.view.phase_id == "execute")
            highlight(screen, "app-rollback-blue-green")
            await pilot.press("space")
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: screen.state.steps["app-rollback-blue-green"].done)
            assert service.version == "2.4.0"
            switched = screen.state.steps["app-rollback-blue-green"]
            assert "version is '2.4.0' (1 try" in switched.evidence  # read back, not assumed

            # Verification: the probes must show it, then the checks carry the evidence.
            confirm = screen.state.steps["confirm-version"].step
            health = screen.state.steps["check-health"].step
            await wait_until(
                pilot,
                lambda: (
                    evidence_for(screen.state, confirm).holds
                    and evidence_for(screen.state, health).holds
                ),
                timeout=40,
            )
            await pilot.press("right")
            await wait_until(pilot, lambda: screen.view.phase_id == "verify")
            for step in ("confirm-version", "check-health"):
                highlight(screen, step)
                await pilot.press("space")
                await wait_until(pilot, lambda step=step: screen.state.steps[step].done)
    finally:
        service.stop()

    with SqliteEventLog.open(db, read_only=True) as reader:
        state = fold(reader.events(incident_id))
    error_rate_marks = [m.met for t, m in state.trigger_history if t == "error-rate"]
    assert error_rate_marks[0] is True  # met from live samples before the rollback
    assert state.approvals["decide-rollback"].at < state.commands_run[-1].at
    assert state.commands_run[-1].exit_code == 0
    assert state.steps["confirm-version"].evidence.startswith("version 2.4.0 confirmed at T+")
    assert "consecutive samples (baseline 0.4%)" in state.steps["check-health"].evidence
    assert state.sample_count > 20
