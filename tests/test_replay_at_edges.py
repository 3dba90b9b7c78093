"""`replay --at` at the edges of a record, as a user runs it: before a back-dated
declaration, at T+0, and past the end of a closed incident (a review's findings 1-3).

The rule is `replay_moment`'s; the replay screen's Go to takes it too
(`tests/tui/test_replay_go_to.py`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from incident.core.phase_clocks import format_offset
from incident.core.replay import REST_OF_SECOND, parse_offset, state_at
from incident.reports.status import status_data
from store.sqlite_log import SqliteEventLog
from tests.back_dated import back_dated_record
from tests.cli_helpers import Cli, InProcessCli, declare

BEFORE = "nothing was recorded before {at}, the declaration (T+0 is the impact start, back-dated)"


def test_replay_at_a_back_dated_incident_as_a_user_runs_it(tmp_path):
    """Declared with its impact start twelve minutes back, then closed: `--at T+5:00`
    said "cannot be read: no events to fold" (exit 2) while `verify` said ok, `--at T+0`
    was not an offset, and `--at T+99:00` after the close "has not come yet"."""
    cli = Cli(tmp_path / "back.db", actor="Ada")
    setup = cli.in_process()  # the declaration, the close and the reads; replay a process
    started = (datetime.now(UTC) - timedelta(minutes=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    incident_id = declare(setup, "--started-at", started)
    status = json.loads(setup.ok("status", incident_id, "--json"))
    t0 = datetime.fromisoformat(status["started_at"])
    declared = format_offset(datetime.fromisoformat(status["declared_at"]) - t0)

    for at in ("T+5:00", "T+0", "T+0:00", "T+5"):
        ran = cli.run("replay", incident_id, "--at", at, "--json")
        assert (ran.code, ran.out) == (2, "")
        assert ran.err == f"lastgood replay: --at {at}: {BEFORE.format(at=declared)}\n"

    at_declaration = json.loads(cli.ok("replay", incident_id, "--at", declared, "--json"))
    # the declaration and the commander's step it did
    assert (at_declaration["events"], at_declaration["status"]) == (2, "open")

    setup.ok("close", incident_id, "--force", "--reason", "false alarm")
    ran = cli.run("replay", incident_id, "--at", "T+99:00", "--json")
    assert ran.code == 0, ran.err
    closed = json.loads(ran.out)
    assert (closed["status"], closed["events"]) == ("closed", 3)
    assert closed["as_of"] == closed["closed_at"]  # the record's end
    end = format_offset(datetime.fromisoformat(closed["closed_at"]) - t0)
    assert ran.err == (
        f"lastgood replay: T+1:39:00 has not come yet: the record ends at {end}, the "
        f"incident closed at {end}\n"
    )
    assert "ok, 3 events" in setup.ok("verify", incident_id)


def test_replay_at_moments_of_a_back_dated_record(tmp_path):
    """Each moment in the same shape as `status --json`, of the state then."""
    record = back_dated_record(tmp_path / "back.db")
    with SqliteEventLog.open(record.db, read_only=True) as log:
        events = log.events(record.incident_id)
    t0 = events[0].at.replace(microsecond=0) - timedelta(minutes=12)
    cli = InProcessCli(record.db)
    for at, moment in (
        ("T+12", t0 + parse_offset("T+12:00")),  # the declaration's second: at T+12:00.9
        ("T+12:01", t0 + parse_offset("T+12:01")),
        ("T+12:45", t0 + parse_offset("T+12:45")),  # after the note
    ):
        moment += REST_OF_SECOND  # each the whole of its second
        data = json.loads(cli.ok("replay", record.incident_id, "--at", at, "--json"))
        assert data == {
            **status_data(state_at(events, moment), moment),
            "damage": None,
            "kept_here": None,
        }
    refused = cli.run("replay", record.incident_id, "--at", "T+11:59", "--json")
    assert refused.err == (f"lastgood replay: --at T+11:59: {BEFORE.format(at='T+12:00')}\n") and (
        refused.code,
        refused.out,
    ) == (2, "")


def test_replay_at_a_moment_to_come_of_an_open_incident_is_one_line(tmp_path):
    """Open, the record may yet grow: a moment to come is refused, as before."""
    record = back_dated_record(tmp_path / "open.db", closed=False)
    ran = InProcessCli(record.db).run(
        "replay", record.incident_id, "--at", "T+99999:00:00", "--json"
    )
    assert (ran.code, ran.out) == (2, "")
    assert ran.err.startswith("lastgood replay: --at T+99999:00:00: that moment has not come yet")
    assert ran.err.count("\n") == 1


def test_replay_at_the_t_plus_printed_beside_the_close_shows_it_closed(tmp_path):
    """Closed at T+07:09.355, which the timeline prints `T+07:09`: `--at T+07:09`
    showed the incident open, from the start of that second, and no T+ typed could
    show the close (a review). A T+ in whole seconds is the whole of that second."""
    from msgspec.structs import replace

    from incident import commands
    from incident.app import lifecycle
    from incident.app.session import IncidentSession
    from incident.core.clock import ManualClock
    from tui.demo.scenarios import DECLARATION, SCENARIO_ID, SCENARIO_T0, bundled_runbook

    db = tmp_path / "closed.db"
    clock = ManualClock(SCENARIO_T0)
    with SqliteEventLog.open(db) as log:
        log.append(
            [
                commands.declare(
                    bundled_runbook(),
                    replace(DECLARATION, started_at=SCENARIO_T0),
                    actor="ada",
                    clock=clock,
                    incident_id=SCENARIO_ID,
                )
            ]
        )
        clock.set(SCENARIO_T0 + timedelta(minutes=7, seconds=9, milliseconds=355))
        lifecycle.close(IncidentSession(log, SCENARIO_ID, clock), "ada", force=True, reason="x")
    cli = InProcessCli(db)
    closed_line = next(
        line for line in cli.ok("timeline", SCENARIO_ID).splitlines() if "Incident closed" in line
    )
    assert "T+07:09" in closed_line
    at_close = json.loads(cli.ok("replay", SCENARIO_ID, "--at", "T+07:09", "--json"))
    assert (at_close["status"], at_close["events"], at_close["elapsed"]) == ("closed", 2, "T+07:09")
    before = json.loads(cli.ok("replay", SCENARIO_ID, "--at", "T+07:08", "--json"))
    assert (before["status"], before["events"], before["elapsed"]) == ("open", 1, "T+07:08")
    assert before["as_of"] == "2026-11-28T09:07:08.999Z"  # the end of that second
