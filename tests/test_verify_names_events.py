"""`verify` names the events it speaks of as the documents list them, and the documents
of a record that does not verify mark what they can no longer vouch for.

ux_review16 #7: a hand-edited record's report said "at event 114", a number no line of
any document shows, then stated the forged line unmarked, and still quoted the stored
head as if it could be kept; `verify --expect-head` said "(2 events after it)" without
saying which. The records here are real files, edited with plain `sqlite3` as someone
with write access could.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli
from tests.test_damaged_record import tamper
from tests.test_json_schemas import assert_valid


def stored(db: Path, incident_id: str, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, (incident_id,)).fetchall()
    finally:
        connection.close()


def declared_with_notes(tmp_path: Path, notes: list[str]) -> tuple[Cli, str]:
    """An incident whose impact started ten minutes ago, then `notes`, one event each."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    ten_ago = (datetime.now(UTC) - timedelta(minutes=10)).isoformat(timespec="seconds")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--started-at", ten_ago,
    ).strip()  # fmt: skip
    for text in notes:
        cli.ok("note", incident_id, text)
    return cli, incident_id


def note_seq(cli: Cli, incident_id: str, text: str) -> tuple[int, str]:
    """The seq of the note whose text is `text`, and its stored time."""
    ((seq, at),) = stored(
        cli.db,
        incident_id,
        "SELECT seq, at FROM events WHERE incident_id = ? AND kind = 'note.added' "
        f"AND json_extract(payload, '$.text') = '{text}'",
    )
    return int(str(seq)), str(at)


@pytest.fixture
def forged(tmp_path: Path) -> tuple[Cli, str, int, str]:
    """A record whose second note was rewritten by hand: the cli, the incident, the
    forged event's seq and its stored time."""
    cli, incident_id = declared_with_notes(tmp_path, ["one", "two", "three"])
    seq, at = note_seq(cli, incident_id, "two")
    tamper(
        cli.db,
        "UPDATE events SET payload = replace(payload, '\"two\"', '\"FORGED\"') "
        "WHERE incident_id = ? AND seq = ?",
        incident_id,
        seq,
    )
    return cli, incident_id, seq, at


def test_verify_names_the_event_a_chain_stops_at(forged: tuple[Cli, str, int, str]) -> None:
    cli, incident_id, seq, at = forged
    result = cli.run("verify", incident_id)
    assert result.code == 1
    first, named = result.out.splitlines()
    assert first.startswith(f"{incident_id}: BROKEN at event {seq}: content does not match")
    assert re.fullmatch(
        rf"  event {seq} · T\+10:0\d · {at[11:19]} UTC · tester · Note: FORGED", named
    ), named

    (verdict,) = json.loads(cli.run("verify", incident_id, "--json").out)
    assert_valid("verify", [verdict])
    event = verdict["first_bad_event"]
    assert (event["seq"], event["at"], event["actor"]) == (seq, at, "tester")
    assert (event["kind"], event["what"]) == ("note.added", "Note: FORGED")
    assert re.fullmatch(r"T\+10:0\d", event["t_plus"])
    assert verdict["after_expected"] == []


@pytest.mark.parametrize("verb", ["export", "timeline"])
def test_the_documents_mark_each_line_from_the_bad_event_on(
    forged: tuple[Cli, str, int, str], verb: str
) -> None:
    cli, incident_id, seq, _ = forged
    ((head,),) = stored(
        cli.db, incident_id, "SELECT hash FROM events WHERE incident_id = ? ORDER BY seq DESC"
    )[:1]
    document = cli.run(verb, incident_id).out
    banner = next(line for line in document.splitlines() if "does not verify" in line)
    assert f"at event {seq} (T+10:0" in banner
    assert "tester: Note: FORGED)" in banner
    assert "marked ⚠ unverified" in banner
    rows = {
        text: line
        for line in document.splitlines()
        for text in ("Note: one", "Note: FORGED", "Note: three")
        if line.startswith("- ") and line.endswith(text)
    }
    assert not rows["Note: one"].startswith("- ⚠ unverified")  # before the damage
    assert rows["Note: FORGED"].startswith("- ⚠ unverified · T+10:0")
    assert rows["Note: three"].startswith("- ⚠ unverified · T+10:0")
    assert str(head) not in document  # the stored head is not quoted as one to keep
    if verb == "export":
        ((verified_head,),) = stored(
            cli.db,
            incident_id,
            f"SELECT hash FROM events WHERE incident_id = ? AND seq = {seq - 1}",
        )
        record = next(line for line in document.splitlines() if line.startswith("| Record |"))
        assert f"it verifies up to event {seq - 1}, head hash `{verified_head}`" in record


def test_expect_head_names_what_came_after_it(tmp_path: Path) -> None:
    notes = [f"after {n}" for n in range(1, 9)]
    cli, incident_id = declared_with_notes(tmp_path, ["kept", *notes])
    kept, _ = note_seq(cli, incident_id, "kept")
    ((head,),) = stored(
        cli.db, incident_id, f"SELECT hash FROM events WHERE incident_id = ? AND seq = {kept}"
    )
    result = cli.run("verify", incident_id, "--expect-head", str(head)[:12])
    assert result.code == 0
    first, *named = result.out.splitlines()
    assert first.endswith(f"the expected head is event {kept} (8 events after it)")
    assert [line.rsplit(" · ", 1)[1] for line in named[:5]] == [
        f"Note: after {n}" for n in range(1, 6)
    ]
    assert all(
        line.startswith(f"  event {kept + n} · T+10:0") for n, line in enumerate(named[:5], 1)
    )
    assert named[5:] == ["  and 3 more"]

    (verdict,) = json.loads(cli.ok("verify", incident_id, "--expect-head", str(head), "--json"))
    assert_valid("verify", [verdict])
    after = verdict["after_expected"]
    assert [event["what"] for event in after] == [f"Note: after {n}" for n in range(1, 6)]
    assert [event["seq"] for event in after] == list(range(kept + 1, kept + 6))
