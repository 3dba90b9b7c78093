"""Which record a `lastgood` command works on: the file or PostgreSQL URL `--db` or
$LASTGOOD_DB names, refused in one line where it cannot name one."""

from __future__ import annotations

from pathlib import Path

from store.backends import is_postgres_url
from store.paths import default_db_path
from tui.cli.arguments import Arguments
from tui.cli.edges import os_path
from tui.cli.errors import CliError
from tui.cli.variables import set_variable


def db_location(args: Arguments) -> Path | str:
    """The record `--db` or $LASTGOOD_DB names: a `postgresql://` URL, or a file's path."""
    named = _given_db(args) or _db_variable()
    if is_postgres_url(named):
        return str(named)
    return db_path(args)


def _given_db(args: Arguments) -> str | None:
    """`--db` as given, if given; an empty one is refused, not read as 'not given' (it
    fell back to the default file without a word)."""
    given: str | None = getattr(args, "db", None)
    if given == "":
        raise CliError("--db needs a path or a postgresql:// URL, not an empty string")
    return given


SQLITE_ONLY = (
    "{location}: this command keeps its record in a SQLite file for now "
    "(give --db PATH); the other verbs read and record on PostgreSQL"
)


def db_path(args: Arguments) -> Path:
    """The SQLite file named; refused for a PostgreSQL URL, for what reads only files."""
    explicit = _given_db(args)
    named = explicit or _db_variable()  # refused here if it is empty or not UTF-8
    if is_postgres_url(named):
        raise CliError(SQLITE_ONLY.format(location=named.split("://", 1)[0] + "://…"))
    if _key_value_conninfo(named):
        raise CliError(
            "--db looks like a libpq key=value connection string; give it as a "
            "postgresql:// URL (postgresql://USER@HOST:PORT/DBNAME)"
        )
    _refuse_unexpanded_home(named, "--db" if explicit else "$LASTGOOD_DB")
    return Path(os_path(explicit, "--db")) if explicit else default_db_path()


def _refuse_unexpanded_home(named: str, source: str) -> None:
    """A path starting with `~` or `~user` that no shell expanded is refused, from
    `--db` (`--db "~/x.db"`, quoted) and $LASTGOOD_DB alike (`"~/x.db"` quoted, or
    read from a file no shell reads: a systemd unit's `Environment=`, an env file).
    Taken as it is, it made a directory named `~` under the working directory; read
    from $HOME, as the variable once was, it named a home the writer may not have
    meant (a service's, sudo's) while the option was refused. A shell expands `~`
    itself where one is typed, `LASTGOOD_DB=~/x.db` included, so what arrives here
    is a `~` nobody expanded."""
    first = named.split("/", 1)[0]
    if first.startswith("~"):
        from shlex import quote  # a refusal: every reader passes here

        raise CliError(
            f"{source} {quote(named)} starts with {first}, which no shell expanded "
            "(quoted, or read from a file): leave it unquoted, or give the whole path"
        )


LIBPQ_KEYWORDS = frozenset(
    ("host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "sslmode")
)
"""The keywords a libpq key=value string (what psql takes) most often starts with."""


def _key_value_conninfo(named: str) -> bool:
    """Whether `named` is libpq's `host=... dbname=...` form: taken for a file's name, it
    made a SQLite file called after the password, and quoted it in every message."""
    keyword, equals, _ = named.strip().partition("=")
    return bool(equals) and keyword.strip().lower() in LIBPQ_KEYWORDS


def chosen_db(args: Arguments) -> Path | None:
    """The database `--db` or $LASTGOOD_DB names; None: neither does (a demo's scratch one)."""
    if _given_db(args) or _db_variable():
        return db_path(args)
    return None


def _db_variable() -> str:
    """$LASTGOOD_DB, "" when unset; set but empty, refused as an empty `--db` is (it
    opened the default file: a systemd unit's `LASTGOOD_DB=$INCIDENT_DB`, unset)."""
    return set_variable("LASTGOOD_DB", "a path or a postgresql:// URL") or ""
