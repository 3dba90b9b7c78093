"""`export`'s format, chosen or read from the file's name: one rule for both faces
(`incident.app.exports.format_for`; the TUI's form is tests/tui/test_export_formats.py).

`lastgood export ID -o record.json` wrote the Markdown report into it, as the TUI's
form wrote Markdown into `tui-export.ics` (ux_review16 #11). On a real SQLite file,
through the same `main` a pipeline runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from incident.app.exports import format_for, with_format
from incident.core.errors import CommandError
from tests.cli_helpers import Cli, InProcessCli, declare


@pytest.mark.parametrize(
    ("path", "chosen", "written"),
    [
        ("r.md", None, "markdown"),
        ("r.JSON", None, "json"),
        ("p.ics", None, "ics"),
        ("r.txt", None, "markdown"),
        ("", None, "markdown"),
        ("r.txt", "ics", "ics"),
        ("r.json", "json", "json"),
    ],
)
def test_the_format_is_the_one_chosen_else_the_names(path, chosen, written):
    assert format_for(path, chosen) == written


def test_a_name_for_another_format_is_refused_in_one_line():
    with pytest.raises(CommandError) as refused:
        format_for("/tmp/x/tui-export.ics", "markdown")
    assert str(refused.value) == (
        "tui-export.ics is named for ics, not Markdown: choose ics, or end the name in .md"
    )


def test_choosing_a_format_renames_a_file_named_for_another():
    assert with_format("./INC-1-report.md", "ics") == "./INC-1-report.ics"
    assert with_format("/tmp/a.b/r.json", "markdown") == "/tmp/a.b/r.md"
    assert with_format("notes.txt", "json") == "notes.txt"  # a name that says none


def test_the_command_line_writes_what_the_name_says_and_refuses_a_mismatch(tmp_path: Path):
    cli = InProcessCli(tmp_path / "named.db", actor="Ada")
    incident_id = declare(cli)
    record = tmp_path / "record.json"
    said = cli.ok("export", incident_id, "-o", str(record))
    assert f"record written to {record}" in said
    assert json.loads(record.read_text(encoding="utf-8"))["format"] == "lastgood-incident/1"

    cli.ok("send", incident_id, "--template", "resolved")
    cli.ok("schedule-postmortem", incident_id, "--at", "2099-01-01T10:00:00Z", "--reason", "x")
    invite = tmp_path / "meeting.ics"
    cli.ok("export", incident_id, "-o", str(invite))
    assert icalendar.Calendar.from_ical(invite.read_text(encoding="utf-8"))["VERSION"] == "2.0"

    refused = cli.run("export", incident_id, "--format", "markdown", "-o", str(tmp_path / "x.ics"))
    assert refused.code == 2 and refused.out == ""
    assert refused.err == (
        "lastgood export: --format markdown: x.ics is named for ics, not Markdown: "
        "choose ics, or end the name in .md\n"
    )
    assert not (tmp_path / "x.ics").exists()


def test_ics_refuses_a_file_named_for_another_format_as_export_does(tmp_path: Path):
    """`lastgood ics ID -o out.md` wrote a calendar into a Markdown file; it is refused
    by `export`'s rule in one line, as a user runs it, and nothing is written. A name
    that says no format, or `.ics`, is written as before."""
    cli = Cli(tmp_path / "ics.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("send", incident_id, "--template", "resolved")
    cli.ok("schedule-postmortem", incident_id, "--at", "2099-01-01T10:00:00Z", "--reason", "x")
    for name, said in (("out.md", "Markdown"), ("out.json", "JSON")):
        refused = cli.run("ics", incident_id, "-o", str(tmp_path / name))
        assert refused.code == 2 and refused.out == "", refused
        assert refused.err == (
            f"lastgood ics: --output: {name} is named for {said}, not ics: "
            f"lastgood export writes {said}, or end the name in .ics\n"
        )
        assert not (tmp_path / name).exists()
    for name in ("meeting.ics", "meeting.txt"):
        cli.ok("ics", incident_id, "-o", str(tmp_path / name))
        calendar = icalendar.Calendar.from_ical((tmp_path / name).read_text(encoding="utf-8"))
        assert calendar["VERSION"] == "2.0"
