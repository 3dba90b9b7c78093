"""`verify` says when the SQLite file itself is damaged, even where every chain verifies.

The chain proves the events a read returns. It cannot see an index whose page was
overwritten: the outbox's `outbox_due` index is what the sender reads through to find
a message falling due, and no incident's chain touches it. Before, `verify` said `ok`
and exited 0 on such a file. It now runs SQLite's integrity check once per file, and
prints one line naming the file (exit 1). The files here are real, and their pages are
overwritten on disk, as a bad sector or a stray write would leave them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from store import SqliteEventLog, StoreError
from tests.cli_helpers import Cli, InProcessCli
from tests.test_damaged_record import four_events
from tests.test_json_schemas import assert_valid


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Cli, str]:
    """An incident of four events, in a file whose write-ahead log is written back."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    return cli, four_events(cli.db)[0]


def overwrite(db: Path, index: str, size: int | None = None) -> None:
    """Overwrite the last `size` bytes of the page at the root of `index` (the whole page
    when None) with a byte no b-tree page or index key is made of."""
    connection = sqlite3.connect(db)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)
        ).fetchone()[0]
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    size = size or page_size
    with db.open("r+b") as file:
        file.seek(root * page_size - size)
        file.write(b"\x07" * size)


DAMAGES = {
    # An index entry's key (at the end of its page): that row no longer found through it.
    "an index entry": (("events_entries", 16), "row 1 missing from index events_entries"),
    # A whole page, its header too: SQLite cannot read it as a b-tree page at all.
    "an index page": (("outbox_due", None), "database disk image is malformed"),
}


def test_a_sound_file_verifies_with_no_damage_line(recorded: tuple[Cli, str]) -> None:
    cli, incident_id = recorded
    for args in ((incident_id,), ("--all",)):
        result = cli.run("verify", *args)
        assert (result.code, result.err) == (0, "")
        assert result.out.startswith(f"{incident_id}: ok, 4 events, head ")
        assert "DAMAGED" not in result.out


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_index_fails_verify_though_the_chain_verifies(
    recorded: tuple[Cli, str], damage: str
) -> None:
    cli, incident_id = recorded
    (index, size), said = DAMAGES[damage]
    overwrite(cli.db, index, size)
    before = cli.db.read_bytes()
    for args in ((incident_id,), ("--all",)):
        result = cli.run("verify", *args)
        assert (result.code, result.err) == (1, "")
        chain_line, file_line = result.out.splitlines()
        assert chain_line.startswith(f"{incident_id}: ok, 4 events, head ")
        assert file_line == (
            f"{cli.db}: DAMAGED FILE: SQLite's integrity check says {said}; "
            "work from a copy (`sqlite3 FILE .recover` salvages the rows)"
        )
    assert cli.db.read_bytes() == before  # verify reads; it writes nothing


def test_the_json_names_the_damage_and_stays_valid(recorded: tuple[Cli, str]) -> None:
    cli, incident_id = recorded
    overwrite(cli.db, "events_entries", 16)
    result = cli.run("verify", incident_id, "--json")
    assert result.code == 1
    verdicts = json.loads(result.out)
    assert_valid("verify", verdicts)
    [verdict] = verdicts
    assert verdict["ok"] is False
    assert verdict["events"] == 4
    assert verdict["first_bad_seq"] is None
    assert verdict["problem"] == (
        "the chain verifies, but the file is damaged: row 1 missing from index events_entries"
    )
    assert result.err.startswith(f"{cli.db}: DAMAGED FILE: ")
    assert result.err.count("\n") == 1


def test_a_broken_chain_keeps_its_own_problem_beside_the_damage(
    recorded: tuple[Cli, str],
) -> None:
    cli, incident_id = recorded
    with sqlite3.connect(cli.db) as connection:
        for trigger in ("events_no_update", "events_no_delete"):
            connection.execute(f"DROP TRIGGER {trigger}")
        connection.execute(
            "UPDATE events SET payload = replace(payload, 'note 2', 'FORGED') "
            "WHERE incident_id = ? AND seq = 3",
            (incident_id,),
        )
    connection.close()
    overwrite(cli.db, "outbox_due")
    result = cli.run("verify", incident_id, "--json")
    assert result.code == 1
    [verdict] = json.loads(result.out)
    assert (verdict["first_bad_seq"], verdict["problem"]) == (3, "content does not match its hash")
    assert "DAMAGED FILE" in result.err


def test_an_error_that_says_nothing_of_the_file_is_no_damage(recorded: tuple[Cli, str]) -> None:
    """Only SQLite's own word for damage (SQLITE_CORRUPT, SQLITE_NOTADB) is reported as a
    damaged file: a check cut short (here interrupted, as a lock held past the busy
    timeout or a disk error would end it) is a one-line store error, not advice to
    salvage a sound file."""
    cli, _ = recorded
    with SqliteEventLog.open(cli.db, read_only=True) as log:
        assert log.file_problem() is None
        connection = log._connection
        assert connection is not None
        connection.set_progress_handler(lambda: 1, 1)  # every statement interrupted
        with pytest.raises(StoreError) as caught:
            log.file_problem()
    assert str(caught.value) == f"{cli.db}: cannot check the file: interrupted"
