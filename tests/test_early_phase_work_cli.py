"""Work done early in a later phase leaves one phase being worked (a fresh user's review).

`lastgood rca` at T+00:04 checks Phase 4's `preliminary-rca`. At T+00:15 `status` said
`Decision and Communication  (T+0-5)  ACTIVE` and, below it, `Communication and
Post-Mortem Prep  (T+45+)  ACTIVE`, and the phase strip the same: two phases ACTIVE at
once, and the reader unsure which one is being worked. A later phase whose window has
not opened (or, as close-out, has none: its turn comes after verification) stays
upcoming and says what was done in it early; once its window opens it runs on its
clock, beside an earlier phase not finished (the guide's windows overlap).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare

DECIDE = "Decision and Communication  (T+0-5)  "
VERIFY = "Verification  (T+15-45)  "
CLOSE_OUT = "Communication and Post-Mortem Prep  "
RCA = "a migration dropped a column that 2.4.1 still read"


def phase_lines(status: str) -> list[str]:
    """The phases' lines of `status`: their title, window, state and timing."""
    starts = (DECIDE, "Execute Rollback  ", VERIFY, CLOSE_OUT)
    return [line for line in status.splitlines() if line.startswith(starts)]


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
    """A runbook whose verification window opens with the declaration (`[0, 45]`): work
    in it makes it active beside phase 1, still unfinished; so does close-out's, given
    an open-ended window from the declaration (`[0, null]`). A back-dated impact start
    opens no window early: the windows count from the declaration."""
    bundled = Path(__file__).parent.parent / "runbooks" / "rollback.yaml"
    text = bundled.read_text(encoding="utf-8").replace("window: [15, 45]", "window: [0, 45]")
    close_out = "    title: Communication and Post-Mortem Prep\n"
    assert text.count(close_out) == 1
    runbook = tmp_path / "open-windows.yaml"
    runbook.write_text(text.replace(close_out, f"{close_out}    window: [0, null]\n"))
    verify = "Verification  (T+0-45)  "
    cli = InProcessCli(tmp_path / "verify-open.db", actor="Ada")
    incident_id = declare(cli, "--runbook", str(runbook))
    cli.ok("check", incident_id, "confirm-version", "--evidence", "kubectl shows 2.4.0")
    status = cli.ok("status", incident_id)
    assert f"\n{DECIDE}ACTIVE  " in status
    assert f"\n{verify}ACTIVE  " in status

    cli.ok("rca", incident_id, RCA)
    lines = cli.ok("status", incident_id).splitlines()
    assert f"{CLOSE_OUT}(T+0+)  ACTIVE" in lines
    phases = json.loads(cli.ok("status", incident_id, "--json"))["phases"]
    assert [p["state"] for p in phases] == ["active", "upcoming", "active", "active"]
