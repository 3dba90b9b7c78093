"""A chain that does not verify: nothing more is recorded on it, and every view says so.

Real files, `lastgood`'s `main` called in this process (`InProcessCli`); the damage
is done the way anyone with write access to the file could, through a plain sqlite3
connection that drops the append-only triggers first.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.core.chain import DamagedRecord
from incident.core.clock import SystemClock
from store import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli
from tests.tampering import drop_triggers
from tests.test_json_schemas import assert_valid


def tamper(db: Path, statement: str, *args: object) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute(statement, args)
    finally:
        conn.close()


def event_count(db: Path, incident_id: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM events WHERE incident_id = ?", (incident_id,)
            ).fetchone()[0]
        )
    finally:
        conn.close()


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Cli, str]:
    """An incident of three events whose second one was edited after the fact."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    log, session = declared_session(cli.db, title="Checkout 500s")
    with log:
        session.run(lambda s: commands.add_note(s, "rolling back", actor="a", clock=session.clock))
    incident_id = session.state.id
    tamper(
        cli.db,
        "UPDATE events SET payload = json_set(payload, '$.text', 'error rate 1%') "
        "WHERE incident_id = ? AND seq = 2",
        incident_id,
    )
    return cli, incident_id


@pytest.mark.parametrize(
    "verb",
    [
        ("note", "{id}", "one more"),
        ("check", "{id}", "assess-severity"),
        ("severity", "{id}", "SEV1", "--reason", "worse"),
        ("send", "{id}", "--text", "all fine"),
        ("close", "{id}", "--force", "--reason", "done"),
    ],
    ids=lambda verb: verb[0],
)
def test_recording_verbs_refuse_a_damaged_chain(
    damaged: tuple[Cli, str], verb: tuple[str, ...]
) -> None:
    cli, incident_id = damaged
    result = cli.run(*(part.format(id=incident_id) for part in verb))
    assert result.code == 1
    assert result.err == (
        f"lastgood {verb[0]}: incident {incident_id}: the record is damaged at event 2 "
        f"(content does not match its hash); run `lastgood verify {incident_id}`; "
        "nothing was recorded\n"
    )
    assert event_count(cli.db, incident_id) == 3


def test_status_warns_in_text_and_json(damaged: tuple[Cli, str]) -> None:
    cli, incident_id = damaged
    lines = cli.ok("status", incident_id).splitlines()
    assert lines[0] == (
        f"WARNING: the record of {incident_id} is damaged at event 2 (content does not "
        f"match its hash); run `lastgood verify {incident_id}`; nothing can be recorded "
        "until it is resolved"
    )
    assert lines[1].startswith(f"{incident_id}  SEV2  Checkout 500s")
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert data["damage"] == {
        "first_bad_seq": 2,
        "problem": "content does not match its hash",
        "verified_events": 1,
        "verified_head": data["damage"]["verified_head"],
    }
    assert len(data["damage"]["verified_head"]) == 64
    replayed = json.loads(cli.ok("replay", incident_id, "--json"))
    assert replayed["damage"] == data["damage"]


def test_status_of_an_intact_chain_has_no_damage(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "lastgood.db")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada"
    ).strip()
    assert not cli.ok("status", incident_id).startswith("WARNING")
    assert json.loads(cli.ok("status", incident_id, "--json"))["damage"] is None
    assert json.loads(cli.ok("replay", incident_id, "--json"))["damage"] is None


def declared_session(db: Path, title: str = "t") -> tuple[SqliteEventLog, IncidentSession]:
    """A writable log and a session on an incident of two events (declared, a note)."""
    from runbooks import load_runbook, resolve_runbook

    clock = SystemClock()
    log = SqliteEventLog.open(db)
    details = commands.Declaration(title=title, severity="SEV2", commander="Ada")
    declared = commands.declare(
        load_runbook(resolve_runbook("rollback")), details, actor="a", clock=clock
    )
    session = IncidentSession.declare(log, declared, clock)
    session.run(lambda s: commands.add_note(s, "first", actor="a", clock=clock))
    return log, session


def four_events(db: Path) -> tuple[str, list[str]]:
    """An incident of four events in `db` (declared, then notes "first", "note 2" and
    "note 3"), recorded in-process: its id, and the hash of each event."""
    log, session = declared_session(db)
    with log:
        for n in (2, 3):
            session.run(
                lambda s, n=n: commands.add_note(s, f"note {n}", actor="a", clock=session.clock)
            )
        heads = [event.hash for event in log.events(session.state.id)]
    assert len(heads) == 4
    return session.state.id, heads


def _note(session: IncidentSession, text: str) -> None:
    session.run(lambda s: commands.add_note(s, text, actor="a", clock=session.clock))


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (
            "UPDATE events SET payload = json_set(payload, '$.text', 'forged') "
            "WHERE incident_id = ? AND seq = 2",
            "event 2 changed after it was verified",
        ),
        (
            # another first hex digit: 'f' alone left a hash starting with f as it was
            "UPDATE events SET hash = (CASE WHEN hash LIKE 'f%' THEN 'e' ELSE 'f' END) "
            "|| substr(hash, 2) WHERE incident_id = ? AND seq = 2",
            "event 2 changed after it was verified",
        ),
        ("DELETE FROM events WHERE incident_id = ? AND seq = 2", "event 2 is gone"),
        (
            "INSERT INTO events SELECT incident_id, 3, at, mono_ns, 'mallory', kind, payload, "
            "hash, hash FROM events WHERE incident_id = ? AND seq = 2",
            "content does not match its hash",
        ),
    ],
    ids=["edited-head", "rehashed-head", "deleted-head", "forged-next"],
)
def test_an_append_refuses_a_head_changed_since_the_session_verified_it(
    tmp_path: Path, statement: str, problem: str
) -> None:
    db = tmp_path / "lastgood.db"
    log, session = declared_session(db)
    with log:
        tamper(db, statement, session.state.id)
        before = event_count(db, session.state.id)
        with pytest.raises(DamagedRecord) as refused:
            _note(session, "after the edit")
        assert refused.value.report.problem == problem
        assert "run `lastgood verify" in str(refused.value)
        assert event_count(db, session.state.id) == before
        assert session.damage is refused.value.report
        with pytest.raises(DamagedRecord):  # refused at once from now on
            _note(session, "again")
        assert event_count(db, session.state.id) == before


def test_appends_verify_only_what_is_new_and_the_next_open_sees_the_rest(tmp_path: Path) -> None:
    """The cost stays small: an edit before the verified head waits for the next open."""
    db = tmp_path / "lastgood.db"
    log, session = declared_session(db)
    with log:
        _note(session, "second")
        tamper(
            db,
            "UPDATE events SET actor = 'mallory' WHERE incident_id = ? AND seq = 1",
            session.state.id,
        )
        _note(session, "third")  # extends the head it verified; event 1 is not re-read
        reopened = IncidentSession(log, session.state.id, SystemClock())
        assert reopened.damage is not None
        assert reopened.damage.first_bad_seq == 1
        with pytest.raises(DamagedRecord):
            _note(reopened, "refused")


def test_refresh_verifies_what_other_writers_appended(tmp_path: Path) -> None:
    db = tmp_path / "lastgood.db"
    log, writer = declared_session(db)
    with log, SqliteEventLog.open(db, read_only=True) as reader_log:
        reader = IncidentSession(reader_log, writer.state.id, SystemClock())
        _note(writer, "genuine")
        assert [e.seq for e in reader.refresh()] == [3]
        assert reader.damage is None
        tamper(
            db,
            "INSERT INTO events SELECT incident_id, 4, at, mono_ns, 'mallory', kind, payload, "
            "hash, 'f' || substr(hash, 2) FROM events WHERE incident_id = ? AND seq = 3",
            writer.state.id,
        )
        assert [e.seq for e in reader.refresh()] == [4]  # still shown ...
        assert reader.damage is not None  # ... and flagged
        assert (reader.damage.first_bad_seq, reader.damage.problem) == (
            4,
            "content does not match its hash",
        )


def test_list_names_an_unreadable_incident_and_still_lists_the_others(tmp_path: Path) -> None:
    """One incident whose payload no longer parses made `list` fail as a whole, and
    every other incident in the file was unfindable (a hostile review)."""
    cli = Cli(tmp_path / "two.db")
    healthy = cli.ok("declare", "--title", "Healthy one", "--severity", "SEV3", "--commander", "A")
    broken = cli.ok("declare", "--title", "Broken one", "--severity", "SEV2", "--commander", "B")
    tamper(
        cli.db,
        "UPDATE events SET payload = '{' WHERE incident_id = ? AND seq = 1",
        broken.strip(),
    )
    shown = cli.run("list")
    assert shown.code == 1
    assert shown.out.startswith(healthy.strip()) and "Healthy one" in shown.out
    assert shown.err.startswith("lastgood list: ") and broken.strip() in shown.err
    assert shown.err.count("\n") == 1
    listing = json.loads(cli.run("list", "--json").out)
    assert [row["id"] for row in listing] == [healthy.strip(), broken.strip()]
    assert "unreadable" in listing[1]
    assert_valid("list", listing)  # the schema allows the unreadable row (it did not)
