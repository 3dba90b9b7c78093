"""What a rollback undoes, read from real git repositories built for each case."""

from __future__ import annotations

import pytest

from incident.reports.changes import migration_tool, read_migration
from tests.cli_helpers import Cli, InProcessCli
from tests.git_repos import (
    ALEMBIC_ADD,
    ALEMBIC_DROP,
    ALEMBIC_NO_DOWN,
    Repo,
    changes,
    released,
)


def test_expand_only_migrations_suggest_no_database_rollback(tmp_path):
    path = released(tmp_path, {"alembic/versions/1a_add_points.py": ALEMBIC_ADD})
    shown = changes(tmp_path, path)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == (
        "Rolling back v2.4.1 to v2.4.0 undoes 2 commits, 3 changed files and 1 migration."
    )
    commits = lines[lines.index("commits:") + 1 : lines.index("commits:") + 3]
    assert [line.split("  ")[2] for line in commits] == ["Bump version", "Loyalty points"]
    assert "  A  alembic/versions/1a_add_points.py" in lines
    assert "  1a_add_points.py (alembic): expand only" in lines
    assert lines[-1].startswith("suggested database tier: none (expand-only migrations")


def test_a_dropped_column_with_a_down_step_makes_down_migrations_risky(tmp_path):
    path = released(tmp_path, {"alembic/versions/2b_drop_legacy.py": ALEMBIC_DROP})
    shown = changes(tmp_path, path)
    assert '  2b_drop_legacy.py (alembic): op.drop_column("orders", "legacy_total")' in shown.out
    assert shown.out.splitlines()[-1] == (
        "suggested database tier: down-migrations (2b_drop_legacy.py drops or renames data: "
        "its down step recreates the structure but not the data (risky))"
    )


def test_a_drop_without_a_way_down_suggests_the_backup(tmp_path):
    path = released(
        tmp_path,
        {
            "db/migrations/000042_drop_legacy.up.sql": "ALTER TABLE orders DROP COLUMN legacy;\n",
            "alembic/versions/3c_ledger.py": ALEMBIC_NO_DOWN,
        },
    )
    shown = changes(tmp_path, path)
    assert (
        "  000042_drop_legacy.up.sql (golang-migrate): no down step; "
        "ALTER TABLE orders DROP COLUMN legacy" in shown.out
    )
    assert "  3c_ledger.py (alembic): no down step" in shown.out
    assert shown.out.splitlines()[-1].startswith(
        "suggested database tier: restore-backup (000042_drop_legacy.up.sql drops or renames"
    )


def test_no_migrations_no_database_rollback(tmp_path):
    path = released(tmp_path, {})
    assert changes(tmp_path, path).out.splitlines()[-1] == (
        "suggested database tier: none (no migrations between the releases: the old code "
        "reads the schema)"
    )


def test_commit_subjects_are_shown_as_data(tmp_path):
    path = tmp_path / "service"
    path.mkdir()
    repo = Repo(path)
    repo.commit("2.4.0", {"a": "1\n"}, tag="v2.4.0")
    repo.commit("fix \x1b]52;c;aGk=\x07 [bold]x[/bold]", {"a": "2\n"}, tag="v2.4.1")
    shown = changes(tmp_path, path)
    assert "fix ␛]52;c;aGk=␇ [bold]x[/bold]" in shown.out
    assert "\x1b" not in shown.out and "\x07" not in shown.out


@pytest.mark.parametrize(
    ("where", "bad", "message"),
    [
        ("plain", "v2.4.1", "is not a git repository"),
        ("missing", "v2.4.1", "is not a directory"),
        ("repo", "v9.9.9", "'v9.9.9' is not a commit, tag or branch in"),
        ("repo", "--output=/tmp/x", "'--output=/tmp/x' is not a git ref"),  # passed as --bad=…
    ],
)
def test_bad_places_and_refs_get_one_line(tmp_path, where, bad, message):
    places = {
        "plain": tmp_path / "plain",
        "missing": tmp_path / "missing",
        "repo": released(tmp_path, {}),
    }
    places["plain"].mkdir()
    shown = changes(tmp_path, places[where], bad=bad)
    assert shown.code == 2
    assert message in shown.err and len(shown.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("path", "tool"),
    [
        ("alembic/versions/1a_add.py", "alembic"),
        ("shop/migrations/0042_remove_total.py", "django"),
        ("db/migrate/20261201093000_drop_legacy.rb", "rails"),
        ("sql/V7__drop_legacy.sql", "flyway"),
        ("db/migrations/000042_x.up.sql", "golang-migrate"),
        ("prisma/migrations/20261201_x/migration.sql", "prisma"),
        ("migrations/20261201_x.js", "knex"),
        ("app/models/order.py", None),
        ("db/migrations/000042_x.down.sql", None),
    ],
)
def test_migration_files_are_recognised_by_tool(path, tool):
    assert migration_tool(path) == tool


REMOVE_FIELD = "migrations.RemoveField(model_name='order', name='total')"
KNEX_UP = "exports.up = k => k.schema.table('o', t => t.dropColumn('a'))"


@pytest.mark.parametrize(
    ("path", "tool", "text", "down", "has_down", "destructive"),
    [
        ("m/0042_x.py", "django", REMOVE_FIELD, None, True, (REMOVE_FIELD,)),
        ("m/0043_x.py", "django", "migrations.RunPython(fill)", None, False, ()),
        ("db/migrate/1_x.rb", "rails", "def change\n  rename_column :orders, :total, :amount\nend",
         None, True, ("rename_column :orders, :total, :amount",)),
        ("db/migrate/2_x.rb", "rails", "def up\n  drop_table :legacy\nend", None, False,
         ("drop_table :legacy",)),
        ("sql/V7__x.sql", "flyway", "ALTER TABLE o RENAME COLUMN a TO b;",
         "ALTER TABLE o RENAME COLUMN b TO a;", True, ("RENAME COLUMN a TO b",)),
        ("migrations/1_x.js", "knex", KNEX_UP, None, False, (".dropColumn('a')",)),
        ("p/migration.sql", "prisma", "DROP TABLE legacy;", None, False, ("DROP TABLE legacy",)),
    ],
)  # fmt: skip
def test_each_tool_is_read_for_a_way_down_and_for_dropped_data(
    path, tool, text, down, has_down, destructive
):
    migration = read_migration(path, tool, text, down)
    assert (migration.has_down, migration.destructive) == (has_down, destructive)


def test_recorded_on_the_incident_it_is_the_database_steps_evidence(tmp_path):
    """`--incident ID` reads the releases the incident was declared with (tagged v2.4.1
    and v2.4.0 here) and records what going back undoes: status, timeline and report."""
    path = released(tmp_path, {"alembic/versions/2b_drop_legacy.py": ALEMBIC_DROP})
    cli = Cli(tmp_path / "record.db")  # as a user runs it; the other tests call `main` here
    incident = cli.ok(
        "declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada",
        "--from-version", "2.4.1", "--last-good", "2.4.0",
    ).strip()  # fmt: skip
    recorded = cli.run("changes", "--repo", str(path), "--incident", incident)
    assert recorded.code == 0, recorded.err
    assert recorded.out.splitlines()[-1] == (
        "recorded what the rollback undoes (suggested tier: down-migrations)"
    )
    summary = (
        "v2.4.1 → v2.4.0 undoes 2 commits and 1 migration (1 flagged); suggested tier "
        "down-migrations: 2b_drop_legacy.py drops or renames data: its down step recreates "
        "the structure but not the data (risky)"
    )
    status = cli.ok("status", incident).splitlines()
    (at,) = [i for i, line in enumerate(status) if " database-rollback: " in line]
    assert status[at + 1] == f"      what the rollback undoes: {summary}"
    assert status[at + 2] == (
        '        2b_drop_legacy.py (alembic): op.drop_column("orders", "legacy_total")'
    )
    report = cli.ok("export", incident)
    assert "- **What the rollback undoes**: v2.4.1 → v2.4.0 undoes 2 commits" in report
    timeline = cli.ok("timeline", incident)  # Markdown: the file name's _ are escaped
    assert (
        f"What the rollback undoes: {summary.split(': 2b')[0]}: 2b\\_drop\\_legacy.py" in timeline
    )


def test_an_incident_without_releases_asks_for_the_refs(tmp_path):
    path = released(tmp_path, {})
    cli = InProcessCli(tmp_path / "record.db")
    incident = cli.ok("declare", "--title", "T", "--severity", "SEV2", "--commander", "A").strip()
    shown = cli.run("changes", "--repo", str(path), "--incident", incident)
    assert shown.code == 2
    assert shown.err == (
        "lastgood changes: the incident does not name the bad release: give --bad REF\n"
    )


ALEMBIC_DOCSTRING_DOWN = '''\
def upgrade():
    op.drop_column("orders", "legacy_total")


def downgrade():
    """
    Irreversible: the data is gone.
    """
    pass
'''
ALEMBIC_RAISING_DOWN = """\
def upgrade():
    op.drop_table("invoices")


def downgrade():
    raise NotImplementedError("irreversible")
"""
DJANGO_RUNSQL = """\
from django.db import migrations
class Migration(migrations.Migration):
    operations = [migrations.RunSQL("DROP TABLE legacy_orders")]
"""
EMPTYING_UP = """\
TRUNCATE TABLE audit_log;
DELETE FROM customers;
ALTER TABLE orders ALTER COLUMN total TYPE integer;
"""


@pytest.mark.parametrize(
    ("files", "line"),
    [
        ({"alembic/versions/4d_doc.py": ALEMBIC_DOCSTRING_DOWN},
         '4d_doc.py (alembic): no down step; op.drop_column("orders", "legacy_total")'),
        ({"alembic/versions/5e_raise.py": ALEMBIC_RAISING_DOWN},
         '5e_raise.py (alembic): no down step; op.drop_table("invoices")'),
        ({"shop/migrations/0007_sql.py": DJANGO_RUNSQL},
         "0007_sql.py (django): no down step; DROP TABLE legacy_orders"),
        ({"sqlm/0003_empty.up.sql": EMPTYING_UP, "sqlm/0003_empty.down.sql": "-- nothing\n"},
         "0003_empty.up.sql (golang-migrate): no down step; TRUNCATE TABLE audit_log; "
         "DELETE FROM customers; ALTER COLUMN total TYPE integer"),
    ],
)  # fmt: skip
def test_a_down_step_that_cannot_go_down_leaves_the_backup(tmp_path, files, line):
    """A docstring and `pass`, a bare `raise`, RunSQL without reverse_sql and an empty
    .down.sql all passed for a way down; TRUNCATE, DELETE FROM and a column's new type
    passed for expand-only. Each destroys data with no way back."""
    shown = changes(tmp_path, released(tmp_path, files))
    assert f"  {line}" in shown.out.splitlines()
    assert shown.out.splitlines()[-1].startswith("suggested database tier: restore-backup (")


def test_a_migration_too_large_to_read_whole_is_checked_in_part(tmp_path, monkeypatch):
    """A 200 MB migration was read whole into memory. Only the first
    MIGRATION_READ_LIMIT bytes are read now (lowered here to 1000), and the line says
    that what follows went unchecked."""
    import tui.repo

    monkeypatch.setattr(tui.repo, "MIGRATION_READ_LIMIT", 1000, raising=False)
    big = "INSERT INTO t VALUES (1);\n" * 200 + "DROP TABLE legacy;\n"
    shown = changes(tmp_path, released(tmp_path, {"prisma/migrations/1_x/migration.sql": big}))
    assert (
        "  migration.sql (prisma): no down step; checked only in part (its first 1000 bytes)"
        in shown.out.splitlines()
    )
    assert shown.out.splitlines()[-1].endswith(
        "; only in part: migration.sql, read the rest before trusting this)"
    )
