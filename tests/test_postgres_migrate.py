"""`lastgood migrate --from PATH.db --to postgresql://…`, and the record reading the same after.

A real SQLite file written by the code (the golden sampled incident: a rollback
with about 1,100 probe ticks in every shape, and a second small incident), copied
into a real PostgreSQL by the CLI in a separate process in the first test; the others,
and the reading back, call the same `main` in this process (`InProcessCli`).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli, declare
from tests.golden.sampled import SAMPLED_ID, sampled_record
from tests.postgres_server import PASSWORD, PASSWORD_ROLE, Cluster
from tests.store_backends import postgres_backend


@pytest.fixture(scope="module")
def recorded_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A SQLite record of two incidents: the sampled one, and one declared by the CLI.
    Written once for the module (0.45 s of CPU, paid by each of seven tests when it was
    written per test); each test gets its own copy (`source`)."""
    db = tmp_path_factory.mktemp("migrate") / "laptop.db"
    sampled_record(db)
    second = declare(InProcessCli(db))
    InProcessCli(db).ok("note", second, "a second incident, on the same laptop")
    assert [p.name for p in db.parent.iterdir()] == ["laptop.db"]  # closed, no WAL left
    return db, second


@pytest.fixture
def source(recorded_source: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """`recorded_source`, its file copied for this test, which may write to it."""
    recorded, second = recorded_source
    db = tmp_path / "laptop.db"
    shutil.copy(recorded, db)
    return db, second


def test_migrate_copies_every_incident_and_both_backends_read_alike(
    source: tuple[Path, str], pg_url: str
) -> None:
    db, second = source
    on_file, on_server = InProcessCli(db), InProcessCli(pg_url)  # type: ignore[arg-type]
    out = Cli(db).ok("migrate", "--from", str(db), "--to", pg_url).splitlines()
    assert [line.split(":")[0] for line in out] == [SAMPLED_ID, second]
    assert all("copied" in line and "events verify, head" in line for line in out)
    for incident_id in (SAMPLED_ID, second):
        assert on_server.ok("verify", incident_id) == on_file.ok("verify", incident_id)
        exported = [
            json.loads(cli.ok("export", incident_id, "--format", "json"))
            for cli in (on_server, on_file)
        ]
        assert exported[0]["events"] == exported[1]["events"]
        assert exported[0]["head_hash"] == exported[1]["head_hash"]
    # The sampled incident is closed, so what is written of it does not depend on the
    # time it is read: the documents, read through the server's tick summaries, match.
    for reading in (("export", "--format", "markdown"), ("timeline",)):
        verb, *options = reading
        assert on_server.ok(verb, SAMPLED_ID, *options) == on_file.ok(verb, SAMPLED_ID, *options)
    assert [row["id"] for row in json.loads(on_server.ok("list", "--json"))] == [SAMPLED_ID, second]


def test_migrating_again_changes_nothing(source: tuple[Path, str], pg_url: str) -> None:
    db, _ = source
    cli = InProcessCli(db)
    cli.ok("migrate", "--from", str(db), "--to", pg_url)
    again = cli.ok("migrate", "--from", str(db), "--to", pg_url).splitlines()
    assert [line.split(": ")[1].split(";")[0] for line in again] == ["already there"] * 2


def test_a_cut_short_migration_resumes(
    source: tuple[Path, str], pg_url: str, pg_cluster: Cluster
) -> None:
    db, second = source
    InProcessCli(db).ok("migrate", "--from", str(db), "--to", pg_url)
    InProcessCli(db).ok("note", second, "recorded on the laptop after the copy")
    (_, line) = InProcessCli(db).ok("migrate", "--from", str(db), "--to", pg_url).splitlines()
    assert line.startswith(f"{second}: copied 1 event;")


def test_an_incident_that_differs_in_the_target_is_refused_and_left_alone(
    source: tuple[Path, str], pg_url: str, pg_cluster: Cluster
) -> None:
    db, second = source
    server = InProcessCli(pg_url)  # type: ignore[arg-type]
    InProcessCli(db).ok("migrate", "--from", str(db), "--to", pg_url)
    server.ok("note", second, "recorded on the server")
    InProcessCli(db).ok("note", second, "recorded on the laptop")
    before = postgres_backend(pg_cluster, pg_url).owner_sql("SELECT COUNT(*) FROM events")
    result = InProcessCli(db).run("migrate", "--from", str(db), "--to", pg_url)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{SAMPLED_ID}: already there;")
    assert lines[1] == (
        # events 1-3: the declaration, the commander's step it did, the note
        f"{second}: REFUSED: the target already holds other events (event 4 differs); "
        "nothing copied"
    )
    assert postgres_backend(pg_cluster, pg_url).owner_sql("SELECT COUNT(*) FROM events") == before


def test_a_target_ahead_of_the_file_is_refused_as_missing_from_the_file(
    source: tuple[Path, str], pg_url: str
) -> None:
    """The database held event 3 and the file did not: the refusal said "event 3
    differs", sending a person to compare two events of which only one exists."""
    db, second = source
    InProcessCli(db).ok("migrate", "--from", str(db), "--to", pg_url)
    InProcessCli(pg_url).ok("note", second, "recorded on the server")  # type: ignore[arg-type]
    result = InProcessCli(db).run("migrate", "--from", str(db), "--to", pg_url)
    assert result.code == 1
    assert result.out.splitlines()[1] == (
        f"{second}: REFUSED: the target already holds events missing from the file "
        "(event 4 on); nothing copied"
    )


def test_a_source_that_does_not_verify_is_not_copied(
    source: tuple[Path, str], pg_url: str, pg_cluster: Cluster
) -> None:
    db, second = source
    with sqlite3.connect(db) as raw:
        raw.execute("DROP TRIGGER events_no_update")
        raw.execute(f"UPDATE events SET actor = 'mallory' WHERE incident_id = '{second}'")
    result = InProcessCli(db).run("migrate", "--from", str(db), "--to", pg_url)
    assert result.code == 1
    assert f"{second}: REFUSED: the source does not verify (event 1:" in result.out
    copied = postgres_backend(pg_cluster, pg_url).owner_sql(
        "SELECT string_agg(DISTINCT incident_id, ',') FROM events"
    )
    assert copied == SAMPLED_ID


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--from", "postgresql://a@h/x", "--to", "postgresql://a@h/y"), "--from: give the"),
        (("--from", "{db}", "--to", "{db}"), "--to: give the PostgreSQL database"),
        (("--from", "{missing}", "--to", "postgresql://a@h/y"), "no such database file"),
    ],
    ids=["from-url", "to-file", "missing-file"],
)
def test_bad_arguments_are_one_line(
    tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    db = tmp_path / "x.db"
    filled = [a.format(db=db, missing=tmp_path / "missing.db") for a in arguments]
    result = InProcessCli(db).run("migrate", *filled)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert message in result.err


async def test_messages_waiting_in_the_file_are_delivered_from_the_database(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """`migrate` copied the events, not the outbox: a message pending or failed in the file
    was never sent after the move, `deliver --resend-failed` said "every message is
    delivered" with nothing sent, and `status` said "pending" forever (a PostgreSQL
    review). The record says what waits; the first deliverer on the database queues it."""
    from tests.test_cli_messages import RUNBOOK, run
    from tests.test_cli_messages import declare as declare_with
    from tests.webhook_receivers import WebhookReceiver

    answer = [500]
    async with WebhookReceiver(lambda _n: answer[0]) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK)
        db = tmp_path / "laptop.db"
        on_file = InProcessCli(db, actor="ada")
        on_server = InProcessCli(pg_url, actor="ada")  # type: ignore[arg-type]
        for cli in (on_file, on_server):
            cli.env["HOOK"] = hook.url()
        incident_id = (await declare_with(on_file, str(runbook))).out.splitlines()[0]
        given_up = await run(on_file, "deliver", incident_id, "--attempts", "1", "--wait", "3")
        assert "1 failed" in given_up.err, given_up
        sent = await run(on_file, "send", incident_id, "--template", "announce")
        assert "1 message not delivered yet" in sent.err, sent
        keys = [request.key for request in hook.requests]
        failed_key, pending_key = keys[0], keys[-1]
        assert failed_key != pending_key

        moved = await run(on_file, "migrate", "--from", str(db), "--to", pg_url)
        assert moved.code == 0, moved
        answer[0] = 200
        delivered = await run(on_server, "deliver", incident_id, "--wait", "5")
        assert delivered.code == 1, delivered
        assert delivered.err.strip().endswith(
            "0 messages pending, 1 failed; --resend-failed tries the failed ones again"
        )
        assert hook.accepted_keys() == [pending_key]
        resent = await run(on_server, "deliver", incident_id, "--resend-failed", "--wait", "5")
        assert (resent.code, resent.out.splitlines()[-1]) == (0, "every message is delivered")
        assert hook.accepted_keys() == [pending_key, failed_key]

    status = json.loads(on_server.ok("status", incident_id, "--json"))
    assert status["deliveries"] == {"pending": 0, "delivered": 2, "failed": 0}
    stored = postgres_backend(pg_cluster, pg_url).owner_sql(
        "SELECT string_agg(status, ',' ORDER BY key) FROM outbox"
    )
    assert stored == "delivered,delivered"


def test_an_open_incident_copied_says_where_to_record_it_from_now_on(
    source: tuple[Path, str], pg_url: str
) -> None:
    """After the copy the file's incident is still open and writable: a note into each
    parts them for good, and nothing said so (review 4, finding 20). One line per open
    incident, on stderr (stdout keeps one line per incident); the closed one has none."""
    db, second = source
    done = Cli(db).run("migrate", "--from", str(db), "--to", pg_url)
    assert done.code == 0, done.err
    assert [line.split(":")[0] for line in done.out.splitlines()] == [SAMPLED_ID, second]
    (said,) = done.err.strip().splitlines()
    assert said.startswith(f"{second} is open: record into the database from now on (LASTGOOD_DB=")
    assert said.endswith(f"), not into {db}")
    where = said.split("LASTGOOD_DB=", 1)[1].split(")", 1)[0]
    assert where.startswith("postgresql://") and SAMPLED_ID not in said


def test_the_database_a_migrate_names_hides_its_password(
    source: tuple[Path, str], pg_cluster: Cluster
) -> None:
    db, _ = source
    pg_cluster.fresh_database("t_migrate_password")
    url = pg_cluster.tcp_url("t_migrate_password", PASSWORD_ROLE, PASSWORD)
    done = Cli(db).run("migrate", "--from", str(db), "--to", url)
    assert done.code == 0, done.err
    assert PASSWORD not in done.err and PASSWORD not in done.out
    assert f"(LASTGOOD_DB=postgresql://{PASSWORD_ROLE}@127.0.0.1:{pg_cluster.port}/" in done.err
