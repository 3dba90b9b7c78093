"""The "Document the incident" evidence says where the report is, for the others on a
shared record: its absolute path and the machine it was written on, then the head
hash it covers. Bo's `e` recorded `report INC-20261207-3CAF-report.md, head ea77…`
and Cy's `export -o sq.md --check-step` `report sq.md`: relative to a working
directory on a machine neither named (ux_review6 finding 14)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

from incident.app.closeout import EVIDENCE_CHARS, report_place
from tests.cli_helpers import Cli, declare

EVIDENCE = re.compile(r"report (.+) on (.+), head ([0-9a-f]{64})")


def test_export_check_step_records_the_absolute_path_and_the_host(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "shared.db", actor="Cy")
    incident_id = declare(cli)
    cli.cwd = tmp_path / "cy"
    cli.cwd.mkdir()
    said = cli.ok("export", incident_id, "-o", "sq.md", "--check-step")
    assert "checked document-incident" in said
    data = json.loads(cli.ok("status", incident_id, "--json"))
    evidence = next(s for s in data["steps"] if s["id"] == "document-incident")["evidence"]
    match = EVIDENCE.fullmatch(evidence)
    assert match is not None, evidence
    assert match.group(1) == str(tmp_path / "cy" / "sq.md")
    assert match.group(2) == socket.gethostname()
    report = (tmp_path / "cy" / "sq.md").read_text(encoding="utf-8")
    assert f"head hash `{match.group(3)}`" in report


def test_the_place_is_absolute_and_keeps_the_end_of_a_long_path(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert report_place("INC-1-report.md", "bastion-1") == (
        f"{tmp_path / 'INC-1-report.md'} on bastion-1"
    )
    assert report_place(str(tmp_path / "r.md"), "") == str(tmp_path / "r.md")
    deep = "/" + "d/" * 200 + "INC-1-report.md"
    shown = report_place(deep, "bastion-1")
    assert shown.endswith("/d/INC-1-report.md on bastion-1") and shown.startswith("…")
    assert len(shown.removesuffix(" on bastion-1")) == EVIDENCE_CHARS + 1
