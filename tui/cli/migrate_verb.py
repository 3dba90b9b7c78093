"""`lastgood migrate --from PATH --to URL`: a SQLite record moved into PostgreSQL.

The copying and what is refused are the store's (`store.postgres_migrate`); this
prints its one line per incident and turns a refusal into exit 1. An open incident
copied is then in both places: one more line, on stderr, says where to record it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from incident.app.listing import incident_state
from incident.core.text import visible
from store.backends import is_postgres_url
from store.postgres_log import PostgresEventLog
from store.postgres_migrate import migrate
from tui.cli.arguments import Arguments
from tui.cli.context import open_file_at, open_log_at, something_at
from tui.cli.edges import os_path
from tui.cli.errors import CliError


def cmd_migrate(args: Arguments) -> int:
    if is_postgres_url(args.source):
        raise CliError("--from: give the SQLite file to copy from, not a URL")
    if not is_postgres_url(args.target):
        raise CliError("--to: give the PostgreSQL database as a postgresql:// URL")
    source = Path(os_path(args.source, "--from"))
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
            if copied.ok and not incident_state(origin, copied.incident_id).is_closed:
                print(visible(still_open(copied.incident_id, target.path, source)), file=sys.stderr)
    return 1 if refused else 0


def still_open(incident_id: str, where: str, source: Path) -> str:
    """What to do with an open incident now in both places: a note into the file after
    the copy, and one into the database, part the two for good (the next migrate is
    refused), and nothing said so. `where` is the database as every message shows it,
    without its password."""
    return (
        f"{incident_id} is open: record into the database from now on "
        f"(LASTGOOD_DB={where}), not into {source}"
    )
