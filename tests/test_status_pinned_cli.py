"""`status` shows the pinned notes `brief` shows: the newest two (`--json`: every one).

`lastgood status ID` said nothing of them, where `brief` showed the commander's word
("No customer comms until 03:30", "VP told by phone") from the same record. Both now
ask one rule (`incident.reports.pinned`); through a pipe each note is whole, as every
`status` line is; on a phone (46x22) they stay on screen above the summary, two rows
each at most, and the checklists scroll off before them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import Cli
from tests.test_cli_fitted import on_a_terminal
from tests.test_status_screen_cli import phase_one_finished

LONG = "Decision: no DB rollback; VP Vic told by phone 19:55 " + "and agreed " * 10


def pinned_incident(cli: Cli) -> str:
    """An incident with three pinned notes, one of them long, and one not pinned."""
    setup = cli.in_process()
    incident_id = setup.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2",
        "--commander", "Cass Commander",
    ).strip()  # fmt: skip
    setup.ok("note", incident_id, "--pin", "First pin: page the DBA if the rollback stalls")
    setup.ok("note", incident_id, "Eve: hold the RCA until 09:00")
    setup.ok("note", incident_id, "--pin", LONG)
    setup.ok("note", incident_id, "--pin", "No customer comms until 03:30")
    return incident_id


def test_status_shows_the_pinned_notes_the_brief_shows(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "pinned.db", actor="Cass Commander")
    incident_id = pinned_incident(cli)
    briefed = [line for line in cli.ok("brief", incident_id).splitlines() if "Pinned " in line]
    assert len(briefed) == 2 and briefed[1].endswith("…")  # the brief cuts at 100

    said = cli.ok("status", incident_id).splitlines()
    pinned = [line for line in said if line.startswith("Pinned ")]
    assert pinned[0] == briefed[0]
    assert pinned[0].endswith(" by Cass Commander: No customer comms until 03:30")
    assert pinned[1].startswith(briefed[1].removesuffix("…"))  # a pipe gets it whole
    assert pinned[1].endswith(LONG.strip())
    assert len(pinned) == 2
    assert not any("First pin" in line or "hold the RCA" in line for line in said)
    assert said.index(pinned[1]) < said.index("")  # above the phases, with the summary

    data = json.loads(cli.ok("status", incident_id, "--json"))
    brief = json.loads(cli.ok("brief", incident_id, "--json"))
    assert data["pinned_notes"] == brief["pinned_notes"]
    assert [note["text"] for note in data["pinned_notes"]][:2] == [
        "No customer comms until 03:30",
        LONG.strip(),
    ]
    assert data["pinned_notes"][2]["text"].startswith("First pin")


def test_on_a_phone_the_pinned_notes_stay_above_the_summary(tmp_path: Path) -> None:
    """Rows run short: the notes sit between the phases and the id line, each at most
    two rows, cut at a word; the summary below them, as before."""
    cli = Cli(tmp_path / "phone.db", actor="Eve Engineer")
    incident_id = phase_one_finished(cli)  # two pinned notes among much else
    cli.in_process().ok("note", incident_id, "--pin", LONG)
    shown = on_a_terminal(cli, 46, "status", incident_id, rows=22).splitlines()
    assert max(len(line) for line in shown) <= 46
    tail = shown[-21:]  # what a phone's rows keep, one for the prompt
    starts = [n for n, line in enumerate(tail) if line.startswith("Pinned T+")]
    assert len(starts) == 2, "\n".join(tail)
    first, second = starts
    assert second - first <= 2  # the newest, in at most two rows
    newest = " ".join(row.strip() for row in tail[first:second])
    assert newest.startswith("Pinned T+") and " by Eve Engineer: Decision: no DB " in newest
    assert re.search(r" 19:55 and…$", newest), newest  # cut between words, said so
    header = next(n for n, line in enumerate(tail) if line.startswith(f"{incident_id}  SEV2"))
    assert header - second in (1, 2)  # then the next newest, then the id line
    note = " ".join(row.strip() for row in tail[second:header])
    assert note.endswith(" by Eve Engineer: No customer comms until 03:30")
    assert any(line.startswith("triggers: ") for line in tail[header:])
