"""`export -o FILE` and `export -o FILE --check-step` say the report was written the
same way: after T+, in the use case's words, on stdout as every recording verb says
what it did (`tui.cli.recording.say`), except when the report itself is on stdout
(`export` alone, `-o /dev/stdout`): then stdout carries the report and nothing else.

Before, the first said `wrote FILE` on stderr and the second `report written to FILE
(head …)` on stdout. Run as a user runs `lastgood`: separate processes on a real
SQLite file (the declarations in-process).
"""

from __future__ import annotations

import re

import pytest

from tests.cli_helpers import Cli, declare

OFFSET = r"T\+\d\d:\d\d"


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="ada")


def written(path: object) -> str:
    return rf"{OFFSET}  report written to {re.escape(str(path))} \(head ([0-9a-f]{{12}})\)"


def test_with_and_without_check_step_the_report_is_said_written_alike(cli, tmp_path):
    incident_id = declare(cli.in_process())
    plain, checked = tmp_path / "plain.md", tmp_path / "checked.md"

    snapshot = cli.run("export", incident_id, "-o", str(plain))
    documented = cli.run("export", incident_id, "-o", str(checked), "--check-step")

    assert (snapshot.code, snapshot.err) == (0, "")
    first, left = snapshot.out.splitlines()
    found = re.fullmatch(written(plain) + "; nothing recorded", first)
    assert found is not None, snapshot.out
    assert re.fullmatch(
        f"{OFFSET}  document-incident left open "
        "\\(not checked by this export: --check-step checks it\\)",
        left,
    )

    assert (documented.code, documented.err) == (0, "")
    first, check = documented.out.splitlines()
    found_checked = re.fullmatch(written(checked), first)
    assert found_checked is not None, documented.out
    assert re.fullmatch(f"{OFFSET}  checked document-incident \\(report exported\\)", check)

    # The first recorded nothing: both reports cover the same head, the one they quote.
    head = found.group(1)
    assert found_checked.group(1) == head
    for report in (plain, checked):
        assert f"head hash `{head}" in report.read_text(encoding="utf-8")


def test_stdout_holds_the_report_alone(cli, tmp_path):
    incident_id = declare(cli.in_process())

    printed = cli.run("export", incident_id)
    assert printed.code == 0 and printed.err == ""
    assert printed.out.startswith("# Incident report")

    through = cli.run("export", incident_id, "-o", "/dev/stdout")
    assert through.code == 0 and through.out.startswith("# Incident report")
    assert "report written" not in through.out
    assert re.match(written("/dev/stdout"), through.err)


def test_a_file_name_with_control_bytes_is_said_without_them(cli, tmp_path):
    incident_id = declare(cli.in_process())
    hostile = tmp_path / "r\x1b[2J\x1b]0;pwned\x07.md"

    done = cli.run("export", incident_id, "-o", str(hostile))

    assert done.code == 0 and hostile.exists()
    assert "report written to" in done.out
    assert not any(ch in done.out for ch in "\x1b\x07"), repr(done.out)


def test_check_step_on_a_step_checked_already_says_so(cli, tmp_path):
    """Asked to check a step that is done, the export records nothing, and says why."""
    incident_id = declare(cli.in_process())
    first, again = tmp_path / "first.md", tmp_path / "again.md"
    assert cli.run("export", incident_id, "-o", str(first), "--check-step").code == 0

    repeated = cli.run("export", incident_id, "-o", str(again), "--check-step")

    assert (repeated.code, repeated.err) == (0, "")
    line, why = repeated.out.splitlines()
    assert re.fullmatch(written(again) + "; nothing recorded", line), repeated.out
    assert re.fullmatch(f"{OFFSET}  document-incident was checked already", why)
