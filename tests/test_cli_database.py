"""Which SQLite file a verb works on, and what it does with one it cannot use.

`--db` over $LASTGOOD_DB; a file that is not a database refused in one line and left
as it was; a verb on an incident makes no database where there is none; an edited
event found by `verify`.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli_helpers import InProcessCli, declare


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


def test_verify_detects_an_edited_event(cli):
    incident_id = declare(cli)
    cli.ok("note", incident_id, "first")
    cli.ok("note", incident_id, "second")
    with sqlite3.connect(cli.db) as raw:
        raw.execute("DROP TRIGGER IF EXISTS events_no_update")
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
            raw.execute(f"DROP TRIGGER {name}")
        raw.execute("UPDATE events SET payload = replace(payload, 'first', 'forged') WHERE seq = 3")
    result = cli.run("verify", incident_id)
    assert result.code == 1
    assert "BROKEN at event 3" in result.out  # 1-2: the declaration, its commander's step
    assert cli.run("verify", "--all").code == 1


def test_bad_database_file_is_a_one_line_error(cli, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00\xffnot sqlite at all" * 200)
    result = cli.run("--db", str(garbage), "list")
    assert result.code == 2
    assert str(garbage) in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert garbage.read_bytes() == b"\x00\xffnot sqlite at all" * 200


def test_db_flag_overrides_environment(cli, tmp_path):
    other = tmp_path / "other.db"
    incident_id = cli.ok(
        "--db", str(other), "declare", "--title", "t", "--severity", "SEV3", "--commander", "A"
    ).strip()
    assert other.exists()
    assert incident_id in cli.ok("list", "--db", str(other))
    assert incident_id not in cli.ok("list")


def test_a_verb_on_an_incident_does_not_make_the_database_it_cannot_find(cli, tmp_path):
    typo = tmp_path / "incidnets.db"
    for args in (("check", "INC-1", "assess-severity"), ("note", "INC-1", "x")):
        result = cli.run("--db", str(typo), *args)
        assert result.code == 2, result
        assert result.err.strip().endswith(
            f"{typo}: no database here yet (declare an incident first)"
        )
    assert not typo.exists()
    declare(cli, "--db", str(typo))
    assert typo.exists()


EMPTY = "not a lastgood database (it is empty; `lastgood declare` makes it one)"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "INC-20261207-12FE", "assess-severity"),
        ("note", "INC-20261207-12FE", "x"),
        ("severity", "INC-20261207-12FE", "SEV1", "--reason", "worse"),
        ("status", "INC-20261207-12FE"),
        ("list",),
    ],
    ids=lambda args: args[0],
)
def test_a_verb_on_an_incident_leaves_an_empty_file_empty(cli, tmp_path, args):
    """An empty file (`: > empty.db`) is refused by a recording verb as by a reader,
    before anything is written: a recording verb made it a 57,344-byte database, every
    table in it, then said the incident was not there (review5, finding 6)."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = cli.run("--db", str(empty), *args)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"lastgood {args[0]}: {empty}: {EMPTY}\n"
    assert [path.name for path in tmp_path.iterdir()] == ["empty.db"]
    assert empty.read_bytes() == b""


def test_declare_still_makes_an_empty_file_a_database(cli, tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    incident_id = declare(cli, "--db", str(empty))
    assert cli.ok("--db", str(empty), "note", incident_id, "x").endswith("note recorded\n")
