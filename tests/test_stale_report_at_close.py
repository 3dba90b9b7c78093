"""At the close, the report "Document the incident" points at is said to be out of date.

Exporting the report checks that close-out step with where the file is. The step comes
before the root cause, the booking and the close, so by the close the file said "still
open", "not booked yet" and "Root cause: not recorded yet", and the close said only
`closed ID` (ux_review11 #8). Now `close` adds a line naming the file, what it predates
and the command that writes it again (the TUI says the same in a toast,
tests/tui/test_stale_report_toast.py). The rule is `incident.app.stale_report`.
"""

from __future__ import annotations

import os
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident.app.session import IncidentSession
from incident.app.stale_report import report_file, stale_report
from incident.core.clock import SystemClock
from incident.core.state import IncidentState
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli, declare

CLOSE = ("close", "--force", "--reason", "the rest is in the ticket")


def booked_at() -> str:
    return (datetime.now(UTC) + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ")


def state_of(db: Path, incident_id: str) -> IncidentState:
    with SqliteEventLog.open(db) as log:
        return IncidentSession(log, incident_id, SystemClock()).state


def test_close_names_the_report_it_left_behind_and_how_to_write_it_again(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "closing.db", actor="Ada")
    incident_id = declare(cli)
    report = tmp_path / "INC report.md"
    cli.ok("export", incident_id, "-o", str(report), "--check-step")
    cli.ok("rca", incident_id, "a config flag flipped in 2.4.1")
    cli.ok("send", incident_id, "--template", "resolved")
    cli.ok("schedule-postmortem", incident_id, "--at", booked_at())

    closed = cli.ok(*CLOSE[:1], incident_id, *CLOSE[1:]).splitlines()

    again = f"lastgood export {incident_id} -o {shlex.quote(str(report))}"
    assert closed[-1].endswith(
        f"  the report at {report} predates the root cause, the post-mortem booking and"
        f" the close: write it again with {again}"
    ), closed
    assert "| Post-mortem | not booked yet |" in report.read_text(encoding="utf-8")
    cli.ok(*shlex.split(again)[1:])  # the line's own command, as typed
    written = report.read_text(encoding="utf-8")
    assert "not booked yet" not in written and "a config flag flipped" in written


def test_no_line_when_no_report_checked_the_step(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "by-hand.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("check", incident_id, "document-incident", "--override", "written in the wiki")
    closed = cli.ok(*CLOSE[:1], incident_id, *CLOSE[1:]).splitlines()
    assert len(closed) == 1 and closed[0].endswith(f"closed {incident_id}"), closed


def test_the_file_rewritten_since_predates_only_the_close(tmp_path: Path) -> None:
    """Written again after the root cause and the booking (an export that checks
    nothing leaves no trace in the record), the file's own time says what it lacks."""
    db = tmp_path / "again.db"
    cli = InProcessCli(db, actor="Ada")
    incident_id = declare(cli)
    report = tmp_path / "report.md"
    cli.ok("export", incident_id, "-o", str(report), "--check-step")
    cli.ok("rca", incident_id, "a config flag flipped in 2.4.1")
    cli.ok("send", incident_id, "--template", "resolved")
    cli.ok("schedule-postmortem", incident_id, "--at", booked_at())
    cli.ok("close", incident_id, *CLOSE[1:])
    state = state_of(db, incident_id)
    assert state.closed_at is not None

    later = (state.closed_at - timedelta(microseconds=1)).timestamp()
    os.utime(report, (later, later))
    stale = stale_report(state)
    assert stale is not None and stale.predates == ("the close",)

    report.unlink()  # gone: nothing left to mislead
    assert stale_report(state) is None


def test_a_report_on_another_machine_is_judged_by_the_record() -> None:
    assert report_file("report /srv/r.md on bastion-1, head 0123456789ab") == (
        "/srv/r.md",
        "bastion-1",
    )
    assert report_file("report /srv/a on b.md, head 0123456789ab") == ("/srv/a", "b.md")
    assert report_file("written in the wiki") is None
    assert report_file("report r.md, head 0123456789ab") is None  # an older, relative one
