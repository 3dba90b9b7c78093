"""Real git repositories built for a test: a scratch repository, two releases of a
service, and the migrations `lastgood changes` reads between them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.cli_helpers import InProcessCli

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
