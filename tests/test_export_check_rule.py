"""Whether exporting the report checks "Document the incident": one rule, no terminal.

`closeout.report_checks_step` gives the faces their default (the TUI's box): ticked
while the step is open and its phase has begun, unticked in a phase still to come
(a report shared in Phase 1 is a snapshot, not the incident documented), no choice at
all once the step is done or skipped or the incident closed. `export_report` checks
the step only when told to; told not to, it records nothing and says so. Each case is
a demo scenario recorded through the real domain on a real SQLite file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from socket import gethostname

import pytest

from incident import commands
from incident.app.closeout import export_report, report_checks_step
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import ACTOR, SCENARIO_T0

STEP = "document-incident"


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("declared", False),  # T+0:42, Phase 1: the close-out phase is still to come
        ("mid-phase-2", False),  # T+12, Phase 2
        ("resolved", True),  # T+36, Phase 4 under way
        ("close-out", True),
        ("closed", None),
    ],
)
def test_the_default_follows_the_steps_phase(tmp_path, scenario, expected):
    recorded = scenario_copy(scenario, tmp_path / "s.db")
    state = recorded.session.state
    assert report_checks_step(state, recorded.clock.now()) is expected
    recorded.log.close()


def test_the_close_out_window_alone_does_not_tick_it(tmp_path):
    """Phase 4 opens at T+45 by the bundled runbook's window, but the guide begins it
    "once the service is stable": past T+45 with the rollback still in Phase 1, a
    report is the same snapshot it was at T+44, not the incident documented."""
    recorded = scenario_copy("declared", tmp_path / "s.db")
    state = recorded.session.state
    assert report_checks_step(state, SCENARIO_T0 + timedelta(minutes=44)) is False
    assert report_checks_step(state, SCENARIO_T0 + timedelta(minutes=45)) is False
    assert report_checks_step(state, SCENARIO_T0 + timedelta(minutes=90)) is False
    recorded.log.close()


def test_a_skipped_step_offers_no_check(tmp_path):
    recorded = scenario_copy("resolved", tmp_path / "s.db")
    clock = recorded.clock
    recorded.run(
        lambda s: commands.skip_step(
            s, STEP, reason="the wiki page is it", actor=ACTOR, clock=clock
        )
    )
    assert report_checks_step(recorded.session.state, clock.now()) is None
    recorded.log.close()


def written_to(path: Path):
    return lambda text: path.write_text(text, encoding="utf-8")


def test_an_export_not_asked_to_check_writes_the_report_and_records_nothing(tmp_path):
    recorded = scenario_copy("resolved", tmp_path / "s.db")  # where the default would check
    before = recorded.session.state.last_seq
    report = tmp_path / "snapshot.md"

    done = export_report(recorded.session, ACTOR, str(report), written_to(report), check_step=False)

    assert done.events == []
    assert done.said.startswith(f"report written to {report} (head ")
    assert done.said.endswith("; nothing recorded")
    assert done.notes == [f"{STEP} left open (not checked by this export: --check-step checks it)"]
    assert report.read_text(encoding="utf-8").startswith("# Incident report")
    recorded.log.close()
    with SqliteEventLog.open(tmp_path / "s.db", read_only=True) as log:
        state = fold(log.events(recorded.incident_id))
    assert state.last_seq == before and not state.steps[STEP].done


def test_an_export_asked_to_check_checks_the_step_with_the_report_as_evidence(tmp_path):
    recorded = scenario_copy("declared", tmp_path / "s.db")  # Phase 1: asked all the same
    report = tmp_path / "report.md"

    done = export_report(recorded.session, ACTOR, str(report), written_to(report), check_step=True)

    assert [event.kind for event in done.events] == ["step.checked"]
    assert done.notes == [f"checked {STEP} (report exported)"]
    recorded.log.close()
    with SqliteEventLog.open(tmp_path / "s.db", read_only=True) as log:
        state = fold(log.events(recorded.incident_id))
    assert state.steps[STEP].done
    assert state.steps[STEP].evidence.startswith(f"report {report} on {gethostname()}, head ")
    assert report_checks_step(state, recorded.clock.now()) is None  # done: nothing to offer
