"""Replay shows what live showed: the state at a moment is the live state then."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from datetime import timedelta

import pytest

import incident.core.recording as recording_module
import incident.core.replay as replay_module
from incident import commands
from incident.core.chain import ChainWalk
from incident.core.clock import ManualClock
from incident.core.replay import (
    REST_OF_SECOND,
    ReadOnlyReplay,
    Recording,
    Replayer,
    ReplaySession,
    parse_offset,
    replay_moment,
    state_at,
)
from incident.core.state import fold
from incident.reports.status import status_data
from store.sqlite_log import SqliteEventLog
from tests.back_dated import DECLARED, back_dated_record
from tests.back_dated import T0 as BACK_T0
from tests.cli_helpers import Cli, InProcessCli
from tests.golden.sampled import sampled_record
from tui.demo import scenarios
from tui.demo.scenarios import SCENARIO_ID, SCENARIO_T0


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    """The `closed` scenario, with the live state copied at several moments on the way:
    recorded once for the module (0.3 s of CPU, paid by each of 16 tests when it was
    recorded per test). No test changes its events or states; each gets its own copy of
    the file (`recorded`)."""
    snapshots = {}
    original = scenarios.Scenario.run

    def run_and_remember(self, command):
        original(self, command)
        snapshots[self.clock.now()] = copy.deepcopy(self.session.state)

    db = tmp_path_factory.mktemp("replay") / "replay.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scenarios.Scenario, "run", run_and_remember)
        scenario = scenarios.closed(db)
    events = scenario.log.events(SCENARIO_ID)
    scenario.log.close()
    assert sorted(p.name for p in db.parent.iterdir()) == ["replay.db"]  # no WAL left
    return db, events, snapshots


@pytest.fixture
def recorded(recording, tmp_path):
    """`recording`, its database file copied for this test."""
    db, events, snapshots = recording
    shutil.copy(db, tmp_path / "replay.db")
    return tmp_path / "replay.db", events, snapshots


def test_state_at_each_recorded_moment_equals_the_live_state(recorded):
    _, events, snapshots = recorded
    assert len(snapshots) >= 19  # the scenario's commands (the declaration does two steps)
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
    [
        ("T+12:05", 725),
        ("T+1:02:03", 3723),
        ("00:30", 30),
        ("+5:00", 300),
        ("T+ 0:07", 7),
        ("T+0:30", 30),
        # T+0 is what the report, the timeline and `declare --help` call the impact
        # start; whole minutes as the runbook's windows are written (T+0-5, T+5-30)
        ("T+0", 0),
        ("T+5", 300),
        ("T+45m", 2700),
        ("12", 720),
        ("T+120", 7200),
    ],
)
def test_parse_offset(text, seconds):
    assert parse_offset(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["soon", "T+90s", "T+1h", "T+-5", "T+1:99", "12:5", "", "T+"])
def test_parse_offset_refuses(text):
    with pytest.raises(ValueError) as refused:
        parse_offset(text)
    assert str(refused.value) in (
        f"'{text}' is not an offset like T+12:30, T+1:02:00 or T+5 (minutes)",
        f"'{text}': seconds must be below 60",
    )


@pytest.mark.parametrize("text", ["T+1:60:00", "1:999:59", "T+99999:999:59", "0:75:00"])
def test_parse_offset_refuses_minutes_past_59_after_hours(text):
    """`T+1:99:00` read as 2h39m: after hours, minutes are a clock's, as seconds are.
    Without hours they may run on (`T+120:00` is two hours)."""
    with pytest.raises(ValueError, match="minutes must be below 60"):
        parse_offset(text)
    assert parse_offset("T+120:00") == timedelta(hours=2)


@pytest.mark.parametrize("text", ["T+6000000", "999999999999m"])
def test_parse_offset_refuses_whole_minutes_past_the_bound(text):
    with pytest.raises(ValueError, match="at most 99,999 hours"):
        parse_offset(text)


def test_a_replay_moment_is_one_that_has_come(tmp_path):
    """The one rule of `replay --at` and the replay screen's Go to, on an open incident."""
    record = back_dated_record(tmp_path / "open.db", closed=False)
    with SqliteEventLog.open(record.db, read_only=True) as log:
        end = fold(log.events(record.incident_id))
    now = BACK_T0 + timedelta(minutes=17, seconds=58)
    shown = replay_moment(end, timedelta(minutes=17, seconds=58), now, lambda: end)
    assert shown == (now, "")
    with pytest.raises(ValueError) as refused:
        replay_moment(end, timedelta(minutes=99), now, lambda: end)
    assert str(refused.value) == "that moment has not come yet (it is T+17:58 now)"


def test_a_replay_moment_before_a_back_dated_declaration_is_refused(tmp_path):
    """Declared at T+12:00.9 for an impact that began at T+0: before the declaration
    nothing was recorded, which is said, where "no events to fold" said the record could
    not be read; `T+12:00` is the declaration's second, shown to its end (a moment in
    it before the declaration is the declaration)."""
    record = back_dated_record(tmp_path / "back.db")
    with SqliteEventLog.open(record.db, read_only=True) as log:
        end = fold(log.events(record.incident_id))
    now = BACK_T0 + timedelta(minutes=20)
    for offset in (timedelta(0), timedelta(minutes=5), timedelta(minutes=11, seconds=59)):
        with pytest.raises(ValueError) as refused:
            replay_moment(end, offset, now, lambda: end)
        assert str(refused.value) == (
            "nothing was recorded before T+12:00, the declaration "
            "(T+0 is the impact start, back-dated)"
        )
    declared_second = BACK_T0 + timedelta(minutes=12) + REST_OF_SECOND
    assert replay_moment(end, timedelta(minutes=12), now, lambda: end) == (declared_second, "")
    in_it = timedelta(minutes=12, milliseconds=500)
    assert replay_moment(end, in_it, now, lambda: end) == (BACK_T0 + DECLARED, "")
    at = BACK_T0 + timedelta(minutes=12, seconds=1) + REST_OF_SECOND
    assert replay_moment(end, timedelta(minutes=12, seconds=1), now, lambda: end) == (at, "")


def test_a_replay_moment_to_come_of_a_closed_incident_is_the_end_of_its_record(tmp_path):
    """Closed at T+13:00 and read at T+20:00: the record ends at the close, so T+99:00
    is its end, closed, as the screen's End shows it, and says so (it said "that moment
    has not come yet"). A moment that has come is itself, past the close too."""
    record = back_dated_record(tmp_path / "closed.db")
    with SqliteEventLog.open(record.db, read_only=True) as log:
        end = fold(log.events(record.incident_id))
    now = BACK_T0 + timedelta(minutes=20)
    assert replay_moment(end, timedelta(minutes=99), now, lambda: end) == (
        BACK_T0 + timedelta(minutes=13),
        "T+1:39:00 has not come yet: the record ends at T+13:00, the incident closed at T+13:00",
    )
    assert replay_moment(end, timedelta(minutes=15), now, lambda: end) == (
        BACK_T0 + timedelta(minutes=15) + REST_OF_SECOND,
        "",
    )


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
    assert data["as_of"] == "2026-11-28T09:12:05.999Z"  # the whole of that second
    assert data["elapsed"] == "T+12:05"
    phases = {p["id"]: p["state"] for p in data["phases"]}
    assert phases == {
        "decide": "overdue",
        "execute": "done",  # rolled back, and the database tier `none` checked its step
        "verify": "upcoming",
        "close-out": "upcoming",
    }
    steps = {s["id"]: s["state"] for s in data["steps"]}
    assert steps["app-rollback-blue-green"] == "done"
    assert steps["notify-stakeholders"] == "open"
    assert data["status"] == "open" and status_now["status"] == "closed"
    moment = SCENARIO_T0 + timedelta(minutes=12, seconds=5) + REST_OF_SECOND
    assert data["events"] == len([e for e in events if e.at <= moment])
    assert data == {
        **status_data(state_at(events, moment), moment),
        "damage": None,
        "kept_here": None,
    }


def test_replay_cli_errors(recorded):
    db, _, _ = recorded
    cli = InProcessCli(db)
    bad = cli.run("replay", SCENARIO_ID, "--at", "yesterday", "--json")
    assert bad.code == 2 and "--at:" in bad.err and "Traceback" not in bad.err
    missing = cli.run("replay", "INC-NOPE", "--json")
    assert missing.code == 2 and "no incident 'INC-NOPE'" in missing.err
    speed = cli.run("replay", SCENARIO_ID, "--speed", "0")
    assert speed.code == 2 and "--speed" in speed.err


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ("T+999999999:00:00", "'T+999999999:00:00': at most 99,999 hours"),
        ("T+9999999999999:00:00", "at most 99,999 hours"),  # was an OverflowError
        ("T+1:99:00", "'T+1:99:00': minutes must be below 60 after hours"),
        ("T+\u0660\u0660:\u0661\u0660", "is not an offset like T+12:30"),  # Arabic-Indic
    ],
)
def test_replay_at_a_moment_that_has_not_come_is_one_line(recorded, at, said):
    """A huge offset ended in a traceback (OverflowError), and one past now showed a
    future that never happened, every open window OVERDUE (a hostile review)."""
    db, _, _ = recorded
    result = InProcessCli(db).run("replay", SCENARIO_ID, "--at", at, "--json")
    assert (result.code, result.out) == (2, "")
    assert said in result.err and result.err.count("\n") == 1


def test_read_only_store_open_does_not_touch_the_file(recorded):
    db, events, _ = recorded
    before = fingerprint(db)
    with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
        assert log.events(SCENARIO_ID) == events
    assert fingerprint(db) == before


# A long record: checkpoints, and a Recording read from the store


@pytest.fixture(params=[1000, 7], ids=["default-checkpoints", "every-7"])
def checkpoint_every(request, monkeypatch):
    """The default spacing, and one that puts many checkpoints in a short record."""
    monkeypatch.setattr(recording_module, "CHECKPOINT_EVERY", request.param)
    monkeypatch.setattr(replay_module, "CHECKPOINT_EVERY", request.param)
    return request.param


def _moves(snapshots):
    moments = sorted(snapshots)
    return moments + moments[::-3] + moments[::5] + [moments[-1], moments[0], moments[-1]]


def test_replayer_from_a_list_reaches_every_live_state_any_way(recorded, checkpoint_every):
    _, events, snapshots = recorded
    replayer = Replayer(events)
    for moment in _moves(snapshots):
        applied_before = replayer.position
        applied = replayer.seek(moment)
        assert replayer.state == snapshots[moment], moment
        if replayer.position > applied_before:
            assert applied == events[applied_before : replayer.position]


def test_replayer_from_a_recording_reaches_every_live_state_any_way(recorded, checkpoint_every):
    db, events, snapshots = recorded
    with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
        walk = ChainWalk(SCENARIO_ID)
        kept = Recording(log, SCENARIO_ID, walk=walk)
        assert walk.report().ok
        assert len(kept) == len(events) and kept.times == [e.at for e in events]
        assert list(kept) == events and kept[3:9] == events[3:9] and kept[-1] == events[-1]
        replayer = Replayer(kept)
        for moment in _moves(snapshots):
            before = replayer.position
            applied = replayer.seek(moment)
            assert replayer.state == snapshots[moment], moment
            shown = [e for e in events[before : replayer.position] if e.kind != "probe.samples"]
            if replayer.position > before:
                assert [e for e in applied if e.kind != "probe.samples"] == shown
                assert applied[-1] == events[replayer.position - 1]
                # The last tick applied is there, in its place, whatever came after it:
                # the screen redraws its readings on it (it was left out before a close).
                ticks = [e for e in events[before : replayer.position] if e not in shown]
                assert [e for e in applied if e.kind == "probe.samples"] == ticks[-1:]
                assert [e.seq for e in applied] == sorted(e.seq for e in applied)
            session = ReplaySession(kept)
            session.clock.jump(moment)
            session.refresh()
            assert session.visible_events() == [
                e for e in events[: session.replayer.position] if e.kind != "probe.samples"
            ]


def test_replay_json_of_a_sampled_record_at_many_moments(tmp_path):
    record = sampled_record(tmp_path / "sampled.db")
    cli = InProcessCli(record.db)
    started = record.state.started_at
    for offset in ("T+0:00", "T+0:07", "T+3:20", "T+10:41", "T+1:00:00"):
        moment = started + parse_offset(offset) + REST_OF_SECOND
        data = json.loads(cli.ok("replay", record.incident_id, "--at", offset, "--json"))
        assert data == {
            **status_data(state_at(record.events, moment), moment),
            "damage": None,
            "kept_here": None,
        }
    end = json.loads(cli.ok("replay", record.incident_id, "--json"))
    last = record.events[-1].at
    assert end == {
        **status_data(state_at(record.events, last), last),
        "damage": None,
        "kept_here": None,
    }


def test_replay_json_takes_events_recorded_later_with_an_earlier_time(tmp_path):
    """A wall clock set back: `--at` still means every event recorded at or before it."""
    db = tmp_path / "clock.db"
    declared = scenarios.declared(db, at=timedelta(seconds=30))
    log = declared.log
    state = fold(log.events(SCENARIO_ID))
    for minutes, text in ((10, "ten"), (5, "five, written after ten"), (12, "twelve")):
        clock = ManualClock(SCENARIO_T0 + timedelta(minutes=minutes))  # set back for "five"
        log.append([commands.add_note(state, text, actor="ada", clock=clock)])
    events = log.events(SCENARIO_ID)
    log.close()
    cli = InProcessCli(db)
    for offset in ("T+6:00", "T+11:00", "T+12:00"):
        moment = SCENARIO_T0 + parse_offset(offset) + REST_OF_SECOND
        data = json.loads(cli.ok("replay", SCENARIO_ID, "--at", offset, "--json"))
        assert data == {
            **status_data(state_at(events, moment), moment),
            "damage": None,
            "kept_here": None,
        }


def test_replay_at_a_moment_of_a_record_without_its_declaration_is_one_line(tmp_path):
    """Event 1 deleted behind lastgood's back: `replay --at` ended in a StopIteration
    traceback where every other verb says the record cannot be read (a review)."""
    import sqlite3

    db = tmp_path / "headless.db"
    cli = InProcessCli(db)
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    cli.ok("note", incident_id, "second")
    with sqlite3.connect(db) as raw:
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            raw.execute(f'DROP TRIGGER "{name}"')
        raw.execute("DELETE FROM events WHERE seq = 1")
    ran = cli.run("replay", incident_id, "--at", "T+00:10", "--json")  # the screen's path too
    assert ran.code == 2 and ran.err.count("\n") == 1, ran.err
    assert "does not start with a declaration" in ran.err
