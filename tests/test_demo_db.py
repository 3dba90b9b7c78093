"""Which database the demo records into, and bare `lastgood` taking start's options.

`lastgood demo --headless` is the demo without a terminal: it records into `--db` or
$LASTGOOD_DB when one is named, else into a scratch file it names, and writes its
report beside that database. The TUI demo's farewell line is tested in a real
terminal in tests/tui/test_demo_terminal.py.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
from pathlib import Path
from socket import gethostname

import pytest

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tui.cli.parser import implied_start


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "incidents.db")


def _incidents(cli: Cli, db: Path) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(cli.ok("--db", str(db), "list", "--json"))
    return listed


def test_headless_demo_records_into_lastgood_db(cli: Cli) -> None:
    out = cli.ok("demo", "--headless")
    (incident,) = _incidents(cli, cli.db)
    assert incident["status"] == "closed"
    assert f"Look around: lastgood --db {cli.db} status {incident['id']}" in out


def test_headless_demo_records_into_db_option_over_the_environment(
    cli: Cli, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen.db"
    cli.ok("demo", "--headless", "--db", str(chosen))
    (incident,) = _incidents(cli, chosen)
    assert incident["title"] == "Checkout errors after 2.4.1"
    assert not cli.db.exists(), "$LASTGOOD_DB was written although --db named another file"


def test_headless_demo_without_a_database_names_its_scratch_file(cli: Cli, tmp_path: Path) -> None:
    del cli.env["LASTGOOD_DB"]
    cli.env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    out = cli.ok("demo", "--headless")
    found = re.search(r"^Look around: lastgood --db (\S+) status (\S+)$", out, re.MULTILINE)
    assert found, out
    scratch = Path(found.group(1))
    assert scratch.is_file() and not scratch.is_relative_to(tmp_path / "xdg")
    assert [i["id"] for i in _incidents(cli, scratch)] == [found.group(2)]
    assert not (tmp_path / "xdg").exists(), "the demo wrote to the default database"
    shutil.rmtree(scratch.parent)


def _printed(out: str) -> tuple[Path, Path, str]:
    """The report and the database a headless demo says it wrote, and the incident."""
    report = re.search(r"^Report: (\S+)", out, re.MULTILINE)
    around = re.search(r"^Look around: lastgood --db (\S+) status (\S+)$", out, re.MULTILINE)
    assert report and around, out
    return Path(report.group(1)), Path(around.group(1)), around.group(2)


def test_headless_demo_without_a_database_keeps_everything_in_one_scratch_directory(
    cli: Cli, tmp_path: Path
) -> None:
    """It made two: /tmp/lastgood-demo-AAA/report.md and /tmp/lastgood-demo-BBB/demo.db."""
    del cli.env["LASTGOOD_DB"]
    cli.env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    report, db, _ = _printed(cli.ok("demo", "--headless"))
    try:
        assert report == db.parent / "report.md"
        assert report.read_text(encoding="utf-8").startswith("# Incident report: Checkout errors")
        assert sorted(p.name for p in db.parent.glob("*.md")) == ["report-draft.md", "report.md"]
    finally:
        shutil.rmtree(db.parent)
        shutil.rmtree(report.parent, ignore_errors=True)


def test_headless_demo_writes_its_report_beside_the_named_database_never_over_one(
    cli: Cli, tmp_path: Path
) -> None:
    """With --db the report went to a scratch directory all the same. Beside the named
    database a second run finds report.md there: it names its own after its incident,
    says so, and the first report and draft stay as they were."""
    chosen = tmp_path / "records" / "demo.db"
    chosen.parent.mkdir()
    first = cli.ok("demo", "--headless", "--db", str(chosen))
    report, db, incident = _printed(first)
    assert (report, db) == (chosen.parent / "report.md", chosen)
    draft = chosen.parent / "report-draft.md"
    assert f"evidence: report {draft} on {gethostname()}, head " in first
    kept = {path: path.read_bytes() for path in (report, draft)}
    assert f"| Incident | {incident} |" in report.read_text(encoding="utf-8")

    second = cli.ok("demo", "--headless", "--db", str(chosen))
    again, _, other = _printed(second)
    assert other != incident
    assert again == chosen.parent / f"{other}-report.md"
    assert f"Report: {again} (already there, left alone: report.md, report-draft.md)\n" in second
    assert (
        f"evidence: report {chosen.parent / f'{other}-report-draft.md'} on {gethostname()}, head "
        in second
    )
    assert f"| Incident | {other} |" in again.read_text(encoding="utf-8")
    assert {path: path.read_bytes() for path in kept} == kept
    assert len(list(chosen.parent.glob("*.md"))) == 4


@pytest.mark.parametrize(
    ("words", "parsed"),
    [
        ([], []),
        (["--no-probes"], ["start", "--no-probes"]),
        (["--db", "x.db", "--incident", "I"], ["start", "--db", "x.db", "--incident", "I"]),
        (
            ["--db=x.db", "--as", "Bo", "--no-probes"],
            ["start", "--db=x.db", "--as", "Bo", "--no-probes"],
        ),
        (["--db", "--odd.db", "status", "I"], ["--db", "--odd.db", "status", "I"]),
        (["status", "I", "--json"], ["status", "I", "--json"]),
        (["--help"], ["--help"]),
        (["nonsense"], ["nonsense"]),
    ],
)
def test_bare_lastgood_is_start_with_its_options(words: list[str], parsed: list[str]) -> None:
    assert implied_start(words) == parsed


def test_lastgood_no_probes_is_accepted_as_start(cli: Cli) -> None:
    """Without a terminal start refuses after parsing: the option was taken as start's."""
    result = cli.run("--no-probes")
    assert result.code == 2
    assert result.err.startswith("lastgood start: not a terminal"), result.err


def test_lastgood_incident_option_reaches_start_in_a_terminal(cli: Cli) -> None:
    """On a terminal (a pty), bare `lastgood --no-probes --incident NOPE` is start's own
    refusal of an unknown incident, one line, before any screen is drawn."""
    cli.ok("declare", "--title", "T", "--severity", "SEV3", "--commander", "Ada")
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [*lastgood_command(), "--no-probes", "--incident", "NOPE"],
            stdin=secondary,
            stdout=secondary,
            stderr=subprocess.PIPE,
            env=cli.env,
            cwd=ROOT,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"lastgood start: no incident 'NOPE' in {cli.db}\n"


def test_headless_demo_records_as_the_person_named(cli: Cli, tmp_path: Path) -> None:
    """Its record, studied afterwards, was written by "demo" whoever ran it, `--as`
    and $LASTGOOD_USER passed over (ux_review10 #5)."""
    db = tmp_path / "zed.db"
    out = cli.ok("demo", "--headless", "--db", str(db), "--as", "Zed")
    assert "recorded as Zed" in out
    (incident,) = _incidents(cli, db)
    exported = json.loads(
        cli.ok("--db", str(db), "export", str(incident["id"]), "--format", "json")
    )
    assert exported["authors"] == ["Zed"]
