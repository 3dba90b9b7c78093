"""The report says "rolled back" and "done" only of what the record shows was done.

With the application rolled back but the database step not done (the last-resort
`restore-backup` tier chosen, never approved, the step never checked, the incident
closed by force), the head row "Rollback" read `2.4.1 → 2.4.0, done` and the summary
and the Resolution said "rolled back 2.4.1 to 2.4.0", while the Inconsistencies said
the incident was closed with required steps open. Now each says the application was
rolled back and the database step was not done, and why. Each case is a demo scenario
recorded through the real domain on a real SQLite file; the export is run as a user
runs it.
"""

from __future__ import annotations

import json

from incident import commands
from incident.reports.report import markdown_report
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import ACTOR

NOT_DONE = "not done before the close (tier 'restore-backup' not approved by leadership)"
HEAD = f"| Rollback | 2.4.1 → 2.4.0, application done, database step {NOT_DONE} |"
SUMMARY = (
    "SEV2 Checkout errors after 2.4.1: the application was rolled back from 2.4.1 to 2.4.0 "
    f"(blue-green); the database step was {NOT_DONE}."
)
RESOLUTION = (
    "The application was rolled back from 2.4.1 to 2.4.0 (blue-green pattern); the database "
    f"step was {NOT_DONE}."
)
FORCED = (
    "The incident was closed with required steps open: notify-stakeholders, database-rollback, "
    "communicate-resolution, document-incident, preliminary-rca, schedule-post-mortem "
    "(forced: the restore moves to a ticket)."
)


def reopened(recorded) -> None:
    """mid-phase-2's database step, checked by its `none` tier, opened again: the
    rollback found a column dropped after all."""
    clock = recorded.clock
    recorded.run(
        lambda s: commands.reopen_step(
            s, "database-rollback", reason="2.4.1 dropped a column", actor=ACTOR, clock=clock
        )
    )


def restore_chosen(recorded) -> None:
    """The last resort chosen after the rollback (the step reopened for it), then
    verification; no approval."""
    clock = recorded.clock
    reopened(recorded)
    recorded.run(
        lambda s: commands.choose_database_tier(
            s, "restore-backup", reason="a column was dropped", actor=ACTOR, clock=clock
        )
    )
    for step in ("confirm-version", "check-health", "smoke-test"):
        clock.advance(30)
        recorded.run(
            lambda s, step=step: commands.check_step(
                s, step, actor=ACTOR, clock=clock, evidence="seen"
            )
        )


def force_close(recorded) -> None:
    clock = recorded.clock
    clock.advance(60)
    recorded.run(
        lambda s: commands.close(
            s, actor=ACTOR, clock=clock, force=True, reason="the restore moves to a ticket"
        )
    )


def report_of(recorded) -> str:
    state = recorded.session.state
    events = recorded.log.events(recorded.incident_id)
    return markdown_report(state, events, recorded.clock.now())


def test_a_force_closed_incident_whose_database_step_was_blocked(tmp_path):
    recorded = scenario_copy("mid-phase-2", tmp_path / "s.db")  # application rolled back
    restore_chosen(recorded)
    force_close(recorded)
    lines = report_of(recorded).splitlines()
    assert HEAD in lines
    assert SUMMARY in lines
    assert RESOLUTION in lines
    assert not [line for line in lines if "rolled back 2.4.1 to 2.4.0" in line.lower()]
    assert any(line.endswith(FORCED) for line in lines)  # the Inconsistencies, as before
    assert "database-rollback" in recorded.session.state.open_required_steps()
    recorded.log.close()


def test_while_open_the_database_step_is_not_done_yet(tmp_path):
    """mid-phase-2's step reopened: not done yet, with nothing holding it; the
    `restore-backup` tier unapproved holds it."""
    recorded = scenario_copy("mid-phase-2", tmp_path / "s.db")
    reopened(recorded)
    lines = report_of(recorded).splitlines()
    assert "| Rollback | 2.4.1 → 2.4.0, application done, database step not done yet |" in lines
    assert (
        "The application was rolled back from 2.4.1 to 2.4.0 (blue-green pattern); the "
        "database step is not done yet."
    ) in lines
    recorded.run(
        lambda s: commands.choose_database_tier(
            s, "restore-backup", reason="a column was dropped", actor=ACTOR, clock=recorded.clock
        )
    )
    assert (
        "| Rollback | 2.4.1 → 2.4.0, application done, database step not done yet (tier "
        "'restore-backup' not approved by leadership) |"
    ) in report_of(recorded).splitlines()
    recorded.log.close()


def test_a_skipped_database_step_is_said_skipped(tmp_path):
    recorded = scenario_copy("mid-phase-2", tmp_path / "s.db")
    clock = recorded.clock
    reopened(recorded)
    recorded.run(
        lambda s: commands.skip_step(
            s, "database-rollback", reason="no migration in 2.4.1", actor=ACTOR, clock=clock
        )
    )
    lines = report_of(recorded).splitlines()
    assert "| Rollback | 2.4.1 → 2.4.0, application done, database step skipped |" in lines
    recorded.log.close()


def test_done_when_both_parts_are(tmp_path):
    recorded = scenario_copy("resolved", tmp_path / "s.db")  # the `none` tier, step checked
    lines = report_of(recorded).splitlines()
    assert "| Rollback | 2.4.1 → 2.4.0, done |" in lines
    assert "Rolled back 2.4.1 to 2.4.0 (blue-green pattern)." in lines
    recorded.log.close()


def test_the_exported_report_and_record_say_the_database_step_was_not_done(tmp_path):
    db = tmp_path / "s.db"
    recorded = scenario_copy("mid-phase-2", db)
    restore_chosen(recorded)
    force_close(recorded)
    incident = recorded.incident_id
    recorded.log.close()
    cli = Cli(db, actor=ACTOR)

    report = tmp_path / "report.md"
    done = cli.run("export", incident, "--output", str(report))
    assert done.code == 0, done.err
    lines = report.read_text(encoding="utf-8").splitlines()
    assert HEAD in lines and SUMMARY in lines and RESOLUTION in lines

    record = tmp_path / "record.json"
    done = cli.run("export", incident, "--format", "json", "--output", str(record))
    assert done.code == 0, done.err
    data = json.loads(record.read_text(encoding="utf-8"))
    [step] = [s for s in data["status"]["steps"] if s["id"] == "database-rollback"]
    assert (step["state"], step["blocker"]) == (
        "blocked",
        "tier 'restore-backup' needs approval by leadership",
    )
    tier = data["decisions"]["database_tier"]
    assert (tier["tier"], tier["approved_by"]) == ("restore-backup", None)
    assert [i["text"] for i in data["inconsistencies"]] == [FORCED]
    with SqliteEventLog.open(db, read_only=True) as log:
        assert log.verify(incident).ok
