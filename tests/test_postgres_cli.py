"""`lastgood` on a PostgreSQL record: chosen by `--db` or $LASTGOOD_DB, and each way of
not reaching it said in one line with a non-zero exit.

Separate processes, as a user runs them, against this worker's real cluster; finding a
forged event calls the same `main` in this process (`InProcessCli`), as
tests/test_cli.py does on SQLite.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, Cli, InProcessCli, declare
from tests.postgres_server import PASSWORD, PASSWORD_ROLE, SUPERUSER, Cluster, free_port
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
    assert postgres_backend(pg_cluster, pg_url).owner_sql("SELECT COUNT(*) FROM events") == "1"


def test_verify_finds_a_forged_event_as_on_sqlite(pg_url: str, pg_cluster: Cluster):
    cli = InProcessCli(pg_url)  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
    incident_id = declare(cli)
    cli.ok("note", incident_id, "first")
    cli.ok("note", incident_id, "second")
    postgres_backend(pg_cluster, pg_url).forge_sql(
        "UPDATE events SET payload = replace(payload, 'first', 'forged') WHERE seq = 2"
    )
    result = cli.run("verify", incident_id)
    assert result.code == 1
    assert "BROKEN at event 2" in result.out
    assert cli.run("verify", "--all").code == 1
    refused = cli.run("note", incident_id, "on top")
    assert refused.code == 1 and "verify" in refused.err


def _one_line(result_err: str) -> str:
    lines = result_err.strip().splitlines()
    assert len(lines) == 1, result_err
    assert "Traceback" not in result_err
    return lines[0]


def test_a_refused_connection_is_one_line() -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/lastgood"
    result = Cli(url).run("list")  # type: ignore[arg-type]
    assert result.code != 0
    line = _one_line(result.err)
    assert line == (
        f"lastgood list: {url}: cannot connect: connection refused (is PostgreSQL running there?)"
    )


def test_wrong_credentials_are_one_line_without_the_password(
    pg_cluster: Cluster, pg_url: str
) -> None:
    database = postgres_backend(pg_cluster, pg_url).database
    url = pg_cluster.tcp_url(database, PASSWORD_ROLE, "not-" + PASSWORD)
    result = Cli(url).run("list")  # type: ignore[arg-type]
    assert result.code != 0
    line = _one_line(result.err)
    assert "wrong credentials" in line
    assert "not-" + PASSWORD not in result.err
    right = Cli(pg_cluster.tcp_url(database, PASSWORD_ROLE, PASSWORD))  # type: ignore[arg-type]
    empty = right.run("list").err
    assert empty.endswith("no lastgood record in schema public yet (declare an incident first)\n")
    incident_id = declare(right)
    assert incident_id in right.ok("list")


def test_a_role_that_looks_in_another_schema_is_told_where_the_record_is(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """Without the README's search_path, a role looks in `public`: a refused `note`
    created an empty record there, and a `declare` then split the team's record in
    two, every message showing the same URL (a PostgreSQL review)."""
    database = postgres_backend(pg_cluster, pg_url).database
    pg_cluster.admin("CREATE SCHEMA lastgood", database)
    in_schema = Cli(pg_cluster.tcp_url(database) + "?options=-csearch_path%3Dlastgood")  # type: ignore[arg-type]
    incident_id = declare(in_schema)
    plain = Cli(pg_cluster.tcp_url(database))  # type: ignore[arg-type]
    for verb in (("note", incident_id, "LB drained"), ("status", incident_id)):
        done = plain.run(*verb)
        assert done.code == 2, done.err
        assert _one_line(done.err).endswith(
            "no lastgood record in schema public; this database has one in schema lastgood: "
            "set the role's search_path to it (ALTER ROLE ... SET search_path = lastgood) "
            "and grant USAGE on it"
        )
    tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    assert pg_cluster.admin(tables, database) == "0"
    assert "LB drained" not in in_schema.ok("timeline", incident_id)


def test_declare_and_migrate_refuse_to_start_a_second_record_beside_the_one_found(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    """`list` refused a role whose search_path missed the record's schema, but `declare`
    and `migrate` created a second, empty record in `public` and wrote there, the team
    then recording into two records in one database (a PostgreSQL review)."""
    database = postgres_backend(pg_cluster, pg_url).database
    pg_cluster.admin("CREATE SCHEMA lastgood", database)
    in_schema = Cli(pg_cluster.tcp_url(database) + "?options=-csearch_path%3Dlastgood")  # type: ignore[arg-type]
    declare(in_schema)
    plain_url = pg_cluster.tcp_url(database)
    plain = Cli(plain_url)  # type: ignore[arg-type]
    listed = plain.run("list")
    file_cli = InProcessCli(tmp_path / "laptop.db")
    declare(file_cli)
    for done in (
        plain.run("declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada"),
        file_cli.run("migrate", "--from", str(tmp_path / "laptop.db"), "--to", plain_url),
    ):
        assert done.code == 2, done.err
        assert _one_line(done.err).split(": ", 2)[2] == _one_line(listed.err).split(": ", 2)[2]
        assert "this database has one in schema lastgood" in done.err
    tables = "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
    assert pg_cluster.admin(tables, database) == "0"


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


def test_messages_name_the_database_libpq_connected_to(pg_cluster: Cluster, pg_url: str) -> None:
    """Host, port, user and database from libpq's environment were shown as
    `postgresql://localhost/DB`, whatever was connected to (a PostgreSQL review)."""
    database = postgres_backend(pg_cluster, pg_url).database
    cli = Cli("postgresql:///" + database)  # type: ignore[arg-type]
    cli.env.update(PGHOST="127.0.0.1", PGPORT=str(pg_cluster.port), PGUSER=SUPERUSER)
    done = cli.run("note", "INC-NOPE", "x")
    where = f"postgresql://{SUPERUSER}@127.0.0.1:{pg_cluster.port}/{database}"
    assert (done.code, done.err) == (
        2,
        f"lastgood note: {where}: no lastgood record in schema public yet "
        "(declare an incident first)\n",
    )
    missing = Cli("postgresql:///no_such_database")  # type: ignore[arg-type]
    missing.env.update(cli.env, LASTGOOD_DB="postgresql:///no_such_database")
    done = missing.run("status", "INC-NOPE")
    assert done.err == (
        f"lastgood status: postgresql://{SUPERUSER}@127.0.0.1:{pg_cluster.port}/no_such_database: "
        'cannot connect: database "no_such_database" does not exist\n'
    )


def test_tls_settings_in_the_url_reach_libpq(pg_cluster: Cluster, pg_url: str) -> None:
    """This server has no TLS: asking for it must be refused, not quietly ignored."""
    database = postgres_backend(pg_cluster, pg_url).database
    url = pg_cluster.tcp_url(database) + "?sslmode=require"
    result = Cli(url).run("list")  # type: ignore[arg-type]
    assert result.code != 0
    assert "server does not support SSL" in _one_line(result.err)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://a:hunter2@[::1/x",
        "postgresql://a:hunter2@h/db?bogus=1",
        "postgresql://a:hunter2@127.0.0.1:notaport/db",
        "postgresql://a:p@ss:w/o%rd#hunter2?y&z=1@127.0.0.1:5432/db",
        "postgresql://a:abc%zzhunter2@127.0.0.1:5432/db",
    ],
    ids=["ipv6", "parameter", "port", "unescaped-specials", "bad-escape"],
)
def test_a_bad_url_is_one_line_without_the_password(url: str) -> None:
    result = Cli(url).run("list")  # type: ignore[arg-type]
    assert result.code != 0
    line = _one_line(result.err)
    assert "not a usable PostgreSQL URL" in line or "invalid integer value" in line
    assert "hunter2" not in result.err


@pytest.mark.parametrize(
    "given",
    [
        "host=127.0.0.1 port=5432 dbname=inc user=pw password=hunter2",
        "dbname=inc password=hunter2",
        " service=lastgood",
    ],
)
def test_a_key_value_connection_string_is_refused_not_made_a_file(
    tmp_path: Path, given: str
) -> None:
    """libpq's key=value form was taken for a SQLite file's name: `declare` made a file
    called `host=... password=...` and said nothing (a PostgreSQL review)."""
    cli = Cli(Path(given), actor="Ada")  # as --db, relative: in the test's directory
    cli.cwd = tmp_path
    done = cli.run("declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada")
    assert (done.code, done.err) == (
        2,
        "lastgood declare: --db looks like a libpq key=value connection string; "
        "give it as a postgresql:// URL (postgresql://USER@HOST:PORT/DBNAME)\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_without_psycopg_the_error_says_how_to_install_it(pg_url: str) -> None:
    import subprocess

    blocked = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from tui.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocked, "--db", pg_url, "list"],
        cwd=ROOT,
        env={**Cli(pg_url).env},  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "pip install 'lastgood[postgres]'" in _one_line(done.stderr)


@pytest.mark.parametrize("verb", [("demo", "--headless")])
def test_what_runs_on_a_file_only_says_so(verb: tuple[str, ...]) -> None:
    result = Cli("postgresql://a:secret@h/db").run(*verb)  # type: ignore[arg-type]
    assert result.code != 0
    line = _one_line(result.err)
    assert "keeps its record in a SQLite file for now (give --db PATH)" in line
    assert "secret" not in line


async def test_messages_are_queued_and_delivered_through_the_database(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """The CLI's courier on PostgreSQL: declare sends the auto message, `deliver` retries
    and re-sends, the outbox rows are in the database (as tests/test_cli_messages.py on a file)."""
    from tests.test_cli_messages import RUNBOOK, run
    from tests.test_cli_messages import declare as declare_with
    from tests.webhook_receivers import WebhookReceiver, fail_first

    async with WebhookReceiver(fail_first(2)) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK)
        cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
        cli.env["HOOK"] = hook.url()
        declared = await declare_with(cli, str(runbook))
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        assert "1 message not delivered yet" in declared.err
        failed = await run(cli, "deliver", incident_id, "--attempts", "2", "--wait", "5")
        assert failed.code == 1
        assert "Delivery to team FAILED after 2 tries: HTTP 500" in failed.out
        resent = await run(cli, "deliver", incident_id, "--resend-failed", "--wait", "5")
        assert resent.code == 0, resent.err
        assert "every message is delivered" in resent.out
        assert len(hook.accepted_keys()) == 1
    stored = postgres_backend(pg_cluster, pg_url).owner_sql(
        "SELECT status || ' ' || attempts FROM outbox"
    )
    assert stored == "delivered 1"


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


TWO_TARGETS = """\
runbook: two-targets
title: Two receivers
templates:
  initiating: "Initiating rollback due to {issue}."
notify:
  targets:
    - {name: ops, kind: json, url: "${OPS_HOOK}"}
    - {name: team, kind: slack, url: "${TEAM_HOOK}"}
  send:
    initiating: {to: [ops, team], on: declared, mode: auto}
phases:
  - id: decide
    title: Decide
    steps:
      - {id: notify, title: Notify, kind: communication, template: initiating}
"""


async def test_a_nul_in_one_receivers_refusal_costs_neither_message(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """One receiver answers 500 with a NUL in its body, the other 200, in the same round.
    PostgreSQL refused to store the NUL: the round's results were all thrown away (ops
    had its 200 and was sent the message again), and team's was re-sent forever."""
    from tests.http_servers import LoopbackServer, raw_route
    from tests.test_cli_messages import declare as declare_with
    from tests.test_cli_messages import events, run

    routes = {"/ops": raw_route(b"ok", 200), "/team": raw_route(b"bad\x00thing happened", 500)}
    async with LoopbackServer(routes) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(TWO_TARGETS)
        cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
        cli.env.update(OPS_HOOK=hook.url("/ops"), TEAM_HOOK=hook.url("/team"))
        declared = await declare_with(cli, str(runbook))
        assert declared.code == 0, declared.err
        assert "sending what is due failed" not in declared.err, declared.err
        incident_id = declared.out.splitlines()[0]
        failed = await run(cli, "deliver", incident_id, "--attempts", "1", "--wait", "10")
        assert failed.code == 1, failed.err
        assert "Delivery to team FAILED after 2 tries: HTTP 500: bad\u2400thing happened" in (
            failed.out
        )
    assert [r.path for r in hook.requests].count("/ops") == 1
    recorded = events(cli, incident_id)
    outcomes = [
        (e["kind"], e["payload"]["target"])  # type: ignore[index]
        for e in recorded
        if e["kind"] in ("notification.delivered", "notification.failed")
    ]
    assert outcomes == [("notification.delivered", "ops"), ("notification.failed", "team")]
    stored = postgres_backend(pg_cluster, pg_url).owner_sql(
        "SELECT target || ' ' || status || ' ' || attempts FROM outbox ORDER BY target"
    )
    assert stored.splitlines() == ["ops delivered 1", "team failed 2"]


def test_monitor_refuses_at_start_for_a_role_that_cannot_write_the_outbox(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """It said "deliveries paused: … permission denied for table outbox; trying again"
    and tried every half second for as long as it ran."""
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(TWO_TARGETS)
    owner = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
    owner.env.update(OPS_HOOK="http://127.0.0.1:9/ops", TEAM_HOOK="http://127.0.0.1:9/team")
    incident_id = declare(owner, "--runbook", str(runbook))
    from tests.outbox.test_store_outage import as_reader

    read_only = Cli(as_reader(pg_cluster, pg_url, "test_monitor_reader"), actor="bo")  # type: ignore[arg-type]
    read_only.env.update(OPS_HOOK="http://127.0.0.1:9/ops", TEAM_HOOK="http://127.0.0.1:9/team")
    result = read_only.run("monitor", incident_id, "--for", "20")
    assert result.code == 2, (result.out, result.err)
    line = _one_line(result.err)
    assert "cannot deliver: this role cannot write the outbox" in line
    assert "deliveries paused" not in result.out + result.err


OPS_TOKEN = "tok-SUPERSECRET-123"
PROBE_KEY = "prb-HIDDENKEY-456"
LEAKY = """\
runbook: leaky
title: A command that prints what it can see
notify:
  targets:
    - name: ops
      kind: json
      url: "http://127.0.0.1:9/hook"
      headers: {Authorization: "Bearer ${OPS_TOKEN}"}
probes:
  - {name: health, kind: http, url: "http://127.0.0.1:9/health?key=${PROBE_KEY}"}
phases:
  - id: execute
    title: Execute
    steps:
      - id: redeploy
        title: Redeploy the last good release
        kind: command
        command: >-
          echo "db=$LASTGOOD_DB"; echo "tok=$OPS_TOKEN"; echo "key=$PROBE_KEY";
          echo "+ migrate --url $DEPLOY_DB_URL"
        verify: {command: 'echo "rolled out with $OPS_TOKEN"', regex: "rolled out.*"}
"""


def test_run_gives_the_command_no_database_url_and_records_no_secret_it_prints(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """The step's shell inherited $LASTGOOD_DB (password and all) and its output was
    printed and recorded as it was: in the append-only record, for good."""
    backend = postgres_backend(pg_cluster, pg_url)
    url = pg_cluster.tcp_url(backend.database, PASSWORD_ROLE, PASSWORD)
    runbook = tmp_path / "leaky.yaml"
    runbook.write_text(LEAKY)
    cli = Cli(url, actor="ada")  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
    cli.env.update(OPS_TOKEN=OPS_TOKEN, PROBE_KEY=PROBE_KEY, DEPLOY_DB_URL=url)
    incident_id = declare(cli, "--runbook", str(runbook))
    ran = cli.run("run", incident_id, "redeploy", "--yes")
    assert ran.code == 0, ran.err
    assert "db=\n" in ran.out  # the command was not given the database's URL
    assert "tok=***\n" in ran.out and "key=***\n" in ran.out
    assert "--url postgresql://lastgood_pw:***@127.0.0.1:" in ran.out
    exported = cli.ok("export", incident_id, "--format", "json")
    assert "rolled out with ***" in exported  # the verify command's evidence too
    for secret in (OPS_TOKEN, PROBE_KEY, PASSWORD):
        assert secret not in ran.out + ran.err + exported
        assert backend.owner_sql(
            f"SELECT count(*) FROM events WHERE payload LIKE '%{secret}%'"
        ) == ("0")


def test_run_whose_result_cannot_be_recorded_says_the_command_ran_and_how_to_record_it(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """The step's command stops the server; recording its result then fails. That exited
    2, which says nothing was recorded, and nothing said the rollback had run."""
    import shlex

    from tests.postgres_server import BIN

    data = pg_cluster.directory / "data"
    stop = [str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
    if pg_cluster.owner is not None:
        stop = ["runuser", "-u", pg_cluster.owner, "--", *stop]
    runbook = tmp_path / "stops.yaml"
    runbook.write_text(
        "runbook: stops\ntitle: The record goes away as the rollback runs\nphases:\n"
        "  - id: execute\n    title: Execute\n    steps:\n"
        "      - id: redeploy\n        title: Redeploy\n        kind: command\n"
        f"        command: {json.dumps(shlex.join(stop) + ' >/dev/null && echo rolled-back')}\n"
    )
    cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
    incident_id = declare(cli, "--runbook", str(runbook))
    try:
        ran = cli.run("run", incident_id, "redeploy", "--yes")
    finally:
        pg_cluster.start()
    assert ran.code == 3, (ran.out, ran.err)
    assert ran.out == "rolled-back\n"
    line = _one_line(ran.err)
    assert line.startswith("lastgood run: the command ran (exit 0) but was not recorded: ")
    assert "cannot append" in line, line
    by_hand = line.split("do not run it again, record it with `", 1)[1].rstrip("`")
    assert by_hand.startswith(f"lastgood check {incident_id} redeploy --note ")
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert {s["id"]: s["state"] for s in status["steps"]}["redeploy"] == "open"
    cli.ok(*shlex.split(by_hand)[1:])  # as the line says
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert {s["id"]: s["state"] for s in status["steps"]}["redeploy"] == "done"
