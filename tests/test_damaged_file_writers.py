"""A file SQLite finds damaged: recording verbs refuse it, and `verify` says so with exit 1.

Before, a page overwritten under an index no recording verb reads through (the outbox's
`outbox_due`, the state snapshots' key) went unnoticed by every writer: `note` said
`note recorded` into a file `verify` called DAMAGED. And where the damage kept `verify`
itself from reading an incident (the snapshots' key index), it exited 2, as for a
mistyped argument, while `status` and `note` read past it. The files here are real,
their pages overwritten on disk as a bad sector or a stray write would leave them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.sqlite_file import SALVAGE
from tests.cli_helpers import Cli, InProcessCli
from tests.test_damaged_record import event_count, four_events
from tests.test_verify_file_damage import overwrite

SNAPSHOT_KEY = "sqlite_autoindex_state_snapshots_1"
"""The primary key's index of `state_snapshots`: read by `verify`, not by `note`."""


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Cli, str]:
    cli = InProcessCli(tmp_path / "lastgood.db")
    return cli, four_events(cli.db)[0]


def _page(db: Path, index: str) -> int:
    with sqlite3.connect(db) as connection:
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)
        ).fetchone()
    connection.close()
    return int(root)


def _files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@pytest.mark.parametrize("index", ["outbox_due", SNAPSHOT_KEY])
@pytest.mark.parametrize(
    "verb",
    [
        ("note", "{id}", "rolling back"),
        ("check", "{id}", "assess-severity"),
        ("severity", "{id}", "SEV1", "--reason", "worse"),
    ],
    ids=lambda verb: verb[0],
)
def test_a_recording_verb_refuses_a_damaged_file_and_leaves_it_as_it_was(
    recorded: tuple[Cli, str], index: str, verb: tuple[str, ...]
) -> None:
    cli, incident_id = recorded
    page = _page(cli.db, index)
    overwrite(cli.db, index)
    before = _files(cli.db.parent)
    result = cli.run(*(part.format(id=incident_id) for part in verb))
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"lastgood {verb[0]}: {cli.db}: DAMAGED FILE: SQLite's quick check says Page {page}: "
        f"btreeInitPage() returns error code 11; nothing was recorded: {SALVAGE}\n"
    )
    assert _files(cli.db.parent) == before  # not a byte written, no -wal left
    assert event_count(cli.db, incident_id) == 4


def test_the_refusal_is_the_installed_command_s_too(recorded: tuple[Cli, str]) -> None:
    """As a user meets it: the console script in a process of its own."""
    in_process, incident_id = recorded
    cli = Cli(in_process.db)
    overwrite(cli.db, "outbox_due")
    result = cli.run("note", incident_id, "hello")
    assert result.code == 1
    assert result.err.startswith(f"lastgood note: {cli.db}: DAMAGED FILE: ")
    assert result.err.count("\n") == 1
    assert event_count(cli.db, incident_id) == 4


def test_a_sound_file_still_records(recorded: tuple[Cli, str]) -> None:
    cli, incident_id = recorded
    assert cli.ok("note", incident_id, "still fine").endswith("note recorded\n")
    assert event_count(cli.db, incident_id) == 5


def test_verify_exits_1_when_the_damage_keeps_it_from_reading_an_incident(
    recorded: tuple[Cli, str],
) -> None:
    """`status` reads past a damaged snapshot index; `verify`, which compares the
    snapshots, cannot: it says the incident is unread and the file damaged (exit 1),
    not a one-line error with exit 2."""
    cli, incident_id = recorded
    overwrite(cli.db, SNAPSHOT_KEY)
    assert cli.run("status", incident_id).code == 0
    for args in ((incident_id,), ("--all",)):
        result = cli.run("verify", *args)
        assert (result.code, result.err) == (1, "")
        chain_line, file_line = result.out.splitlines()
        assert chain_line.startswith(
            f"{incident_id}: BROKEN at start: unreadable: {cli.db}: cannot read the log: "
            "database disk image is malformed"
        )
        assert file_line.startswith(f"{cli.db}: DAMAGED FILE: SQLite's integrity check says ")


def test_a_file_is_checked_once_as_it_is_and_again_once_its_pages_change(
    recorded: tuple[Cli, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verb that records and then delivers, and the screen's record and outbox, open
    one file twice in one process: each opening read every page again. A file checked
    as it is on disk is not checked again; once its pages change (damage, or another
    process's checkpoint), it is."""
    from store import sqlite_file
    from store.sqlite_log import SqliteEventLog

    cli, incident_id = recorded
    checks: list[Path] = []
    check = sqlite_file.quick_check

    def counted(connection: sqlite3.Connection) -> list[tuple[object, ...]]:
        checks.append(cli.db)
        return check(connection)

    monkeypatch.setattr(sqlite_file, "quick_check", counted)
    sqlite_file._CHECKED.clear()
    for _ in range(3):
        SqliteEventLog.open(cli.db).close()
    assert len(checks) == 1
    overwrite(cli.db, "outbox_due")
    result = cli.run("note", incident_id, "hello")
    assert (result.code, len(checks)) == (1, 2), result.err
    assert "DAMAGED FILE" in result.err
