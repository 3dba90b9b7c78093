"""Replay shows what live showed: the state at a moment is the live state then."""

from __future__ import annotations

import copy
import hashlib
import json
import os
from datetime import timedelta

import pytest

from incident.app.session import IncidentSession
from incident.core.replay import ReadOnlyReplay, Replayer, ReplaySession, parse_offset, state_at
from incident.reports.status import status_data
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tui.demo import scenarios
from tui.demo.scenarios import SCENARIO_ID, SCENARIO_T0


@pytest.fixture
def recorded(tmp_path, monkeypatch):
    """The `closed` scenario, with the live state copied at several moments on the way."""
    snapshots = {}
    original = scenarios.Scenario.run

    def run_and_remember(self, command):
        original(self, command)
        live = IncidentSession(self.log, self.incident_id, self.clock).state
        snapshots[self.clock.now()] = copy.deepcopy(live)

    monkeypatch.setattr(scenarios.Scenario, "run", run_and_remember)
    scenario = scenarios.closed(tmp_path / "replay.db")
    events = scenario.log.events(SCENARIO_ID)
    scenario.log.close()
    return tmp_path / "replay.db", events, snapshots


def test_state_at_each_recorded_moment_equals_the_live_state(recorded):
    _, events, snapshots = recorded
    assert len(snapshots) >= 20
    for moment, live in snapshots.items():
        assert state_at(events, moment) == live, moment


def test_replayer_seeks_forwards_and_backwards_to_the_same_states(recorded):
    _, events, snapshots = recorded
    replayer = Replayer(events)
    moments = sorted(snapshots)
    order = moments + moments[::-3] + moments[::5]
    for moment in order:
        replayer.seek(moment)
        assert replayer.state == snapshots[moment], moment


def test_replay_session_refuses_to_record(recorded):
    _, events, _ = recorded
    session = ReplaySession(events)
    with pytest.raises(ReadOnlyReplay):
        session.run(lambda state: None)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("T+12:05", 725), ("T+1:02:03", 3723), ("00:30", 30), ("+5:00", 300), ("T+ 0:07", 7)],
)
def test_parse_offset(text, seconds):
    assert parse_offset(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["soon", "T+12", "T+1:99", "12:5", ""])
def test_parse_offset_refuses(text):
    with pytest.raises(ValueError):
        parse_offset(text)


def fingerprint(path):
    """Bytes and mtime of the database and its WAL side files."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            stat = os.stat(candidate)
            digest = hashlib.sha256(candidate.read_bytes()).hexdigest()
            found[suffix] = (digest, stat.st_mtime_ns, stat.st_size)
    return found


def test_replay_json_matches_status_shape_and_leaves_the_file_byte_identical(recorded):
    db, events, _ = recorded
    cli = Cli(db)
    before = fingerprint(db)
    at = cli.ok("replay", SCENARIO_ID, "--at", "T+12:05", "--json")
    assert fingerprint(db) == before
    data = json.loads(at)
    status_now = json.loads(cli.ok("status", SCENARIO_ID, "--json"))
    assert set(data) == set(status_now)
    assert data["as_of"] == "2026-11-28T09:12:05.000Z"
    assert data["elapsed"] == "T+12:05"
    phases = {p["id"]: p["state"] for p in data["phases"]}
    assert phases == {
        "decide": "overdue",
        "execute": "active",
        "verify": "upcoming",
        "close-out": "upcoming",
    }
    steps = {s["id"]: s["state"] for s in data["steps"]}
    assert steps["app-rollback-blue-green"] == "done"
    assert steps["notify-stakeholders"] == "open"
    assert data["status"] == "open" and status_now["status"] == "closed"
    moment = SCENARIO_T0 + timedelta(minutes=12, seconds=5)
    assert data["events"] == len([e for e in events if e.at <= moment])
    assert data == {**status_data(state_at(events, moment), moment), "damage": None}


def test_replay_cli_errors(recorded):
    db, _, _ = recorded
    cli = Cli(db)
    bad = cli.run("replay", SCENARIO_ID, "--at", "yesterday", "--json")
    assert bad.code == 2 and "--at:" in bad.err and "Traceback" not in bad.err
    missing = cli.run("replay", "INC-NOPE", "--json")
    assert missing.code == 2 and "no incident 'INC-NOPE'" in missing.err
    speed = cli.run("replay", SCENARIO_ID, "--speed", "0")
    assert speed.code == 2 and "--speed" in speed.err


def test_read_only_store_open_does_not_touch_the_file(recorded):
    db, events, _ = recorded
    before = fingerprint(db)
    with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
        assert log.events(SCENARIO_ID) == events
    assert fingerprint(db) == before
