"""`lastgood brief` as a new incident commander runs it: a process, a real SQLite file.

What brings the incident to the moment briefed (the declaration and the work before
it) runs the same `main` in-process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli


def test_brief_prints_the_incident_in_at_most_20_lines(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "brief.db", actor="Ada Lovelace")
    setup = cli.in_process()
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV2", "--issue", "500s")
    incident_id = setup.ok(*args, "--commander", "Bo Diddley").strip()
    setup.ok("trigger", incident_id, "core-broken", "met", "--note", "checkout 500s")
    setup.ok("decide", incident_id, "--reason", "core broken", "--by", "Bo Diddley")
    setup.ok("send", incident_id, "--template", "initiating")
    setup.ok("db-tier", incident_id, "restore-backup", "--reason", "a column was dropped")
    setup.ok("assign", incident_id, "comms-lead", "Cy Young")

    lines = cli.ok("brief", incident_id).splitlines()
    assert 10 <= len(lines) <= 20 and all(len(line) <= 100 for line in lines)
    assert lines[0] == f"{incident_id}  SEV2  Checkout errors"
    assert lines[1].startswith("OPEN T+") and "Decision and Communication: " in lines[1]
    text = "\n".join(lines)
    assert "approved decide-rollback (Bo Diddley, recorded by Ada Lovelace): core broken" in text
    assert "Open gates: tier:restore-backup (needs leadership)" in lines
    assert "core-broken MET since T+" in text
    assert "[initiating] by Ada Lovelace: Initiating rollback due to 500s." in text
    assert any(line.startswith("Next update due in ") for line in lines)
    assert "comms-lead Cy Young" in text

    data = json.loads(cli.ok("brief", incident_id, "--json"))
    assert data["lines"][0] == lines[0] and data["damage"] is None
    assert data["roles"]["comms-lead"] == "Cy Young"

    missing = cli.run("brief", "INC-NOPE")
    assert missing.code == 2 and missing.err.count("\n") == 1
    assert missing.err.startswith("lastgood brief: no incident 'INC-NOPE' in ")


def test_brief_says_no_data_for_a_trigger_no_reading_has_decided(tmp_path: Path) -> None:
    """The guide's first step is to "determine if the issue meets the pre-defined
    rollback triggers". With no probe reading recorded, the brief told a new commander
    "error-rate not met", where the TUI says "no data" (silence is not health); a
    manual trigger nobody marked is not met, as everywhere. With no reading of its probe
    at all, it says why: here "not polled: default URL", the bundled runbook's probes
    being at their defaults (the report of a closed one: "never polled")."""
    cli = Cli(tmp_path / "brief.db", actor="Ada Lovelace")
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV2")
    incident_id = cli.in_process().ok(*args, "--commander", "Ada Lovelace").strip()

    lines = cli.ok("brief", incident_id).splitlines()
    at = lines.index("Triggers now: error-rate no data (not polled: default URL)")
    wrapped = "health-failing no data (not polled: default URL); core-broken not met"
    assert lines[at + 1] == " " * len("Triggers now: ") + wrapped  # wrapped at 100


def test_brief_shows_the_newest_pinned_notes_with_who_and_when(tmp_path: Path) -> None:
    """The commander's pinned note ("VP told by phone") was in the timeline and the
    report but not in `brief`, text or JSON (ux_review13 #8): the newest two are, each
    cut at a word, with who and when; `--json` has them all, whole."""
    cli = Cli(tmp_path / "pinned.db", actor="Cass Commander")
    setup = cli.in_process()
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV2")
    incident_id = setup.ok(*args, "--commander", "Cass Commander").strip()
    setup.ok("note", incident_id, "--pin", "First pin: page the DBA if the rollback stalls")
    setup.ok("note", incident_id, "Eve: hold the RCA until 09:00")
    long = "Decision: no DB rollback; VP Vic told by phone 19:55 " + "and agreed " * 10
    setup.ok("note", incident_id, "--pin", long)
    setup.ok("note", incident_id, "--pin", "No customer comms until 03:30")

    lines = cli.ok("brief", incident_id).splitlines()
    pinned = [line for line in lines if line.startswith("Pinned ")]
    assert len(pinned) == 2 and all(len(line) <= 100 for line in pinned)
    assert pinned[0].startswith("Pinned T+") and pinned[0].endswith(
        " by Cass Commander: No customer comms until 03:30"
    )
    assert " by Cass Commander: Decision: no DB rollback; VP Vic told by phone 19:55 " in pinned[1]
    assert pinned[1].endswith(" agreed…")  # cut between words, not inside one
    assert not any("hold the RCA" in line or "First pin" in line for line in lines)

    data = json.loads(cli.ok("brief", incident_id, "--json"))
    texts = [note["text"] for note in data["pinned_notes"]]
    assert texts == ["No customer comms until 03:30", long.strip(), texts[2]]
    assert texts[2].startswith("First pin") and data["pinned_notes"][1]["by"] == "Cass Commander"
