"""`lastgood migrate --from PATH --to URL`: a SQLite record moved into PostgreSQL.

The copying and what is refused are the store's (`store.postgres_migrate`); this
prints its one line per incident and turns a refusal into exit 1.
"""

from __future__ import annotations

from pathlib import Path

from incident.core.text import visible
from store.backends import is_postgres_url
from store.postgres_log import PostgresEventLog
from store.postgres_migrate import migrate
from tui.cli.arguments import Arguments
from tui.cli.context import open_file_at, open_log_at, something_at
from tui.cli.errors import CliError


def cmd_migrate(args: Arguments) -> int:
    if is_postgres_url(args.source):
        raise CliError("--from: give the SQLite file to copy from, not a URL")
    if not is_postgres_url(args.target):
        raise CliError("--to: give the PostgreSQL database as a postgresql:// URL")
    source = Path(args.source)
    if not something_at(source):  # a directory or a looping link: the store says which
        raise CliError(f"--from: {source}: no such database file")
    refused = 0
    with open_file_at(source, read_only=True) as origin, open_log_at(args.target) as target:
        if not isinstance(target, PostgresEventLog):  # the URL made it one
            raise CliError("--to: give the PostgreSQL database as a postgresql:// URL")
        ids = origin.incident_ids()
        if not ids:
            print(f"no incidents in {source}")
        for copied in migrate(origin, target):
            refused += not copied.ok
            print(visible(copied.line), flush=True)
    return 1 if refused else 0
