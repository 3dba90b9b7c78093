"""`lastgood status` on a phone over SSH (46x22): the summary stays on screen.

It wrapped at words but was 52 screen lines: the summary (readings, triggers, the
next update) at the top scrolled off, and the rows left showed the checklists of
phases long finished (ux_review13 #4). On a terminal it overflows, the summary goes
last and a finished phase's checked steps fold into one line; a skipped or open step
is never folded. Through a pipe it prints what it always did: scripts read it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_helpers import Cli
from tests.test_brief_screen_cli import busy_incident
from tests.test_cli_fitted import on_a_terminal

DIGITS = re.compile(r"\d")
"""The clocks move between two runs."""


def phase_one_finished(cli: Cli) -> str:
    """`busy_incident` with its first phase finished: one step skipped, the rest done."""
    incident_id = busy_incident(cli)
    setup = cli.in_process()
    # assess-severity: busy_incident's decision checked it, with the gate's reading
    setup.ok("send", incident_id, "--template", "announce")
    setup.ok("send", incident_id, "--template", "paging")
    return incident_id


def test_status_at_46_by_22_ends_with_its_summary_and_folds_the_finished_phase(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "phone.db", actor="Eve Engineer")
    incident_id = phase_one_finished(cli)
    piped = cli.ok("status", incident_id).splitlines()
    assert piped[0].startswith(incident_id) and "  [x] assess-severity: Assess severity" in piped

    shown = on_a_terminal(cli, 46, "status", incident_id, rows=22).splitlines()
    assert max(len(line) for line in shown) <= 46
    # The summary last, so the 21 rows a phone keeps show it.
    tail = "\n".join(shown[-21:])
    assert "triggers: " in tail and "next stakeholder update in " in tail, tail
    assert "production: " in tail and f"{incident_id}  SEV2" in tail
    # The finished phase: one line (wrapped), its checked steps folded, its skip kept.
    folded = " ".join(shown[:2])
    assert re.match(r"✓ Decision and Communication: 6 of 7 done, +T\+00:\d\d–T\+00:\d\d", folded)
    assert not any("[x] assess-severity" in line for line in shown)
    assert any(line.startswith("  [-] create-channel: ") for line in shown)
    # Every open, blocked or skipped step still shown, and the open phases whole.
    text = " ".join(" ".join(shown).split())
    for line in piped:
        if re.match(r"  \[[ !-]\] ", line) or line.startswith(("Execute", "Verification")):
            assert DIGITS.sub("0", " ".join(line.split())) in DIGITS.sub("0", text), line


def test_status_that_fits_the_rows_keeps_its_order(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "tall.db", actor="Eve Engineer")
    incident_id = phase_one_finished(cli)
    shown = on_a_terminal(cli, 46, "status", incident_id, rows=80).splitlines()
    assert shown[0].startswith(incident_id) and max(len(line) for line in shown) <= 46
    assert any("[x] assess-severity" in line for line in shown)


def test_status_through_a_pipe_ignores_the_terminals_size(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "pipe.db", actor="Eve Engineer")
    incident_id = phase_one_finished(cli)
    wide = cli.ok("status", incident_id)
    cli.env = {**cli.env, "COLUMNS": "46", "LINES": "22"}
    narrow = cli.ok("status", incident_id)
    assert DIGITS.sub("0", narrow) == DIGITS.sub("0", wide)
    assert narrow.startswith(incident_id) and "  [x] assess-severity: " in narrow
