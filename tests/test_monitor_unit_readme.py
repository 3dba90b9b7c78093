"""The README's "Running monitor unattended" holds to the code (ux_review14 #10, #11).

Its unit names only directives systemd knows (`systemd-analyze verify` where systemd is
installed), runs a `lastgood monitor` command line the parser takes, restarts on
exactly the statuses `monitor` gives for what may pass and not on those it gives for
good; its table lists the statuses the code defines; its environment file sets
variables lastgood reads.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.cli_helpers import ROOT
from tui.cli.errors import TRY_AGAIN
from tui.cli.help_notes import MONITOR_EXIT
from tui.cli.stdout import CLOSED_PIPE_EXIT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Running monitor unattended\n", 1)[1].split("\n## ", 1)[0]
PERMANENT = 2
DAMAGED = 1

DIRECTIVES = {
    "Unit": {"Description", "After", "Wants"},
    "Service": {
        "User",
        "Group",
        "EnvironmentFile",
        "ExecStart",
        "Restart",
        "RestartSec",
        "RestartPreventExitStatus",
        "KillMode",
        "TimeoutStopSec",
    },
    "Install": {"WantedBy"},
}
"""The directives of systemd.unit(5), systemd.service(5), systemd.exec(5) and
systemd.kill(5) the unit may use: checked against systemd itself where it is installed."""


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", SECTION, re.S)


def unit() -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current = ""
    for line in blocks("ini")[0].splitlines():
        if match := re.fullmatch(r"\[(\w+)\]", line):
            current = match.group(1)
            sections[current] = {}
        elif line.strip():
            key, _, value = line.partition("=")
            sections[current][key] = value
    return sections


def test_the_unit_names_directives_systemd_knows(tmp_path: Path) -> None:
    sections = unit()
    for section, keys in sections.items():
        assert set(keys) <= DIRECTIVES[section], (section, set(keys) - DIRECTIVES[section])
    if shutil.which("systemd-analyze") is None:
        return
    text = blocks("ini")[0].replace(unit()["Service"]["ExecStart"].split()[0], "/bin/true")
    instance = tmp_path / "lastgood-monitor@INC-20261207-4A40.service"
    instance.write_text(text)
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(instance)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    said = checked.stdout + checked.stderr
    for complaint in ("Unknown key", "Unknown section", "Failed to parse", "Invalid"):
        assert complaint not in said, said


def test_the_unit_runs_monitor_with_options_it_has() -> None:
    from tui.cli.parser import parsed_arguments

    command = unit()["Service"]["ExecStart"].split()
    assert Path(command[0]).name == "lastgood"
    args = parsed_arguments([word.replace("%i", "INC-20261207-4A40") for word in command[1:]])
    assert (args.command, args.id) == ("monitor", "INC-20261207-4A40")


def test_it_restarts_on_what_may_pass_and_not_on_what_will_not() -> None:
    service = unit()["Service"]
    assert service["Restart"] == "on-failure"
    prevented = {int(status) for status in service["RestartPreventExitStatus"].split()}
    assert prevented == {PERMANENT, DAMAGED}
    assert TRY_AGAIN not in prevented and CLOSED_PIPE_EXIT not in prevented
    assert f"RestartPreventExitStatus={DAMAGED} {PERMANENT}" in MONITOR_EXIT


def test_the_table_lists_the_statuses_the_code_gives() -> None:
    rows = re.findall(r"^\| (\d+) \| ", SECTION, re.M)
    assert [int(row) for row in rows] == [0, PERMANENT, TRY_AGAIN, DAMAGED, CLOSED_PIPE_EXIT]
    for status in rows:
        assert f"{status} " in MONITOR_EXIT or f"{status} (" in MONITOR_EXIT, status


def test_the_environment_file_sets_what_lastgood_reads() -> None:
    env = blocks("sh")[0]
    names = re.findall(r"^(\w+)=", env, re.M)
    assert names[:2] == ["LASTGOOD_DB", "LASTGOOD_USER"]
    read = "".join(path.read_text() for path in (ROOT / "tui" / "cli").glob("*.py"))
    for name in names[:2]:
        assert f'"{name}"' in read, name
    assert "PGPASSFILE" in SECTION
    assert unit()["Service"]["EnvironmentFile"].endswith("monitor.env")
