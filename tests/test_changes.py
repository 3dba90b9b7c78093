"""What a rollback undoes, read from real git repositories built for each case."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from incident.reports.changes import migration_tool, read_migration
from tests.cli_helpers import Cli, InProcessCli

ALEMBIC_ADD = """\
def upgrade():
    op.add_column("orders", sa.Column("points", sa.Integer()))


def downgrade():
    op.drop_column("orders", "points")
"""
ALEMBIC_DROP = """\
def upgrade():
    op.drop_column("orders", "legacy_total")


def downgrade():
    op.add_column("orders", sa.Column("legacy_total", sa.Numeric()))
"""
ALEMBIC_NO_DOWN = """\
def upgrade():
    op.create_table("points_ledger")


def downgrade():
    pass
"""
ALEMBIC_DROP_NO_DOWN = """\
def upgrade():
    op.drop_column("orders", "legacy_total")


def downgrade():
    pass
"""


class Repo:
    """A scratch repository: commit files, tag releases."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Ada",
            "GIT_AUTHOR_EMAIL": "ada@example.test",
            "GIT_COMMITTER_NAME": "Ada",
            "GIT_COMMITTER_EMAIL": "ada@example.test",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True, timeout=30)

    def commit(self, subject: str, files: dict[str, str], *, tag: str | None = None) -> None:
        for name, text in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            self.git("add", name)
        self.git("commit", "-q", "-m", subject)
        if tag:
            self.git("tag", tag)


def changes(tmp_path: Path, repo: Path, bad: str = "v2.4.1", good: str = "v2.4.0"):
    return InProcessCli(tmp_path / "unused.db").run(
        "changes", "--repo", str(repo), f"--bad={bad}", "--good", good
    )


def released(tmp_path: Path, migrations: dict[str, str]) -> Path:
    path = tmp_path / "service"
    path.mkdir()
    repo = Repo(path)
    repo.commit("2.4.0", {"app.py": "v = '2.4.0'\n"}, tag="v2.4.0")
    repo.commit("Loyalty points", {"app.py": "v = '2.4.1'\n", **migrations})
    repo.commit("Bump version", {"VERSION": "2.4.1\n"}, tag="v2.4.1")
    return path


def declared(tmp_path: Path) -> tuple[InProcessCli, str]:
    """A record in `tmp_path` with an incident declared from 2.4.1 back to 2.4.0."""
    cli = InProcessCli(tmp_path / "record.db")
    incident = cli.ok(
        "declare", "--title", "T", "--severity", "SEV2", "--commander", "A",
        "--from-version", "2.4.1", "--last-good", "2.4.0",
    ).strip()  # fmt: skip
    return cli, incident


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


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("0042_drop_müller.py", "0042_drop_müller.py"),
        ("0042_drop\tlegacy.py", "0042_drop␉legacy.py"),
        ('0042_drop_"legacy".py', '0042_drop_"legacy".py'),
        ("0042_drop_\x1b[2Jlegacy.py", "0042_drop_␛[2Jlegacy.py"),
    ],
)
def test_a_migration_named_with_any_character_is_read(tmp_path, name, shown):
    """Git C-quotes such names unless asked for NUL-separated output: the quoted name
    matched no migration path, and a migration that drops data went unseen."""
    path = released(tmp_path, {f"migrations/versions/{name}": ALEMBIC_DROP_NO_DOWN})
    out = changes(tmp_path, path).out
    assert f"  A  migrations/versions/{shown}" in out
    assert f"  {shown} (alembic): no down step; op.drop_column(" in out
    assert out.splitlines()[-1].startswith(f"suggested database tier: restore-backup ({shown}")
    assert "\\303" not in out and "\x1b" not in out


def test_a_subject_with_a_line_separator_is_one_commit(tmp_path):
    """U+2028, \\x1c and \\x85 end a line for str.splitlines: a subject holding one
    forged a commit line and inflated the count, on screen and on the incident."""
    path = tmp_path / "service"
    path.mkdir()
    repo = Repo(path)
    repo.commit("2.4.0", {"a": "0\n"}, tag="v2.4.0")
    subjects = ["fake\u2028deadbeefcafe forged", "sep\x1cabcdef123456", "nel\x85NEXT"]
    for n, subject in enumerate(subjects):
        repo.commit(subject, {"a": f"{n + 1}\n"})
    repo.git("tag", "v2.4.1")
    cli, incident = declared(tmp_path)
    shown = cli.run("changes", "--repo", str(path), "--incident", incident)
    assert shown.code == 0, shown.err
    lines = shown.out.split("\n")
    assert lines[0].startswith("Rolling back v2.4.1 to v2.4.0 undoes 3 commits, ")
    listed = lines[lines.index("commits:") + 1 : lines.index("files:") - 1]
    assert len(listed) == 3
    assert "  sep␜abcdef123456" in listed[1] and "nel\\x85NEXT" in listed[0]
    assert "v2.4.1 → v2.4.0 undoes 3 commits" in cli.ok("status", incident)


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


def test_a_git_that_hangs_is_stopped_with_one_line(tmp_path, monkeypatch):
    """A git that outlives the timeout (a held lock, a dead mount) raised
    TimeoutExpired as a traceback. The fake git on PATH hangs on `diff` only; the
    timeout is lowered rather than the test waiting a minute."""
    import tui.repo

    path = released(tmp_path, {})
    real_git = shutil.which("git")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$a" = diff ] && exec sleep 600; done\n'
        f'exec {real_git} "$@"\n'
    )
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tui.repo, "GIT_TIMEOUT", 0.5, raising=False)
    monkeypatch.setattr(tui.repo, "PROGRESS_AFTER", 0.0, raising=False)
    shown = changes(tmp_path, path)
    assert shown.code == 2
    assert shown.err.splitlines() == [
        f"lastgood changes: reading {path} with git ...",
        f"lastgood changes: git diff in {path} took longer than 0.5 s and was stopped "
        "(a held lock or a slow disk or network mount?)",
    ]


def test_past_the_listed_commits_the_true_count_is_given(tmp_path, monkeypatch):
    """The list stops at MAX_COMMITS (lowered here to 1, for 2 commits): the count
    stopped with it, 'undoes 500 commits' for 49,999, on screen and on the incident."""
    import tui.repo

    monkeypatch.setattr(tui.repo, "MAX_COMMITS", 1)
    path = released(tmp_path, {})
    cli, incident = declared(tmp_path)
    shown = cli.run("changes", "--repo", str(path), "--incident", incident)
    lines = shown.out.split("\n")
    assert lines[0].startswith("Rolling back v2.4.1 to v2.4.0 undoes 2 commits, ")
    at = lines.index("commits (the latest 1 of 2):")
    assert lines[at + 1].endswith("  Bump version") and lines[at + 2] == ""
    assert "v2.4.1 → v2.4.0 undoes 2 commits" in cli.ok("status", incident)


def test_a_shallow_clone_says_the_count_may_be_short(tmp_path):
    """A shallow clone lists only the commits within its depth: the count came out
    short without a word. Git reads `.git/shallow` as the clone's boundary."""
    path = tmp_path / "service"
    path.mkdir()
    repo = Repo(path)
    repo.commit("2.4.0", {"a": "0\n"}, tag="v2.4.0")
    repo.commit("first", {"a": "1\n"})
    repo.commit("second", {"a": "2\n"}, tag="v2.4.1")
    boundary = subprocess.run(
        ["git", "rev-parse", "v2.4.1"], cwd=path, capture_output=True, text=True, check=True
    ).stdout
    (path / ".git" / "shallow").write_text(boundary)
    lines = changes(tmp_path, path).out.split("\n")
    assert lines[0].startswith("Rolling back v2.4.1 to v2.4.0 undoes 1 commit, ")
    assert lines[1] == (
        "(read from a shallow clone: commits past its depth are missing, so the count may "
        "be short; `git fetch --unshallow` reads them all)"
    )


def test_another_users_repository_says_why_git_will_not_read_it(tmp_path, monkeypatch):
    """Git refuses a repository another user owns ('dubious ownership'); the reason
    was lost in 'is not a git repository'. Git's own test switch makes it refuse."""
    path = released(tmp_path, {})
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    shown = changes(tmp_path, path)
    assert shown.code == 2
    assert shown.err == (
        f"lastgood changes: git will not read {path}: detected dubious ownership (it belongs "
        f"to another user); if you trust it: git config --global --add safe.directory {path}\n"
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--bad=", "--bad is empty: give a ref"),
        ("--good=", "--good is empty: give a ref"),
        ("--repo=", "--repo is empty: give a path"),
    ],
)
def test_an_empty_option_is_refused_by_name(tmp_path, monkeypatch, option, message):
    """`--bad ''` got 'git rev-parse in …: git failed'; `--repo ''` read the current
    directory (here a repository, so it would have answered)."""
    path = released(tmp_path, {})
    monkeypatch.chdir(path)
    given = {"--repo=": str(path), "--bad=": "v2.4.1", "--good=": "v2.4.0"}
    given[option] = ""
    shown = InProcessCli(tmp_path / "unused.db").run(
        "changes", *(f"{name}{value}" for name, value in given.items())
    )
    assert (shown.code, shown.err) == (2, f"lastgood changes: {message}\n")


@pytest.mark.parametrize(
    ("bad", "good", "warning"),
    [
        ("v2.4.1", "main", "'v2.4.1' and 'main' are the same commit: rolling back undoes nothing"),
        ("v2.4.0", "v2.4.1", "'v2.4.1' is not an ancestor of 'v2.4.0': is the bad release older "
         "than the good, or are they swapped? Listed is what 'v2.4.0' has that 'v2.4.1' has not"),
    ],
)  # fmt: skip
def test_refs_the_wrong_way_round_are_warned_of(tmp_path, bad, good, warning):
    shown = changes(tmp_path, released(tmp_path, {}), bad=bad, good=good)
    assert shown.code == 0
    assert shown.err == f"lastgood changes: warning: {warning}\n"
    assert shown.out.startswith(f"Rolling back {bad} to {good} undoes 0 commits, ")


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
