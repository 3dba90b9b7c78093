"""The phase windows start at the declaration, not at a back-dated impact start.

The guide's Phase 1 is "the immediate response once a critical issue is detected". An
incident declared with `--started-at` 20 minutes back (review 7, F1) was OVERDUE the
moment it was declared, `status` said `Decision and Communication  (T+0-5)  OVERDUE
overdue by 15m00s` and `Execute Rollback  (T+5-30)  ACTIVE` beside it, and the report
kept "not finished, overdue by 15m42s" for good. The T+ clock still counts from the
impact start (Impact and Detection measure from it); each window is placed from the
declaration and said on that clock: phase 1 at `T+20-25`.

Run as a user runs it: `lastgood` processes on a real SQLite file, on the real clock.
The impact start is given to the second and the declaration comes a moment later, so
the windows sit at T+20:00, or at T+20:01 when the declaration falls past the second:
the tests read the declaration's second from the record.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli_helpers import Cli


def back_dated(minutes: int) -> str:
    """An impact start `minutes` ago, as `declare --started-at` takes it."""
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def declared_late(cli: Cli) -> tuple[str, int]:
    """An incident declared 20 minutes after its impact start, and the declaration's
    second on the T+ clock (1200, or 1201 when a slow start-up crossed a second)."""
    incident_id = cli.ok(
        "declare",
        *("--title", "Checkout errors after 2.4.1", "--severity", "SEV2", "--commander", "Ada"),
        *("--issue", "checkout failing for 12% of requests", "--eta", "30"),
        *("--last-good", "2.4.0", "--started-at", back_dated(20)),
    ).strip()
    data = json.loads(cli.ok("status", incident_id, "--json"))
    declared, started = (datetime.fromisoformat(data[k]) for k in ("declared_at", "started_at"))
    late = (declared - started) // timedelta(seconds=1)
    assert 1200 <= late < 1210
    return incident_id, late


def mark(seconds: int) -> str:
    """A moment on the T+ clock as a window's edge: `20` at a whole minute, else `20:01`
    (`1:05:01` past an hour, as T+ says it)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def span(late: int, start_min: int, end_min: int, dash: str = "-") -> str:
    """A runbook window [start_min, end_min] placed from a declaration at T+`late` s."""
    a, b = late + start_min * 60, late + end_min * 60
    if late % 60 == 0:
        return f"T+{a // 60}{dash}{b // 60}"
    return f"T+{mark(a)}{dash}{mark(b)}"


def phase_lines(status: str) -> list[str]:
    titles = ("Decision and", "Execute Rollback", "Verification", "Communication and")
    return [line for line in status.splitlines() if line.startswith(titles)]


def test_declared_late_the_first_phase_has_its_five_minutes(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "late.db", actor="Ada")
    incident_id, late = declared_late(cli)

    status = cli.ok("status", incident_id)
    assert re.search(r"^OPEN  T\+20:\d\d  ", status, re.MULTILINE), status  # T+0: the impact
    decide, execute, verify, close_out = phase_lines(status)
    head = f"Decision and Communication  ({span(late, 0, 5)})  ACTIVE  "
    assert decide.startswith(head), decide
    assert re.fullmatch(r"(4m[0-5]\ds|5m00s) left", decide.removeprefix(head)), decide
    assert execute == f"Execute Rollback  ({span(late, 5, 30)})  UPCOMING"
    assert verify == f"Verification  ({span(late, 15, 45)})  UPCOMING"
    # The guide's Phase 4 has no window: no T+45 in it, waiting for its turn.
    assert close_out == "Communication and Post-Mortem Prep  UPCOMING"
    assert "OVERDUE" not in status

    data = json.loads(cli.ok("status", incident_id, "--json"))
    first = data["phases"][0]
    assert [p["state"] for p in data["phases"]] == ["active", "upcoming", "upcoming", "upcoming"]
    # It opens at the declaration's second, on T+'s whole seconds; T+0 is the impact.
    assert first["opens_at"] == data["declared_at"][:19] + ".000Z"
    assert first["window_min"] == [0, 5]
    assert 240 < first["remaining_s"] <= 300
    assert data["phases"][3]["window_min"] is None and data["phases"][3]["due_at"] is None


def test_phase_one_done_two_minutes_after_a_late_declaration_is_on_time(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "late.db", actor="Ada")
    incident_id, late = declared_late(cli)
    done = cli.in_process()  # phase 1's work, in-process: the report is the process here
    done.ok("decide", incident_id, "--reason", "error rate 12% > 5%")
    done.ok("channel", incident_id, "#inc-checkout")  # which checks create-channel
    # assess-severity: the decision checked it; assign-commander: the declaration did
    for template in ("announce", "paging", "initiating"):
        done.ok("send", incident_id, "--template", template)

    report = cli.ok("export", incident_id, "-o", "-")
    table = report.split("### Phases against targets", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in row.split("|")[1:-1]] for row in table.splitlines()[2:]]
    phase, target, _due, _entered, _first, _finished, result = rows[0]
    assert phase == "Decision and Communication"
    start, end = span(late, 0, 5, " to T+").split(" to ")
    unit = "m" if late % 60 == 0 else ""
    assert target == f"{start}{unit} to {end}{unit}"  # `T+20m to T+25m`
    assert result == "on time"
    assert rows[1][6] == "active"  # Execute Rollback: worked in now, its window not late
    assert rows[3][1:3] == ["—", "—"]  # close-out: no target window, nothing due
    assert "overdue" not in table and "T+45" not in report


def test_the_update_tells_stakeholders_the_clock_time_not_t_plus(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "late.db", actor="Ada")
    incident_id, _ = declared_late(cli)
    before = datetime.now(UTC)
    text = cli.ok("send", incident_id, "--template", "update", "--preview")
    after = datetime.now(UTC)
    times = {f"{moment:%H:%M} UTC" for moment in (before, after)}
    assert any(text.startswith(f"Update on Checkout errors after 2.4.1 at {t}: ") for t in times)
    assert "T+" not in text


def test_declared_without_an_impact_start_the_windows_read_as_the_runbook_writes_them(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "now.db", actor="Ada")
    incident_id = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    decide, execute, verify, close_out = phase_lines(cli.ok("status", incident_id))
    assert decide.startswith("Decision and Communication  (T+0-5)  ACTIVE  ")
    assert execute == "Execute Rollback  (T+5-30)  UPCOMING"
    assert verify == "Verification  (T+15-45)  UPCOMING"
    assert close_out == "Communication and Post-Mortem Prep  UPCOMING"
