"""Two coordinators' terminals appending at once never lose, duplicate or fork events."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
import time

from incident import commands
from incident.clock import SystemClock
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import ROOT

WRITER = textwrap.dedent(
    """
    import os
    import sys
    import time
    from incident import commands
    from incident.clock import SystemClock
    from incident.session import IncidentSession
    from store.sqlite_log import SqliteEventLog

    db, incident_id, name, count, go = sys.argv[1:6]
    clock = SystemClock()
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
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
    time.sleep(1.0)  # both interpreters up and waiting
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
    texts = [e.payload["text"] for e in events[1:]]
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

    from incident.commands import CommandError
    from incident.session import IncidentSession

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
