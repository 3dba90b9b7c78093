"""Terminals and pipelines appending at once never lose, duplicate or fork events.

Real processes on a real file. A writer waits its turn for as long as
`store.connection.WRITE_WAIT_S`; none is turned away with "database is locked"
while the others keep the file busy.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from incident import commands
from incident.core.clock import SystemClock
from incident.core.events import NewEvent
from incident.core.payloads import NoteAdded
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import ROOT

WRITER = textwrap.dedent(
    """
    import os
    import sys
    import time
    from incident import commands
    from incident.core.clock import SystemClock
    from incident.app.session import IncidentSession
    from store.sqlite_log import SqliteEventLog

    db, incident_id, name, count, go = sys.argv[1:6]
    clock = SystemClock()
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        print("ready", flush=True)
        while not os.path.exists(go):  # start together, so the writes really interleave
            time.sleep(0.001)
        for i in range(int(count)):
            session.run(lambda s: commands.add_note(s, f"{name} {i}", actor=name, clock=clock))
            time.sleep(0.001)  # a person or a pipeline, not a tight loop: let the other in
    print("done", name)
    """
)


def test_two_processes_append_thousands_and_the_chain_stays_linear(tmp_path):
    db = tmp_path / "shared.db"
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="A")
    with SqliteEventLog.open(db) as log:
        declared = commands.declare(runbook, details, actor="a", clock=SystemClock())
        log.append([declared])
    incident_id = declared.incident_id
    per_writer = 1500
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), incident_id, name, str(per_writer), str(go)],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alice", "bob")
    ]
    for writer in writers:  # both interpreters up, the file open, waiting
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert out.startswith("done")

    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
        report = log.verify(incident_id)
    assert report.ok, report
    assert report.count == 1 + 2 * per_writer
    assert [e.seq for e in events] == list(range(1, 2 * per_writer + 2))
    texts = [e.data.text for e in events[1:] if isinstance(e.data, NoteAdded)]
    assert len(set(texts)) == len(texts) == 2 * per_writer
    for name in ("alice", "bob"):
        mine = [int(t.split()[1]) for t in texts if t.startswith(name)]
        assert mine == list(range(per_writer)), f"{name}'s notes out of order or missing"
    # the writers really overlapped in time: each wrote while the other was writing
    actors = [e.actor for e in events[1:]]
    switches = sum(1 for a, b in itertools.pairwise(actors) if a != b)
    assert switches >= 2, "one writer finished before the other started"


def test_a_second_terminal_deciding_on_stale_state_is_refused_not_duplicated(tmp_path):
    import pytest

    from incident.app.session import IncidentSession
    from incident.commands import CommandError

    db = tmp_path / "two.db"
    clock = SystemClock()
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="A")
    first_log, second_log = SqliteEventLog.open(db), SqliteEventLog.open(db)
    declared = commands.declare(runbook, details, actor="a", clock=clock)
    first_log.append([declared])
    first = IncidentSession(first_log, declared.incident_id, clock)
    second = IncidentSession(second_log, declared.incident_id, clock)
    first.run(lambda s: commands.check_step(s, "assess-severity", actor="alice", clock=clock))
    # `second` has not refreshed: its state still shows the step open
    assert not second.state.steps["assess-severity"].done
    with pytest.raises(CommandError, match="already done"):
        second.run(lambda s: commands.check_step(s, "assess-severity", actor="bob", clock=clock))
    assert second.state.steps["assess-severity"].by == "alice"
    kinds = [e.kind for e in first_log.events(declared.incident_id)]
    assert kinds.count("step.checked") == 1
    first_log.close()
    second_log.close()


def test_events_read_inside_a_refused_append_are_folded_once(tmp_path):
    """A refusal after reading another writer's events: the next refresh must not fold
    them again (it once did: the session's head stayed behind them)."""
    import pytest

    from incident.app.session import IncidentSession
    from incident.commands import CommandError

    db = tmp_path / "twice.db"
    clock = SystemClock()
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="A")
    first_log, second_log = SqliteEventLog.open(db), SqliteEventLog.open(db)
    declared = commands.declare(runbook, details, actor="a", clock=clock)
    first_log.append([declared])
    first = IncidentSession(first_log, declared.incident_id, clock)
    second = IncidentSession(second_log, declared.incident_id, clock, journal=True)
    assert [e.seq for e in second.take_applied()] == [1]
    first.run(lambda s: commands.add_note(s, "from the pipeline", actor="bot", clock=clock))
    first.run(lambda s: commands.check_step(s, "assess-severity", actor="alice", clock=clock))
    with pytest.raises(CommandError, match="already done"):
        second.run(lambda s: commands.check_step(s, "assess-severity", actor="bob", clock=clock))
    assert second.refresh() == []
    assert [n.text for n in second.state.notes] == ["from the pipeline"]
    assert second.state.last_seq == 3
    assert [e.seq for e in second.take_applied()] == [2, 3]
    assert second.take_applied() == []
    first_log.close()
    second_log.close()


def test_a_session_tells_what_it_appended_from_what_it_read_under_one_name(tmp_path):
    """Two terminals of one person: the events read from the other are not this
    session's, though they carry its actor's name (`take_appended_here`)."""
    from incident.app.session import IncidentSession

    db = tmp_path / "one-name.db"
    clock = SystemClock()
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="A")
    laptop_log, bastion_log = SqliteEventLog.open(db), SqliteEventLog.open(db)
    declared = commands.declare(runbook, details, actor="ada", clock=clock)
    laptop_log.append([declared])
    laptop = IncidentSession(laptop_log, declared.incident_id, clock, journal=True)
    bastion = IncidentSession(bastion_log, declared.incident_id, clock)
    assert laptop.take_appended_here() == frozenset()  # the opening was read
    bastion.run(lambda s: commands.check_step(s, "assess-severity", actor="ada", clock=clock))
    laptop.run(lambda s: commands.add_note(s, "from the laptop", actor="ada", clock=clock))
    assert [e.seq for e in laptop.take_applied()] == [1, 2, 3]  # read inside the append
    assert laptop.take_appended_here() == frozenset({3})
    bastion.run(lambda s: commands.add_note(s, "from the bastion", actor="ada", clock=clock))
    assert [e.seq for e in laptop.refresh()] == [4]
    assert laptop.take_appended_here() == frozenset()
    laptop_log.close()
    bastion_log.close()


APPENDER = textwrap.dedent(
    """
    import json
    import os
    import sys
    from datetime import UTC, datetime
    from incident.core.events import NewEvent
    from incident.core.payloads import NoteAdded
    from store import SqliteEventLog, StoreError

    db, name, count, go = sys.argv[1:5]
    refused = []
    with SqliteEventLog.open(db) as log:
        print("ready", flush=True)
        while not os.path.exists(go):
            pass
        for n in range(int(count)):  # a tight loop: the file is never idle
            event = NewEvent("inc-1", name, datetime.now(UTC), n, NoteAdded(str(n), name))
            try:
                log.append([event])
            except StoreError as error:
                refused.append(str(error))
    print(json.dumps(refused))
    """
)


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n", process.stderr.read() if process.stderr else ""
    return process


def test_eight_writers_in_tight_loops_are_never_refused(tmp_path: Path) -> None:
    """SQLite's own busy handler turned about 1 in 3,400 appends away here (after 5 s)."""
    db, go = tmp_path / "busy.db", tmp_path / "go"
    SqliteEventLog.open(db).close()
    per_writer = 250
    names = [f"writer-{i}" for i in range(8)]
    writers = [_start(APPENDER, str(db), name, str(per_writer), str(go)) for name in names]
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        assert json.loads(out) == [], "an append was refused"

    with SqliteEventLog.open(db, read_only=True) as log:
        report = log.verify("inc-1")
        events = log.events("inc-1")
    assert report.ok, report
    assert [e.seq for e in events] == list(range(1, 8 * per_writer + 1))
    for name in names:
        notes = [e.data.text for e in events if isinstance(e.data, NoteAdded) and e.actor == name]
        assert notes == [str(n) for n in range(per_writer)]
    switches = sum(1 for a, b in itertools.pairwise(e.actor for e in events) if a != b)
    assert switches > 8, "the writers did not overlap"


HOG = textwrap.dedent(
    """
    import select
    import sqlite3
    import sys
    import time

    conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
    conn.execute("BEGIN IMMEDIATE")
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([sys.stdin], [], [], 0)[0]:
            if not sys.stdin.readline():
                break  # asked to stop
            print("held", flush=True)  # said while holding the lock
        time.sleep(0.2)  # a long write transaction (a bulk import, say) ...
        conn.execute("COMMIT")
        time.sleep(0.001)  # ... a short breath ...
        conn.execute("BEGIN IMMEDIATE")  # ... and the next one
    conn.execute("COMMIT")
    """
)


def test_appends_get_their_turn_beside_a_writer_that_lets_go_only_briefly(
    tmp_path: Path,
) -> None:
    """The lock is free for about 1 ms in every 200.

    SQLite's busy handler sleeps in steps growing to 100 ms, so it wakes inside
    such a gap about once in 70 tries and gives up after 5 s; polling every
    0.5-2 ms lands in the first gap that comes. Each of five appends starts
    while the other writer holds the lock (it has just said so).
    """
    db = tmp_path / "hogged.db"
    SqliteEventLog.open(db).close()
    hog = _start(HOG, str(db))
    assert hog.stdin is not None
    assert hog.stdout is not None
    try:
        with SqliteEventLog.open(db) as log:
            for n in range(5):
                hog.stdin.write("hold on\n")
                hog.stdin.flush()
                assert hog.stdout.readline() == "held\n"
                note = NoteAdded(str(n), "ada")
                log.append([NewEvent("inc-1", "ada", datetime.now(UTC), n, note)])
            assert log.last_seq("inc-1") == 5
    finally:
        _, err = hog.communicate(timeout=120)  # closes its stdin: it stops
    assert hog.returncode == 0, err
