"""A URL libpq would misread is refused before anything connects; its escaped spelling works.

libpq reads the user and password up to the first `@`, and only when no `/` comes
before it: a password holding an unescaped `/` or `@` became the host, port and
database, which libpq looked up and connected to (a previous fix only stopped them
being shown). Now `--db` with such a URL is one line naming the remedy, exit 2, for
every verb and the TUI's start; the same password percent-encoded reaches this worker's
real cluster as the password of a role that must give it (scram-sha-256 on 127.0.0.1).
The passwords are `test_postgres_url_secrets`'s: marker words between the characters
URLs and libpq give meaning to.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

from store.errors import StoreError
from store.postgres_connection import connect
from store.postgres_url import ESCAPE_HINT, MISREAD, misread
from tests.cli_helpers import ROOT, Cli, InProcessCli, lastgood_command
from tests.postgres_server import PASSWORD, PASSWORD_ROLE, Cluster
from tests.store_backends import postgres_backend
from tests.test_postgres_url_secrets import passwords


def as_libpq_reads(url: str) -> dict[str, str] | None:
    """What libpq makes of `url` without connecting; None if it refuses to read it."""
    try:
        return psycopg.conninfo.conninfo_to_dict(url)  # type: ignore[no-any-return]
    except psycopg.Error:
        return None


@settings(max_examples=500)
@given(password=passwords())
def test_misread_is_where_libpq_reads_the_password_as_something_else(
    password: tuple[str, list[str]],
) -> None:
    """No false alarm: a URL libpq reads as written is never refused; and every URL it
    would connect elsewhere with is, but for the one shape `misread` says it leaves to
    libpq's own refusal (a `?` after an `@` in the password, its tail a valid query)."""
    text, _ = password
    # libpq decodes %XX and wants spaces as %20: other mistakes, which libpq refuses
    # or reads in its own way, whatever comes before the host
    text = text.replace("%", "").replace(" ", "")
    url = f"postgresql://u:{text}@db.example:5432/inc1"
    parts = as_libpq_reads(url)
    as_written = parts is not None and (
        parts.get("user"),
        parts.get("password"),
        parts.get("host"),
        parts.get("port"),
        parts.get("dbname"),
    ) == ("u", text, "db.example", "5432", "inc1")
    if misread(url):
        assert not as_written, url
    elif not as_written and parts is not None:
        assert re.search(r"@.*\?", text), (url, parts)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:pw@h:5432/db",
        "postgresql://u:a?b#c:d@h/db",
        "postgresql://u:p%2Fa%40ss@h/db",
        "postgresql://u:pw@h/db?application_name=me@laptop",
        "postgresql://h/db?user=me@corp&sslrootcert=/etc/ssl/a.pem",
        "postgresql:///db?host=/var/run/postgresql",
        "postgresql://u:pw@[::1]:5432/db",
        "postgresql://u:pw@h1:5432,h2:5433/db",
    ],
)
def test_a_url_libpq_reads_as_written_is_not_refused(url: str) -> None:
    assert not misread(url)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:pa/ss@h/db",
        "postgresql://u:pa@ss@h/db",
        "postgresql://u:p/a@s@h:5432/db?sslmode=disable",
        "postgresql://u:p?a@b@h/db",
        "postgres://u/x@h/db",
    ],
)
def test_a_url_with_an_unescaped_slash_or_at_before_the_host_is_refused(url: str) -> None:
    assert misread(url)


@pytest.fixture
def password_role(pg_cluster: Cluster) -> Iterator[Cluster]:
    """The cluster, whose password role the test may give another password; its own
    given back after, for the other tests of this worker."""
    try:
        yield pg_cluster
    finally:
        pg_cluster.admin(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{PASSWORD}'")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=passwords())
def test_the_raw_url_is_refused_unconnected_and_the_escaped_one_logs_in(
    password_role: Cluster, pg_url: str, password: tuple[str, list[str]]
) -> None:
    text, markers = password
    cluster = password_role
    database = postgres_backend(cluster, pg_url).database
    quoted = text.replace("'", "''")
    cluster.admin(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{quoted}'")
    raw = cluster.tcp_url(database, PASSWORD_ROLE, text)
    if misread(raw):
        with pytest.raises(StoreError) as refused:
            connect(raw, read_only=True)
        assert refused.value.reason == MISREAD
        shown = (f"postgresql://…@127.0.0.1:{cluster.port}/{database}", "postgresql://…")
        assert str(refused.value) in [f"{where}: {MISREAD}" for where in shown]
        assert not [m for m in markers if m in str(refused.value)]
    escaped = cluster.tcp_url(database, PASSWORD_ROLE, quote(text, safe=""))
    where, connection = connect(escaped, read_only=True)
    try:
        row = connection.execute("SELECT current_user, current_database()").fetchone()
    finally:
        connection.close()
    assert row == (PASSWORD_ROLE, database)
    assert not [m for m in markers if m in where]


SECRET = "Zq0Xv"

IN_PROCESS = [
    ("check", "INC-1", "s"),
    ("skip", "INC-1", "s", "--reason", "r"),
    ("reopen", "INC-1", "s", "--reason", "r"),
    ("approve", "INC-1", "s", "--reason", "r"),
    ("decide", "INC-1", "--reason", "r"),
    ("db-tier", "INC-1", "t", "--reason", "r"),
    ("trigger", "INC-1", "t", "met"),
    ("run", "INC-1", "s"),
    ("note", "INC-1", "text"),
    ("page", "INC-1", "who"),
    ("assign", "INC-1", "role", "name"),
    ("handoff", "INC-1", "name"),
    ("channel", "INC-1", "#inc-x"),
    ("severity", "INC-1", "SEV1"),
    ("baseline", "INC-1", "probe"),
    ("send", "INC-1"),
    ("status-page", "INC-1"),
    ("decline", "INC-1", "tmpl", "--reason", "r"),
    ("deliver", "INC-1"),
    ("close", "INC-1"),
    ("rca", "INC-1", "text"),
    ("factor", "INC-1", "text"),
    ("action", "INC-1", "text"),
    ("action-done", "INC-1", "1"),
    ("report-status", "INC-1"),
    ("measure-impact", "INC-1", "--failed", "f", "--total", "t"),
    ("lesson", "INC-1", "text"),
    ("schedule-postmortem", "INC-1", "--at", "2026-12-01T10:00:00Z"),
    ("status", "INC-1"),
    ("brief", "INC-1"),
    ("export", "INC-1"),
    ("timeline", "INC-1"),
    ("score", "INC-1"),
    ("ics", "INC-1"),
    ("replay", "INC-1", "--json"),
    ("declare", "--title", "t", "--severity", "SEV2", "--commander", "A"),
    ("list",),
    ("verify", "INC-1"),
    ("changes", "--incident", "INC-1"),
]
AS_A_PROCESS = [("monitor", "INC-1"), ("serve", "INC-1")]
AT_A_TERMINAL = [
    ("start",),
    ("start", "--incident", "INC-1"),
    (),
    ("attach", "INC-1"),
    ("replay", "INC-1"),
]
NO_POSTGRES_RECORD = {"validate", "init", "demo", "drill", "migrate"}
"""Verbs that read no `--db` URL: runbook files, or SQLite only (migrate's URL is --to)."""


def every_verb() -> set[str]:
    summaries = (ROOT / "tui" / "cli" / "verb_summaries.txt").read_text().splitlines()
    return {line.split("\t", 1)[0] for line in summaries if line.strip()}


def test_the_lists_below_name_every_verb() -> None:
    named = {args[0] for args in IN_PROCESS + AS_A_PROCESS + AT_A_TERMINAL if args}
    assert named | NO_POSTGRES_RECORD == every_verb()


def misread_url(cluster: Cluster) -> str:
    return f"postgresql://{PASSWORD_ROLE}:ab/{SECRET}@c@127.0.0.1:{cluster.port}/postgres"


def refusal(verb: str, cluster: Cluster) -> str:
    return f"lastgood {verb}: postgresql://…@127.0.0.1:{cluster.port}/postgres: {MISREAD}\n"


@pytest.mark.parametrize("args", IN_PROCESS, ids=lambda a: a[0])
def test_every_verb_refuses_a_misread_url_in_one_line(
    pg_cluster: Cluster, args: tuple[str, ...]
) -> None:
    done = InProcessCli(misread_url(pg_cluster)).run(*args)  # type: ignore[arg-type]
    assert (done.code, done.out, done.err) == (2, "", refusal(args[0], pg_cluster))
    assert ESCAPE_HINT in done.err


@pytest.mark.parametrize("args", AS_A_PROCESS, ids=lambda a: a[0])
def test_monitor_and_serve_refuse_a_misread_url_in_one_line(
    pg_cluster: Cluster, args: tuple[str, ...]
) -> None:
    done = Cli(misread_url(pg_cluster)).run(*args)  # type: ignore[arg-type]
    assert (done.code, done.out, done.err) == (2, "", refusal(args[0], pg_cluster))


@pytest.mark.parametrize("args", AT_A_TERMINAL, ids=lambda a: " ".join(a) or "bare")
def test_the_tui_at_a_terminal_refuses_a_misread_url_in_one_line(
    pg_cluster: Cluster, args: tuple[str, ...]
) -> None:
    """`lastgood` (start) given a terminal, as a coordinator runs it: one line on
    stderr and exit 2, before any screen."""
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [*lastgood_command(), "--db", misread_url(pg_cluster), *args],
            stdin=secondary,
            stdout=secondary,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT), "LASTGOOD_USER": "tester"},
            cwd=ROOT,
            text=True,
            timeout=60,  # a guard against a screen that opened, not the assertion
            check=False,
        )
    finally:
        os.close(primary)
        os.close(secondary)
    assert (done.returncode, done.stderr) == (2, refusal(args[0] if args else "start", pg_cluster))


def test_the_escaped_url_records_and_reads_through_the_cli(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """The remedy the refusal names works: the same password, percent-encoded."""
    database = postgres_backend(pg_cluster, pg_url).database
    text = f"ab/{SECRET}@c"
    pg_cluster.admin(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{text}'")
    try:
        raw = Cli(pg_cluster.tcp_url(database, PASSWORD_ROLE, text))  # type: ignore[arg-type]
        refused = raw.run("list")
        assert refused.code == 2 and SECRET not in refused.err and MISREAD in refused.err
        escaped = pg_cluster.tcp_url(database, PASSWORD_ROLE, quote(text, safe=""))
        cli = Cli(escaped)  # type: ignore[arg-type]
        incident = cli.ok("declare", "--title", "t", "--severity", "SEV2", "--commander", "A")
        assert incident.strip() in cli.ok("list")
    finally:
        pg_cluster.admin(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{PASSWORD}'")


def test_an_at_in_the_database_name_is_refused_in_words_that_name_it() -> None:
    """`u:p@host:1/my@db` may be the database `my@db` or a password `p@host:1/my`; the
    refusal blamed only the password, which held neither / nor @ (a review)."""
    assert misread("postgresql://u:p@127.0.0.1:1/my@db")
    assert "@ in the database name" in MISREAD
    assert not misread("postgresql://u:p@127.0.0.1:1/my%40db")
