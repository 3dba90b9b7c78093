"""A SQLite file cut short (an attachment or a copy that stopped partway) is a damaged
file: `verify` gives it the verdict a damaged page gets, exit 1, and says that the file
is shorter than its header says, which is the likely cause (ask for it again).

Before, SQLite's "database disk image is malformed" at the opening was a refusal:
`lastgood verify: FILE: damaged database (...)`, exit 2, and nothing on stdout with
`--json`. The files here are real records, cut with the bytes a `head -c` keeps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.cut_short import cut_short, header_size
from tests.cli_helpers import Cli, InProcessCli
from tests.test_damaged_record import four_events
from tests.test_json_schemas import assert_valid

KEPT = 40_000
"""The bytes of the cut copy: not a page boundary, as a transfer stops anywhere."""


@pytest.fixture
def cut(tmp_path: Path) -> tuple[Cli, str, int]:
    """A record of one incident, and a copy of it cut to its first `KEPT` bytes: a cli on
    the copy, the incident, and the whole file's size."""
    whole = tmp_path / "whole.db"
    incident_id = four_events(whole)[0]
    data = whole.read_bytes()
    assert len(data) > KEPT
    copy = tmp_path / "cut.db"
    copy.write_bytes(data[:KEPT])
    return InProcessCli(copy), incident_id, len(data)


def said_short(size: int) -> str:
    return (
        f"the file is {KEPT:,} bytes, shorter than the {size:,} its header says: it was "
        "cut short, in a copy or a transfer (ask for it again)"
    )


def damage_line(cli: Cli, size: int) -> str:
    return (
        f"{cli.db}: DAMAGED FILE: {said_short(size)}; SQLite cannot open it: database disk "
        "image is malformed; work from a copy (`sqlite3 FILE .recover` salvages the rows)"
    )


def test_verify_of_a_cut_file_is_a_damaged_file_verdict(cut: tuple[Cli, str, int]) -> None:
    cli, incident_id, size = cut
    before = cli.db.read_bytes()
    result = cli.run("verify", incident_id)
    assert (result.code, result.err) == (1, "")
    assert result.out.splitlines() == [
        f"{incident_id}: BROKEN at start: unreadable: the file cannot be opened: "
        f"{said_short(size)} (0 events verified before it)",
        damage_line(cli, size),
    ]
    every = cli.run("verify", "--all")
    assert (every.code, every.out, every.err) == (1, damage_line(cli, size) + "\n", "")
    assert cli.db.read_bytes() == before  # read, never written


def test_verify_json_of_a_cut_file_has_an_entry(cut: tuple[Cli, str, int]) -> None:
    cli, incident_id, size = cut
    result = cli.run("verify", incident_id, "--json")
    assert result.code == 1
    verdicts = json.loads(result.out)
    assert_valid("verify", verdicts)
    [verdict] = verdicts
    assert (verdict["id"], verdict["ok"], verdict["events"]) == (incident_id, False, 0)
    assert verdict["problem"] == f"unreadable: the file cannot be opened: {said_short(size)}"
    assert result.err == damage_line(cli, size) + "\n"
    every = cli.run("verify", "--all", "--json")
    assert (every.code, json.loads(every.out), every.err) == (1, [], result.err)


def test_other_verbs_say_the_file_was_cut_short_exit_1(cut: tuple[Cli, str, int]) -> None:
    cli, incident_id, size = cut
    result = cli.run("export", incident_id)
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith(
        f"lastgood export: {cli.db}: DAMAGED FILE: {said_short(size)}; SQLite says "
    )
    assert result.err.count("\n") == 1


def test_a_whole_file_is_not_cut_short(tmp_path: Path) -> None:
    db = tmp_path / "lastgood.db"
    four_events(db)
    assert header_size(db.read_bytes()[:100]) == db.stat().st_size
    assert cut_short(db) is None
    assert cut_short(tmp_path / "missing.db") is None
    (tmp_path / "text.db").write_text("not a database at all, but longer than its header " * 3)
    assert cut_short(tmp_path / "text.db") is None
