"""`lastgood` on a PostgreSQL record: chosen by `--db` or $LASTGOOD_DB, the verbs
recording and reading there, a forged event found, `monitor`'s ticks kept there.

Separate processes, as a user runs them, against this worker's real cluster; finding a
forged event calls the same `main` in this process (`InProcessCli`), as
tests/test_cli_database.py does on SQLite. Each way of not reaching the record is in
`test_postgres_cli_connecting.py`, messages in `test_postgres_cli_delivery.py`, command
steps in `test_postgres_cli_run.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli, declare
from tests.postgres_server import Cluster
from tests.store_backends import postgres_backend


@pytest.fixture
def cli(pg_url: str) -> Cli:
    return Cli(pg_url)  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL


def test_the_verbs_record_and_read_on_postgresql(cli: Cli, pg_url: str, pg_cluster: Cluster):
    incident_id = declare(cli)
    cli.ok("note", incident_id, "from the pipeline")
    cli.ok("check", incident_id, "assess-severity", "--by", "Bo")
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert status["id"] == incident_id
    assert incident_id in cli.ok("list")
    exported = json.loads(cli.ok("export", incident_id, "--format", "json"))
    kinds = [event["kind"] for event in exported["events"]]
    assert kinds[0] == "incident.declared" and "step.checked" in kinds
    assert f"head {exported['head_hash']}" in cli.ok("verify", incident_id)
    replayed = json.loads(cli.ok("replay", incident_id, "--at", "T+0:01", "--json"))
    assert replayed["id"] == incident_id
    # the events are in the database, not in a file somewhere
    backend = postgres_backend(pg_cluster, pg_url)
    stored = backend.owner_sql(f"SELECT COUNT(*) FROM events WHERE incident_id = '{incident_id}'")
    assert int(stored) == len(exported["events"])


def test_db_option_names_postgresql_over_the_environment(
    pg_url: str, tmp_path: Path, pg_cluster: Cluster
) -> None:
    file_cli = Cli(tmp_path / "elsewhere.db")
    incident_id = file_cli.ok(
        "--db", pg_url, "declare", "--title", "t", "--severity", "SEV2", "--commander", "A"
    ).strip()
    assert not (tmp_path / "elsewhere.db").exists()
    assert incident_id in file_cli.ok("--db", pg_url, "list")
    counted = postgres_backend(pg_cluster, pg_url).owner_sql("SELECT COUNT(*) FROM events")
    assert counted == "2"  # the declaration and the commander's step it did


def test_verify_finds_a_forged_event_as_on_sqlite(pg_url: str, pg_cluster: Cluster):
    cli = InProcessCli(pg_url)  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
    incident_id = declare(cli)
    cli.ok("note", incident_id, "first")
    cli.ok("note", incident_id, "second")
    postgres_backend(pg_cluster, pg_url).forge_sql(
        "UPDATE events SET payload = replace(payload, 'first', 'forged') WHERE seq = 3"
    )
    result = cli.run("verify", incident_id)
    assert result.code == 1
    assert "BROKEN at event 3" in result.out  # 1-2: the declaration, its commander's step
    assert cli.run("verify", "--all").code == 1
    refused = cli.run("note", incident_id, "on top")
    assert refused.code == 1 and "verify" in refused.err


def test_an_applications_own_meta_and_events_are_not_taken_for_a_record(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """A database shared with an application whose schema has tables `meta` and
    `events` refused the first `declare` as "a record in schema app" (a review)."""
    database = postgres_backend(pg_cluster, pg_url).database
    pg_cluster.admin("CREATE SCHEMA app", database)
    pg_cluster.admin("CREATE TABLE app.meta (k TEXT); CREATE TABLE app.events (id INT)", database)
    cli = Cli(pg_cluster.tcp_url(database))  # type: ignore[arg-type]
    incident_id = declare(cli)
    assert json.loads(cli.ok("status", incident_id, "--json"))["id"] == incident_id


def test_monitor_records_ticks_and_their_summaries_in_the_database(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    from tui.demo.launch import write_demo_runbook
    from tui.demo.shop import DemoService

    cli = Cli(pg_url, actor="bastion")  # type: ignore[arg-type]
    with DemoService(latency_scale=0, synthetic_rps=50, window_s=4) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            *("declare", "--title", "t", "--severity", "SEV2", "--commander", "A"),
            *("--runbook", runbook.source, "--last-good", "2.4.0"),
        ).strip()
        out = cli.ok("monitor", incident_id, "--for", "2.5")
    assert any("version 2.4.1" in line for line in out.splitlines())
    backend = postgres_backend(pg_cluster, pg_url)
    ticks = backend.owner_sql("SELECT COUNT(*) FROM events WHERE kind = 'probe.samples'")
    assert int(ticks) >= 2
    assert backend.owner_sql("SELECT COUNT(*) FROM tick_samples") == ticks
    assert "ok," in cli.ok("verify", incident_id)
