"""Deciding through the decision gate is the guide's "Assess severity" (ux_review15 #5).

The gate lists each rollback trigger met or not with its reading, which is what the
guide's Phase 1 asks: "Quickly determine if the issue meets the pre-defined rollback
triggers". Deciding there left "Assess severity" open: phase 1 held open toward
OVERDUE, `brief` saying "Next step: assess-severity" with the application rolled back,
and, while it was open, the version row green on the bad release after the rollback
was confirmed. `decide` is a `lastgood` process on a real SQLite file.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from incident.core.samples import Outcome, Sample
from incident.health.stability import reading_bad
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare


def checks(cli: Cli, incident_id: str, step: str) -> list[dict[str, object]]:
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    return [
        e["payload"]
        for e in record["events"]
        if e["kind"] == "step.checked" and e["payload"]["step"] == step
    ]


def test_decide_checks_assess_severity_with_the_gate_reading(tmp_path):
    cli = Cli(tmp_path / "incidents.db", actor="Ada")
    incident_id = declare(cli.in_process())
    cli.in_process().ok("trigger", incident_id, "core-broken", "met", "--note", "checkout 500s")

    decided = cli.run("decide", incident_id, "--reason", "checkout broken")
    assert decided.code == 0, decided.err
    assert "decide-rollback approved, assess-severity checked" in decided.out

    [check] = checks(cli, incident_id, "assess-severity")
    assert re.fullmatch(
        r"the decision gate's trigger reading at T\+\d\d:\d\d: .*core-broken MET since "
        r"T\+\d\d:\d\d by Ada, checkout 500s.*",
        str(check["evidence"]),
    ), check
    assert "Next step: assess-severity" not in cli.ok("brief", incident_id)
    assert re.search(r"\[x\] assess-severity", cli.ok("status", incident_id))


def test_an_assessment_made_before_is_left_as_it_was(tmp_path):
    cli = Cli(tmp_path / "incidents.db", actor="Ada")
    setup = cli.in_process()
    incident_id = declare(setup)
    setup.ok("check", incident_id, "assess-severity", "--note", "5xx at 12%")
    decided = cli.run("decide", incident_id, "--reason", "checkout broken")
    assert decided.code == 0, decided.err
    assert "assess-severity" not in decided.out
    assert [c["note"] for c in checks(cli, incident_id, "assess-severity")] == ["5xx at 12%"]


def test_the_bad_release_is_flagged_once_rolled_back_whatever_phase_1_left_open(tmp_path):
    """Rolled back and confirmed with Assess severity still open (checked by hand, not
    decided through the gate): the version probe reading 2.4.1 again is FAILING."""
    db = tmp_path / "incidents.db"
    cli = Cli(db, actor="Ada")
    setup = cli.in_process()
    incident_id = declare(setup)
    setup.ok("check", incident_id, "app-rollback-blue-green", "--evidence", "back on blue")
    setup.ok("db-tier", incident_id, "none", "--reason", "expand-contract")
    setup.ok("check", incident_id, "confirm-version", "--evidence", "/version said 2.4.0")
    clock = SystemClock()
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        assert not session.state.steps["assess-severity"].done
        at = clock.now() + timedelta(milliseconds=1)
        sample = Sample("version", at, Outcome.OK, text="2.4.1")
        session.run_many(
            lambda s: commands.record_samples(s, [sample], actor="probes", clock=clock)
        )
        probe = session.state.runbook.probe("version")
        assert probe is not None
        assert reading_bad(probe, session.state.samples["version"][-1], session.state)
