"""A recording verb's confirmation starts with the T+ of the event it recorded: the
T+ `timeline` prints for it. It was T+ now read after the append, which stops at the
close: a note recorded days after the close said `T+13:00  note recorded`, the
close's T+, where the timeline has it days later (review 6 #3)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.back_dated import back_dated_record
from tests.cli_helpers import Cli, InProcessCli

T_PLUS = r"T\+[\d:]+"


def timeline_t_plus(cli: Cli, incident_id: str, what: str) -> str:
    """The T+ of the one timeline entry that says `what`."""
    text = cli.ok("timeline", incident_id)
    found = [line for line in text.splitlines() if what in line]
    assert len(found) == 1, text
    match = re.match(rf"- ({T_PLUS}) · ", found[0])
    assert match, found[0]
    return match.group(1)


def test_a_note_after_the_close_starts_with_its_own_t_plus(tmp_path: Path) -> None:
    """As the reviewer ran it: a process, a real file, a note long after the close."""
    record = back_dated_record(tmp_path / "incidents.db")  # closed at T+13:00
    cli = Cli(record.db, actor="cy")
    said = cli.ok("note", record.incident_id, "after close on sqlite")
    match = re.fullmatch(rf"({T_PLUS})  note recorded \(after the close at T\+13:00\)\n", said)
    assert match, said
    assert match.group(1) == timeline_t_plus(cli, record.incident_id, "after close on sqlite")
    assert match.group(1) != "T+13:00"


def test_an_action_item_after_the_close_too(tmp_path: Path) -> None:
    record = back_dated_record(tmp_path / "incidents.db")
    cli = InProcessCli(record.db, actor="cy")
    said = cli.ok("action", record.incident_id, "alert on checkout errors", "--owner", "cy")
    match = re.fullmatch(
        rf"({T_PLUS})  action item 1 recorded \(after the close at T\+13:00\)\n", said
    )
    assert match, said
    assert match.group(1) == timeline_t_plus(cli, record.incident_id, "alert on checkout errors")


def test_before_the_close_nothing_is_said_of_it(tmp_path: Path) -> None:
    """An open incident: the event's T+, and no word of a close."""
    record = back_dated_record(tmp_path / "incidents.db", closed=False)
    cli = InProcessCli(record.db, actor="cy")
    said = cli.ok(
        "handoff", record.incident_id, "Cy", "--reason", "Cy takes command from the bastion"
    )
    match = re.fullmatch(rf"({T_PLUS})  Cy took command from Ada Lovelace\n", said)
    assert match, said
    assert match.group(1) == timeline_t_plus(cli, record.incident_id, "took command from")


def test_a_file_written_after_the_close_says_the_t_plus_it_was_written_at(
    tmp_path: Path,
) -> None:
    """`export -o` days after the close said `T+13:00  … written`, the close's T+."""
    record = back_dated_record(tmp_path / "incidents.db")  # closed at T+13:00
    cli = InProcessCli(record.db, actor="cy")
    said = cli.ok("export", record.incident_id, "-o", str(tmp_path / "report.md"))
    match = re.match(rf"({T_PLUS})  ", said)
    assert match, said
    assert match.group(1) != "T+13:00", said
