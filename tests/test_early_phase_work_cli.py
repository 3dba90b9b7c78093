"""Work done early in a later phase leaves one phase being worked (a fresh user's review).

`lastgood rca` at T+00:04 checks Phase 4's `preliminary-rca`. At T+00:15 `status` said
`Decision and Communication  (T+0-5)  ACTIVE` and, below it, `Communication and
Post-Mortem Prep  (T+45+)  ACTIVE`, and the phase strip the same: two phases ACTIVE at
once, and the reader unsure which one is being worked. A later phase whose window has
not opened stays upcoming and says what was done in it early; once its window opens it
runs on its clock, beside an earlier phase not finished (the guide's windows overlap).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare

DECIDE = "Decision and Communication  (T+0-5)  "
VERIFY = "Verification  (T+15-45)  "
CLOSE_OUT = "Communication and Post-Mortem Prep  (T+45+)  "
RCA = "a migration dropped a column that 2.4.1 still read"


def phase_lines(status: str) -> list[str]:
    """The phases' lines of `status`: their title, window, state and timing."""
    starts = (DECIDE, "Execute Rollback  ", VERIFY, CLOSE_OUT)
    return [line for line in status.splitlines() if line.startswith(starts)]


def back_dated(minutes: int) -> str:
    """An impact start `minutes` ago, as `declare --started-at` takes it."""
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_root_cause_noted_early_leaves_close_out_upcoming(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "early.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("rca", incident_id, RCA)

    lines = phase_lines(cli.ok("status", incident_id))
    assert lines[0].startswith(f"{DECIDE}ACTIVE  ")  # the phase being worked
    assert lines[1:] == [
        "Execute Rollback  (T+5-30)  UPCOMING",
        f"{VERIFY}UPCOMING",
        f"{CLOSE_OUT}UPCOMING  1 of 4 done early",
    ]
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert [p["state"] for p in data["phases"]] == ["active", "upcoming", "upcoming", "upcoming"]
    assert data["phases"][3]["started_at"] is not None  # the work done early, as recorded
    assert data["current_phase"] == "decide"

    brief = json.loads(cli.ok("brief", incident_id, "--json"))
    assert brief["phase"]["id"] == "decide"
    assert brief["phase"]["state"] == "active"

    timeline = cli.ok("timeline", incident_id)
    assert "upcoming, 1 of 4 done early." in timeline
    assert "; active." not in timeline.split("## Communication and Post-Mortem Prep")[1]


def test_a_step_checked_before_its_window_opens_reads_done_early(tmp_path: Path) -> None:
    """The verification window opens at T+15; the version confirmed at T+0 is early."""
    cli = InProcessCli(tmp_path / "verify-early.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("check", incident_id, "confirm-version", "--evidence", "kubectl shows 2.4.0")
    lines = phase_lines(cli.ok("status", incident_id))
    assert lines[0].startswith(f"{DECIDE}ACTIVE  ")
    assert f"{VERIFY}UPCOMING  1 of 3 done early" in lines


def test_a_phase_whose_window_has_opened_runs_on_its_clock(tmp_path: Path) -> None:
    """At T+16 the verification window (T+15-45) is open: work in it makes it active
    beside phase 1, still unfinished; so does close-out's at T+50, its window open."""
    cli = InProcessCli(tmp_path / "verify-open.db", actor="Ada")
    incident_id = declare(cli, "--started-at", back_dated(16))
    cli.ok("check", incident_id, "confirm-version", "--evidence", "kubectl shows 2.4.0")
    lines = phase_lines(cli.ok("status", incident_id))
    assert lines[0].startswith(f"{DECIDE}OVERDUE  ")
    assert any(line.startswith(f"{VERIFY}ACTIVE  ") for line in lines), lines

    later = InProcessCli(tmp_path / "close-out-open.db", actor="Ada")
    incident_id = declare(later, "--started-at", back_dated(50))
    later.ok("rca", incident_id, RCA)
    lines = phase_lines(later.ok("status", incident_id))
    assert lines[-1] == f"{CLOSE_OUT}ACTIVE"
    phases = json.loads(later.ok("status", incident_id, "--json"))["phases"]
    assert phases[-1]["state"] == "active"
