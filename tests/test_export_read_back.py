"""A JSON export sent to someone who has not the database: checked and read with lastgood.

ux_review16 #8: `--db export.json` said "not a lastgood database (file is not a
database)", exit 2, and no verb took an export, so whoever was sent one could neither
tell whether it was edited on the way nor write the report from it. Now
`verify --export FILE` recomputes its chain with the store's own code, and
`export --export FILE` and `timeline --export FILE` write the documents from it. The
export here is a real one, of a real record, and its edits are made as a text editor
would make them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest

from tests.cli_helpers import Cli, InProcessCli
from tests.test_json_schemas import assert_valid


@pytest.fixture
def sent(tmp_path: Path) -> tuple[Cli, str, Path]:
    """A record of a declaration and three notes, and its JSON export."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    for text in ("one", "two", "three"):
        cli.ok("note", incident_id, text)
    export = tmp_path / "sent.json"
    cli.ok("export", incident_id, "--format", "json", "-o", str(export))
    return cli, incident_id, export


def edited(export: Path, change: object) -> Path:
    """A copy of `export` with `change` made to its parsed JSON, written back."""
    data = json.loads(export.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    copy = export.with_name("edited.json")
    copy.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return copy


def test_verify_export_checks_the_files_chain(sent: tuple[Cli, str, Path]) -> None:
    cli, incident_id, export = sent
    from_db = cli.ok("verify", incident_id)
    assert cli.ok("verify", "--export", str(export)) == from_db  # the same line
    (head,) = [word for word in from_db.split() if len(word) == 64]
    kept = cli.ok("verify", incident_id, "--export", str(export), "--expect-head", head[:12])
    assert kept == f"{incident_id}: ok, 5 events, head {head}, the expected head\n"
    other = cli.run("verify", "INC-20260101-0000", "--export", str(export))
    assert (other.code, other.out) == (2, "")
    assert f"is the export of {incident_id}, not INC-20260101-0000" in other.err


def test_an_export_edited_on_the_way_is_broken_where_it_was_edited(
    sent: tuple[Cli, str, Path],
) -> None:
    cli, incident_id, export = sent

    def forge(data: dict[str, list[dict[str, dict[str, str]]]]) -> None:
        (note,) = [e for e in data["events"] if e["payload"].get("text") == "two"]
        note["payload"]["text"] = "FORGED"

    forged = edited(export, forge)
    result = cli.run("verify", "--export", str(forged))
    assert result.code == 1
    first, named = result.out.splitlines()
    assert first == (
        f"{incident_id}: BROKEN at event 4: content does not match its hash "
        "(3 events verified before it)"
    )
    assert named.startswith("  event 4 · T+") and named.endswith(" · tester · Note: FORGED")
    (verdict,) = json.loads(cli.run("verify", "--export", str(forged), "--json").out)
    assert_valid("verify", [verdict])
    assert (verdict["ok"], verdict["first_bad_seq"]) == (False, 4)

    report = cli.run("export", "--export", str(forged))
    assert report.code == 0
    assert "**This record does not verify:** at event 4 (T+" in report.out
    assert "- ⚠ unverified · T+" in report.out
    assert report.err.startswith(f"WARNING: the export {forged} is damaged at event 4 ")


def test_a_tail_cut_from_an_export_disagrees_with_what_it_says(
    sent: tuple[Cli, str, Path],
) -> None:
    cli, incident_id, export = sent
    cut = edited(export, lambda data: data["events"].pop())
    result = cli.run("verify", "--export", str(cut))
    assert result.code == 1
    assert result.out == (
        f"{incident_id}: NOT THE EXPECTED HEAD: the file says it holds 5 events, and "
        "lists 4: events were added or cut\n"
    )


def test_the_documents_of_an_export_are_those_of_its_record(
    sent: tuple[Cli, str, Path],
) -> None:
    cli, incident_id, export = sent
    now = datetime(2030, 1, 1, tzinfo=UTC)  # one `now` for both readings
    with mock.patch("incident.core.clock.SystemClock.now", return_value=now):
        for verb in ("export", "timeline"):
            from_db = cli.run(verb, incident_id)
            from_export = cli.run(verb, "--export", str(export))
            assert (from_export.code, from_export.err) == (0, "")
            assert from_export.out == from_db.out
            assert "Note: two" in from_export.out
        as_json = cli.run("timeline", "--export", str(export), "--json")
        assert as_json.out == cli.run("timeline", incident_id, "--json").out
    refused = cli.run("export", "--export", str(export), "--format", "json")
    assert refused.code == 2 and "Markdown report of a JSON export" in refused.err


def test_an_export_given_as_the_database_is_named_so(sent: tuple[Cli, str, Path]) -> None:
    cli, _, export = sent
    for args in (("list",), ("verify", "--all")):
        result = cli.run("--db", str(export), *args)
        assert (result.code, result.out) == (2, "")
        assert result.err.count("\n") == 1
        assert f"{export}: a lastgood JSON export (export --format json), not a database: " in (
            result.err
        )
        assert "`lastgood verify --export FILE` checks its chain" in result.err
    not_an_export = export.with_name("other.json")
    not_an_export.write_text('{"format": "something else"}', encoding="utf-8")
    result = cli.run("verify", "--export", str(not_an_export))
    assert result.code == 2
    assert result.err.endswith('not a lastgood JSON export (no "format": "lastgood-incident/1")\n')


def test_the_exports_own_verify_names_the_check_its_reader_can_run(tmp_path: Path) -> None:
    """The export's `verify` names `lastgood verify ID`, which needs the database the
    reader of an export was not sent; `verify_export` names `verify --export FILE`, and
    both run, as a user types them, and say ok."""
    db_side = Cli(tmp_path / "lastgood.db")
    incident_id = db_side.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    export = tmp_path / "sent.json"
    db_side.ok("export", incident_id, "--format", "json", "-o", str(export))
    document = json.loads(export.read_text(encoding="utf-8"))
    with_db, alone = document["verify"].split(), document["verify_export"].split()
    assert with_db == ["lastgood", "verify", incident_id]
    assert alone == ["lastgood", "verify", "--export", "FILE"]
    ok = f"{incident_id}: ok, "
    assert db_side.ok(*with_db[1:]).startswith(ok)
    reader = Cli(tmp_path / "none.db")  # the reader's own machine: no such database
    typed = [str(export) if word == "FILE" else word for word in alone[1:]]
    assert reader.ok(*typed).startswith(ok)
