"""A document of a record whose chain does not verify says so, where, and still comes out.

`status` warned of a damaged record, but `export` and `timeline` wrote an edited
note as if it had been recorded: the documents that outlive an incident are the ones
read as its account. Each now verifies the record as it reads it (`report_items`
and `export_items` with a walk), puts the damage at the top of the document (the
Markdown's first paragraph, the JSON's `damage`) and prints `status`'s warning on
stderr; the document is still written, and nothing in the record changes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from incident.core.chain import text_hash
from tests.cli_helpers import Cli, InProcessCli
from tests.tampering import COLUMNS
from tests.test_damaged_record import event_count, four_events, tamper
from tests.test_json_schemas import assert_valid


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Cli, str]:
    """An incident of four events: declared, then three notes."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    return cli, four_events(cli.db)[0]


def _warning(incident_id: str, seq: int, problem: str) -> str:
    return (
        f"WARNING: the record of {incident_id} is damaged at event {seq} ({problem}); run "
        f"`lastgood verify {incident_id}`; nothing can be recorded until it is resolved\n"
    )


def test_an_intact_record_exports_with_no_damage(recorded: tuple[Cli, str]) -> None:
    cli, incident_id = recorded
    for args in (("export",), ("timeline",)):
        result = cli.run(*args, incident_id)
        assert (result.code, result.err) == (0, "")
        assert "does not verify" not in result.out
    for args in (("export", "--format", "json"), ("timeline", "--json")):
        assert json.loads(cli.ok(*args, incident_id))["damage"] is None


def test_an_edited_note_is_named_by_every_document_of_the_record(
    recorded: tuple[Cli, str],
) -> None:
    cli, incident_id = recorded
    tamper(
        cli.db,
        "UPDATE events SET payload = replace(payload, 'note 2', 'FORGED') "
        "WHERE incident_id = ? AND seq = 3",
        incident_id,
    )
    problem = "content does not match its hash"
    for args in (("export",), ("timeline",)):
        result = cli.run(*args, incident_id)
        assert result.code == 0 and result.err == _warning(incident_id, 3, problem)
        title, blank, note = result.out.splitlines()[:3]
        assert title.startswith("# ") and blank == ""
        assert note.startswith("**This record does not verify:** at event 3 (T+")
        assert f", a: Note: FORGED), {problem}." in note  # named as its timeline line
        assert f"`lastgood verify {incident_id}` says more." in note
        assert "FORGED" in result.out  # what the record holds now, said to be that
    for args, schema in (
        (("export", "--format", "json"), "export"),
        (("timeline", "--json"), "timeline"),
    ):
        result = cli.run(*args, incident_id)
        assert result.code == 0 and result.err == _warning(incident_id, 3, problem)
        assert_valid(schema, json.loads(result.out))
        damage = json.loads(result.out)["damage"]
        assert (damage["first_bad_seq"], damage["problem"]) == (3, problem)
        assert damage["verified_events"] == 2
    assert event_count(cli.db, incident_id) == 4  # read only: nothing added, nothing lost


def test_a_removed_event_is_named_where_the_chain_breaks(recorded: tuple[Cli, str]) -> None:
    cli, incident_id = recorded
    tamper(cli.db, "DELETE FROM events WHERE incident_id = ? AND seq = 2", incident_id)
    result = cli.run("export", "--format", "json", incident_id)
    assert result.err == _warning(incident_id, 2, "expected event 2, found 3")
    assert json.loads(result.out)["damage"]["first_bad_seq"] == 2
    markdown = cli.ok("export", incident_id)
    assert "at event 2, expected event 2, found 3." in markdown


def rehashed(db: Path, incident_id: str, seq: int, old: str, new: str) -> None:
    """Event `seq`'s payload with `old` replaced by `new`, and its hash recomputed over
    the edited text, as someone who can write the file and knows the hash could."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM events WHERE incident_id = ? AND seq = ?",
            (incident_id, seq),
        ).fetchone()
    payload = row[6].replace(old, new)
    assert payload != row[6]
    tamper(
        db,
        "UPDATE events SET payload = ?, hash = ? WHERE incident_id = ? AND seq = ?",
        payload,
        text_hash(*row[:6], payload, row[7]),
        incident_id,
        seq,
    )


def test_a_rehashed_event_is_named_by_the_link_after_it(recorded: tuple[Cli, str]) -> None:
    """A note edited and its hash recomputed verifies alone; the event after it no longer
    names it, and that is where the chain breaks."""
    cli, incident_id = recorded
    rehashed(cli.db, incident_id, 3, "note 2", "FORGED")
    for args in (("export",), ("export", "--format", "json"), ("timeline",)):
        result = cli.run(*args, incident_id)
        assert result.err == _warning(incident_id, 4, "previous-hash link broken")


def test_an_event_respelled_with_its_hash_recomputed_is_named_by_the_report(
    recorded: tuple[Cli, str],
) -> None:
    """The last note given a repeated key (read as its last value) and a hash recomputed
    over that text: it hashes, and only its spelling shows it. The report, the timeline
    and the calendar file's read check each event's spelling as `verify` does."""
    cli, incident_id = recorded
    rehashed(cli.db, incident_id, 4, '"text":"note 3"', '"text":"note 3","text":"FORGED"')
    problem = "payload repeats the key 'text'"
    assert problem in cli.run("verify", incident_id).out
    for args in (("export",), ("timeline",)):
        result = cli.run(*args, incident_id)
        assert result.err == _warning(incident_id, 4, problem), args
