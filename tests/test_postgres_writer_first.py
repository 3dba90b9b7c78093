"""The writer role before the owner has created lastgood's tables and granted it: as
the README's set-up stands between its two SQL blocks. `list` told it to declare an
incident, and `declare` then failed with PostgreSQL's `no schema has been selected to
create in` (review 4, finding 15). Both now say what to do: the first declare or
migrate runs as the schema's owner, who then grants the writer.

Separate processes against this worker's real cluster, as a user runs them.
"""

from __future__ import annotations

import pytest

from store.postgres_schema import writer_grants
from tests.cli_helpers import Cli
from tests.postgres_server import Cluster

OWNER = "first_owner"
WRITER = "first_writer"
SCHEMA = "records"
WHAT_TO_DO = (
    f"this role ({WRITER}) cannot create lastgood's tables here: the first declare or migrate "
    'runs as the schema\'s owner, who then grants the writer (README, "Setting it up")'
)


@pytest.fixture
def roles(pg_cluster: Cluster, pg_url: str) -> tuple[str, str]:
    """The README's roles and schema in this test's database, before any table or grant:
    the owner's URL and the writer's."""
    database = _database(pg_url)
    for role in (OWNER, WRITER):
        pg_cluster.admin(
            f"DO $$ BEGIN CREATE ROLE {role} LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        pg_cluster.admin(f'ALTER ROLE {role} IN DATABASE "{database}" SET search_path = {SCHEMA}')
    pg_cluster.admin(f"CREATE SCHEMA {SCHEMA} AUTHORIZATION {OWNER}", database)
    return (
        pg_url.replace("lastgood_admin@", f"{OWNER}@"),
        pg_url.replace("lastgood_admin@", f"{WRITER}@"),
    )


def _database(url: str) -> str:
    """The database a test's URL names (`postgresql://user@/NAME?host=...`)."""
    return url.split("@/", 1)[1].split("?", 1)[0]


def declare(cli: Cli):
    return cli.run("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada")


def test_the_writer_is_told_the_owner_goes_first(
    roles: tuple[str, str], pg_cluster: Cluster, pg_url: str
) -> None:
    owner_url, writer_url = roles
    writer = Cli(writer_url)  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
    listed = writer.run("list")
    assert listed.code != 0 and "Traceback" not in listed.err
    assert listed.err.strip().endswith(WHAT_TO_DO)
    assert "declare an incident first" not in listed.err
    declared = declare(writer)
    assert declared.code != 0 and "Traceback" not in declared.err
    assert declared.err.strip().endswith(WHAT_TO_DO)
    assert "no schema has been selected" not in declared.err
    assert len(declared.err.strip().splitlines()) == 1

    # as the README goes on: the owner's declare creates the tables, then the grants
    owner = Cli(owner_url)  # type: ignore[arg-type]
    assert declare(owner).code == 0
    database = _database(pg_url)
    for grant in writer_grants(WRITER, SCHEMA):
        pg_cluster.admin(f"SET ROLE {OWNER}; {grant}", database)
    assert declare(writer).code == 0
    assert len(writer.ok("list").strip().splitlines()) >= 2


def test_a_writer_with_usage_but_no_create_is_told_the_same(
    roles: tuple[str, str], pg_cluster: Cluster, pg_url: str
) -> None:
    """USAGE granted early (the schema's, before its tables): `permission denied for
    schema records` was PostgreSQL's word for it."""
    _, writer_url = roles
    pg_cluster.admin(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {WRITER}", _database(pg_url))
    writer = Cli(writer_url)  # type: ignore[arg-type]
    assert writer.run("list").err.strip().endswith(WHAT_TO_DO)
    declared = declare(writer)
    assert declared.code != 0 and declared.err.strip().endswith(WHAT_TO_DO)
