"""One suite, both backends: the SQLite file and a real PostgreSQL behave as one record.

Each test runs twice, on a fresh SQLite file and on an empty PostgreSQL database of
its own (this worker's cluster, tests/postgres_server.py). What PostgreSQL alone
has (a writer role, advisory locks across connections) is tested beside them in
tests/test_postgres_store.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.core.chain import (
    GENESIS,
    GENESIS_HASH,
    ChainHead,
    ChainWalk,
    DamagedRecord,
    event_hash,
)
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.events import Event, NewEvent, truncate_to_millis
from incident.core.payloads import Declared, NoteAdded, ProbeSamples
from incident.core.samples import Outcome, Sample
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick, SampledTick
from runbooks import load_runbook, resolve_runbook
from store import StoreError
from tests.store_backends import (  # the fixture is imported for pytest to find
    Backend,
    backend_fixture,  # noqa: F401
    opened,
)
from tests.store_helpers import REPO, START, new_event, truncated


def _tick(n: int, value: float) -> NewEvent:
    sample = Sample("error-rate", START, Outcome.OK, 3.0, 200, value=value)
    return new_event(n=n, data=ProbeSamples((sample,)))


# Appends and reads


def test_round_trip_keeps_unicode_and_nested_payloads(backend: Backend) -> None:
    note = NoteAdded('Rücknahme — 回滚 🚨, say "no"\n', "ñ", pinned=True)
    sample = Sample("ñ", START, Outcome.OK, 2.5, 200, value=-0.0, text="回滚", detail="\x1b[2J")
    declared = new_event(data=note)
    with opened(backend) as log:
        recorded = log.append([declared, new_event(n=2, data=ProbeSamples((sample, sample)))])
        assert [e.seq for e in recorded] == [1, 2]
        assert recorded[0].data == note
        assert recorded[1].data == ProbeSamples((truncated(sample), truncated(sample)))
        assert recorded[0].at == truncate_to_millis(declared.at)
        assert recorded[0].prev_hash == GENESIS_HASH
        assert recorded[1].prev_hash == recorded[0].hash
        assert recorded[0].hash == event_hash(declared, 1, GENESIS_HASH)
        assert log.events("inc-1") == recorded
        assert log.events("inc-1", after_seq=1) == recorded[1:]
        assert log.read_chain("inc-1", GENESIS) == (recorded, log.verify("inc-1"))
        assert log.verify("inc-1").ok


def test_seq_continues_across_opens_and_interleaved_writers(backend: Backend) -> None:
    with opened(backend) as tui, opened(backend) as cli:
        for n in range(1, 21):
            (event,) = (tui if n % 3 else cli).append([new_event(n=n)])
            assert event.seq == n
    with opened(backend) as later:
        (last,) = later.append([new_event(n=21)])
        report = later.verify("inc-1")
    assert (report.ok, report.count, report.head_hash) == (True, 21, last.hash)


def test_queries_on_several_incidents_and_validation(backend: Backend) -> None:
    with opened(backend) as log:
        assert log.append([]) == []
        with pytest.raises(ValueError, match="one incident"):
            log.append([new_event("a"), new_event("b")])
        naive = NewEvent("a", "alice", datetime(2026, 1, 1), 0, NoteAdded("x", "alice"))
        with pytest.raises(ValueError, match="timezone"):
            log.append([new_event("a"), naive])
        assert log.incident_ids() == []
        log.append([new_event("later-name-first", n=1)])
        log.append([new_event("a-second", n=1)])
        log.append([new_event("later-name-first", n=2)])
        assert log.incident_ids() == ["later-name-first", "a-second"]
        assert (log.last_seq("a-second"), log.last_seq("unknown")) == (1, 0)
        assert log.has_incident("a-second") and not log.has_incident("unknown")
        assert log.events("unknown") == []
        assert log.verify("unknown").problem == "no events"
        last = log.last_event("later-name-first")
        assert last is not None and last.seq == 2
        assert log.seq_of_hash("later-name-first", last.hash) == 2


def test_hashes_are_found_by_their_first_digits(backend: Backend) -> None:
    """`verify --expect-head` takes the 12 digits the faces print (ux_review10 #8): each
    backend finds the events whose hash starts so, at most two, in the incident asked."""
    with opened(backend) as log:
        recorded = log.append([new_event(n=n) for n in range(1, 6)])
        log.append([new_event("other", n=1)])
        for event in recorded:
            assert log.hashes_starting("inc-1", event.hash[:12]) == [event.hash]
            assert log.hashes_starting("inc-1", event.hash) == [event.hash]
        assert log.hashes_starting("inc-1", "") == [e.hash for e in recorded[:2]]
        other = log.events("other")[0].hash
        assert log.hashes_starting("inc-1", other[:12]) == []
        assert log.hashes_starting("unknown", recorded[0].hash[:12]) == []


def test_ticks_are_summarised_and_read_back_the_same(backend: Backend) -> None:
    with opened(backend) as log:
        log.append([new_event(n=1), _tick(2, 0.25), _tick(3, 0.5), new_event(n=4)])
        scanned = list(log.scan("inc-1"))
        items = list(log.report_items("inc-1", ChainWalk("inc-1")))
        assert [type(item) for item in scanned] == [
            type(scanned[0]),
            ProbeTick,
            ProbeTick,
            type(scanned[0]),
        ]
        assert [type(item) for item in items][1:3] == [SampledTick, SampledTick]
        assert [item.seq for item in items] == [1, 2, 3, 4]
        assert [e.data for e in log.events("inc-1")][1] == items[1].decode()
        assert backend.owner_sql("SELECT seq FROM tick_samples ORDER BY seq") == "2\n3"
        assert log.verify("inc-1").ok


def test_the_exports_read_ticks_in_the_same_runs(backend: Backend) -> None:
    """`report_items(runs=True)` and `export_items` (store/tick_runs.py) on both: the
    ticks in one run with the event between them, the export's carrying their text."""
    with opened(backend) as log:
        log.append([new_event(n=1), _tick(2, 0.25), _tick(3, 0.5), new_event(n=4), _tick(5, 1)])
        declared = list(log.scan("inc-1", upto_seq=1))
        for items, copied in (
            (list(log.report_items("inc-1", ChainWalk("inc-1"), runs=True)), False),
            (list(log.export_items("inc-1", ChainWalk("inc-1"))), True),
        ):
            assert items[0] == declared[0] and len(items) == 2
            run = items[1]
            assert isinstance(run, TickRun)
            assert (list(run.seqs), [event.seq for event in run.between]) == ([2, 3, 5], [4])
            assert [value for _, value in run.readings_of("error-rate")] == ["0.25", "0.5", "1"]
            assert bool(run.payloads) is copied
            assert run.tick(1).decode() == log.events("inc-1")[2].data


def test_read_only_open_refuses_appends_and_sees_later_writes(backend: Backend) -> None:
    with opened(backend) as writer:
        writer.append([new_event(n=1)])
        with opened(backend, read_only=True) as reader:
            assert reader.read_only
            with pytest.raises(StoreError, match="read-only; cannot append to inc-1"):
                reader.append([new_event(n=2)])
            writer.append([new_event(n=2)])
            assert [e.seq for e in reader.events("inc-1")] == [1, 2]


def test_schema_version_is_recorded_and_a_newer_one_refused(backend: Backend) -> None:
    with opened(backend) as log:
        log.append([new_event()])
    stored = "SELECT value FROM meta WHERE key = 'schema_version'"
    assert backend.owner_sql(stored) == str(backend.schema_version)
    backend.owner_sql(f"UPDATE meta SET value = '{backend.schema_version + 1}'")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="newer than this lastgood supports") as caught:
            backend.open(read_only=read_only)
        assert "\n" not in str(caught.value)


# Decide and append


def test_a_second_writer_deciding_on_stale_state_is_refused_not_duplicated(
    backend: Backend,
) -> None:
    clock = SystemClock()
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="A")
    with opened(backend) as first_log, opened(backend) as second_log:
        declared = commands.declare(runbook, details, actor="a", clock=clock)
        first_log.append([declared])
        first = IncidentSession(first_log, declared.incident_id, clock)
        second = IncidentSession(second_log, declared.incident_id, clock)
        first.run(lambda s: commands.check_step(s, "assess-severity", actor="alice", clock=clock))
        assert not second.state.steps["assess-severity"].done
        with pytest.raises(CommandError, match="already done"):
            second.run(
                lambda s: commands.check_step(s, "assess-severity", actor="bob", clock=clock)
            )
        assert second.state.steps["assess-severity"].by == "alice"
        kinds = [e.kind for e in first_log.events(declared.incident_id)]
    assert kinds.count("step.checked") == 1


def test_a_proposal_stands_when_nothing_was_appended_and_is_decided_again_when_something_was(
    backend: Backend,
) -> None:
    """What a writer decided before taking the lock is appended as it is only if the
    head it decided on is still the head; else `decide` sees the fresh events."""
    asked: list[list[int]] = []

    def decide(fresh: list[Event]) -> list[NewEvent]:
        asked.append([e.seq for e in fresh])
        return [new_event(n=10 + len(fresh))]

    with opened(backend) as log:
        (first,) = log.append([_tick(1, 0.01)])
        head = ChainHead(first.seq, first.hash)
        _, stood = log.append_decided("inc-1", head, decide, [new_event(n=2)])
        assert asked == []
        assert [e.data for e in stood] == [new_event(n=2).data]
        _, decided = log.append_decided("inc-1", head, decide, [new_event(n=3)])
        assert asked == [[2]]  # the proposal's head had moved on: decided on event 2
        assert [e.data for e in decided] == [new_event(n=11).data]
        assert [e.seq for e in log.events("inc-1")] == [1, 2, 3]


def test_an_append_after_a_tick_whose_stored_text_was_respelled_is_refused(
    backend: Backend,
) -> None:
    """The head is rechecked from its stored text, undecoded: a tick of the same samples
    spelled another way (spaces after the colons) no longer hashes to what was verified."""
    with opened(backend) as log:
        (tick,) = log.append([_tick(1, 0.01)])
        backend.forge_sql(
            "UPDATE events SET payload = replace(payload, '\":', '\": ') WHERE seq = 1"
        )
        with pytest.raises(DamagedRecord, match="event 1 changed after it was verified"):
            log.append_decided("inc-1", ChainHead(tick.seq, tick.hash), lambda fresh: [])


_WRITER = """
import sys
from datetime import UTC, datetime
from incident.core.events import NewEvent
from incident.core.payloads import NoteAdded
from store.backends import open_event_log
with open_event_log(sys.argv[1]) as log:
    for n in range(int(sys.argv[3])):
        note = NoteAdded(str(n), sys.argv[2])
        log.append([NewEvent("inc-1", sys.argv[2], datetime.now(UTC), n, note)])
"""


def test_concurrent_processes_keep_one_linear_chain(backend: Backend) -> None:
    backend.open().close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, backend.location, f"writer-{i}", "40"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    with opened(backend, read_only=True) as log:
        report = log.verify("inc-1")
        events = log.events("inc-1")
    assert (report.ok, report.count) == (True, 120)
    assert [e.seq for e in events] == list(range(1, 121))
    assert {e.actor for e in events} == {"writer-0", "writer-1", "writer-2"}


# Tampering


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM events WHERE seq = 2",
        "INSERT INTO events (incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, hash)"
        " VALUES ('inc-1', 9, 'x', 0, 'm', 'note.added', '{}', 'x', 'x')",
    ],
    ids=["update", "delete", "insert-off-chain"],
)
def test_the_database_refuses_changes_to_the_record(backend: Backend, statement: str) -> None:
    with opened(backend) as log:
        log.append([new_event(n=1), new_event(n=2)])
    with pytest.raises(Exception, match=r"append-only|extend the chain"):
        backend.owner_sql(statement)
    with opened(backend, read_only=True) as log:
        assert [e.actor for e in log.events("inc-1")] == ["alice", "alice"]
        assert log.verify("inc-1").ok


def test_verify_finds_a_row_forged_past_the_triggers(backend: Backend) -> None:
    with opened(backend) as log:
        log.append([new_event(n=1), new_event(n=2), new_event(n=3)])
    backend.forge_sql("UPDATE events SET actor = 'mallory' WHERE seq = 2")
    with opened(backend, read_only=True) as log:
        report = log.verify("inc-1")
        assert (report.ok, report.first_bad_seq) == (False, 2)
        assert [e.actor for e in log.events("inc-1")][1] == "mallory"
        first = log.events("inc-1")[0]
    with opened(backend) as log, pytest.raises(DamagedRecord):  # no writer builds on it
        log.append_decided("inc-1", ChainHead(1, first.hash), lambda fresh: [new_event(n=4)])
    assert backend.owner_sql("SELECT COUNT(*) FROM events") == "3"


def test_an_incident_whose_first_row_was_deleted_is_still_listed_and_found_broken(
    backend: Backend,
) -> None:
    """PostgreSQL listed incidents by their row of seq 1: with it deleted past the
    triggers, `verify --all` passed over the incident and said ok (a second review)."""
    with opened(backend) as log:
        log.append([new_event("a", n=1), new_event("a", n=2)])
        log.append([new_event("b", n=1), new_event("b", n=2)])
    backend.forge_sql("DELETE FROM events WHERE incident_id = 'a' AND seq = 1")
    with opened(backend, read_only=True) as log:
        assert log.incident_ids() == ["a", "b"]
        report = log.verify("a")
        assert (report.ok, report.first_bad_seq) == (False, 1)


def test_verify_finds_a_forged_tick_summary(backend: Backend) -> None:
    with opened(backend) as log:
        log.append([new_event(n=1), _tick(2, 0.25)])
    backend.forge_sql("UPDATE tick_samples SET samples = 7 WHERE seq = 2")
    with opened(backend, read_only=True) as log:
        report = log.verify("inc-1")
    assert (report.ok, report.first_bad_seq) == (False, 2)
    assert "forged or stale" in report.problem


def test_incidents_view_summarises_each_incident(backend: Backend) -> None:
    declared = Declared("Checkout 500s", "SEV2", "ada", "r", "", {})
    with opened(backend) as log:
        log.append([new_event(data=declared), new_event(n=2), new_event(n=3)])
    row = backend.owner_sql(
        "SELECT incident_id || '|' || declared_at || '|' || title || '|' || event_count "
        "|| '|' || last_at FROM incidents"
    )
    assert row == "inc-1|2026-03-14T09:26:54.589Z|Checkout 500s|3|2026-03-14T09:26:56.589Z"
