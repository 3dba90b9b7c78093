"""What `verify` proves, said as it is (ux_review12 #2): the chain has no key, so whoever
can write the record can rewrite it with every hash recomputed, or delete an incident
outright; only a head kept outside the record shows either."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from incident.core.chain import text_hash
from tests.cli_helpers import Cli, InProcessCli
from tests.tampering import drop_triggers
from tests.test_damaged_record import four_events, tamper
from tests.test_json_schemas import assert_valid

CAVEAT = "(consistent; compare the head with one kept elsewhere to rule out a rewrite)"


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Cli, str, list[str]]:
    """An incident of four events, recorded in-process, and the hash of each."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    return cli, *four_events(cli.db)


def rewrite_last_note(db: Path, incident_id: str, text: str) -> str:
    """What a writer of the file can do: change the last event's note and recompute its
    hash with lastgood's own function, so the chain agrees with itself. Its new hash."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        drop_triggers(conn)
        seq, at, mono_ns, actor, kind, payload, prev = conn.execute(
            "SELECT seq, at, mono_ns, actor, kind, json_set(payload, '$.text', ?), prev_hash "
            "FROM events WHERE incident_id = ? ORDER BY seq DESC LIMIT 1",
            (text, incident_id),
        ).fetchone()
        digest = text_hash(incident_id, seq, at, mono_ns, actor, kind, payload, prev)
        conn.execute(
            "UPDATE events SET payload = ?, hash = ? WHERE incident_id = ? AND seq = ?",
            (payload, digest, incident_id, seq),
        )
    finally:
        conn.close()
    return str(digest)


def test_an_ok_line_without_a_kept_head_says_it_shows_consistency_only(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, heads = recorded
    assert (
        cli.ok("verify", incident_id) == f"{incident_id}: ok, 4 events, head {heads[-1]} {CAVEAT}\n"
    )
    assert cli.ok("verify", "--all").endswith(f"head {heads[-1]} {CAVEAT}\n")
    kept = cli.ok("verify", incident_id, "--expect-head", heads[-1])
    assert kept == f"{incident_id}: ok, 4 events, head {heads[-1]}, the expected head\n"


def test_json_says_what_ok_rests_on_and_renames_nothing(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, heads = recorded
    (alone,) = json.loads(cli.ok("verify", incident_id, "--json"))
    (kept,) = json.loads(cli.ok("verify", incident_id, "--json", "--expect-head", heads[1]))
    for verdict in (alone, kept):
        assert_valid("verify", [verdict])
        assert (verdict["ok"], verdict["events"], verdict["head"]) == (True, 4, heads[-1])
    assert alone["proves"] == "consistent"
    assert kept["proves"] == "unchanged to the expected head"
    assert kept["expected_seq"] == 2


def test_a_rewrite_with_its_hashes_recomputed_is_caught_by_the_kept_head_only(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, heads = recorded
    forged = rewrite_last_note(cli.db, incident_id, "someone else did it")
    alone = cli.run("verify", incident_id)
    assert (alone.code, alone.out) == (0, f"{incident_id}: ok, 4 events, head {forged} {CAVEAT}\n")
    kept = cli.run("verify", incident_id, "--expect-head", heads[-1][:12])
    assert kept.code == 1
    assert kept.out.startswith(f"{incident_id}: NOT THE EXPECTED HEAD: the stored head is event 4")
    assert kept.out.endswith("events were cut from the end or rewritten\n")


def test_an_incident_deleted_outright_is_found_by_its_kept_head(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, heads = recorded
    tamper(cli.db, "DELETE FROM events WHERE incident_id = ?", incident_id)
    every = cli.run("verify", "--all")
    assert every.code == 0
    assert every.out == (
        "no incidents to verify (an incident deleted outright leaves nothing to verify: "
        "`lastgood verify ID --expect-head HASH`, with a head kept elsewhere, finds it)\n"
    )
    kept = cli.run("verify", incident_id, "--expect-head", heads[-1][:12])
    assert kept.code == 1
    assert kept.out == (
        f"{incident_id}: NOT THE EXPECTED HEAD: no event of it is in {cli.db}, yet its head "
        f"{heads[-1][:12]} was kept: the incident was deleted, or this is not the ID or the "
        "database it was kept from\n"
    )
    assert kept.err == ""
    as_data = cli.run("verify", incident_id, "--expect-head", heads[-1], "--json")
    assert as_data.code == 1
    (verdict,) = json.loads(as_data.out)
    assert_valid("verify", [verdict])
    assert (verdict["ok"], verdict["events"], verdict["proves"]) == (False, 0, None)
    assert "the incident was deleted" in verdict["problem"]
    # without a kept head, the ID is only not there (exit 2, as any verb says it)
    assert cli.run("verify", incident_id).code == 2
