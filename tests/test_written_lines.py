"""Every verb with `-o FILE` says what it wrote the same way: `T+MM:SS  WHAT written
to FILE`, with `(head H)` when the file quotes the record's head, on stdout as the
recording verbs say what they did, and on stderr when FILE is stdout itself (`-o
/dev/stdout`), which then holds the file and nothing else.

Before, only the Markdown export said so; the JSON export, `timeline` and the
invitation (`ics`, `export --format ics`) said `wrote FILE` on stderr. Run as a
user runs `lastgood`: separate processes on a real SQLite file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from incident.core.events import format_timestamp, parse_timestamp
from tests.cli_helpers import Cli, declare
from tests.http_servers import unused_port

OFFSET = r"T\+\d\d:\d\d"
HEAD = r" \(head ([0-9a-f]{12})\)"


@dataclass(frozen=True)
class Case:
    """One verb writing one kind of file."""

    args: tuple[str, ...]
    what: str
    head: bool
    begins: str
    """How the file's text begins: stdout holds it from its first byte."""
    after: str = ""
    """What the Markdown export adds after the line: what it did not record."""


CASES = {
    "export": Case(("export",), "report", True, "# Incident report", "; nothing recorded"),
    "export json": Case(("export", "--format", "json"), "record", True, "{"),
    "timeline": Case(("timeline",), "timeline", False, "# Post-mortem timeline"),
    "timeline json": Case(("timeline", "--json"), "timeline", False, "{"),
    "ics": Case(("ics",), "invitation", False, "BEGIN:VCALENDAR"),
    "export ics": Case(("export", "--format", "ics"), "invitation", False, "BEGIN:VCALENDAR"),
}


@pytest.fixture(scope="module")
def booked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, str]:
    """An incident closed with its post-mortem booked: every export has something to write."""
    cli = Cli(tmp_path_factory.mktemp("record") / "incidents.db", actor="ada")
    setup = cli.in_process()  # the record in-process; the verbs writing files are processes
    incident_id = declare(setup)
    setup.ok("close", incident_id, "--force", "--reason", "drill")
    closed = json.loads(setup.ok("status", incident_id, "--json"))["closed_at"]
    when = format_timestamp(parse_timestamp(closed) + timedelta(hours=14))
    setup.ok("schedule-postmortem", incident_id, "--at", when, "--attendees", "Ada,Bo")
    return cli, incident_id


def line_for(case: Case, path: object) -> str:
    return rf"{OFFSET}  {case.what} written to {re.escape(str(path))}" + (HEAD if case.head else "")


@pytest.mark.parametrize("name", CASES)
def test_the_line_says_what_was_written_and_where_on_stdout(booked, tmp_path, name):
    cli, incident_id = booked
    case = CASES[name]
    path = tmp_path / "out.file"

    done = cli.run(*case.args, incident_id, "-o", str(path))

    assert (done.code, done.err) == (0, ""), done.err
    first = done.out.splitlines()[0]
    assert re.fullmatch(line_for(case, path) + re.escape(case.after), first), done.out
    assert path.read_text(encoding="utf-8").startswith(case.begins)


@pytest.mark.parametrize("name", CASES)
def test_with_the_file_on_stdout_the_line_is_on_stderr(booked, name):
    cli, incident_id = booked
    case = CASES[name]

    done = cli.run(*case.args, incident_id, "-o", "/dev/stdout")

    assert done.code == 0, done.err
    assert done.out.startswith(case.begins)
    assert "written to" not in done.out
    if case.begins == "{":  # the whole of stdout is the one document
        json.loads(done.out)
    assert re.fullmatch(
        line_for(case, "/dev/stdout") + re.escape(case.after), done.err.splitlines()[0]
    )


@pytest.mark.parametrize("name", CASES)
def test_a_file_name_with_control_bytes_is_said_on_stdout_without_them(booked, tmp_path, name):
    cli, incident_id = booked
    case = CASES[name]
    hostile = tmp_path / "f\x1b[2J\x1b]0;pwned\x07.out"

    done = cli.run(*case.args, incident_id, "-o", str(hostile))

    assert done.code == 0 and hostile.exists(), done.err
    first = done.out.splitlines()[0]
    assert f"{case.what} written to " in first and "␛[2J␛]0;pwned␇.out" in first
    assert not any(ch in done.out for ch in "\x1b\x07"), repr(done.out)


def test_the_json_exports_head_is_the_one_verify_takes_back(booked, tmp_path):
    cli, incident_id = booked
    path = tmp_path / "record.json"

    done = cli.run("export", incident_id, "--format", "json", "-o", str(path))

    found = re.fullmatch(line_for(CASES["export json"], path), done.out.splitlines()[0])
    assert found is not None, done.out
    head = json.loads(path.read_text(encoding="utf-8"))["head_hash"]
    assert head.startswith(found.group(1))
    kept = cli.run("verify", incident_id, "--expect-head", head)
    assert kept.code == 0, kept.err


def test_init_says_the_runbook_written_the_same_way(tmp_path):
    """`init` has no incident, so no T+; the rest of the line reads as the exports do."""
    cli = Cli(tmp_path / "unused.db")
    cli.cwd = tmp_path
    given = (
        *("--service", "checkout", "--prometheus-url", f"http://127.0.0.1:{unused_port()}"),
        *("--health-url", "https://checkout.example/healthz"),
        *("--version-url", "https://checkout.example/version"),
    )

    into_file = cli.run("init", *given, "-o", "plan.yaml", stdin="")
    onto_stdout = cli.run("init", *given, "-o", "/dev/stdout", "--force", stdin="")

    said = "runbook written to {}: the bundled rollback plan for checkout"
    assert (into_file.code, into_file.err) == (0, "")
    assert into_file.out.splitlines()[0] == said.format("plan.yaml")
    assert Path(tmp_path / "plan.yaml").exists()
    assert onto_stdout.code == 0, onto_stdout.err
    assert onto_stdout.out.startswith("# The emergency rollback runbook for checkout")
    summary = ("runbook written to ", "  rollback: ", "check it:  ", "use it:    ")
    assert not [line for line in onto_stdout.out.splitlines() if line.startswith(summary)]
    assert onto_stdout.err.splitlines()[0] == said.format("/dev/stdout")
    assert "keep it:   save it to a file (-o lastgood.yaml)" in onto_stdout.err
    assert "validate /dev/stdout" not in onto_stdout.err  # it would read nothing back
    assert "check it:  lastgood validate plan.yaml" in into_file.out
