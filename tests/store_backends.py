"""One record, two backends: what the conformance tests need to hold either.

A `Backend` names where a fresh record is (a SQLite file's path, or a URL to an
empty PostgreSQL database of the test's own) and runs SQL on it as its owner
would from another tool: `sqlite3` on the file, `psql` as the cluster's
superuser. The code under test never sees those connections.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from store.backends import EventRecord, open_event_log
from tests.postgres_server import Cluster
from tests.tampering import drop_triggers


@dataclass(frozen=True)
class Backend:
    name: str
    location: str
    cluster: Cluster | None = None
    database: str = ""

    @property
    def schema_version(self) -> int:
        """The version this backend writes (a SQLite file keeps state snapshots too)."""
        if self.cluster is None:
            from store.schema import SCHEMA_VERSION

            return SCHEMA_VERSION
        from store.postgres_schema import SCHEMA_VERSION as POSTGRES_VERSION

        return POSTGRES_VERSION

    def open(self, *, read_only: bool = False) -> EventRecord:
        return open_event_log(self.location, read_only=read_only)

    def owner_sql(self, sql: str) -> str:
        """Run `sql` as the record's owner would with a generic tool; its first column."""
        if self.cluster is None:
            with contextlib.closing(sqlite3.connect(self.location, isolation_level=None)) as conn:
                rows = conn.execute(sql).fetchall()
            return "\n".join(str(row[0]) for row in rows)
        return self.cluster.admin(sql, self.database)

    def forge_sql(self, sql: str) -> None:
        """Run `sql` past the append-only triggers, as a superuser or the file's owner can."""
        if self.cluster is None:
            with contextlib.closing(sqlite3.connect(self.location, isolation_level=None)) as conn:
                drop_triggers(conn)
                conn.execute(sql)
            return
        self.cluster.admin(f"SET session_replication_role = replica; {sql}", self.database)


def sqlite_backend(directory: Path) -> Backend:
    return Backend("sqlite", str(directory / "record.db"))


def postgres_backend(cluster: Cluster, url: str) -> Backend:
    database = url.split("@/", 1)[1].split("?", 1)[0]
    return Backend("postgres", url, cluster, database)


@contextlib.contextmanager
def opened(backend: Backend, *, read_only: bool = False) -> Iterator[EventRecord]:
    log = backend.open(read_only=read_only)
    try:
        yield log
    finally:
        log.close()


@pytest.fixture(name="backend", params=["sqlite", "postgres"])
def backend_fixture(request: pytest.FixtureRequest) -> Backend:
    """A fresh record in each backend: a SQLite file, then a database of the test's own
    on the real PostgreSQL (import it into a test module to use it)."""
    if request.param == "sqlite":
        return sqlite_backend(request.getfixturevalue("tmp_path"))
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return postgres_backend(cluster, request.getfixturevalue("pg_url"))
