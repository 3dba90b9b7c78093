"""`lastgood brief` on a phone over SSH (46x22): fitted to the terminal it prints to.

It printed lines of up to 100 characters whatever the width, so the terminal broke
them inside words: 28 screen lines for 22 rows, the phase and its time left scrolled
off the top, a line cut inside a clock (`T+02:0…`) (ux_review13 #4). Through a pipe
it prints what it always did: scripts read it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_helpers import Cli
from tests.test_cli_fitted import on_a_terminal

CLOCK_CUT = re.compile(r"T\+[0-9:]*…|…[0-9:]+\b")
"""A clock cut by an ellipsis: `T+02:0…`."""


def busy_incident(cli: Cli) -> str:
    """An incident with more to say than 22 rows of 46 columns hold: a decision, a
    tier, two pinned notes, a skip, a message, a hand-off with its reason, roles."""
    setup = cli.in_process()
    incident_id = setup.ok(
        "declare", "--title", "Checkout errors after shop 2.4.1", "--severity", "SEV2",
        "--issue", "checkout failing for 12% of users", "--commander", "Eve Engineer",
    ).strip()  # fmt: skip
    setup.ok("trigger", incident_id, "core-broken", "met", "--note", "checkout 500s")
    setup.ok("decide", incident_id, "--reason", "checkout 12% errors since 2.4.1, trigger met")
    setup.ok("send", incident_id, "--template", "initiating")
    setup.ok("db-tier", incident_id, "none", "--reason", "expand-contract: the old code reads it")
    setup.ok("note", incident_id, "--pin", "Decision: no DB rollback; VP Vic told by phone 19:55")
    setup.ok("note", incident_id, "--pin", "No customer comms until 03:30")
    skip = ("--reason", "the channel from yesterday's incident is still open, reused")
    setup.ok("skip", incident_id, "create-channel", *skip)
    reason = ("--reason", "paged as IC; Eve keeps typing")
    setup.ok("handoff", incident_id, "Cass Commander", *reason)
    setup.ok("assign", incident_id, "deployment-coordinator", "Eve Engineer")
    return incident_id


def test_brief_fits_a_46_by_22_terminal_phase_and_production_first(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "phone.db", actor="Eve Engineer")
    incident_id = busy_incident(cli)
    piped = cli.ok("brief", incident_id).splitlines()
    assert max(len(line) for line in piped) == 100  # so that fitting has something to do

    shown = on_a_terminal(cli, 46, "brief", incident_id, rows=22).splitlines()
    assert len(shown) <= 21 and max(len(line) for line in shown) <= 46  # a row for the prompt
    assert shown[0].startswith("OPEN T+") and "Decision and Communication:" in shown[0]
    at = 2 if shown[1].startswith("  ") else 1  # the phase line's rest, wrapped
    assert shown[at].startswith("Production: ")
    assert not any(CLOCK_CUT.search(line) for line in shown), shown
    # wrapped at words with a hanging indent: each row after a line's first is indented
    text = "\n".join(shown)
    assert "Triggers now: " in text and "Messages due now: announce, paging" in text
    assert "Next step: announce-rollback: Announce that a" in text, text  # decided: assessed
    assert "Decided: (1 of 3, the rest in the timeline)" in shown  # shortened, not lost
    # Fewer rows: what gave way is named, with the way to read all of it.
    shorter = on_a_terminal(cli, 46, "brief", incident_id, rows=16).splitlines()
    assert len(shorter) <= 15 and shorter[0].startswith("OPEN T+")
    told = " ".join(" ".join(shorter).split("Not shown: ", 1)[1].split())
    names = told.split(" (all of it: ")[0].split(", ")
    assert {"roles", "command", "open gates"} <= set(names), told
    assert f"lastgood brief {incident_id} | less" in told
    assert "Triggers now: " in "\n".join(shorter) and "Roles: " not in "\n".join(shorter)


def test_brief_at_a_tall_terminal_wraps_every_word_and_leaves_nothing_out(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "tall.db", actor="Eve Engineer")
    incident_id = busy_incident(cli)
    piped = cli.ok("brief", incident_id).splitlines()
    shown = on_a_terminal(cli, 46, "brief", incident_id, rows=60).splitlines()
    assert max(len(line) for line in shown) <= 46 and not any("Not shown" in s for s in shown)
    words = " ".join(shown).split()
    for needed in ("Cass", "Commander", "paged", "typing", "VP", "03:30", "leadership"):
        assert needed in words
    assert not any(CLOCK_CUT.search(line) for line in shown), shown
    assert any(line.startswith("Command: ") for line in piped)


def test_brief_through_a_pipe_ignores_the_terminals_width(tmp_path: Path) -> None:
    """Scripts read the piped brief: `$COLUMNS` (set by a shell) changes nothing."""
    cli = Cli(tmp_path / "pipe.db", actor="Eve Engineer")
    incident_id = busy_incident(cli)
    wide = cli.ok("brief", incident_id)
    cli.env = {**cli.env, "COLUMNS": "46", "LINES": "22"}
    narrow = cli.ok("brief", incident_id)
    digits = re.compile(r"\d")  # the clocks move between the two runs
    assert digits.sub("0", narrow) == digits.sub("0", wide)
    assert len(wide.splitlines()) <= 20 and max(map(len, wide.splitlines())) <= 100
