"""A probe's threshold and its trigger's are one number: the faces agree on it.

`init` wrote both (probe `error-rate` `threshold: 0.05`, trigger `error-rate` `op: '>'`,
`threshold: 0.05`). An author tightened the probe's to 0.005 and left the trigger's:
validate said ok, the Production panel said `FAILING 1.0% > 0.5%` while `monitor` and
`status` said the trigger was not met (ux_review8 #10). A probe now takes its trigger's
threshold when it writes none, and `validate` refuses one that is not its trigger's.
Samples are recorded through the application layer into a real SQLite file; `validate`
and `status` run as a user runs them, the screen under Pilot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, declare
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.screens.incident import IncidentScreen


def runbook_text(probe_threshold: str = "") -> str:
    return (
        "runbook: errors\n"
        "title: Errors\n"
        "triggers:\n"
        "  - id: error-rate\n"
        "    title: Error rate > 0.5%\n"
        "    kind: metric\n"
        "    probe: error-rate\n"
        "    op: '>'\n"
        "    threshold: 0.005\n"
        "probes:\n"
        "  - name: error-rate\n"
        "    kind: http\n"
        "    url: 'http://192.0.2.1/stats'\n"
        "    json_field: rate\n"
        "    unit: ratio\n"
        f"{probe_threshold}"
        "phases:\n"
        "  - id: execute\n"
        "    title: Execute\n"
        "    steps:\n"
        "      - {id: redeploy, title: Redeploy}\n"
    )


def test_validate_refuses_a_probe_threshold_that_is_not_its_trigger_s(tmp_path: Path) -> None:
    runbook = tmp_path / "errors.yaml"
    runbook.write_text(runbook_text("    threshold: 0.05\n"))
    result = InProcessCli(tmp_path / "x.db").run("validate", str(runbook))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{runbook}:16:16: probe 'error-rate' threshold 0.05 is not its trigger 'error-rate' "
        "threshold 0.005 (line 9): the panel would show FAILING where the trigger is not met "
        "(or the reverse); leave the probe's out (it takes its trigger's) or make them equal"
    ]
    runbook.write_text(runbook_text("    threshold: 0.005\n"))  # the same number: fine
    assert InProcessCli(tmp_path / "x.db").run("validate", str(runbook)).code == 0


async def test_the_panel_and_status_judge_by_the_trigger_s_threshold(tmp_path: Path) -> None:
    """The probe writes no threshold: the panel shows 1.0% failing against the trigger's
    0.5%, as `status` says the trigger is met. The panel showed no threshold at all."""
    declared_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    clock = ManualClock(declared_at)
    path = tmp_path / "errors.yaml"
    path.write_text(runbook_text())
    runbook = load_runbook(path)
    db = tmp_path / "errors.db"
    log = SqliteEventLog.open(db)
    session = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
    clock.set(declared_at + timedelta(seconds=5))
    rate = Sample("error-rate", clock.now(), Outcome.OK, 20.0, 200, value=0.01)
    assert record_samples(session, [rate], poller="Ada's monitor").events

    status = InProcessCli(db).ok("status", session.state.id)
    [triggers] = [line for line in status.splitlines() if line.startswith("triggers:")]
    assert "error-rate MET" in triggers, triggers

    from tui.app.app import LastGoodApp

    app = LastGoodApp(
        log, runbook, clock=clock, actor="ada", incident_id=session.state.id, network=False
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: any("1.0% > 0.5%" in line for line in screen_lines(app)))
        [row] = [line for line in screen_lines(app) if "1.0% > 0.5%" in line]
        assert "FAILING" in row, row
    log.close()
