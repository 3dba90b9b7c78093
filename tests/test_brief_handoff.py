"""`brief`, for a new commander, says who had command before, since when and why.

After Ada handed off to Bo ("Ada off shift at 12:00"), `lastgood brief` had only
`Roles: incident-commander Bo · …` (ux_review6 finding 9). It now has a `Command:`
line, and `--json` the same as data. The CLI as a user runs it, on a SQLite file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare

T = r"T\+\d\d:\d\d"


def test_the_brief_says_who_had_command_since_when_and_why(tmp_path: Path) -> None:
    ada = InProcessCli(tmp_path / "shared.db", actor="Ada")
    incident_id = declare(ada)
    assert not [line for line in ada.ok("brief", incident_id).splitlines() if "Command:" in line]

    ada.ok("handoff", incident_id, "Bo", "--reason", "Ada off shift at 12:00")
    [line] = [line for line in ada.ok("brief", incident_id).splitlines() if "Command:" in line]
    assert re.fullmatch(
        rf"Command: Ada handed command to Bo at {T} \(Ada had it since T\+00:00\): "
        r"Ada off shift at 12:00",
        line,
    ), line

    # Cy takes it from Bo: the brief names Cy as taking it, and Bo's time in command.
    cy = InProcessCli(tmp_path / "shared.db", actor="Cy")
    cy.ok("handoff", incident_id, "Cy", "--reason", "Cy takes command from the bastion")
    brief = cy.ok("brief", incident_id)
    lines = brief.splitlines()
    at = next(n for n, line in enumerate(lines) if "Command:" in line)
    assert re.fullmatch(
        rf"Command: Cy took command from Bo at {T} \(Bo had it since {T}\):", lines[at]
    )
    assert lines[at + 1] == "         Cy takes command from the bastion"  # too long for one
    assert len(brief.splitlines()) <= 20

    data = json.loads(cy.ok("brief", incident_id, "--json"))["handoff"]
    assert {k: data[k] for k in ("from", "to", "by", "reason")} == {
        "from": "Bo",
        "to": "Cy",
        "by": "Cy",
        "reason": "Cy takes command from the bastion",
    }
    assert data["from_since"] < data["at"]
