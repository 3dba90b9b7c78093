"""`lastgood demo --headless` tells a rollback at a team's pace, so its report reads as one.

It recorded the whole rollback in a few milliseconds of the real clock: its report said
"Users were affected for 0.012s", every milestone at T+00:00, no error-rate readings
and no trigger met. The demo's incident now begins `DEMO_MINUTES` before now, on a
clock of its own: each step inside its phase's window, the probes' samples every 20 s
(the error rate back to its baseline once the load balancer is switched back) and each
message sent when it falls due.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from runbooks import load_runbook, resolve_runbook
from tests.cli_helpers import Cli
from tui.demo.script import DEMO_MINUTES, DETECTED_AFTER_MIN, step_minutes


def test_each_step_is_taken_inside_its_phases_window_in_order() -> None:
    runbook = load_runbook(resolve_runbook("rollback"))
    minutes = step_minutes(runbook)
    taken = []
    for phase in runbook.phases:
        window = phase.window
        for step in (step for step in phase.steps if step.required):
            at = minutes[step.id]
            assert at > DETECTED_AFTER_MIN, step.id  # after the declaration
            if window is not None:
                assert window.start_min < at, step.id
                assert window.end_min is None or at < window.end_min, step.id
            taken.append(at)
    assert taken == sorted(taken) and len(set(taken)) == len(taken)
    assert taken[-1] < DEMO_MINUTES - 1  # the close comes before now


def test_the_headless_demos_report_reads_as_a_real_rollbacks(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "demo.db")
    before = datetime.now(UTC)
    out = cli.ok("demo", "--headless")
    report_path = next(line for line in out.splitlines() if line.startswith("Report: "))
    report = Path(report_path.removeprefix("Report: ")).read_text(encoding="utf-8")
    incident_id = re.search(r"INC-\d{8}-[0-9A-F]{4}", out)
    assert incident_id is not None
    events = json.loads(cli.ok("export", incident_id.group(), "--format", "json"))["events"]
    first, last = (datetime.fromisoformat(events[i]["at"]) for i in (0, -1))
    assert before - timedelta(minutes=DEMO_MINUTES + 1) < first < before - timedelta(minutes=50)
    assert last <= datetime.now(UTC)  # nothing recorded in the future
    assert "The incident lasted 3" in report  # half an hour or so, not milliseconds
    assert "| Rollback trigger met | " in report and "error-rate (probe)" in report
    assert "peak 13" in report or "peak 12" in report  # the 12% of failing checkouts
    assert "None found: the record bears out what it says." in report
    phases = report.split("### Phases against targets", 1)[1].split("\n\n", 2)[1]
    results = [row.rsplit("|", 2)[1].strip() for row in phases.splitlines()[2:]]
    # Every windowed phase on time; the close-out has no window: done (ux_review10 #4).
    assert results == ["on time", "on time", "on time", "done"], phases
    assert out.count("sent: Resolved:") == 1
