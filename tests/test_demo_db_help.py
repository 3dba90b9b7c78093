"""`demo --help` and `drill --help` say where they record when no database is named.

Before: their `--db PATH` said "(default: $LASTGOOD_DB, else the XDG data directory)",
as every other verb's does, but without --db or $LASTGOOD_DB both record into a
scratch database of their own (and say where once they run): a new user reading the
help expected the demo in the record `lastgood list` reads.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_helpers import Cli


def _db_help(cli: Cli, verb: str) -> str:
    """The `--db PATH` line of `verb --help`, its wrapped lines joined."""
    cli.env["COLUMNS"] = "200"  # one line per option
    out = cli.ok(verb, "--help")
    match = re.search(r"^\s+--db PATH\s+(.+)$", out, re.MULTILINE)
    assert match, out
    return match.group(1).strip()


def test_demo_and_drill_name_their_scratch_database(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.db")
    for verb in ("demo", "drill"):
        assert _db_help(cli, verb) == (
            "the event database (default: $LASTGOOD_DB, else a scratch database it names)"
        ), verb


def test_the_other_verbs_keep_the_xdg_default(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.db")
    for verb in ("status", "declare", "start"):
        assert _db_help(cli, verb) == (
            "the event database (default: $LASTGOOD_DB, else the XDG data directory)"
        ), verb
