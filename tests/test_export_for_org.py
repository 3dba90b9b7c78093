"""`export --for org`: a report to publish beyond the incident team.

ux_review16 #9: every note (a credential pasted into one, a name blamed), every free-text
reason and every path on the coordinator's machine was in every document, and the only
way to share the report wider was to edit it by hand, under a head hash that still
claimed to cover what was removed. The record here is real, written through the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from incident.core.payloads import StepChecked
from incident.reports.for_org import COMMAND, PATH, _check_fields, without_paths
from tests.cli_helpers import Cli, InProcessCli

SECRET = "sk_live_51Habcdefghijklmnop"
SHOWN = "51Habcdefghijklmnop"
"""What of `SECRET` the Markdown shows as it is (its underscores are escaped)."""


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Cli, str, str]:
    """An incident with a note holding a secret and a blame, a skip whose reason names
    someone, and a check whose evidence names a file on someone's machine: the cli,
    the incident and its head."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    cli.ok("note", incident_id, f"Stripe key was {SECRET} in the env dump; blame: Raj")
    cli.ok("skip", incident_id, "smoke-test", "--reason", "no test card; Raj forgot it")
    cli.ok("check", incident_id, "confirm-version", "--evidence", "2.4.0 in /home/dana/notes/v.txt")
    (head,) = re.findall(r"head ([0-9a-f]{64})", cli.ok("verify", incident_id))
    return cli, incident_id, head


def test_the_org_report_leaves_out_what_the_team_wrote_for_itself(
    shared: tuple[Cli, str, str],
) -> None:
    cli, incident_id, head = shared
    full = cli.ok("export", incident_id)
    assert SHOWN in full and "Raj forgot" in full and "/home/dana" in full
    assert head in full

    result = cli.run("export", incident_id, "--for", "org")
    assert (result.code, result.err) == (0, "")
    org = result.out
    for kept_out in (SHOWN, "Raj", "/home/dana", head, head[:12]):
        assert kept_out not in org
    lines = org.splitlines()
    assert lines[2].startswith("This version is for readers outside the incident team: ")
    assert "is not quoted here" in lines[2]
    assert "Note: (internal note)" in org
    assert "Skipped smoke-test: (internal reason)" in org
    assert f"Checked confirm-version \\[evidence: 2.4.0 in {PATH}\\]" in org
    record = next(line for line in lines if line.startswith("| Record |"))
    assert record.endswith("text for the team left out (see above), so no head hash |")
    assert "with the text written for the incident team left out" in org


def test_the_org_report_is_markdown_only(shared: tuple[Cli, str, str]) -> None:
    cli, incident_id, _ = shared
    for args in (("--format", "json"), ("--format", "ics")):
        result = cli.run("export", incident_id, "--for", "org", *args)
        assert (result.code, result.out) == (2, "")
        assert "--for org writes the Markdown report" in result.err


def test_paths_and_command_lines_are_left_out_of_a_checks_words() -> None:
    assert without_paths("report /tmp/x/report.md on vm") == f"report {PATH} on vm"
    assert without_paths("~/notes/a.txt and ../b/c") == f"{PATH} and {PATH}"
    for kept in ("GET /health 200", "http://shop.example/a/b ok", "and/or", "2.4.0"):
        assert without_paths(kept) == kept
    ran = StepChecked("app-rollback", "a", note="`kubectl -n prod rollout undo x` exited 0")
    assert _check_fields(ran)["note"] == f"`{COMMAND}` exited 0"
