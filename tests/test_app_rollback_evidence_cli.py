"""The application rollback ticked by hand needs what was done (ux_review15 #6).

Guide, Phase 2: "Execute Application Rollback: Revert the application code", and
"Follow the Plan". `init`'s runbook makes it a `command` step; checked without its
command run, it was ticked bare and became the report's "★ Application rolled back",
while a bare Smoke test is refused. `check` is a `lastgood` process on a real file.
"""

from __future__ import annotations

import json

from tests.cli_helpers import Cli, declare
from tui.demo.launch import write_demo_runbook


def test_a_command_step_not_run_needs_evidence_or_an_override(tmp_path):
    cli = Cli(tmp_path / "incidents.db", actor="Ada")
    runbook = write_demo_runbook("http://127.0.0.1:9", tmp_path)  # its command never runs
    incident_id = declare(cli.in_process(), "--runbook", runbook.source)

    bare = cli.run("check", incident_id, "app-rollback-blue-green")
    assert bare.code == 2, bare
    assert bare.err == (
        "lastgood check: a tick is not evidence: the command of 'app-rollback-blue-green' "
        "has not run (lastgood run runs it); checking it needs what was run elsewhere "
        "(e.g. pipeline #4411) or a reason to check it anyway (--evidence or --override)\n"
    )
    noted = cli.run("check", incident_id, "app-rollback-blue-green", "--note", "done")
    assert noted.code == 2, noted  # a note is not what was run

    done = cli.run("check", incident_id, "app-rollback-blue-green", "--evidence", "pipeline #4411")
    assert done.code == 0, done.err
    report = cli.ok("export", incident_id, "-o", "-")
    assert "| app-rollback-blue-green checked by Ada: pipeline #4411 |" in report, report
    assert "Checked app-rollback-blue-green \\[evidence: pipeline #4411\\]" in report

    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    [check] = [
        e["payload"]
        for e in record["events"]
        if e["kind"] == "step.checked" and e["payload"]["step"] == "app-rollback-blue-green"
    ]
    assert check["evidence"] == "pipeline #4411"


def test_the_check_step_of_the_pattern_asks_what_was_done(tmp_path):
    cli = Cli(tmp_path / "incidents.db", actor="Ada")
    incident_id = declare(cli.in_process())  # the bundled runbook, blue-green: a check step
    bare = cli.run("check", incident_id, "app-rollback-blue-green")
    assert bare.code == 2, bare
    assert "a tick is not evidence: checking 'app-rollback-blue-green' needs what was done" in (
        bare.err
    )
    overridden = cli.run(
        "check", incident_id, "app-rollback-blue-green", "--override", "ops did it, no ticket"
    )
    assert overridden.code == 0, overridden.err
    report = cli.ok("export", incident_id, "-o", "-")
    assert "checked by Ada (override: ops did it, no ticket) |" in report, report
