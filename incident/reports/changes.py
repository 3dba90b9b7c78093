"""What a rollback undoes: the commits, files and migrations between two releases.

The list of migrations added since the last good release is what decides the
database tier. Each one is read for the two things that make a database rollback
dangerous: no way down (no down step), and data that a way down cannot bring back
(a dropped or renamed column or table). From those, a tier is suggested; the
coordinator still chooses.

Pure: the git adapter (`tui.repo`) reads the repository and hands the texts here.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from msgspec import Struct


class Commit(Struct, frozen=True):
    sha: str
    subject: str


class ChangedFile(Struct, frozen=True):
    status: str
    """Git's letter: A added, M modified, D deleted, R renamed."""
    path: str


class Migration(Struct, frozen=True):
    path: str
    tool: str
    has_down: bool
    destructive: tuple[str, ...]
    """What it drops, renames, empties or retypes, as written: `DROP COLUMN legacy_total`."""
    checked_only: int | None = None
    """Bytes read when the file was too large to read whole (what follows went unchecked)."""

    @property
    def flags(self) -> list[str]:
        flags = [] if self.has_down else ["no down step"]
        if self.checked_only is not None:
            flags.append(f"checked only in part (its first {_size(self.checked_only)})")
        return flags + list(self.destructive)

    @property
    def line(self) -> str:
        """`2b_drop.py (alembic): no down step; op.drop_column(...)`, as every face says it."""
        name = PurePosixPath(self.path).name
        return f"{name} ({self.tool}): {'; '.join(self.flags) or 'expand only'}"


class ReleaseChanges(Struct, frozen=True):
    bad: str
    good: str
    commits: tuple[Commit, ...]
    files: tuple[ChangedFile, ...]
    migrations: tuple[Migration, ...]
    commit_count: int | None = None
    """How many commits it undoes when `commits` lists only the latest; None: all listed."""
    shallow: bool = False
    """Read from a shallow clone: commits past its depth are missing, the count may be short."""
    warnings: tuple[str, ...] = ()
    """What looks wrong with the refs given (the same commit; bad older than good)."""

    @property
    def undone(self) -> int:
        """How many commits rolling back undoes, listed or not."""
        return len(self.commits) if self.commit_count is None else self.commit_count

    @property
    def suggested_tier(self) -> tuple[str, str]:
        """(tier id, why): the bundled runbook's tiers, safest that fits."""
        if not self.migrations:
            return "none", "no migrations between the releases: the old code reads the schema"
        destructive = [m for m in self.migrations if m.destructive]
        if destructive:
            named = ", ".join(PurePosixPath(m.path).name for m in destructive)
            if any(not m.has_down for m in destructive):
                return "restore-backup", (
                    f"{named} drops or renames data and has no down step: only the "
                    "pre-deployment backup brings it back"
                )
            return "down-migrations", (
                f"{named} drops or renames data: its down step recreates the structure "
                "but not the data (risky)"
            )
        unread = [m for m in self.migrations if m.checked_only is not None]
        unsure = "; only in part: " + ", ".join(PurePosixPath(m.path).name for m in unread)
        return "none", (
            "expand-only migrations (nothing dropped or renamed): the old code ignores "
            "what they added" + (unsure + ", read the rest before trusting this" if unread else "")
        )


_MIGRATION_PATHS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("alembic", re.compile(r"(^|/)(alembic|migrations)/versions/[^/]+\.py$")),
    ("django", re.compile(r"(^|/)migrations/\d{4}_[^/]+\.py$")),
    ("rails", re.compile(r"(^|/)db/migrate/\d+_[^/]+\.rb$")),
    ("flyway", re.compile(r"(^|/)V\d+(_\d+)*__[^/]+\.sql$")),
    ("golang-migrate", re.compile(r"(^|/)\d+_[^/]+\.up\.sql$")),
    ("prisma", re.compile(r"(^|/)prisma/migrations/[^/]+/migration\.sql$")),
    ("knex", re.compile(r"(^|/)migrations/\d+_[^/]+\.(js|ts)$")),
    ("sql", re.compile(r"(^|/)migrations?/[^/]+\.sql$")),
)

_NAME = r'(?:[\w.]|"[^"\n]+"|`[^`\n]+`)+'
"""A table or column as SQL writes it, quoted or not: a quote closing a Python string
around the statement (`RunSQL("DROP TABLE legacy")`) is not part of the name."""

_DESTRUCTIVE = re.compile(
    rf"\b(DROP\s+(?:TABLE|COLUMN)(?:\s+IF\s+EXISTS)?\s+{_NAME}"
    rf"|RENAME\s+(?:COLUMN\s+)?{_NAME}\s+TO\s+{_NAME}"
    rf"|ALTER\s+TABLE\s+{_NAME}\s+DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?{_NAME}"
    rf"|TRUNCATE\s+(?:TABLE\s+)?{_NAME}|DELETE\s+FROM\s+{_NAME}"
    rf"|ALTER\s+COLUMN\s+{_NAME}\s+(?:SET\s+DATA\s+)?TYPE\s+{_NAME})"
    r"|\b(op\.drop_(?:column|table)\([^)]*\)"
    r"|op\.alter_column\([^)]*new_column_name[^)]*\)"
    r"|remove_column\s+[^\n]+|drop_table\s+[^\n]+|rename_column\s+[^\n]+"
    r"|migrations\.(?:RemoveField|DeleteModel|RenameField|RenameModel)\([^)]*\)"
    r"|\.dropColumn\([^)]*\)|\.dropTable\([^)]*\)|\.renameColumn\([^)]*\))",
    re.IGNORECASE,
)


_WAY_DOWN_FILE = re.compile(r"(\.down\.sql$|(^|/)U\d+(_\d+)*__[^/]+\.sql$)")
"""golang-migrate's down files and Flyway's undo scripts: a way down, not a change."""


def way_down_file(path: str, tool: str) -> str | None:
    """Where `tool` keeps the down step of `path` in a file of its own (golang-migrate's
    `.down.sql`, Flyway's `U` undo script): an empty one is no way down, so it is read too.
    None when the down step, if any, is in the migration itself."""
    match tool:
        case "flyway":
            name = PurePosixPath(path)
            return str(name.with_name("U" + name.name[1:]))
        case "golang-migrate":
            return path.removesuffix(".up.sql") + ".down.sql"
        case _:
            return None


def migration_tool(path: str) -> str | None:
    """Which tool `path` is a migration of, or None when it is not one."""
    if _WAY_DOWN_FILE.search(path):
        return None
    for tool, pattern in _MIGRATION_PATHS:
        if pattern.search(path):
            return tool
    return None


def read_migration(
    path: str, tool: str, text: str, down: str | None = None, checked_only: int | None = None
) -> Migration:
    """`text` read for a down step and for what it drops, renames, empties or retypes.

    `down` is the text of the migration's separate down file (`way_down_file`) in the
    bad release, None when there is none. `checked_only` is how many bytes `text` is of
    a file too large to read whole, None when it is all of it.
    """
    upward = _way_up(tool, text)
    destructive = tuple(
        dict.fromkeys(
            " ".join(found.group(0).split())[:80] for found in _DESTRUCTIVE.finditer(upward)
        )
    )
    return Migration(path, tool, _has_down(tool, text, down), destructive, checked_only)


_DOWN_PART = {
    "alembic": re.compile(r"^def downgrade\b", re.MULTILINE),
    "rails": re.compile(r"^\s*def down\b", re.MULTILINE),
    "knex": re.compile(r"exports\.down|export\s+(async\s+)?function\s+down"),
}


def _way_up(tool: str, text: str) -> str:
    """The part of `text` that runs on the way up: a down step that drops what the up
    step added is the way back, not lost data."""
    pattern = _DOWN_PART.get(tool)
    found = pattern.search(text) if pattern else None
    return text if found is None else text[: found.start()]


def _has_down(tool: str, text: str, down: str | None) -> bool:
    match tool:
        case "alembic":
            body = re.search(r"def downgrade\(\)[^:]*:\s*\n((?:[ \t]+.*\n?|\s*\n)+)", text)
            return body is not None and _does_something(body.group(1))
        case "django":  # RunPython and RunSQL are irreversible unless told how back
            return ("RunPython(" not in text or "reverse_code" in text) and (
                "RunSQL(" not in text or "reverse_sql" in text
            )
        case "rails":
            return (
                bool(re.search(r"def (down|change)\b", text))
                and "IrreversibleMigration" not in text
            )
        case "flyway" | "golang-migrate":
            return down is not None and _sql_does_something(down)
        case "knex":
            return bool(re.search(r"exports\.down|export\s+(async\s+)?function\s+down", text))
        case _:  # prisma and plain SQL files have no down step
            return False


_PY_STRING_BLOCK = re.compile(r'"""[\s\S]*?"""|' + r"'''[\s\S]*?'''")
"""A docstring, however many lines: it says something, it does nothing."""

_RAISES = re.compile(r"raise\b")

_SQL_COMMENT = re.compile(r"--[^\n]*|/\*[\s\S]*?\*/")


def _size(count: int) -> str:
    return f"{count / 2**20:g} MiB" if count >= 2**20 else f"{count} bytes"


def _does_something(body: str) -> bool:
    """Whether a Python down step does more than say it cannot: a docstring, `pass`,
    `...` or a `raise` (`NotImplementedError("irreversible")`) is no way down."""
    lines = [line.strip() for line in _PY_STRING_BLOCK.sub("", body).split("\n")]
    meaningful = [line for line in lines if line and not line.startswith("#")]
    return any(line not in ("pass", "...") and not _RAISES.match(line) for line in meaningful)


def _sql_does_something(text: str) -> bool:
    """Whether a down file holds a statement: an empty one, or only comments, is none."""
    return bool(_SQL_COMMENT.sub("", text).replace(";", "").strip())
