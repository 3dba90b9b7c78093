"""`lastgood` given a PostgreSQL record it cannot use: each way of not reaching it (refused,
wrong credentials, another schema, a bad URL, no TLS, no psycopg) said in one line with a
non-zero exit and no password, and nothing created where the record is not.

Separate processes, as a user runs them, against this worker's real cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, Cli, InProcessCli, declare
from tests.one_line import one_line
from tests.postgres_server import PASSWORD, PASSWORD_ROLE, SUPERUSER, Cluster, free_port
from tests.store_backends import postgres_backend


def test_a_refused_connection_is_one_line() -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/lastgood"
    result = Cli(url).run("list")  # type: ignore[arg-type]
    assert result.code != 0
    line = one_line(result.err)
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
    line = one_line(result.err)
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
        assert one_line(done.err).endswith(
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
        assert one_line(done.err).split(": ", 2)[2] == one_line(listed.err).split(": ", 2)[2]
        assert "this database has one in schema lastgood" in done.err
    tables = "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
    assert pg_cluster.admin(tables, database) == "0"


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
    assert "server does not support SSL" in one_line(result.err)


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
    line = one_line(result.err)
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
    assert "pip install 'lastgood[postgres]'" in one_line(done.stderr)


@pytest.mark.parametrize("verb", [("demo", "--headless")])
def test_what_runs_on_a_file_only_says_so(verb: tuple[str, ...]) -> None:
    result = Cli("postgresql://a:secret@h/db").run(*verb)  # type: ignore[arg-type]
    assert result.code != 0
    line = one_line(result.err)
    assert "keeps its record in a SQLite file for now (give --db PATH)" in line
    assert "secret" not in line
